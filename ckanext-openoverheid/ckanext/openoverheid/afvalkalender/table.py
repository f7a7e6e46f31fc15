"""The dataset an ``afvalkalender`` source fills and the shape of its DataStore table.

One row per collection: address, waste type and date are the primary key, so a re-run upserts the
same rows, and the calendar of an address is one indexed lookup.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ckanext.openoverheid.harvest.table_spec import TableSpec
from harvesters.afvalkalender.model import Adres, Ophaalmoment
from harvesters.afvalkalender.vocabulary import Vocabulary, default_vocabulary

__all__ = ["TABLE", "dataset_fields", "from_row", "to_row"]

TABLE = TableSpec(
    fields=[
        {"id": "postcode", "type": "text", "info": {"label": "Postcode", "notes": "1234AB, zonder spatie"}},
        {"id": "huisnummer", "type": "int", "info": {"label": "Huisnummer"}},
        {"id": "toevoeging", "type": "text",
         "info": {"label": "Toevoeging", "notes": "Huisletter of -toevoeging in hoofdletters, leeg als er geen is"}},
        {"id": "afvaltype", "type": "text",
         "info": {"label": "Afvalsoort (code)", "notes": "gft, restafval, papier, pmd, glas, textiel, kca, ..."}},
        {"id": "omschrijving", "type": "text", "info": {"label": "Afvalsoort"}},
        {"id": "datum", "type": "date", "info": {"label": "Ophaaldatum"}},
        {"id": "provider_label", "type": "text",
         "info": {"label": "Naam bij de inzamelaar", "notes": "Zoals de inzamelaar de afvalsoort noemt"}},
        {"id": "bijgewerkt", "type": "timestamp",
         "info": {"label": "Laatst gecontroleerd", "notes": "Wanneer het portaal dit bij de inzamelaar nakeek (UTC)"}},
    ],
    primary_key=["postcode", "huisnummer", "toevoeging", "afvaltype", "datum"],
    indexes=["datum"],
)

NATUUR_EN_MILIEU = "http://standaarden.overheid.nl/owms/terms/Natuur_en_milieu"
DAILY = "http://publications.europa.eu/resource/authority/frequency/DAILY"


def dataset_fields(gemeente: str, contact_email: str = "", today: dt.date | None = None) -> dict[str, Any]:
    """The metadata of the dataset a source fills (the DCAT-AP-DONL fields of schemas/dataset.yaml).

    A contact point needs a name and an e-mail address; without an address the dataset has none,
    and its organisation answers questions (as the schema says). Its name is the source's, and it
    lies in the source's organisation (``harvest.table_target.target_dataset_name``): one dataset per
    source, never one per municipality shared by whoever harvests it.
    """
    fields: dict[str, Any] = {
        "title": f"Afvalkalender {gemeente}",
        "notes": (
            f"Ophaaldagen van gft, restafval, papier, pmd, glas en ander afval per adres in de gemeente {gemeente}: "
            "één regel per adres, afvalsoort en datum. Dagelijks overgenomen van de afvalinzamelaar van de "
            "gemeente; de datums van dit jaar blijven staan, die van volgend jaar komen erbij zodra de "
            "inzamelaar ze in december publiceert. Per adres is dit ook een agenda om op te abonneren "
            "(iCalendar), een RSS-feed en JSON: zie /afvalkalender."
        ),
        "license_id": "cc-zero",
        "tags": [{"name": "afval"}, {"name": "afvalkalender"}, {"name": "inzameling"}],
        "theme": [NATUUR_EN_MILIEU],
        "frequency": DAILY,
        "spatial_coverage": [{"text": gemeente}],
        # this year's dates stay in the table: it covers the year the dataset was made and after
        "temporal_coverage": [{"start": dt.date((today or dt.date.today()).year, 1, 1).isoformat()}],
        # Collection dates are facts about public services, not about people: always public.
        "access_rights": "publiek",
    }
    if contact_email:
        fields["contact"] = [{"name": f"Gemeente {gemeente}", "email": contact_email}]
    return fields


def to_row(record: Ophaalmoment, checked_at: dt.datetime, vocabulary: Vocabulary | None = None) -> dict[str, Any]:
    """A record as a table row, with our Dutch name of its type and when it was checked."""
    vocabulary = vocabulary or default_vocabulary()
    row = record.to_dict()
    known = record.afvaltype in vocabulary and record.afvaltype != vocabulary.fallback
    row["omschrijving"] = vocabulary.get(record.afvaltype).label("nl") if known else (
        record.provider_label or record.afvaltype)
    row["bijgewerkt"] = checked_at.astimezone(dt.UTC).replace(tzinfo=None, microsecond=0).isoformat()
    return row


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def from_row(row: dict[str, Any]) -> Ophaalmoment:
    """A DataStore row (dates as ISO strings) back as a record."""
    return Ophaalmoment(
        postcode=str(row["postcode"]),
        huisnummer=int(row["huisnummer"]),
        toevoeging=str(row.get("toevoeging") or ""),
        afvaltype=str(row["afvaltype"]),
        datum=_date(row["datum"]),
        provider_label=str(row.get("provider_label") or ""),
    )


def address_filters(adres: Adres) -> dict[str, Any]:
    """DataStore filters selecting one address's rows."""
    return {"postcode": adres.postcode, "huisnummer": adres.huisnummer, "toevoeging": adres.toevoeging}
