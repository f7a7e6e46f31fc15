"""The ``afvalkalender`` harvester: waste collection dates of one municipality from its provider.

A source's URL is the provider's endpoint, its config names the provider and the addresses to
harvest (``ckanext.openoverheid.afvalkalender.config``)::

    {"gemeente": "Utrecht", "provider": "mijnafvalwijzer", "apikey": "...",
     "adressen": ["3512AH 13", "3511NV 250-A"], "postcodes": ["3500-3585"]}

The source fills one dataset of its own organisation, titled "Afvalkalender <gemeente>" and named
after the source (``<source name>-data``, see ``table_target.target_dataset_name``), with a DataStore table (one row per
address, waste type and date) and a CSV download of it. Each run asks the provider for the current
calendar of every configured address and of every address residents asked for since (stored on
demand), replaces what moved, keeps past dates of this year and adds next year's in December.
An address the provider fails on is an error of its own in the job: the other addresses are
stored, and its last good dates stay. Reading the providers is ``harvesters.afvalkalender``.

This class is the ``openoverheid_afvalkalender_harvester`` plugin; serving the calendars is the
``openoverheid_afvalkalender`` plugin (``afvalkalender/plugin.py``).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckanext.harvest.model import HarvestObject

from ckanext.openoverheid.afvalkalender.config import AfvalkalenderConfig, parse_config
from ckanext.openoverheid.afvalkalender.sources import SOURCE_TYPE
from ckanext.openoverheid.afvalkalender.store import prune_before, replace_calendars
from ckanext.openoverheid.afvalkalender.table import TABLE, dataset_fields, to_row
from ckanext.openoverheid.harvest.site import allowed_private_hosts, max_response_bytes, site_context
from ckanext.openoverheid.harvest.table_source import TableSourceHarvester
from ckanext.openoverheid.harvest.table_target import target_dataset_name
from harvesters.afvalkalender.base import amsterdam_today
from harvesters.afvalkalender.model import Adres
from harvesters.afvalkalender.providers import make_provider
from harvesters.errors import FeedError, RecordError
from harvesters.http import HttpClient

__all__ = ["AfvalkalenderHarvester"]

log = logging.getLogger(__name__)

MAX_STORED_ADDRESSES = 20000


def stored_addresses(source: Any) -> list[Adres]:
    """The addresses the source's table already holds (harvested before or asked for by residents)."""
    try:
        dataset = tk.get_action("package_show")(site_context(), {"id": target_dataset_name(source)})
    except tk.ObjectNotFound:
        return []
    table = next((r for r in dataset.get("resources", []) if r.get("datastore_active")), None)
    if table is None:
        return []
    rows = tk.get_action("datastore_search")(
        site_context(),
        {"resource_id": table["id"], "fields": ["postcode", "huisnummer", "toevoeging"], "distinct": True,
         "sort": "postcode, huisnummer, toevoeging", "limit": MAX_STORED_ADDRESSES, "include_total": False},
    )["records"]
    found = []
    for row in rows:
        try:
            found.append(Adres(row["postcode"], int(row["huisnummer"]), row.get("toevoeging") or ""))
        except (ValueError, TypeError):
            continue
    return found


class AfvalkalenderHarvester(TableSourceHarvester, p.SingletonPlugin):
    """IHarvester for waste calendars (plugin ``openoverheid_afvalkalender_harvester``)."""

    source_type = SOURCE_TYPE
    source_title = "Afvalkalender (ophaaldagen per adres)"
    source_description = (
        "Ophaaldagen van één gemeente bij haar afvalinzamelaar (mijnafvalwijzer, Ximmio, Opzet of .ics). "
        'De URL is het adres van de dienst; configuratie bijv. {"gemeente": "Utrecht", "provider": '
        '"mijnafvalwijzer", "apikey": "...", "adressen": ["3512AH 13"]}.'
    )
    table = TABLE

    def parse_config(self, config: str | None) -> dict[str, Any]:
        parsed = parse_config(config)
        return {"gemeente": parsed.gemeente, "afvalkalender": parsed}

    def dataset_fields(self, config: dict[str, Any]) -> dict[str, Any]:
        return dataset_fields(config["gemeente"], config["afvalkalender"].contact_email)

    def record_group(self, record: dict[str, Any]) -> str | None:
        # one address's calendar replaces its future rows, so it is imported in one batch
        return f"{record['postcode']}-{record['huisnummer']}{record.get('toevoeging') or ''}"

    def iter_records(
        self, source: Any, config: dict[str, Any], since: dt.date | None
    ) -> Iterator[dict[str, Any] | RecordError]:
        settings: AfvalkalenderConfig = config["afvalkalender"]
        today = amsterdam_today()
        addresses = list(settings.adressen)
        addresses += [a for a in stored_addresses(source) if a not in settings.adressen]
        with HttpClient(timeout=settings.timeout, pause=settings.pause, max_bytes=max_response_bytes(),
                        allowed_private_hosts=allowed_private_hosts()) as http:
            provider = make_provider(settings.provider, source.url, settings.provider_options, http,
                                     today=lambda: today)
            for adres in addresses:
                checked_at = dt.datetime.now(dt.UTC)
                try:
                    records = provider.fetch(adres)
                except FeedError as error:
                    yield RecordError(f"{error}; its last known dates are kept", record_id=str(adres),
                                      source_url=error.source_url)
                    continue
                except Exception as error:  # a bug or an answer nobody foresaw: this address only
                    log.exception("afvalkalender: fetching %s from %s broke", adres, source.url)
                    yield RecordError(
                        f"fetching this address broke unexpectedly ({type(error).__name__}: {error}); its last "
                        "known dates are kept. Report this to the portal's administrator",
                        record_id=str(adres),
                    )
                    continue
                if not records:
                    yield RecordError(
                        f"the provider has no collection dates for {adres}; check the address in the source's "
                        "config (its last known dates are kept)",
                        record_id=str(adres),
                    )
                    continue
                for record in records:
                    yield to_row(record, checked_at)

    def upsert(self, resource_id: str, records: list[dict[str, Any]]) -> None:
        """Replace each address's calendar (see ``afvalkalender.store``) and drop earlier years."""
        today = amsterdam_today()
        if records:
            replace_calendars(resource_id, records, today)
        prune_before(resource_id, dt.date(today.year, 1, 1))

    def import_stage(self, harvest_object: HarvestObject) -> bool | str:
        try:
            return super().import_stage(harvest_object)
        except tk.ValidationError as error:  # e.g. a DataStore refusing a row: name it, do not crash the job
            self._save_object_error(f"De ophaaldagen konden niet worden opgeslagen: {error.error_summary}",
                                    harvest_object, "Import")
            return False

    def extra_resources(self, dataset: dict[str, Any], table_resource: dict[str, Any]) -> list[dict[str, Any]]:
        site_url = tk.config.get("ckan.site_url", "").rstrip("/")
        return [
            {
                "name": f"{dataset['title']} (CSV)",
                "url": f"{site_url}/datastore/dump/{table_resource['id']}?format=csv",
                "format": "CSV",
                "description": "Alle ophaaldagen als CSV, rechtstreeks uit de DataStore-tabel.",
            },
            {
                "name": "Afvalkalender per adres",
                "url": f"{site_url}/afvalkalender",
                "format": "HTML",
                "description": (
                    "Zoek uw adres en abonneer u op de ophaaldagen in uw eigen agenda (iCalendar), "
                    "als RSS-feed of als JSON."
                ),
            },
        ]
