"""A harvester whose source fills one dataset with one DataStore table (vergunningen, afvalkalender).

The three stages of ckanext-harvest, for feeds that answer with many small records:

* ``gather_stage`` asks the feed (through ``harvesters/``, which knows nothing of CKAN) for the
  records changed since the last good run, and stores them in harvest objects of at most
  ``BATCH_SIZE`` records. A feed that breaks half-way is a gather error; every batch gathered
  before it is still imported.
* ``fetch_stage`` has nothing left to fetch.
* ``import_stage`` makes sure the dataset and its DataStore table exist and *upserts* the batch by
  primary key, in one statement (``datastore_bulk``): a re-run or a resumed run never duplicates
  rows, a changed record updates its row, and nothing is ever deleted because a feed came back
  empty or broken. Records the feed could not parse, and records the DataStore refuses (a batch it
  refuses is stored again record by record), are kept as object errors naming the record, so the
  job shows them one by one.

Which dataset a source fills, and whether it may, is ``table_target.py``.
"""

from __future__ import annotations

import datetime
import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckanext.harvest.harvesters.base import HarvesterBase
from ckanext.harvest.model import HarvestGatherError, HarvestJob, HarvestObject

from ckanext.openoverheid.harvest import datastore_bulk
from ckanext.openoverheid.harvest.site import allowed_private_hosts, max_response_bytes, site_context
from ckanext.openoverheid.harvest.table_spec import TableSpec
from ckanext.openoverheid.harvest.table_target import (
    MAX_NAME_LENGTH,
    TableTarget,
    TargetNotOwned,
    derived_dataset_name,
    existing_table,
    target_conflict,
    target_dataset_name,
)
from harvesters.errors import FeedError, RecordError

# Names that moved to table_spec.py, table_target.py and site.py, still importable from here.
__all__ = ["BATCH_SIZE", "MAX_NAME_LENGTH", "Batch", "TableSourceHarvester", "TableSpec", "TableTarget",
           "TargetNotOwned", "allowed_private_hosts", "derived_dataset_name", "max_response_bytes", "site_context",
           "target_dataset_name"]

log = logging.getLogger(__name__)

BATCH_SIZE = 500


