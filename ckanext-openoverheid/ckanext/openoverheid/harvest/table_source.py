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

Which dataset a source fills (``target_dataset_name``), so that no source writes into another's:

* a source that already filled a dataset (its harvest objects point at it) keeps filling that one,
  as long as it belongs to the source's organisation: installations from before keep their datasets;
* otherwise the dataset is named after the source: ``<source name>-data``. Source names are unique
  site-wide, so two sources, of one organisation or of two, never derive the same name (a name
  longer than CKAN's 100 characters is shortened and made unique with the source's id).

Before anything is written, ``target_conflict`` says whether the source may fill that dataset: it
must belong to the source's organisation, be a dataset (not a harvest source) and not be filled by
another source of that organisation. ``harvest/ownership.py`` refuses such a source when it is
saved; ``import_stage`` refuses the batch again (a source or a dataset moved since): an object
error, nothing written.
"""

from __future__ import annotations

import datetime
import enum
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckanext.harvest.harvesters.base import HarvesterBase
from ckanext.harvest.model import HarvestGatherError, HarvestJob, HarvestObject

from ckanext.openoverheid.harvest import datastore_bulk
from harvesters.errors import FeedError, RecordError

log = logging.getLogger(__name__)

BATCH_SIZE = 500


@dataclass(frozen=True)
class TableSpec:
    """The DataStore table a source fills: fields as datastore_create takes them."""

    fields: list[dict[str, Any]]  # id, type and info (label, notes), as datastore_create takes them
    primary_key: list[str]
    indexes: list[str] = field(default_factory=list)

    @property
    def field_ids(self) -> list[str]:
        return [f["id"] for f in self.fields]


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


@dataclass(frozen=True)
class TableTarget:
    """Where a source's rows go: its dataset and that dataset's DataStore table (a resource)."""

    dataset_id: str
    resource_id: str


def existing_table(dataset_name: str) -> TableTarget | None:
    """The active dataset ``dataset_name`` and its active DataStore resource, if both exist."""
    package = model.Package.get(dataset_name)
    if package is None or package.state != "active":
        return None
    for resource in package.resources:  # active ones only
        if (resource.extras or {}).get("datastore_active") in (True, "true", "True"):
            return TableTarget(package.id, resource.id)
    return None


TARGET_SUFFIX = "-data"
MAX_NAME_LENGTH = 100  # CKAN's limit on a dataset name


class ConflictKind(enum.Enum):
    """Why a source may not fill a dataset."""

    OTHER_ORGANIZATION = "other-organization"
    NOT_A_DATASET = "not-a-dataset"  # the name is taken by a harvest source (or another package type)
    OTHER_SOURCE = "other-source"


@dataclass(frozen=True)
class TargetConflict:
    """The dataset ``dataset_name`` is not this source's to fill; ``owner`` names who has it."""

    kind: ConflictKind
    dataset_name: str
    owner_org_title: str
    other_source: str = ""


class TargetNotOwned(Exception):
    """The source's target dataset belongs to someone else: nothing may be written into it."""

    def __init__(self, conflict: TargetConflict) -> None:
        self.conflict = conflict
        reasons = {
            ConflictKind.OTHER_ORGANIZATION: f"die hoort bij de organisatie {conflict.owner_org_title}, niet bij "
            "die van de bron",
            ConflictKind.NOT_A_DATASET: "die naam is al van een oogstbron",
            ConflictKind.OTHER_SOURCE: f"die wordt al gevuld door de bron {conflict.other_source}",
        }
        super().__init__(
            f"Niets opgeslagen in de dataset {conflict.dataset_name}: {reasons[conflict.kind]}. Geef de bron een "
            "andere naam of zet haar terug in de organisatie van de dataset."
        )


def derived_dataset_name(source_name: str, source_id: str = "") -> str:
    """``<source name>-data``; a too long name is cut and keeps its uniqueness with the source's id."""
    name = f"{source_name}{TARGET_SUFFIX}"
    if len(name) <= MAX_NAME_LENGTH:
        return name
    tail = f"-{source_id.replace('-', '')[:8]}{TARGET_SUFFIX}"
    return f"{source_name[: MAX_NAME_LENGTH - len(tail)].rstrip('-_')}{tail}"


def existing_target(source_id: str) -> model.Package | None:
    """The active dataset this source's harvest objects last pointed at, if any."""
    package_id = (
        model.Session.query(HarvestObject.package_id)
        .filter(HarvestObject.harvest_source_id == source_id, HarvestObject.package_id.isnot(None))
        .order_by(HarvestObject.current.desc(), HarvestObject.import_finished.desc().nullslast())
        .limit(1)
        .scalar()
    )
    package = model.Package.get(package_id) if package_id else None
    return package if package is not None and package.state == "active" else None


