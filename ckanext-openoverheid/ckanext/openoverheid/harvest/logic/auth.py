"""Who may call ckanext-harvest's actions, and what they see of a harvest source (issue 15).

ckanext-harvest's own rules suit one publisher, not a portal shared by many organisations: anyone
may read every harvest object (the raw records, also of closed datasets), list every source with
its config (provider API keys), re-index any dataset through ``harvest_source_reindex``, and some
checks crash on an anonymous caller (500). The rules here replace them:

* a source's *managers* are the editors and admins of its organisation and sysadmins: they run,
  abort and read its jobs, objects and log, and see its ``config`` and full URL;
* a source's *readers* are whoever may ``package_show`` it: everyone for a public source, the
  organisation's members for a private one. Outsiders see a public source without its config and
  with its URL cut to scheme, host and path (no credentials, no query string);
* the harvest log and everything over all sources at once are for sysadmins.

The table of every action and its rule is in ``docs/security.md``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import ckan.authz as authz
import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.openoverheid.openheid.logic.action import ACTIVITY_LISTS

AuthResult = dict[str, Any]
Auth = Callable[..., AuthResult]

SOURCE_TYPE = "harvest"  # ckanext-harvest's dataset type of a source
MANAGER_ROLES = frozenset({"editor", "admin"})
# Keys of a source dict that carry its configuration, besides the keys of the config itself.
SOURCE_CONFIG_KEYS = ("config",)


def _user_name(context: dict[str, Any]) -> str:
    user = context.get("auth_user_obj")
    return str(getattr(user, "name", None) or context.get("user") or "")


def is_sysadmin(context: dict[str, Any]) -> bool:
    name = _user_name(context)
    return bool(name) and authz.is_sysadmin(name)


def source_package(source_id: Any) -> model.Package | None:
    """The dataset of a harvest source, by id or name; None for anything else."""
    package = model.Package.get(str(source_id)) if source_id and isinstance(source_id, str) else None
    return package if package is not None and package.type == SOURCE_TYPE else None


def may_manage_source(context: dict[str, Any], package: model.Package | None) -> bool:
    if package is None:
        return False
    if is_sysadmin(context):
        return True
    name = _user_name(context)
    return bool(name and package.owner_org) and (
        authz.users_role_for_group_or_org(package.owner_org, name) in MANAGER_ROLES)


def may_read_source(context: dict[str, Any], package: model.Package) -> bool:
    if not package.private or is_sysadmin(context):
        return True
    name = _user_name(context)
    return bool(name and package.owner_org) and authz.users_role_for_group_or_org(package.owner_org, name) is not None


def public_url(url: str) -> str:
    """A source URL as outsiders see it: no user, password, query string or fragment."""
    parts = urlsplit(url or "")
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def source_for_viewer(context: dict[str, Any], source: dict[str, Any]) -> dict[str, Any]:
    """A source's dataset dict (``package_show``, ``package_search``) as the viewer may see it."""
    if source.get("type") != SOURCE_TYPE:
        return source
    return source_dict_for_viewer(context, source_package(source.get("id")), source)


def source_dict_for_viewer(context: dict[str, Any], package: model.Package | None,
                            source: dict[str, Any]) -> dict[str, Any]:
    if package is None or may_manage_source(context, package) or _is_internal(context):
        return source
    try:
        config_keys = set(json.loads(source.get("config") or "{}"))
    except (TypeError, ValueError):
        config_keys = set()
    hidden = config_keys | set(SOURCE_CONFIG_KEYS)
    shown = {key: value for key, value in source.items() if key not in hidden}
    if isinstance(shown.get("url"), str):
        shown["url"] = public_url(shown["url"])
    if isinstance(shown.get("extras"), list):
        shown["extras"] = [extra for extra in shown["extras"]
                           if not isinstance(extra, dict) or extra.get("key") not in hidden]
    return shown


