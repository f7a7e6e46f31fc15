"""The harvesters' bulk write leaves a DataStore table as ``datastore_upsert`` would.

Two tables with the same fields: one gets the final rows through CKAN's ``datastore_upsert``, one
gets two overlapping batches through ``datastore_bulk.upsert_rows``; every column, the full-text
vector included, must match. (The final rows go to CKAN's side as fresh inserts: CKAN 2.12's
upsert of an existing row keeps the row's old ``_full_text``, so ``datastore_search?q=`` would not
find the new words; the bulk write recomputes it, which the search below checks.)
"""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from ckanext.datastore.backend.postgres import get_write_engine, identifier

from ckanext.openoverheid.harvest import datastore_bulk
from ckanext.openoverheid.harvest.vergunningen import TABLE

pytestmark = pytest.mark.usefixtures("portal")


def notice(number: int, **changes: Any) -> dict[str, Any]:
    return {
        "identifier": f"gmb-2026-{number}",
        "title": f"Omgevingsvergunning voor het plaatsen van een dakkapel, Oudegracht {number}",
        "soort": "omgevingsvergunning",
        "fase": "verleend",
        "document_date": "2026-03-02",
        "published_date": "2026-03-04",
        "modified": "2026-03-04T09:15:00",
        "einde_bezwaartermijn": "",
        "straat": "Oudegracht",
        "huisnummer": str(number),
        "postcode": "3511AB",
        "woonplaats": "Utrecht",
        "gemeente": "Utrecht",
        "lat": 52.0907 + number / 100000,
        "lon": 5.1214,
        "url": f"https://zoek.officielebekendmakingen.nl/gmb-2026-{number}.html",
        **changes,
    }


@pytest.fixture
def two_tables(api: Any) -> tuple[str, str]:
    org = api("organization_create", name="gemeente-utrecht", title="Gemeente Utrecht")
    dataset = api("package_create", name="vergunningen-twee-tabellen", title="Vergunningen",
                  notes="Twee gelijke tabellen.", owner_org=org["id"],
                  contact=[{"name": "Team Open Data", "email": "opendata@utrecht.nl"}],
                  theme=["http://standaarden.overheid.nl/owms/terms/Ruimte_en_infrastructuur"])
    ids = []
    for name in ("via datastore_upsert", "via upsert_rows"):
        created = api("datastore_create", resource={"package_id": dataset["id"], "name": name},
                      fields=TABLE.fields, primary_key=TABLE.primary_key, indexes=TABLE.indexes, force=True)
        ids.append(created["resource_id"])
    return ids[0], ids[1]


def table_rows(resource_id: str) -> list[dict[str, Any]]:
    with get_write_engine().connect() as connection:
        result = connection.execute(sa.text(
            f"SELECT *, _full_text::text AS full_text FROM {identifier(resource_id)} ORDER BY identifier"))
        return [{k: v for k, v in row.items() if k not in ("_id", "_full_text")} for row in result.mappings()]


def test_bulk_upsert_matches_datastore_upsert_row_for_row(api: Any, two_tables: tuple[str, str]) -> None:
    stock, bulk = two_tables
    first = [notice(n) for n in range(1, 41)]
    # a second batch: changed notices, new ones, and one notice twice (the later one wins)
    second = [notice(n, fase="ingetrokken", modified="2026-04-01T12:00:00") for n in range(30, 46)]
    second.append(notice(45, title="Omgevingsvergunning voor het kappen van een boom, Oudegracht 45"))
    for batch in (first, second):
        datastore_bulk.upsert_rows(bulk, TABLE.fields, TABLE.primary_key, batch)
    final = {row["identifier"]: row for row in [*first, *second]}
    for row in final.values():
        api("datastore_upsert", resource_id=stock, records=[row], method="upsert", force=True)

    expected, written = table_rows(stock), table_rows(bulk)
    assert len(written) == 45
    assert written == expected
    last_of_twice = next(row for row in written if row["identifier"] == "gmb-2026-45")
    assert last_of_twice["title"].endswith("kappen van een boom, Oudegracht 45")
    assert all(row["einde_bezwaartermijn"] is None for row in written)  # '' is NULL in a date column

    found = api("datastore_search", _method="GET", resource_id=bulk, q="ingetrokken")
    assert found["total"] == 15  # 30–44 (45 came again, as verleend): the updated rows are found by their new words
    assert api("datastore_search", _method="GET", resource_id=bulk, q="dakkapel")["total"] == 44


def test_a_value_the_table_refuses_writes_nothing_of_the_batch(two_tables: tuple[str, str]) -> None:
    _, bulk = two_tables
    batch = [notice(1), notice(2, document_date="2 maart")]
    with pytest.raises(sa.exc.DBAPIError) as refused:
        datastore_bulk.upsert_rows(bulk, TABLE.fields, TABLE.primary_key, batch)
    assert refused.value.orig.pgcode.startswith("22")  # data exception: the harvester retries one by one
    assert table_rows(bulk) == []