@dataclass(frozen=True)
class Batch:
    records: list[dict[str, Any]]
    errors: list[dict[str, str | None]]

    def to_json(self) -> str:
        return json.dumps({"records": self.records, "errors": self.errors}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Batch:
        data = json.loads(text)
        return cls(records=data.get("records", []), errors=data.get("errors", []))


class _BatchWriter:
    """Stores gathered records and record errors in harvest objects of at most ``BATCH_SIZE`` records;
    a run of consecutive records of one ``record_group`` is never split over two objects."""

    def __init__(self, harvest_job: HarvestJob, record_group: Callable[[dict[str, Any]], str | None]) -> None:
        self.harvest_job = harvest_job
        self.record_group = record_group
        self.object_ids: list[str] = []
        self.records: list[dict[str, Any]] = []
        self.errors: list[dict[str, str | None]] = []
        self.last_group: str | None = None

    def add(self, item: dict[str, Any] | RecordError) -> None:
        if isinstance(item, RecordError):
            self.errors.append({"record_id": item.record_id, "message": str(item)})
            return
        group = self.record_group(item)
        # a full batch is closed before the next record, unless that record belongs with the last one
        if len(self.records) >= BATCH_SIZE and (group is None or group != self.last_group):
            self.flush()
        self.records.append(item)
        self.last_group = group

    def flush(self) -> None:
        if not self.records and not self.errors:
            return
        self._save(Batch(list(self.records), list(self.errors)))
        self.records.clear()
        self.errors.clear()

    def close(self) -> list[str]:
        """Flush; when nothing changed since the last good run, an empty batch marks the job as done."""
        self.flush()
        if not self.object_ids:
            self._save(Batch([], []))
        return self.object_ids

    def _save(self, batch: Batch) -> None:
        obj = HarvestObject(guid=f"{self.harvest_job.id}:{len(self.object_ids)}", job=self.harvest_job,
                            content=batch.to_json())
        obj.save()
        self.object_ids.append(obj.id)


class TableSourceHarvester(HarvesterBase):
    """Base class: subclasses say what the table looks like and how to read the feed."""

    source_type: str = ""
    source_title: str = ""
    source_description: str = ""
    table: TableSpec

    # --- what subclasses implement -------------------------------------------------------------

    def parse_config(self, config: str | None) -> dict[str, Any]:
        """The source's JSON config, checked; raise ValueError with a message that says what to fix."""
        raise NotImplementedError

    def dataset_fields(self, config: dict[str, Any]) -> dict[str, Any]:
        """name, title, notes and other metadata of the dataset this source fills."""
        raise NotImplementedError

    def iter_records(
        self, source: Any, config: dict[str, Any], since: datetime.date | None
    ) -> Iterator[dict[str, Any] | RecordError]:
        """Normalised records (dicts with the table's fields), or RecordErrors for bad ones, from the
        feed at ``source.url`` (``source`` is the HarvestSource)."""
        raise NotImplementedError

    def extra_resources(self, dataset: dict[str, Any], table_resource: dict[str, Any]) -> list[dict[str, Any]]:
        """Resources beside the DataStore table (CSV, GeoJSON), as url/name/format dicts."""
        return []

    def record_group(self, record: dict[str, Any]) -> str | None:
        """Records that must be imported together (one address's calendar, which replaces the
        address's future rows) share a group; a batch never splits a run of consecutive records of
        one group, so it may exceed ``BATCH_SIZE`` by one group. None (the default): no groups."""
        return None

    # --- IHarvester ------------------------------------------------------------------------------

    def info(self) -> dict[str, str]:
        return {"name": self.source_type, "title": self.source_title, "description": self.source_description}

    def validate_config(self, config: str | None) -> str:
        try:
            self.parse_config(config)
        except ValueError as error:
            raise ValueError(str(error)) from None
        return config or ""

    def gather_stage(self, harvest_job: HarvestJob) -> list[str] | None:
        source = harvest_job.source
        try:
            config = self.parse_config(source.config)
        except ValueError as error:
            self._save_gather_error(f"Ongeldige configuratie: {error}", harvest_job)
            return None
        batches = _BatchWriter(harvest_job, self.record_group)
        try:
            for item in self.iter_records(source, config, self._since(harvest_job, config)):
                batches.add(item)
        except FeedError as error:
            batches.flush()  # keep what arrived before the feed broke
            self._save_gather_error(f"{error} (bron: {error.source_url or source.url})", harvest_job)
            return batches.object_ids
        except Exception as error:  # a bug or an unforeseen answer: still keep what arrived, and say so
            log.exception("gather of %s broke off", source.url)
            batches.flush()
            self._save_gather_error(
                f"Het ophalen brak onverwacht af ({type(error).__name__}: {error}); wat eerder binnenkwam is "
                f"bewaard. Meld dit aan de beheerder van het portaal (bron: {source.url})",
                harvest_job,
            )
            return batches.object_ids
        return batches.close()

    def fetch_stage(self, harvest_object: HarvestObject) -> bool:
        return True

    def import_stage(self, harvest_object: HarvestObject) -> bool | str:
        batch = Batch.from_json(harvest_object.content or "{}")
        source = harvest_object.job.source
        config = self.parse_config(source.config)
        try:
            target = self.ensure_dataset(source, config)
        except TargetNotOwned as error:
            self._save_object_error(str(error), harvest_object, "Import")
            return False
        except tk.ValidationError as error:
            self._save_object_error(f"De dataset kon niet worden bijgewerkt: {error.error_summary}", harvest_object,
                                    "Import")
            return False
        for record_error in batch.errors:
            self._save_object_error(
                f"Record {record_error.get('record_id') or '(zonder id)'} overgeslagen: {record_error['message']}",
                harvest_object,
                "Import",
            )
        for label, reason in self._store(target.resource_id, batch.records):
            self._save_object_error(f"Record {label} niet opgeslagen: de DataStore weigerde het ({reason})",
                                    harvest_object, "Import")
        harvest_object.package_id = target.dataset_id
        harvest_object.current = True
        harvest_object.add()
        model.Session.commit()
        return True

    # --- helpers ---------------------------------------------------------------------------------

    def _store(self, resource_id: str, records: list[dict[str, Any]]) -> list[tuple[str, str]]:
        """Upsert the batch; when the DataStore refuses it (one value no column or index takes), upsert
        it again one record (or one ``record_group``) at a time, so a bad record costs only itself.
        Returns (record, reason) for each refused one."""
        if not records:
            return []
        try:
            self.upsert(resource_id, records)
            return []
        except (tk.ValidationError, sa.exc.DBAPIError) as error:
            if not _refused_for_its_data(error):
                raise  # the database is down or broken: not the records' fault, the job must not count as done
            log.warning("DataStore refused a batch of %d records (%s); storing them one by one", len(records),
                        _refusal(error))
        groups: dict[Any, list[dict[str, Any]]] = {}
        for position, record in enumerate(records):
            group = self.record_group(record)
            groups.setdefault(position if group is None else group, []).append(record)
        refused = []
        for group_records in groups.values():
            try:
                self.upsert(resource_id, group_records)
            except (tk.ValidationError, sa.exc.DBAPIError) as error:
                if not _refused_for_its_data(error):
                    raise
                label = "-".join(str(group_records[0].get(key)) for key in self.table.primary_key)[:200]
                refused.append((label, _refusal(error)))
        return refused

    def _since(self, harvest_job: HarvestJob, config: dict[str, Any]) -> datetime.date | None:
        """Ask only for what changed since the last good run (a day of overlap: feeds lag)."""
        last = self.last_complete_job(harvest_job)
        if last is not None and last.gather_started is not None:
            return last.gather_started.date() - datetime.timedelta(days=1)
        configured = config.get("sinds")
        return datetime.date.fromisoformat(configured) if configured else None

    @staticmethod
    def last_complete_job(harvest_job: HarvestJob) -> HarvestJob | None:
        """The source's last finished job without gather errors whose every batch was imported.

        Not ckanext-harvest's ``last_error_free_job``: that one also counts a job aborted half-way
        (``harvest_job_abort`` marks it finished and its unimported batches ERROR, which it does not
        see), and asking only for changes since such a job would lose the records never imported.
        """
        return (
            model.Session.query(HarvestJob)
            .filter(HarvestJob.source_id == harvest_job.source_id)
            .filter(HarvestJob.id != harvest_job.id)
            .filter(HarvestJob.status == "Finished")
            .filter(HarvestJob.gather_started.isnot(None))
            .filter(~sa.exists().where(HarvestGatherError.harvest_job_id == HarvestJob.id))
            .filter(~sa.exists().where(sa.and_(HarvestObject.harvest_job_id == HarvestJob.id,
                                               HarvestObject.state != "COMPLETE")))
            .order_by(HarvestJob.gather_started.desc())
            .first()
        )

    def _source_owner_org(self, source: Any) -> str | None:
        source_dataset = model.Package.get(source.id)
        return source_dataset.owner_org if source_dataset is not None else None

    def ensure_dataset(self, source: Any, config: dict[str, Any]) -> TableTarget:
        """The source's dataset with its DataStore table, created on the first import, in the source's
        organisation. Raises TargetNotOwned when that dataset is not the source's to fill.

        Every batch asks; once both exist the answer comes from indexed look-ups, not from
        ``package_show`` (Solr and validation for each of a harvest's many batches)."""
        owner_org = self._source_owner_org(source)
        wanted_name = target_dataset_name(source)
        conflict = target_conflict(source.id, owner_org, wanted_name)
        if conflict is not None:
            raise TargetNotOwned(conflict)
        existing = existing_table(wanted_name)
        if existing is not None:
            return existing
        context = site_context()
        # a private source's data is for its organisation only: its dataset starts private too
        source_dataset = model.Package.get(source.id)
        wanted = dict(self.dataset_fields(config), name=wanted_name, owner_org=owner_org,
                      private=bool(source_dataset is not None and source_dataset.private))
        try:
            dataset = tk.get_action("package_show")(dict(context), {"id": wanted["name"]})
        except tk.ObjectNotFound:
            dataset = tk.get_action("package_create")(dict(context), wanted)
        table_resource = next((r for r in dataset["resources"] if r.get("datastore_active")), None)
        if table_resource is None:
            created = tk.get_action("datastore_create")(
                dict(context),
                {
                    "resource": {"package_id": dataset["id"], "name": wanted["title"], "format": "DataStore"},
                    "fields": self.table.fields,
                    "primary_key": self.table.primary_key,
                    "indexes": self.table.indexes,
                    "force": True,
                },
            )
            table_resource = tk.get_action("resource_show")(dict(context), {"id": created["resource_id"]})
            dataset = tk.get_action("package_show")(dict(context), {"id": dataset["id"]})
            for extra in self.extra_resources(dataset, table_resource):
                tk.get_action("resource_create")(dict(context), dict(extra, package_id=dataset["id"]))
        return TableTarget(dataset["id"], table_resource["id"])

    def upsert(self, resource_id: str, records: list[dict[str, Any]]) -> None:
        """Insert or update the records by the table's primary key: one statement a batch."""
        tk.check_access("datastore_upsert", site_context(), {"resource_id": resource_id})
        datastore_bulk.upsert_rows(resource_id, self.table.fields, self.table.primary_key, records)


# PostgreSQL error classes that blame the data: 22 data exception, 23 integrity, 54 program limit
# (a value too large for an index). Others (08 connection, 57 shutdown, ...) are the database's.
_DATA_ERROR_CLASSES = ("22", "23", "54")


def _refused_for_its_data(error: Exception) -> bool:
    """Whether the DataStore refused the records themselves. It turns every database error during an
    upsert into a ValidationError, a lost connection too, so the database's error code decides."""
    cause = error if isinstance(error, sa.exc.DBAPIError) else (error.__cause__ or error.__context__)
    if isinstance(cause, sa.exc.DBAPIError):
        pgcode = getattr(cause.orig, "pgcode", None) or ""
        return pgcode[:2] in _DATA_ERROR_CLASSES
    return isinstance(error, tk.ValidationError)  # the DataStore's own checks of the records


def _refusal(error: Exception) -> str:
    """The DataStore's reason, short: what a ValidationError says about the records (not its
    ``error_summary``, which breaks on the DataStore's ``records_row``), or the database's first line."""
    if isinstance(error, tk.ValidationError):
        reasons = error.error_dict.get("records") or error.error_dict
        text = " ".join(map(str, reasons)) if isinstance(reasons, list) else str(reasons)
        text = text.strip().splitlines()[0] if text.strip() else "ValidationError"
    else:
        orig = getattr(error, "orig", None) or error
        text = str(orig).strip().splitlines()[0] if str(orig).strip() else type(error).__name__
    return text if len(text) <= 300 else text[:297] + "..."