def _is_internal(context: dict[str, Any]) -> bool:
    """CKAN's and ckanext-harvest's own reads (indexing, the harvest stages): site rights, no user."""
    return bool(context.get("ignore_auth")) and not _user_name(context)


def _refused(message: str) -> AuthResult:
    return {"success": False, "msg": message}


def _source_managers_only(package: model.Package | None, context: dict[str, Any]) -> AuthResult:
    if may_manage_source(context, package):
        return {"success": True}
    return _refused(tk._("Only editors of the organisation of this harvest source may do this."))


def _sysadmins_only(context: dict[str, Any]) -> AuthResult:
    if is_sysadmin(context):
        return {"success": True}
    return _refused(tk._("Only system administrators may do this."))


def _job_source(job_id: Any) -> model.Package | None:
    from ckanext.harvest.model import HarvestJob

    job = HarvestJob.get(job_id) if isinstance(job_id, str) and job_id else None
    return source_package(job.source_id) if job is not None else None


def _object_source(data_dict: dict[str, Any]) -> model.Package | None:
    from ckanext.harvest.model import HarvestObject

    harvest_object = None
    attr = data_dict.get("attr")
    if isinstance(data_dict.get("id"), str) and data_dict["id"] and attr in (None, "", "id", "guid"):
        harvest_object = HarvestObject.get(data_dict["id"], attr=attr or None)
    elif isinstance(data_dict.get("dataset_id"), str) and data_dict["dataset_id"]:
        package = model.Package.get(data_dict["dataset_id"])
        harvest_object = (
            model.Session.query(HarvestObject)
            .filter(HarvestObject.package_id == package.id, HarvestObject.current.is_(True))
            .first()
            if package is not None else None
        )
    return source_package(harvest_object.harvest_source_id) if harvest_object is not None else None


# --- auth functions, each chained over ckanext-harvest's and replacing it -------------------------


def _replacing(name: str, rule: Callable[[dict[str, Any], dict[str, Any]], AuthResult],
               anonymous: bool = False) -> Auth:
    """A chained auth function ``name`` that decides by ``rule`` alone (ckanext-harvest's is not asked)."""

    def auth(next_auth: Auth, context: dict[str, Any], data_dict: dict[str, Any] | None) -> AuthResult:
        return rule(context, data_dict if isinstance(data_dict, dict) else {})

    auth.__name__ = name
    auth = tk.chained_auth_function(auth)
    return tk.auth_allow_anonymous_access(auth) if anonymous else auth


def _by_source_id(key: str) -> Callable[[dict[str, Any], dict[str, Any]], AuthResult]:
    return lambda context, data_dict: _source_managers_only(source_package(data_dict.get(key)), context)