def planned_target_name(source_id: str | None, source_name: str, owner_org: str | None) -> str:
    """The dataset a source (saved or about to be) fills: see the module docstring."""
    if source_id:
        existing = existing_target(source_id)
        if existing is not None and existing.owner_org == owner_org:
            return existing.name
    return derived_dataset_name(source_name, source_id or "")


def target_dataset_name(source: Any) -> str:
    """Which dataset this source fills. ``source`` is a HarvestSource, or anything with its ``id``."""
    source_package = model.Package.get(source.id)
    if source_package is None:
        raise tk.ObjectNotFound(f"harvest source {source.id}")
    return planned_target_name(source.id, source_package.name, source_package.owner_org)


def _organization_title(organization_id: str | None) -> str:
    group = model.Group.get(organization_id) if organization_id else None
    return (group.title or group.name) if group is not None else "(geen organisatie)"


def target_conflict(source_id: str | None, owner_org: str | None, dataset_name: str) -> TargetConflict | None:
    """Why the source (of organisation ``owner_org``) may not fill ``dataset_name``; None when it may.

    A dataset that does not exist yet is the source's to create. A dataset the source itself filled
    before is checked for its organisation only (two sources of one organisation that shared a
    dataset before this rule keep sharing it).
    """
    package = model.Package.get(dataset_name)
    if package is None:
        return None
    owner = _organization_title(package.owner_org)
    if package.owner_org != owner_org or owner_org is None:
        return TargetConflict(ConflictKind.OTHER_ORGANIZATION, package.name, owner)
    if package.type != "dataset":
        return TargetConflict(ConflictKind.NOT_A_DATASET, package.name, owner)
    filled_by_self = source_id is not None and model.Session.query(
        sa.exists().where(sa.and_(HarvestObject.harvest_source_id == source_id,
                                  HarvestObject.package_id == package.id))
    ).scalar()
    if filled_by_self:
        return None
    other = (
        model.Session.query(model.Package.name)
        .join(HarvestObject, HarvestObject.harvest_source_id == model.Package.id)
        .filter(HarvestObject.package_id == package.id, model.Package.owner_org == package.owner_org,
                model.Package.state == "active")
        .filter(HarvestObject.harvest_source_id != (source_id or ""))
        .limit(1)
        .scalar()
    )
    if other is not None:
        return TargetConflict(ConflictKind.OTHER_SOURCE, package.name, owner, other_source=other)
    return None


def site_context() -> dict[str, Any]:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


def allowed_private_hosts() -> list[str]:
    return tk.config.get("ckanext.openoverheid.allowed_private_hosts").split()


def max_response_bytes() -> int:
    """``ckanext.openoverheid.harvest.max_bytes``: the largest answer a source may send (decoded)."""
    return tk.config.get("ckanext.openoverheid.harvest.max_bytes")


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
        since = self._since(harvest_job, config)
        object_ids: list[str] = []
        records: list[dict[str, Any]] = []
        errors: list[dict[str, str | None]] = []

        def flush() -> None:
            if not records and not errors:
                return
            obj = HarvestObject(
                guid=f"{harvest_job.id}:{len(object_ids)}",
                job=harvest_job,
                content=Batch(list(records), list(errors)).to_json(),
            )
            obj.save()
            object_ids.append(obj.id)
            records.clear()
            errors.clear()

        try:
            last_group: str | None = None
            for item in self.iter_records(source, config, since):
                if isinstance(item, RecordError):
                    errors.append({"record_id": item.record_id, "message": str(item)})
                    continue
                group = self.record_group(item)
                # a full batch is closed before the next record, unless that record belongs with the last one
                if len(records) >= BATCH_SIZE and (group is None or group != last_group):
                    flush()
                records.append(item)
                last_group = group
        except FeedError as error:
            flush()  # keep what arrived before the feed broke
            self._save_gather_error(f"{error} (bron: {error.source_url or source.url})", harvest_job)
            return object_ids
        except Exception as error:  # a bug or an unforeseen answer: still keep what arrived, and say so
            log.exception("gather of %s broke off", source.url)
            flush()
            self._save_gather_error(
                f"Het ophalen brak onverwacht af ({type(error).__name__}: {error}); wat eerder binnenkwam is "
                f"bewaard. Meld dit aan de beheerder van het portaal (bron: {source.url})",
                harvest_job,
            )
            return object_ids
        flush()
        if not object_ids:
            # Nothing changed since the last good run: an empty batch marks the job as done.
            obj = HarvestObject(guid=f"{harvest_job.id}:0", job=harvest_job, content=Batch([], []).to_json())
            obj.save()
            object_ids.append(obj.id)
        return object_ids

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
