"""Every action registered in the portal, walked by an outsider (issue 15).

The list of actions comes from CKAN's registry with test.ini's plugins loaded (CKAN's, the DataStore's,
activity's, ckanext-harvest's, ckanext-dcat's, scheming's and ours), so an action added by any plugin
is walked without anyone adding it here. Each is called over the Action API, anonymously and as an
editor of another organisation, once per target (a closed harvested dataset, its resource, a private
and a public harvest source of organisation A, a harvest job and object of the private source) with
that target in every parameter that names something. No answer may carry the closed data, the
sources' secret or the address of a resident's e-mail alert, none may be a server error, and no write
may be accepted. ``docs/security.md`` must name every registered action.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import action_authz_world
import ckan.logic as logic
import ckan.plugins.toolkit as tk
import pytest
from action_authz_world import World, call

pytestmark = pytest.mark.usefixtures("portal")

world = action_authz_world.world

SECURITY_DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"

# Writes an outsider may make: they change only the outsider's own state, never organisation A's.
OUTSIDER_WRITES = {
    "follow_dataset": "following a dataset is the follower's own business (the dataset is public metadata)",
    "unfollow_dataset": "the follower's own follow",
    "follow_group": "the follower's own follow",
    "unfollow_group": "the follower's own follow",
    "follow_user": "the follower's own follow",
    "unfollow_user": "the follower's own follow",
    "dashboard_mark_activities_old": "the caller's own dashboard",
}


def registered_actions() -> list[str]:
    tk.get_action("package_show")  # the registry is filled on first use
    return sorted(logic._actions)


# Reads their plugin did not mark side-effect free (so CKAN's API takes them by POST only).
UNMARKED_READS = {
    "dcat_dataset_show": "ckanext-dcat: a dataset's RDF, through package_show and its auth",
    "dcat_catalog_show": "ckanext-dcat: the catalogue's RDF, through package_search",
    "dcat_catalog_search": "ckanext-dcat: the catalogue's RDF, through package_search",
}


# Writes their plugin marked side-effect free (so CKAN's API takes them by GET too).
WRITES_MARKED_AS_READS = {
    "harvest_source_reindex": "ckanext-harvest: rewrites a dataset's search index document",
    "harvest_sources_reindex": "ckanext-harvest: rewrites every source's search index document",
}


def is_write(action: str) -> bool:
    if action in WRITES_MARKED_AS_READS:
        return True
    return not getattr(logic._actions[action], "side_effect_free", False) and action not in UNMARKED_READS


def _parameters(world: World) -> dict[str, Any]:
    """Every parameter that names something, aimed at organisation A's closed or private things.

    None carries a marker or the secret itself, so an error that echoes the request leaks nothing:
    the searches find the closed data by words around the marker."""
    closed, resource, source = world.closed["id"], world.resource["id"], world.private_source["id"]
    return {
        "name_or_id": closed, "package_id": closed, "dataset_id": closed, "package": closed,
        "resource_id": resource, "resource_ids": [resource],
        "source_id": source, "harvest_source_id": source,
        "job_id": world.job_id, "harvest_job_id": world.job_id,
        "object_id": world.object_id, "harvest_object_id": world.object_id,
        "organization_id": world.org_a["id"], "owner_org": world.org_a["id"], "group_id": world.org_a["id"],
        "q": "Kerkstraat", "fq": f"id:({closed} OR {source})", "query": "name:Locaties",
        "sql": f'SELECT * FROM "{resource}"', "filters": {}, "fields": ["adres"],
        "include_private": True, "include_datasets": True, "include_config": True, "all_fields": True,
        "return_last_job_status": True, "include_tracking": True, "limit": 10,
    }


def _targets(world: World) -> dict[str, str | None]:
    return {
        "closed dataset": world.closed["id"],
        "closed resource": world.resource["id"],
        "publication with a closed document": world.publication["id"],
        "closed document": world.document["id"],
        "private source": world.private_source["id"],
        "public source": world.public_source["id"],
        "harvest job": world.job_id,
        "harvest object": world.object_id,
        **{f"activity of the {key}": activity_id for key, activity_id in world.activities.items()},
        "no id": None,
    }


def documented_parameters(action: str) -> set[str]:
    """The parameters the docstring of the action's first implementation names (``:param name:``).

    A chained action's own docstring is functools.partial's (help_show shows that too), so the chain
    is followed down to the action it started from."""
    function: Any = getattr(logic._actions[action], "__wrapped__", logic._actions[action])
    while isinstance(function, functools.partial):
        function = function.args[0] if function.args else function.func
    return set(re.findall(r":param (\w+):", function.__doc__ or ""))


def requests_for(action: str, target_id: str | None, parameters: dict[str, Any]) -> list[dict[str, Any]]:
    """The data dicts ``action`` is called with for one target: the target alone, the parameters its
    docstring names, and every parameter (a parameter one action refuses must not hide what another
    would give, and strict schemas such as the DataStore's refuse parameters they do not know)."""
    everything = dict(parameters, id=target_id) if target_id else dict(parameters)
    documented = documented_parameters(action) | {"id"}
    candidates = [{"id": target_id} if target_id else {},
                  {key: value for key, value in everything.items() if key in documented},
                  everything]
    return [data for n, data in enumerate(candidates) if data not in candidates[:n]]


def ask(app: Any, action: str, user: dict[str, Any] | None, data: dict[str, Any]) -> Any:
    return call(app, action, user, **data)


def _walk(app: Any, world: World, who: str, user: dict[str, Any] | None) -> list[str]:
    problems = []
    parameters = _parameters(world)
    for action in registered_actions():
        for target, target_id in _targets(world).items():
            for data in requests_for(action, target_id, parameters):
                where = f"{action} as {who}, {target} ({', '.join(sorted(data)) or 'no parameters'})"
                problems += _problems(world, action, where, lambda a=action, d=data: ask(app, a, user, d))
    return problems


def _problems(world: World, action: str, where: str, request: Callable[[], Any]) -> list[str]:
    try:
        response = request()
    except Exception as error:  # the test app lets what would be a 500 escape
        return [f"{where}: raised {error!r}"]
    text = response.get_data(as_text=True)
    problems = []
    if response.status_code >= 500:
        problems.append(f"{where}: {response.status_code} {text[:300]}")
    for secret in world.secrets:
        if secret in text:
            problems.append(f"{where}: leaks {secret!r}: {text[max(0, text.index(secret) - 200):][:400]}")
    if is_write(action) and response.status_code == 200 and action not in OUTSIDER_WRITES:
        problems.append(f"{where}: a write was accepted: {text[:300]}")
    return problems


def _fixture_intact(api: Any, world: World) -> None:
    closed = api("package_show", id=world.closed["id"])
    assert closed["access_rights"] == "niet-publiek" and closed["resources"][0]["url"] == world.resource["url"]
    rows = api("datastore_search", resource_id=world.resource["id"])["records"]
    assert len(rows) == 3 and all(world.marker in row["adres"] for row in rows)
    source = api("harvest_source_show", id=world.private_source["id"])
    assert source["private"] and json.loads(source["config"])["apikey"] == world.secret
    assert api("harvest_object_show", id=world.object_id)["content"]
    from ckan import model

    from ckanext.openoverheid.attenderingen.model import Subscription

    model.Session.expire_all()
    alert = model.Session.get(Subscription, world.subscription_id)
    assert alert is not None and alert.confirmed is not None and alert.criteria["straal"] == 500


def test_every_registered_action_gives_outsiders_nothing_of_a_closed_dataset_document_or_private_source(
        app, api, world):
    assert len(registered_actions()) > 200
    problems = _walk(app, world, "anonymous", None) + _walk(app, world, "an editor of organisation B", world.outsider)
    assert not problems, "\n".join(problems)
    _fixture_intact(api, world)


def test_the_walk_sees_the_secrets_where_they_may_be_shown(app, world):
    """The walk's parameters do reach the data: organisation A's editor finds the markers with them."""
    shown = {action: ask(app, action, world.editor_a, requests_for(action, target, _parameters(world))[1]
                         ).get_data(as_text=True)
             for action, target in (("harvest_object_show", world.object_id),
                                    ("harvest_source_show", world.private_source["id"]),
                                    ("datastore_search", world.resource["id"]),
                                    ("resource_search", None),
                                    ("package_show", world.closed["id"]))}
    assert world.marker in shown["harvest_object_show"] and world.secret in shown["harvest_source_show"]
    for action in ("datastore_search", "resource_search", "package_show"):
        assert world.marker in shown[action], (action, shown[action][:600])
    for action, target in (("package_show", world.publication["id"]), ("datastore_search", world.document["id"])):
        answer = ask(app, action, world.editor_a, requests_for(action, target, _parameters(world))[0])
        assert world.marker in answer.get_data(as_text=True), action


def test_the_security_table_names_every_registered_action(portal):
    documented = set(re.findall(r"^\| `([A-Za-z_]+)` \|", SECURITY_DOC.read_text(encoding="utf-8"), re.MULTILINE))
    missing = sorted(set(registered_actions()) - documented)
    assert not missing, f"docs/security.md has no row for: {', '.join(missing)}"
