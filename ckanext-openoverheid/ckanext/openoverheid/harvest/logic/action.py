"""Actions the portal chains on ckanext-harvest's and on CKAN's for harvesting (issue 15).

* ``package_create``/``package_update``: a harvest source is refused when it would fill another
  organisation's dataset (``harvest/ownership.py``) or points at an unsafe URL (``harvest/source_url.py``);
* ckanext-harvest's actions that check nothing themselves, or are not actions at all, are checked
  or refused; ``package_show``/``package_search`` and the activity actions hide a source's config
  from outsiders (the rules are ``harvest/logic/auth.py``);
* ``harvest_source_update``/``_patch``: ``active`` of an afvalkalender source takes effect at once;
* jobs that wait for Redis are sent on when it is back (``resilience.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.openoverheid import resilience
from ckanext.openoverheid.harvest import ownership, source_url
from ckanext.openoverheid.harvest.logic.auth import (
    ACTIVITY_ACTIONS,
    SOURCE_TYPE,
    activity_for_viewer,
    may_read_source,
    register_every_name,
    source_dict_for_viewer,
    source_for_viewer,
    source_package,
)

AFVALKALENDER_SOURCE_TYPE = "afvalkalender"


def _checked_first(name: str, *checks: Callable[[dict[str, Any]], None]) -> Callable[..., Any]:
    """``name`` (``package_create``/``package_update``) with ``checks`` run on the data first, in
    order; each raises ValidationError to refuse."""

    @tk.chained_action
    def checked(next_action: Callable[..., Any], context: dict[str, Any], data_dict: dict[str, Any]) -> Any:
        for check in checks:
            check(data_dict)
        return next_action(context, data_dict)

    checked.__name__ = name
    checked.__doc__ = f"CKAN's {name}; a harvest source must be its organisation's and point at a safe URL."
    return checked


@tk.chained_action
@tk.side_effect_free
def harvest_source_list(next_action: Callable[..., Any], context: dict[str, Any], data_dict: dict[str, Any]) -> Any:
    """The harvest sources the viewer may read, each as the viewer may see it.

    ckanext-harvest gives anonymous callers every source with its config (private ones and provider
    API keys included) and a logged-in non-sysadmin none at all.

    :param organization_id: only the sources of this organisation (id), optional
    :param only_active: only active sources, optional
    :param return_last_job_status: add each source's last job, optional
    :rtype: list of dictionaries
    """
    from ckanext.harvest.logic.dictization import harvest_source_dictize
    from ckanext.harvest.model import HarvestSource

    tk.check_access("harvest_source_list", context, data_dict)
    data_dict = data_dict if isinstance(data_dict, dict) else {}
    query = (model.Session.query(HarvestSource, model.Package)
             .join(model.Package, HarvestSource.id == model.Package.id)
             .filter(model.Package.state == "active")
             .order_by(HarvestSource.created.desc()))
    if data_dict.get("organization_id"):
        query = query.filter(model.Package.owner_org == str(data_dict["organization_id"]))
    if tk.asbool(data_dict.get("only_active", False)):
        query = query.filter(HarvestSource.active.is_(True))
    limit = tk.asint(tk.config.get("ckan.harvest.harvest_source_limit") or 100)
    last_job_status = tk.asbool(data_dict.get("return_last_job_status", False))
    visible = [(source, package) for source, package in query if may_read_source(context, package)][:limit]
    return [source_dict_for_viewer(context, package, harvest_source_dictize(source, context, last_job_status))
            for source, package in visible]


@tk.chained_action
@tk.side_effect_free
def harvest_source_reindex(next_action: Callable[..., Any], context: dict[str, Any], data_dict: dict[str, Any]) -> Any:
    """Re-index one harvest source, and nothing else: ckanext-harvest checked nobody and took any dataset
    id, re-indexing it without our fields."""
    source_id = (data_dict or {}).get("id")
    if source_package(source_id) is None:
        raise tk.ObjectNotFound(tk._("Harvest source not found"))
    tk.check_access("harvest_source_reindex", context, data_dict)
    return next_action(context, data_dict)


@tk.chained_action
@tk.side_effect_free
def harvest_sources_reindex(next_action: Callable[..., Any], context: dict[str, Any], data_dict: dict[str, Any]
                            ) -> Any:
    """Re-index every active harvest source (sysadmins). ckanext-harvest's own version calls
    ``harvest_source_reindex`` without a user, which that action now refuses."""
    from ckan.lib.search import PackageSearchIndex

    tk.check_access("harvest_sources_reindex", context, data_dict)
    sources = (model.Session.query(model.Package.id)
               .filter(model.Package.type == SOURCE_TYPE, model.Package.state == "active"))
    for (source_id,) in sources:
        tk.get_action("harvest_source_reindex")({"defer_commit": True, "ignore_auth": True}, {"id": source_id})
    PackageSearchIndex().commit()
    return True


def _checked(name: str) -> Callable[..., Any]:
    """Chain ``name`` (an action of ckanext-harvest that checks no access itself) to check it first."""

    def action(next_action: Callable[..., Any], context: dict[str, Any], data_dict: dict[str, Any]) -> Any:
        tk.check_access(name, context, data_dict if isinstance(data_dict, dict) else {})
        return next_action(context, data_dict)

    action.__name__ = name
    action.__doc__ = f"ckanext-harvest's {name}, with its access checked first."
    return tk.chained_action(action)


def _not_an_action(name: str) -> Callable[..., Any]:
    """ckanext-harvest registers every function of its action modules as an action, helpers included
    (mail helpers, an exception class); through the API they crashed (500)."""

    def action(next_action: Callable[..., Any], context: dict[str, Any], data_dict: dict[str, Any]) -> Any:
        raise tk.NotAuthorized(tk._("This is not an action of the API."))

    action.__name__ = name
    return tk.chained_action(action)


NOT_ACTIONS = ("InactiveSource", "get_mail_extra_vars", "prepare_error_mail", "prepare_summary_mail",
               "send_error_email", "send_mail", "send_summary_email",
               # auth functions, in the action registry through ckanext-harvest's shared dict
               "auth_allow_anonymous_access", "harvest_sources_clear")


def _redacting_activities(name: str) -> Callable[..., Any]:
    @tk.chained_action
    @tk.side_effect_free
    def chained(next_action: Callable[..., Any], context: dict[str, Any], data_dict: dict[str, Any]) -> Any:
        result = next_action(context, data_dict)
        if isinstance(result, list):
            return [activity_for_viewer(context, activity) for activity in result]
        return activity_for_viewer(context, result)

    chained.__name__ = name
    chained.__doc__ = f"{name}, with the config of harvest sources hidden from outsiders."
    return chained


@tk.chained_action
@tk.side_effect_free
def package_show(next_action: Callable[..., Any], context: dict[str, Any], data_dict: dict[str, Any]) -> Any:
    """package_show; a harvest source without its config for outsiders."""
    return source_for_viewer(context, next_action(context, data_dict))


@tk.chained_action
@tk.side_effect_free
def package_search(next_action: Callable[..., Any], context: dict[str, Any], data_dict: dict[str, Any]) -> Any:
    """package_search; harvest sources without their config for outsiders."""
    result = next_action(context, data_dict)
    if isinstance(result, dict) and isinstance(result.get("results"), list):
        result["results"] = [source_for_viewer(context, r) if isinstance(r, dict) else r for r in result["results"]]
    return result


def _apply_active(data_dict: dict[str, Any], result: dict[str, Any]) -> None:
    """Make ``active`` of an afvalkalender source take effect: ckanext-harvest keeps it only on create
    (later it follows ``state``), so ``active: false`` on an update would be dropped without a word,
    and a source its organisation disabled would keep serving calendars."""
    from ckanext.harvest.model import HarvestSource

    if "active" not in (data_dict or {}):
        return
    source = HarvestSource.get(result.get("id") or data_dict.get("id"))
    if source is None or source.type != AFVALKALENDER_SOURCE_TYPE:
        return
    source.active = tk.asbool(data_dict["active"])
    source.save()


def _applying_active(name: str) -> Callable[..., Any]:
    """ckanext-harvest's ``name`` (``harvest_source_update``/``_patch``), and ``active`` (true/false)
    of an afvalkalender source takes effect at once."""

    @tk.chained_action
    def chained(next_action: Callable[..., Any], context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
        if (data_dict or {}).get("id"):  # without one, ckanext-harvest's auth fails on a KeyError (500)
            tk.check_access(name, context, data_dict)
        result = next_action(context, data_dict)
        _apply_active(data_dict, result)
        return result

    chained.__name__ = name
    chained.__doc__ = f"ckanext-harvest's {name}; ``active`` of an afvalkalender source takes effect at once."
    return chained


def get_actions() -> dict[str, Callable[..., Any]]:
    register_every_name()
    return {
        **{name: _checked_first(name, ownership.refuse_foreign_target, source_url.refuse_unsafe_url)
           for name in ("package_create", "package_update")},
        "harvest_source_list": harvest_source_list,
        "harvest_source_reindex": harvest_source_reindex,
        "harvest_sources_reindex": harvest_sources_reindex,
        "harvest_abort_failed_jobs": _checked("harvest_abort_failed_jobs"),
        **{name: _not_an_action(name) for name in NOT_ACTIONS},
        "package_show": package_show,
        "package_search": package_search,
        **{name: _redacting_activities(name) for name in ACTIVITY_ACTIONS},
        **{name: _applying_active(name) for name in ("harvest_source_update", "harvest_source_patch")},
        **resilience.get_harvest_actions(),
    }
