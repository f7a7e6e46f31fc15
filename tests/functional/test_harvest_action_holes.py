"""The holes an outsider found in ckanext-harvest's actions and in resource_search (issue 15, item 5),
each tried as an anonymous visitor and as an editor of another organisation."""

from __future__ import annotations

import json
from typing import Any

import action_authz_world
import pytest
from action_authz_world import World, call

pytestmark = pytest.mark.usefixtures("portal")

world = action_authz_world.world

OUTSIDERS = ("anonymous", "outsider")


def _user(world: World, who: str) -> dict[str, Any] | None:
    return None if who == "anonymous" else getattr(world, who)


@pytest.mark.parametrize("who", OUTSIDERS)
def test_harvest_objects_of_a_closed_dataset_are_refused_to_outsiders(app, world, who):
    user = _user(world, who)
    for action, data in (("harvest_object_show", {"id": world.object_id}),
                         ("harvest_object_show", {"dataset_id": world.closed["id"]}),
                         ("harvest_object_list", {"source_id": world.private_source["id"]}),
                         ("harvest_object_list", {})):
        response = call(app, action, user, **data)
        assert response.status_code == 403, (action, data, response.status_code)
        assert world.marker not in response.get_data(as_text=True)
        assert world.object_id not in response.get_data(as_text=True)
    # the source's editors still read what their harvest fetched, by id or by the record's guid
    shown = call(app, "harvest_object_show", world.editor_a, id=world.object_id)
    assert shown.status_code == 200 and world.marker in shown.json["result"]["content"]
    by_guid = call(app, "harvest_object_show", world.editor_a, id=f"opvang-{world.marker}", attr="guid")
    assert by_guid.status_code == 200 and by_guid.json["result"]["id"] == world.object_id
    assert call(app, "harvest_object_show", user, id=f"opvang-{world.marker}", attr="guid").status_code == 403


@pytest.mark.parametrize("who", OUTSIDERS)
def test_resource_search_counts_no_closed_resource(app, world, who):
    user = _user(world, who)
    for query in (f"description:{world.marker}", f"url:{world.marker}", "name:Locaties"):
        for limit in (0, 1, 10):
            response = call(app, "resource_search", user, query=query, limit=limit)
            assert response.status_code == 200
            assert response.json["result"] == {"count": 0, "results": []}, (query, limit)
    # members of organisation A still find them: the closed dataset's resource and the closed document
    found = call(app, "resource_search", world.editor_a, query=f"description:{world.marker}", limit=0)
    assert found.json["result"]["count"] == 2


@pytest.mark.parametrize("who", OUTSIDERS)
def test_nobody_outside_rewrites_the_search_index(app, api, world, who):
    user = _user(world, who)
    for target in (world.closed["id"], world.public_source["id"], world.private_source["id"]):
        response = call(app, "harvest_source_reindex", user, id=target)
        assert response.status_code in (403, 404), (target, response.status_code)
    # the dataset's own fields are still in the index
    found = api("package_search", fq=f"id:{world.closed['id']}")["results"][0]
    assert found["access_rights"] == "niet-publiek" and found["woo_grounds"] == ["5.1.2.e"]


def test_harvest_source_reindex_takes_only_harvest_sources_and_only_their_editors(app, api, world):
    # not even the organisation's admin re-indexes an ordinary dataset through the harvest action
    assert call(app, "harvest_source_reindex", world.admin_a, id=world.closed["id"]).status_code == 404
    assert call(app, "harvest_source_reindex", world.outsider, id=world.public_source["id"]).status_code == 403
    assert call(app, "harvest_source_reindex", world.editor_a, id=world.public_source["id"]).status_code == 200
    assert call(app, "harvest_source_reindex", world.admin_a, id=world.private_source["id"]).status_code == 200


@pytest.mark.parametrize("who", OUTSIDERS)
def test_harvest_source_list_shows_no_private_source_and_no_secret(app, world, who):
    response = call(app, "harvest_source_list", _user(world, who))
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert world.secret not in text
    assert {s["id"] for s in response.json["result"]} == {world.public_source["id"]}
    assert all("config" not in s for s in response.json["result"])


def test_harvest_source_list_gives_members_their_own_sources_with_config(app, world):
    response = call(app, "harvest_source_list", world.editor_a)
    sources = {s["id"]: s for s in response.json["result"]}
    assert set(sources) == {world.private_source["id"], world.public_source["id"]}
    assert json.loads(sources[world.private_source["id"]]["config"])["apikey"] == world.secret


@pytest.mark.parametrize("who", OUTSIDERS)
def test_a_public_source_shows_outsiders_no_config(app, world, who):
    for action in ("harvest_source_show", "package_show"):
        response = call(app, action, _user(world, who), id=world.public_source["id"])
        assert response.status_code == 200
        assert world.secret not in response.get_data(as_text=True)
        assert "config" not in response.json["result"]
    shown = call(app, "harvest_source_show", world.editor_a, id=world.public_source["id"]).json["result"]
    assert world.secret in shown["config"]


def test_harvest_jobs_run_and_log_list_refuse_cleanly(app, world):
    assert call(app, "harvest_jobs_run", None).status_code == 403
    assert call(app, "harvest_jobs_run", None, source_id=world.private_source["id"]).status_code == 403
    assert call(app, "harvest_log_list", world.outsider).status_code == 403
    assert call(app, "harvest_log_list", world.editor_a).status_code == 403
    assert call(app, "harvest_log_list", None).status_code == 403
