"""Write a batch of harvested rows into a DataStore table with one statement.

``datastore_upsert`` sends one ``INSERT … ON CONFLICT`` per row, and each row fires the DataStore's
full-text trigger, which builds the ``_full_text`` vector through ``row_to_json`` in PL/pgSQL. For
a harvest of thousands of notices that is most of the import (docs/bench.md). Here a batch is one
``INSERT … SELECT … FROM json_populate_recordset(…) ON CONFLICT … DO UPDATE``, and ``_full_text`` is
computed in that statement by the same expression the trigger uses, so the trigger finds it set and
returns at once: ``datastore_search?q=`` finds the rows exactly as before.

Only for the tables our harvesters create (their columns are a ``TableSpec``). What
``datastore_upsert`` does around the write is done here too: the caller checks access as
``datastore_upsert``; afterwards the table's cached statistics are cleared, the record count and
the resource's ``last_modified`` are scheduled (our tables are ``url_type`` "datastore", which
``datastore_upsert`` patches), and the ``datastore_upsert`` signal is sent.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckanext.datastore.backend import DatastoreBackend
from ckanext.datastore.backend.postgres import get_write_engine, identifier

STATEMENT_TIMEOUT_MS = 60_000

# The expression of CKAN's populate_full_text_trigger (ckanext/datastore/set_permissions.sql),
# applied to the incoming row: the same vector, computed once per statement instead of per row in PL/pgSQL.
_FULL_TEXT = (
    "(SELECT to_tsvector(string_agg(value, ' ')) FROM json_each_text(row_to_json(incoming)) "
    r"WHERE key NOT LIKE '\_%')"
)


def unique_rows(rows: Sequence[Mapping[str, Any]], key: Sequence[str]) -> list[Mapping[str, Any]]:
    """One row per primary key, the last one winning, as row-by-row upserts would leave it.

    PostgreSQL refuses an ``ON CONFLICT DO UPDATE`` that touches one row twice; a feed can send a
    notice twice in one batch (a correction, or overlapping pages).
    """
    by_key: dict[tuple[Any, ...], Mapping[str, Any]] = {}
    for row in rows:
        by_key[tuple(row.get(column) for column in key)] = row
    return list(by_key.values())


def json_rows(rows: Sequence[Mapping[str, Any]], fields: Sequence[Mapping[str, str]]) -> str:
    """The rows as the JSON array ``json_populate_recordset`` reads; '' is NULL outside text columns,
    as in ``datastore_upsert``."""
    text_columns = {f["id"] for f in fields if f["type"] == "text"}
    columns = [f["id"] for f in fields]
    cleaned = []
    for row in rows:
        values = {}
        for column in columns:
            value = row.get(column)
            values[column] = None if value == "" and column not in text_columns else value
        cleaned.append(values)
    return json.dumps(cleaned, ensure_ascii=False, default=str)


def upsert_statement(resource_id: str, columns: Sequence[str], primary_key: Sequence[str]) -> str:
    table = identifier(resource_id)
    column_list = ", ".join(identifier(column) for column in columns)
    updates = ", ".join(f"{identifier(column)} = EXCLUDED.{identifier(column)}"
                        for column in [*columns, "_full_text"] if column not in primary_key)
    return (
        f"INSERT INTO {table} ({column_list}, _full_text) "
        f"SELECT {column_list}, {_FULL_TEXT} "
        f"FROM json_populate_recordset(NULL::{table}, CAST(:rows AS json)) AS incoming "
        f"ON CONFLICT ({', '.join(identifier(column) for column in primary_key)}) DO UPDATE SET {updates}"
    )


def upsert_rows(resource_id: str, fields: Sequence[Mapping[str, str]], primary_key: Sequence[str],
                rows: Sequence[Mapping[str, Any]]) -> int:
    """Insert or update ``rows`` by ``primary_key`` in one transaction; returns the number written.

    A value the table cannot take raises ``sqlalchemy.exc.DBAPIError`` carrying PostgreSQL's code
    (class 22/23), and nothing of the batch is written.
    """
    rows = unique_rows(rows, primary_key)
    if not rows:
        return 0
    columns = [f["id"] for f in fields]
    with get_write_engine().begin() as connection:
        connection.execute(sa.text(f"SET LOCAL statement_timeout TO {STATEMENT_TIMEOUT_MS}"))
        connection.execute(sa.text(upsert_statement(resource_id, columns, primary_key)),
                           {"rows": json_rows(rows, fields)})
    _after_write(resource_id, rows)
    return len(rows)


def _after_write(resource_id: str, rows: Sequence[Mapping[str, Any]]) -> None:
    """What ``datastore_upsert`` does after its write (CKAN 2.12, ``ckanext/datastore/logic/action.py``)."""
    # private helpers of the DataStore: the jobs they schedule replace each other, so a harvest of
    # many batches patches the resource once, after the last one
    from ckanext.datastore.logic.action import (
        _cancel_calculate_record_count,
        _schedule_calculate_record_count,
        _schedule_patch_resource_last_modified,
    )

    tk.signals.datastore_upsert.send(resource_id, records=list(rows))
    DatastoreBackend.get_active_backend().clear_table_stats(resource_id)
    _cancel_calculate_record_count(resource_id)
    _schedule_calculate_record_count(resource_id)
    _schedule_patch_resource_last_modified(resource_id)
