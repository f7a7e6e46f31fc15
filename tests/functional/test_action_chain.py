"""Our chained actions cost CKAN nothing extra where they have nothing to do.

Counted in SQL statements, not in time (``make bench`` measures time): ``package_show`` of an
open dataset through the whole chain of our plugins must issue no more statements than CKAN's own
``package_show`` called directly. A wrapper registered twice, or one that looks the dataset up
again, shows here as extra statements.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import ckan.logic.action.get as ckan_get
import ckan.model as model
import ckan.plugins.toolkit as tk
import pytest
import sqlalchemy as sa

pytestmark = pytest.mark.usefixtures("portal")


@contextmanager
def counting_statements() -> Iterator[list[str]]:
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    engine = model.meta.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)


def statements_of(action: Callable[..., Any], reference: str) -> list[str]:
    model.Session.remove()  # a fresh session: nothing found in the identity map of an earlier call
    with counting_statements() as statements:
        shown = action({"ignore_auth": True, "user": ""}, {"id": reference})
    assert shown["name"] == "bomen-utrecht"
    return statements


@pytest.fixture
def open_dataset(api: Any) -> dict[str, Any]:
    org = api("organization_create", name="gemeente-utrecht", title="Gemeente Utrecht")
    return api(
        "package_create",
        name="bomen-utrecht",
        title="Bomen Utrecht",
        notes="Alle bomen in beheer van de gemeente Utrecht.",
        owner_org=org["id"],
        contact=[{"name": "Team Open Data", "email": "opendata@utrecht.nl"}],
        theme=["http://standaarden.overheid.nl/owms/terms/Natuur_en_milieu"],
        resources=[{"name": "Bomen", "url": "https://data.utrecht.nl/bomen.csv", "format": "CSV"}],
    )


@pytest.mark.parametrize("by", ["name", "id"])
def test_package_show_through_our_chain_issues_no_more_sql_than_ckans_own(
    open_dataset: dict[str, Any], by: str
) -> None:
    reference = open_dataset[by]
    ours = tk.get_action("package_show")
    stock = ckan_get.package_show
    statements_of(ours, reference)  # warm: first calls load plugin and schema state
    statements_of(stock, reference)

    assert len(statements_of(ours, reference)) <= len(statements_of(stock, reference))


def test_harvest_source_is_read_from_the_database_after_a_reindex(api: Any) -> None:
    """ckanext-harvest re-indexes a source without its harvest fields (``harvest/compat.py``); the
    portal's ``package_show`` wrapper must still send it to the database."""
    org = api("organization_create", name="gemeente-utrecht", title="Gemeente Utrecht")
    source = api(
        "harvest_source_create",
        name="vergunningen-utrecht-bron",
        title="Vergunningen Utrecht (bron)",
        url="https://repository.overheid.nl/sru",
        source_type="vergunningen",
        config='{"gemeente": "Utrecht"}',
        owner_org=org["id"],
    )
    tk.get_action("harvest_source_reindex")({"ignore_auth": True, "user": ""}, {"id": source["id"]})
    shown = tk.get_action("harvest_source_show")({"ignore_auth": True, "user": ""}, {"id": source["name"]})
    assert shown["source_type"] == "vergunningen"
    assert shown["config"]
