"""The pure parts of the harvesters' bulk DataStore write."""

from __future__ import annotations

import json

from ckanext.openoverheid.harvest.datastore_bulk import json_rows, unique_rows, upsert_statement

FIELDS = [{"id": "id", "type": "text"}, {"id": "day", "type": "date"}, {"id": "note", "type": "text"}]


def test_the_last_row_of_a_key_wins_and_order_of_first_appearance_is_kept() -> None:
    rows = [{"id": "a", "note": "1"}, {"id": "b", "note": "2"}, {"id": "a", "note": "3"}]
    assert unique_rows(rows, ["id"]) == [{"id": "a", "note": "3"}, {"id": "b", "note": "2"}]


def test_empty_strings_are_null_outside_text_columns_and_unknown_keys_are_dropped() -> None:
    assert json.loads(json_rows([{"id": "a", "day": "", "note": "", "extra": 1}], FIELDS)) == [
        {"id": "a", "day": None, "note": ""}
    ]


def test_statement_quotes_identifiers_and_updates_everything_but_the_key() -> None:
    sql = upsert_statement('tab"le', ["id", "day", "note"], ["id"])
    assert sql.startswith('INSERT INTO "tab""le" ("id", "day", "note", _full_text) SELECT')
    assert 'ON CONFLICT ("id") DO UPDATE SET "day" = EXCLUDED."day", "note" = EXCLUDED."note", ' \
           '"_full_text" = EXCLUDED."_full_text"' in sql
