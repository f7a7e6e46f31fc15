"""The ``vergunningen`` harvester: permit notices of one municipality from the KOOP SRU service.

A source's URL is the SRU endpoint (``https://repository.overheid.nl/sru``), its config names the
municipality: ``{"gemeente": "Utrecht", "sinds": "2026-01-01"}`` (optional ``page_size``, ``pause``,
``timeout``).
The source fills one dataset of its own organisation, titled "Vergunningen <gemeente>" and named
after the source (``<source name>-data``, see ``table_target.target_dataset_name``), with a DataStore
table keyed on the notice's identifier, a CSV download of that table and a GeoJSON view of it served
by the portal. Where a notice belongs comes from the source, never from the feed: its ``gemeente``
column is the municipality the source's config names, whatever the notice says. Reading the
feed is ``harvesters.vergunningen`` (no CKAN); the stages are ``TableSourceHarvester``'s.

This class is the ``openoverheid_vergunningen_harvester`` plugin; serving the permits (map page,
feeds, JSON API) is the ``openoverheid_vergunningen`` plugin (``vergunningen/plugin.py``).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.openoverheid.harvest.site import allowed_private_hosts, max_response_bytes
from ckanext.openoverheid.harvest.table_source import TableSourceHarvester
from ckanext.openoverheid.harvest.table_spec import TableSpec
from ckanext.openoverheid.vergunningen import query
from ckanext.openoverheid.vergunningen.filters import normalise_postcode
from harvesters.errors import RecordError
from harvesters.http import HttpClient
from harvesters.vergunningen import SruClient, Vergunning

SOURCE_TYPE = "vergunningen"
CONFIG_KEYS = ("gemeente", "sinds", "page_size", "pause", "timeout")
DEFAULT_PAGE_SIZE = 1000  # the SRU maximum: ten times fewer requests to KOOP than 100
DEFAULT_PAUSE = 1.0
DEFAULT_TIMEOUT = 30.0

TABLE = TableSpec(
    fields=[
        {"id": "identifier", "type": "text", "info": {"label": "Kenmerk", "notes": "Kenmerk van de bekendmaking"}},
        {"id": "title", "type": "text", "info": {"label": "Titel"}},
        {"id": "soort", "type": "text", "info": {"label": "Soort vergunning"}},
        {"id": "fase", "type": "text", "info": {"label": "Fase", "notes": "aanvraag, verleend, geweigerd, ..."}},
        {"id": "document_date", "type": "date", "info": {"label": "Datum document"}},
        {"id": "published_date", "type": "date", "info": {"label": "Datum bekendmaking"}},
        {"id": "modified", "type": "timestamp", "info": {"label": "Laatst gewijzigd"}},
        {"id": "einde_bezwaartermijn", "type": "date", "info": {"label": "Einde bezwaar- of reactietermijn"}},
        {"id": "straat", "type": "text", "info": {"label": "Straat"}},
        {"id": "huisnummer", "type": "text", "info": {"label": "Huisnummer"}},
        {"id": "postcode", "type": "text", "info": {"label": "Postcode", "notes": "1234AB, zonder spatie"}},
        {"id": "woonplaats", "type": "text", "info": {"label": "Woonplaats"}},
        {"id": "gemeente", "type": "text", "info": {"label": "Gemeente"}},
        {"id": "lat", "type": "float8", "info": {"label": "Breedtegraad (WGS84)"}},
        {"id": "lon", "type": "float8", "info": {"label": "Lengtegraad (WGS84)"}},
        {"id": "url", "type": "text", "info": {"label": "Officiële bekendmaking"}},
    ],
    primary_key=["identifier"],
    # what the map, the feeds and the API filter and sort on; "lat,lon" is one two-column index
    indexes=["soort", "fase", "postcode", "gemeente", "published_date", "modified", "lat,lon"],
)
assert tuple(TABLE.field_ids) == query.COLUMNS, "the query module and the table must agree on the columns"


def parse_vergunningen_config(config: str | None) -> dict[str, Any]:
    """The source's JSON config, checked, with defaults; ValueError says what to change."""
    if not config or not config.strip():
        raise ValueError('give the municipality as JSON, e.g. {"gemeente": "Utrecht", "sinds": "2026-01-01"}')
    try:
        data = json.loads(config)
    except ValueError as error:
        raise ValueError(f'the configuration is not valid JSON ({error}); e.g. {{"gemeente": "Utrecht"}}') from None
    if not isinstance(data, dict):
        raise ValueError('the configuration must be a JSON object, e.g. {"gemeente": "Utrecht"}')
    unknown = sorted(set(data) - set(CONFIG_KEYS))
    if unknown:
        raise ValueError(f"unknown setting(s) {', '.join(unknown)}; use {', '.join(CONFIG_KEYS)}")
    gemeente = data.get("gemeente")
    if not isinstance(gemeente, str) or not gemeente.strip() or len(gemeente) > 100:
        raise ValueError('"gemeente" must name the municipality as the SRU service spells it, e.g. "Utrecht"')
    result: dict[str, Any] = {"gemeente": gemeente.strip(), "sinds": None}
    if data.get("sinds") is not None:
        try:
            result["sinds"] = datetime.date.fromisoformat(str(data["sinds"])).isoformat()
        except ValueError:
            raise ValueError('"sinds" must be a date written YYYY-MM-DD, e.g. "2026-01-01"') from None
    page_size = data.get("page_size", DEFAULT_PAGE_SIZE)
    if not isinstance(page_size, int) or isinstance(page_size, bool) or not 1 <= page_size <= 1000:
        raise ValueError('"page_size" must be a whole number from 1 to 1000 (the SRU maximum)')
    pause = data.get("pause", DEFAULT_PAUSE)
    if not isinstance(pause, int | float) or isinstance(pause, bool) or not 0 <= pause <= 60:
        raise ValueError('"pause" must be a number of seconds from 0 to 60')
    timeout = data.get("timeout", DEFAULT_TIMEOUT)
    if not isinstance(timeout, int | float) or isinstance(timeout, bool) or not 1 <= timeout <= 300:
        raise ValueError('"timeout" must be a number of seconds from 1 to 300')
    result.update(page_size=page_size, pause=float(pause), timeout=float(timeout))
    return result


