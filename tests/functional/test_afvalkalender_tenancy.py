"""Which source's calendar an address gets when several sources, of one or more organisations, could
answer: the freshest harvest wins, a deleted or disabled source stops serving at once, the documents
name the organisation and source, an on-demand fetch writes only into the fetching source's own
dataset, and a private source serves (and asks its provider for) no one outside its organisation.

Two local mijnafvalwijzer-style servers play the old and the new provider; every request they get is
counted. The two sources have different ``gemeente`` values, so each fills a dataset of its own."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterator
from typing import Any

import feedparser
import icalendar
import pytest
from afvalkalender_server import AfvalwijzerServer, expected_rows, route, running_afvalwijzer
from ckan.tests import factories

from ckanext.openoverheid.harvest.run_now import run_source_now
from harvesters.afvalkalender.base import amsterdam_today

pytestmark = pytest.mark.usefixtures("portal", "clean_afvalkalender_redis")

ADDRESS = "3512AH 13"
PATH = "/afvalkalender/3512AH/13"


@pytest.fixture
def old_provider() -> Iterator[AfvalwijzerServer]:
    with running_afvalwijzer() as server:
        yield server


@pytest.fixture
def new_provider() -> Iterator[AfvalwijzerServer]:
    with running_afvalwijzer() as server:
        yield server


@pytest.fixture
def utrecht(api) -> dict[str, Any]:
    return api("organization_create", name="gemeente-utrecht", title="Gemeente Utrecht")


@pytest.fixture
def buurgemeente(api) -> dict[str, Any]:
    return api("organization_create", name="gemeente-buurstad", title="Gemeente Buurstad")


def create_source(api, organization: dict[str, Any], provider: AfvalwijzerServer, name: str, title: str,
                  gemeente: str, **config: Any) -> dict[str, Any]:
    settings = {"gemeente": gemeente, "provider": "mijnafvalwijzer", "apikey": f"sleutel-{name}",
                "adressen": [ADDRESS], "postcodes": ["3500-3585"], "pause": 0, "timeout": 3, **config}
    private = settings.pop("private", False)
    return api("harvest_source_create", name=name, title=title, url=provider.url, source_type="afvalkalender",
               owner_org=organization["id"], private=private, config=json.dumps(settings))


def harvest(source: dict[str, Any]) -> None:
    summary = run_source_now(source["id"])
    assert summary.status == "Finished" and not summary.gather_errors and not summary.object_errors, summary


def next_second() -> None:
    """``bijgewerkt`` has whole seconds: a later harvest must start in a later second to be fresher."""
    time.sleep(1.1)


def served(app, path: str = f"{PATH}.json", **kwargs: Any) -> dict[str, Any]:
    response = app.get(path, **kwargs)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def dates(body: dict[str, Any]) -> set[tuple[str, str]]:
    return {(item["afvaltype"], item["datum"]) for item in body["ophaalmomenten"]}


@pytest.fixture
def switched(api, utrecht, old_provider, new_provider) -> dict[str, Any]:
    """Utrecht harvested its old provider, then added a source of its new provider and harvested that."""
    year = amsterdam_today().year
    old_items, new_items = route(year), route(year, dt.date(year, 1, 8))
    assert expected_rows(old_items) != expected_rows(new_items)
    old_provider.answer(ADDRESS, old_items)
    new_provider.answer(ADDRESS, new_items)
    old = create_source(api, utrecht, old_provider, "bron-afval-oud", "Afvalwijzer (oud)", "Utrecht")
    harvest(old)
    next_second()
    new = create_source(api, utrecht, new_provider, "bron-afval-nieuw", "Afvalwijzer (nieuw)", "Utrecht Stad")
    harvest(new)
    return {"old": old, "new": new, "old_rows": expected_rows(old_items), "new_rows": expected_rows(new_items)}


# --- the freshest calendar wins ----------------------------------------------------------------------


def test_the_newer_harvest_of_an_address_is_served(app, switched):
    body = served(app)
    assert dates(body) == switched["new_rows"]
    assert body["bron"] == {"name": "bron-afval-nieuw", "title": "Afvalwijzer (nieuw)"}


def test_freshness_not_the_age_of_the_source_decides(app, switched):
    next_second()
    harvest(switched["old"])  # the old source asked its provider last: its calendar is the freshest
    body = served(app)
    assert dates(body) == switched["old_rows"]
    assert body["bron"]["name"] == "bron-afval-oud"


def test_deleting_the_serving_source_brings_the_other_back_at_once(app, api, switched):
    first = app.get(f"{PATH}.ics")
    assert first.status_code == 200
    api("harvest_source_delete", id=switched["new"]["id"])
    # a client holding the deleted source's calendar gets the other one, not a 304
    again = app.get(f"{PATH}.ics", headers={"If-None-Match": first.headers["ETag"],
                                             "If-Modified-Since": first.headers["Last-Modified"]})
    assert again.status_code == 200
    body = served(app)
    assert dates(body) == switched["old_rows"]
    assert body["bron"]["name"] == "bron-afval-oud"


def test_disabling_the_serving_source_brings_the_other_back_and_enabling_it_returns_it(app, api, switched):
    first = app.get(f"{PATH}.json")
    api("harvest_source_patch", id=switched["new"]["id"], active=False)
    again = app.get(f"{PATH}.json", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200
    assert dates(again.get_json()) == switched["old_rows"]
    assert again.get_json()["bron"]["name"] == "bron-afval-oud"

    api("harvest_source_update", **dict(api("harvest_source_show", _method="GET", id=switched["new"]["id"]),
                                        active=True))
    assert served(app)["bron"]["name"] == "bron-afval-nieuw"


def test_a_disabled_source_fetches_nothing_on_demand(app, api, switched, new_provider):
    api("harvest_source_patch", id=switched["new"]["id"], active=False)
    year = amsterdam_today().year
    new_provider.answer("3512AH 15", route(year))
    response = app.get("/afvalkalender/3512AH/15.json")
    assert response.status_code == 404
    assert new_provider.asked_for("3512AH 15") == 0


# --- the documents name where the calendar comes from -----------------------------------------------


def test_page_ics_json_and_rss_name_the_organisation_and_the_source(app, switched):
    body = served(app)
    assert body["organisatie"] == {"name": "gemeente-utrecht", "title": "Gemeente Utrecht"}
    assert body["bron"] == {"name": "bron-afval-nieuw", "title": "Afvalwijzer (nieuw)"}

    calendar = icalendar.Calendar.from_ical(app.get(f"{PATH}.ics").data)
    for prop in ("X-WR-CALDESC", "DESCRIPTION"):
        assert "Gemeente Utrecht" in str(calendar[prop]) and "Afvalwijzer (nieuw)" in str(calendar[prop])

    feed = feedparser.parse(app.get(f"{PATH}.rss").data)
    assert "Gemeente Utrecht" in feed.feed.description and "Afvalwijzer (nieuw)" in feed.feed.description

    html = app.get("/afvalkalender", query_string={"postcode": "3512AH", "huisnummer": "13"}).get_data(as_text=True)
    assert "Ophaaldagen van Gemeente Utrecht (bron: Afvalwijzer (nieuw))" in html


# --- on demand across organisations --------------------------------------------------------------------


def test_on_demand_asks_the_source_with_the_narrowest_area_first(app, api, utrecht, buurgemeente, old_provider,
                                                                 new_provider):
    year = amsterdam_today().year
    items = route(year, dt.date(year, 1, 6))
    old_provider.answer("3512AH 15", items)
    new_provider.answer("3512AH 15", route(year))
    # the neighbour's source is older and claims the whole country; Utrecht's covers its own postcodes
    create_source(api, buurgemeente, new_provider, "bron-buurstad", "Afval Buurstad", "Buurstad",
                  adressen=[], postcodes=["1000-9999"])
    create_source(api, utrecht, old_provider, "bron-utrecht", "Afval Utrecht", "Utrecht", adressen=[],
                  postcodes=["3500-3585"])
    body = served(app, "/afvalkalender/3512AH/15.json")
    assert body["op_verzoek_opgehaald"] is True
    assert dates(body) == expected_rows(items)
    assert body["organisatie"]["name"] == "gemeente-utrecht"
    assert new_provider.asked_for("3512AH 15") == 0


def test_a_neighbour_that_answered_on_demand_stops_winning_once_the_owner_harvests(
        app, api, utrecht, buurgemeente, old_provider, new_provider):
    year = amsterdam_today().year
    theirs, ours = route(year), route(year, dt.date(year, 1, 6))
    new_provider.answer(ADDRESS, theirs)
    old_provider.answer(ADDRESS, ours)
    create_source(api, buurgemeente, new_provider, "bron-buurstad", "Afval Buurstad", "Buurstad",
                  adressen=[], postcodes=["1000-9999"])
    fetched = served(app)
    assert fetched["organisatie"]["name"] == "gemeente-buurstad" and fetched["op_verzoek_opgehaald"] is True

    next_second()
    harvest(create_source(api, utrecht, old_provider, "bron-utrecht", "Afval Utrecht", "Utrecht"))
    body = served(app)
    assert body["organisatie"]["name"] == "gemeente-utrecht"
    assert dates(body) == expected_rows(ours)


def test_on_demand_writes_only_into_the_fetching_sources_own_dataset(app, api, utrecht, buurgemeente,
                                                                     old_provider, new_provider):
    year = amsterdam_today().year
    old_provider.answer(ADDRESS, route(year))
    utrecht_source = create_source(api, utrecht, old_provider, "bron-utrecht", "Afval Utrecht", "Utrecht",
                                   postcodes=["3512AH"])
    harvest(utrecht_source)
    utrecht_dataset = served(app)["dataset"]
    table = next(r for r in api("package_show", _method="GET", id=utrecht_dataset["id"])["resources"]
                 if r.get("datastore_active"))
    before = api("datastore_search", _method="GET", resource_id=table["id"], limit=32000)["records"]

    # the neighbour names the same municipality, so the old naming pointed it at Utrecht's dataset
    new_provider.answer("3513AA 1", route(year))
    create_source(api, buurgemeente, new_provider, "bron-buurstad", "Afval Buurstad", "Utrecht",
                  adressen=[], postcodes=["3513"])
    response = app.get("/afvalkalender/3513AA/1.json")

    after = api("datastore_search", _method="GET", resource_id=table["id"], limit=32000)["records"]
    assert after == before, "nothing of Utrecht's table changed"
    if response.status_code == 200:  # the neighbour has a dataset of its own: stored and served there
        body = response.get_json()
        assert body["organisatie"]["name"] == "gemeente-buurstad"
        dataset = api("package_show", _method="GET", id=body["dataset"]["id"])
        assert dataset["organization"]["name"] == "gemeente-buurstad" and dataset["id"] != utrecht_dataset["id"]
    else:  # it has none it may write into: nothing is fetched on its behalf
        assert response.status_code == 404
        assert new_provider.asked_for("3513AA 1") == 0


def test_on_demand_into_a_dataset_another_source_fills_stores_nothing_and_answers_not_found(
        app, api, utrecht, old_provider, new_provider):
    """An editor renamed another source's dataset to the name this source would fill: the on-demand
    look-up has nowhere to write, so it skips the source instead of failing with a server error."""
    year = amsterdam_today().year
    old_provider.answer(ADDRESS, route(year))
    other = create_source(api, utrecht, old_provider, "bron-eerder", "Afval eerder", "Utrecht",
                          postcodes=["3512AH"])
    harvest(other)
    other_dataset = served(app)["dataset"]
    new_provider.answer("3514AA 2", route(year))
    create_source(api, utrecht, new_provider, "bron-later", "Afval later", "Utrecht Oost", adressen=[],
                  postcodes=["3514"])
    api("package_patch", id=other_dataset["id"], name="bron-later-data")
    before = api("datastore_search", _method="GET", resource_id=_table_id(api, other_dataset["id"]),
                 limit=32000)["records"]

    response = app.get("/afvalkalender/3514AA/2.json")

    assert response.status_code == 404, response.get_data(as_text=True)
    after = api("datastore_search", _method="GET", resource_id=_table_id(api, other_dataset["id"]),
                limit=32000)["records"]
    assert after == before, "nothing was written into the other source's table"


def _table_id(api, dataset_id: str) -> str:
    dataset = api("package_show", _method="GET", id=dataset_id)
    return next(r["id"] for r in dataset["resources"] if r.get("datastore_active"))


# --- private sources ------------------------------------------------------------------------------------


@pytest.fixture
def private_source(api, utrecht, old_provider) -> dict[str, Any]:
    year = amsterdam_today().year
    old_provider.answer(ADDRESS, route(year))
    old_provider.answer("3512AH 41", route(year, dt.date(year, 1, 6)))
    source = create_source(api, utrecht, old_provider, "bron-prive", "Afval (besloten)", "Utrecht", private=True)
    harvest(source)
    return source


def _user_in(api, organization: dict[str, Any] | None) -> dict[str, Any]:
    user = factories.UserWithToken()
    if organization is not None:
        api("organization_member_create", id=organization["id"], username=user["name"], role="member")
    return user


def test_a_private_source_fills_a_private_dataset_its_members_see(app, api, utrecht, private_source):
    member = _user_in(api, utrecht)
    body = served(app, headers={"Authorization": member["token"]})
    assert body["bron"]["name"] == "bron-prive"
    assert api("package_show", _method="GET", id=body["dataset"]["id"])["private"] is True


@pytest.mark.parametrize("viewer", ["anonymous", "member of another organisation"])
def test_a_private_source_serves_and_fetches_nothing_for_outsiders(app, api, buurgemeente, old_provider,
                                                                  private_source, viewer):
    headers = {} if viewer == "anonymous" else {"Authorization": _user_in(api, buurgemeente)["token"]}
    old_provider.requests.clear()
    assert app.get(f"{PATH}.json", headers=headers).status_code == 404
    assert app.get(f"{PATH}.ics", headers=headers).status_code == 404
    assert app.get("/afvalkalender/3512AH/41.json", headers=headers).status_code == 404
    assert old_provider.requests == [], "its API key is never sent on an outsider's behalf"


def test_a_member_of_the_owning_organisation_gets_the_private_calendar_on_demand(app, api, utrecht, old_provider,
                                                                                  private_source):
    member = _user_in(api, utrecht)
    body = served(app, "/afvalkalender/3512AH/41.json", headers={"Authorization": member["token"]})
    assert body["op_verzoek_opgehaald"] is True
    assert old_provider.asked_for("3512AH 41") == 1


def test_a_source_made_private_stops_serving_outsiders_from_its_public_dataset(app, api, utrecht, old_provider):
    year = amsterdam_today().year
    old_provider.answer(ADDRESS, route(year))
    source = create_source(api, utrecht, old_provider, "bron-later-prive", "Afval Utrecht", "Utrecht")
    harvest(source)
    dataset_id = served(app)["dataset"]["id"]
    api("harvest_source_patch", id=source["id"], private=True)
    assert api("package_show", _method="GET", id=dataset_id)["private"] is False
    assert app.get(f"{PATH}.json").status_code == 404
    member = _user_in(api, utrecht)
    assert served(app, headers={"Authorization": member["token"]})["bron"]["name"] == "bron-later-prive"
