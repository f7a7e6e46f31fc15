"""The actions of "open, tenzij": the openness register, and the chained reads that keep a closed
dataset's data from outsiders in every channel (package_show, resource_search, activities)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib.dictization import model_dictize
from ckan.lib.search import SearchError
from ckan.logic import auth_audit_exempt

from ckanext.openoverheid.harvest import compat
from ckanext.openoverheid.openheid import register
from ckanext.openoverheid.openheid.withholding import (
    activity_for_viewer,
    document_is_withheld,
    for_viewer,
    package_has_closed_resources,
    package_is_closed,
    resource_is_withheld,
)


@tk.chained_action
@tk.side_effect_free
def package_show(next_action: Callable[..., Any], context: dict[str, Any], data_dict: dict[str, Any]) -> Any:
    """Read some datasets from the database, never from Solr's copy.

    Closed datasets: that copy has no resources, and a member editing the dataset must not write it
    back without them. Harvest sources: see ``harvest/compat.py``. The dataset is looked up once,
    here, and handed on by id, so CKAN's own look-up finds it in the session without a query.
    """
    data_dict = data_dict or {}
    package = model.Package.get(data_dict.get("id") or data_dict.get("name_or_id") or "")
    if package is None:
        return next_action(context, data_dict)
    if package_is_closed(package) or package_has_closed_resources(package) or compat.must_read_from_database(package):
        context["use_cache"] = False
    return next_action(context, {**data_dict, "id": package.id})


def _offset_or_limit(data_dict: dict[str, Any], key: str) -> int | None:
    value = data_dict.get(key)
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if number < 0:
        raise tk.ValidationError({key: [tk._("Must be a natural number")]})
    return number


@tk.chained_action
@tk.side_effect_free
def resource_search(next_action: Callable[..., Any], context: dict[str, Any], data_dict: dict[str, Any]) -> Any:
    """resource_search reads resources straight from the database: drop those of closed datasets.

    The count is taken after withholding, over every match: a count taken before (or from one page)
    tells an outsider how many closed resources match, and ``url:``/``description:`` queries then
    spell out a closed resource's URL one character at a time. CKAN is asked for the matches
    undictized (``search_query``), so only the page returned is dictized.
    """
    data_dict = data_dict if isinstance(data_dict, dict) else {}
    offset, limit = _offset_or_limit(data_dict, "offset"), _offset_or_limit(data_dict, "limit")
    try:
        matches = next_action({**context, "search_query": True}, {**data_dict, "offset": None, "limit": None})
    except SearchError as error:
        if context.get("search_query"):
            raise
        raise tk.ValidationError({"query": [str(error)]}) from None
    visible = [r for r in matches["results"] if not resource_is_withheld(context, r.id)]
    page = visible[offset or 0:][:limit] if limit is not None else visible[offset or 0:]
    if not context.get("search_query"):
        page = model_dictize.resource_list_dictize(page, context)
    return {"count": len(visible), "results": page}


@tk.chained_action
@tk.side_effect_free
def current_package_list_with_resources(
    next_action: Callable[..., Any], context: dict[str, Any], data_dict: dict[str, Any]
) -> Any:
    return [for_viewer(context, pkg) for pkg in next_action(context, data_dict)]


@tk.chained_action
@tk.side_effect_free
@auth_audit_exempt  # the withheld branch answers without asking the auth (it would refuse); core's checks
def resource_view_list(next_action: Callable[..., Any], context: dict[str, Any], data_dict: dict[str, Any]) -> Any:
    """A closed document of an open publication has no views for outsiders: an empty list rather than
    a refusal, because CKAN's dataset page asks for the views of every resource it lists."""
    if document_is_withheld(context, (data_dict or {}).get("id")):
        return []
    return next_action(context, data_dict)


@tk.side_effect_free
def openheid_register(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """The openness register: every dataset and every document (of a Woo publication) that is not
    public, with its legal grounds.

    Anyone may read it: it holds only what the public may know (metadata, grounds, motivation,
    review date), never data.

    :param organization: only the datasets of this organisation (name), optional
    :type organization: string
    :returns: ``count``, ``datasets`` (each with ``name``, ``title``, ``url``, ``organization``,
        ``access_rights``, ``woo_grounds``, ``woo_motivation``, ``review_date``, ``closed_since``,
        ``review_expired``), ``document_count``, ``documents`` (each closed document with ``id``,
        ``name``, its ``publication`` (``name``, ``title``, ``url``), ``organization`` and the same
        closure fields), ``organizations`` (per organisation ``total``, ``open``, ``closed``,
        ``share_open``) and ``generated``
    :rtype: dictionary
    """
    tk.check_access("openheid_register", context, data_dict)
    organization = (data_dict or {}).get("organization") or None
    return register.build_register(organization=organization)


def _activity_list_for_viewer(name: str) -> Callable[..., Any]:
    """Chain an activity list action so that closed datasets' versions lose their resources."""

    @tk.chained_action
    @tk.side_effect_free
    def chained(next_action: Callable[..., Any], context: dict[str, Any], data_dict: dict[str, Any]) -> Any:
        return [activity_for_viewer(context, activity) for activity in next_action(context, data_dict)]

    chained.__name__ = name
    chained.__doc__ = f"{name}, without the resources of closed datasets for outsiders."
    return chained


ACTIVITY_LISTS = (
    "package_activity_list",
    "organization_activity_list",
    "group_activity_list",
    "user_activity_list",
    "dashboard_activity_list",
    "recently_changed_packages_activity_list",
)


@tk.chained_action
@tk.side_effect_free
def activity_show(next_action: Callable[..., Any], context: dict[str, Any], data_dict: dict[str, Any]) -> Any:
    return activity_for_viewer(context, next_action(context, data_dict))


def get_actions() -> dict[str, Callable[..., Any]]:
    actions = {
        **{name: _activity_list_for_viewer(name) for name in ACTIVITY_LISTS},
        "activity_show": activity_show,
        "openheid_register": openheid_register,
        "package_show": package_show,
        "resource_search": resource_search,
        "resource_view_list": resource_view_list,
        "current_package_list_with_resources": current_package_list_with_resources,
    }
    return actions