def vergunningen_dataset(gemeente: str, since: str | None = None) -> dict[str, Any]:
    """The metadata of the dataset a source fills (DCAT-AP-DONL fields of schemas/dataset.yaml);
    its name is the source's (``table_target.target_dataset_name``). ``since``: the source's "sinds",
    the first day whose notices it takes in (else the day the dataset is made)."""
    return {
        "title": f"Vergunningen {gemeente}",
        "notes": (
            f"Bekendmakingen van aangevraagde, verleende en geweigerde vergunningen in de gemeente {gemeente} "
            "(omgevings-, bouw-, kap-, sloop-, evenementenvergunningen en meer), met adres en locatie. "
            "Dagelijks overgenomen uit de officiële bekendmakingen (KOOP SRU); de bekendmaking zelf is leidend."
        ),
        "license_id": "cc-zero",
        "tags": [{"name": "vergunningen"}, {"name": "bekendmakingen"}, {"name": "omgevingsvergunning"}],
        "theme": [
            "http://standaarden.overheid.nl/owms/terms/Ruimte_en_infrastructuur",
            "http://standaarden.overheid.nl/owms/terms/Huisvesting_(thema)",
        ],
        "frequency": "http://publications.europa.eu/resource/authority/frequency/DAILY",
        # no contact point: the schema then names the owning organisation (the municipality) as contact
        "spatial_coverage": [{"text": gemeente}],
        "temporal_coverage": [{"start": since or datetime.date.today().isoformat()}],
        # Permit notices are published by law (Wet open overheid, Omgevingswet): always public.
        "access_rights": "publiek",
    }


def record_row(vergunning: Vergunning, gemeente: str) -> dict[str, Any]:
    """A notice as a table row: ISO dates, postcode without space, and the source's municipality
    (``gemeente``, from its config): a feed cannot file its notices under another municipality."""
    row = vergunning.to_dict()
    if row.get("postcode"):
        row["postcode"] = normalise_postcode(str(row["postcode"])) or str(row["postcode"]).replace(" ", "")
    row["gemeente"] = gemeente
    return {key: row.get(key) for key in TABLE.field_ids}


class VergunningenHarvester(TableSourceHarvester, p.SingletonPlugin):
    """IHarvester for permit notices (plugin ``openoverheid_vergunningen_harvester``)."""

    source_type = SOURCE_TYPE
    source_title = "Vergunningen (officiële bekendmakingen, SRU)"
    source_description = (
        "Bekendmakingen van vergunningen van één gemeente uit de SRU-dienst van KOOP "
        '(https://repository.overheid.nl/sru). Configuratie: {"gemeente": "Utrecht", "sinds": "2026-01-01"}.'
    )
    table = TABLE

    def parse_config(self, config: str | None) -> dict[str, Any]:
        return parse_vergunningen_config(config)

    def dataset_fields(self, config: dict[str, Any]) -> dict[str, Any]:
        return vergunningen_dataset(config["gemeente"], config.get("sinds"))

    def iter_records(
        self, source: Any, config: dict[str, Any], since: datetime.date | None
    ) -> Iterator[dict[str, Any] | RecordError]:
        with HttpClient(timeout=config["timeout"], max_bytes=max_response_bytes(),
                        allowed_private_hosts=allowed_private_hosts()) as http:
            client = SruClient(source.url, http, page_size=config["page_size"], pause=config["pause"])
            for item in client.iter_records(config["gemeente"], since):
                yield item if isinstance(item, RecordError) else record_row(item, config["gemeente"])

    def extra_resources(self, dataset: dict[str, Any], table_resource: dict[str, Any]) -> list[dict[str, Any]]:
        site_url = tk.config.get("ckan.site_url", "").rstrip("/")
        return [
            {
                "name": f"{dataset['title']} (CSV)",
                "url": f"{site_url}/datastore/dump/{table_resource['id']}?format=csv",
                "format": "CSV",
                "description": "Alle bekendmakingen als CSV, rechtstreeks uit de DataStore-tabel.",
            },
            {
                "name": f"{dataset['title']} (GeoJSON)",
                "url": f"{site_url}/api/openoverheid/vergunningen.geojson?dataset={dataset['name']}&limit=10000",
                "format": "GeoJSON",
                "description": "De bekendmakingen met een locatie als GeoJSON FeatureCollection (WGS84).",
            },
        ]