def _by_job_id(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    return _source_managers_only(_job_source(data_dict.get("id")), context)


def _job_list(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    if not data_dict.get("source_id"):
        return _sysadmins_only(context)
    return _source_managers_only(source_package(data_dict.get("source_id")), context)


def _job_abort(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    target = data_dict.get("source_id") or data_dict.get("id")
    return _source_managers_only(source_package(target) or _job_source(target), context)


def _job_to_queue(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    # called with the job dict itself (``source_id``), or with ``{"id": job_id}``
    package = source_package(data_dict.get("source_id")) or _job_source(data_dict.get("id"))
    return _source_managers_only(package, context)


def _object_show(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    return _source_managers_only(_object_source(data_dict), context)


def _everyone(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    return {"success": True}


def _source_read(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    package = source_package(data_dict.get("id"))
    if package is None:
        raise tk.ObjectNotFound(tk._("Harvest source not found"))
    if may_read_source(context, package):
        return {"success": True}
    return _refused(tk._("This harvest source is private to its organisation."))


def _sysadmin(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    return _sysadmins_only(context)


RULES: dict[str, tuple[Callable[[dict[str, Any], dict[str, Any]], AuthResult], bool]] = {
    # name: (rule, anonymous callers reach the rule)
    "harvest_source_show": (_source_read, True),
    "harvest_source_show_status": (_source_read, True),
    "harvest_source_list": (_everyone, True),
    "harvest_source_reindex": (_by_source_id("id"), False),
    "harvest_source_clear": (_by_source_id("id"), False),
    "harvest_source_delete": (_by_source_id("id"), False),
    "harvest_object_show": (_object_show, False),
    "harvest_object_list": (_by_source_id("source_id"), False),
    "harvest_job_create": (_by_source_id("source_id"), False),
    "harvest_job_show": (_by_job_id, False),
    "harvest_job_report": (_by_job_id, False),
    "harvest_job_list": (_job_list, False),
    "harvest_job_abort": (_job_abort, False),
    "harvest_jobs_run": (_job_list, False),
    "harvest_send_job_to_gather_queue": (_job_to_queue, False),
    "harvest_log_list": (_sysadmin, False),
    "harvest_abort_failed_jobs": (_sysadmin, False),
    "harvest_job_create_all": (_sysadmin, False),
    "harvest_objects_import": (_sysadmin, False),
    "harvest_sources_reindex": (_sysadmin, False),
    "harvest_sources_clear": (_sysadmin, False),
    "harvest_source_index_clear": (_by_source_id("id"), False),
    "harvest_source_job_history_clear": (_by_source_id("id"), False),
    "harvest_sources_job_history_clear": (_sysadmin, False),
}


def register_every_name() -> None:
    """Make ckanext-harvest's registries the same whatever the order they are built in.

    Its plugin builds its actions and its auth functions into one dict (a mutable default argument
    of ``_get_logic_functions``): the auth registry holds its actions as auth functions when the
    actions were built first, and the action registry its auth functions (``harvest_sources_clear``,
    ``auth_allow_anonymous_access``) when the auth functions were. Building both here, before the
    registry that asked for ours takes ckanext-harvest's, gives each registry every name of both,
    so the names chained here always exist.
    """
    import ckan.plugins as p

    harvest = p.get_plugin("harvest")
    harvest.get_actions()
    harvest.get_auth_functions()


def _hiding_source_activity(name: str) -> Auth:
    """Chain ``name`` (``activity_data_show``/``activity_diff``): a version of a harvest source is for
    the managers of that source."""

    def auth(next_auth: Auth, context: dict[str, Any], data_dict: dict[str, Any] | None) -> AuthResult:
        activity_id = (data_dict if isinstance(data_dict, dict) else {}).get("id") or ""
        refusal = refuse_hidden_source_activity(context, activity_id)
        return refusal if refusal is not None else next_auth(context, data_dict)

    auth.__name__ = name
    return tk.auth_allow_anonymous_access(tk.chained_auth_function(auth))


def get_auth_functions() -> dict[str, Auth]:
    register_every_name()
    functions = {name: _replacing(name, rule, anonymous) for name, (rule, anonymous) in RULES.items()}
    for name in ("activity_data_show", "activity_diff"):
        functions[name] = _hiding_source_activity(name)
    return functions


ACTIVITY_ACTIONS = ("activity_show", *ACTIVITY_LISTS)


def activity_for_viewer(context: dict[str, Any], activity: Any) -> Any:
    """An activity whose data is a version of a harvest source, as the viewer may see that source."""
    data = activity.get("data") if isinstance(activity, dict) else None
    if not isinstance(data, dict) or not isinstance(data.get("package"), dict):
        return activity
    return dict(activity, data=dict(data, package=source_for_viewer(context, data["package"])))


def refuse_hidden_source_activity(context: dict[str, Any], activity_id: str) -> AuthResult | None:
    """A refusal when the activity is a version of a harvest source the viewer may not see the config
    of: its data and diffs are for the source's managers (``activity_data_show``, ``activity_diff``)."""
    from ckanext.activity.model import Activity

    activity = model.Session.get(Activity, activity_id) if isinstance(activity_id, str) and activity_id else None
    package = source_package(activity.object_id) if activity is not None else None
    if package is None or _is_internal(context) or may_manage_source(context, package):
        return None
    return _source_managers_only(None, context)
