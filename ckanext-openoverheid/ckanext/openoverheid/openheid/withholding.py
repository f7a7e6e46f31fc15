"""Withholding the data of closed datasets from everyone outside their organisation.

"Open, tenzij": a dataset whose access rights are not ``publiek`` stays findable — its metadata,
legal grounds, motivation and review date are public — but its data is not: no resource URL, no
upload, no resource view, no DataStore table. The rule is enforced where data leaves CKAN, so that
every channel built on CKAN's actions inherits it:

* ``package_show`` results (``after_dataset_show``);
* the Solr document itself (``before_dataset_index``): no ``res_*``/``urls`` fields and no resources
  in the stored dicts, so neither ``q``, ``fq`` nor ``fl`` can reach them, and ``package_search``,
  which answers from those stored dicts, returns closed datasets without resources — members of the
  organisation read the resources through ``package_show``;
* ``resource_show`` authorisation, which downloads, previews, resource views, ``datastore_search``,
  ``datastore_search_sql`` and ``datastore_info`` all check;
* ``resource_search`` and ``current_package_list_with_resources``, which bypass ``package_show``;
* activity details, restricted to editors by ``ckan.auth.public_activity_stream_detail = false``.
"""

from __future__ import annotations

import json
from typing import Any

import ckan.authz as authz
import ckan.model as model

from ckanext.openoverheid.openheid.policy import is_closed

# Keys of a Solr document that carry resource data.
_INDEX_RESOURCE_PREFIXES = ("res_", "urls")


def access_rights_of(pkg: dict[str, Any]) -> str:
    """The access rights of a dataset dict, whether validated (top level) or raw (extras)."""
    value = pkg.get("access_rights")
    if value:
        return str(value)
    extras = pkg.get("extras")
    if isinstance(extras, list):
        for extra in extras:
            if extra.get("key") == "access_rights":
                return str(extra.get("value") or "publiek")
    elif isinstance(extras, dict):
        return str(extras.get("access_rights") or "publiek")
    return "publiek"


def dataset_is_closed(pkg: dict[str, Any]) -> bool:
    return is_closed(access_rights_of(pkg))


def package_is_closed(package: model.Package) -> bool:
    return is_closed((package.extras or {}).get("access_rights") or "publiek")


def _user_name(context: dict[str, Any]) -> str | None:
    user_obj = context.get("auth_user_obj")
    if user_obj is not None and getattr(user_obj, "name", None):
        return user_obj.name
    return context.get("user") or None


def viewer_may_see_data(context: dict[str, Any], owner_org: str | None) -> bool:
    """Sysadmins and members (any role) of the owning organisation see a closed dataset's data."""
    user_name = _user_name(context)
    if not user_name:
        return False
    if authz.is_sysadmin(user_name):
        return True
    return bool(owner_org) and authz.has_user_permission_for_group_or_org(owner_org, user_name, "read")


def is_internal_call(context: dict[str, Any]) -> bool:
    """CKAN's own bookkeeping (indexing, resource_create's read-modify-write) runs with
    ``ignore_auth`` and no user; it must see the whole dataset or it would write it back without
    its resources. The index document is stripped separately in ``strip_index_document``."""
    return bool(context.get("ignore_auth")) and not _user_name(context)


def withheld(pkg: dict[str, Any]) -> dict[str, Any]:
    """The public view of a closed dataset: everything but its resources."""
    public = dict(pkg)
    public["resources"] = []
    public["num_resources"] = 0
    public["data_withheld"] = True
    return public


def for_viewer(context: dict[str, Any], pkg: dict[str, Any]) -> dict[str, Any]:
    if not dataset_is_closed(pkg) or is_internal_call(context):
        return pkg
    if viewer_may_see_data(context, pkg.get("owner_org")):
        return pkg
    return withheld(pkg)


def strip_index_document(doc: dict[str, Any]) -> dict[str, Any]:
    """Remove every trace of a closed dataset's resources from its Solr document."""
    if not dataset_is_closed(doc):
        return doc
    stripped = {key: value for key, value in doc.items() if not key.startswith(_INDEX_RESOURCE_PREFIXES)}
    for key in ("data_dict", "validated_data_dict"):
        if key in stripped:
            stripped[key] = json.dumps(withheld(json.loads(stripped[key])))
    return stripped


def resource_is_withheld(context: dict[str, Any], resource_id: str | None) -> bool:
    resource = model.Resource.get(resource_id) if resource_id else None
    if resource is None or resource.package_id is None:
        return False
    package = model.Package.get(resource.package_id)
    if package is None or not package_is_closed(package):
        return False
    return not viewer_may_see_data(context, package.owner_org)


def _activity_package_closed(activity: dict[str, Any]) -> tuple[bool, str | None]:
    """Whether the dataset of an activity is closed now or was closed in that version."""
    package_dict = (activity.get("data") or {}).get("package")
    object_id = activity.get("object_id")
    package = model.Package.get(object_id) if object_id else None
    closed_now = package is not None and package_is_closed(package)
    closed_then = isinstance(package_dict, dict) and dataset_is_closed(package_dict)
    owner_org = package.owner_org if package is not None else (package_dict or {}).get("owner_org")
    return closed_now or closed_then, owner_org


def activity_for_viewer(context: dict[str, Any], activity: dict[str, Any]) -> dict[str, Any]:
    """An activity as the viewer may see it: a closed dataset's version without its resources."""
    data = activity.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("package"), dict) or is_internal_call(context):
        return activity
    closed, owner_org = _activity_package_closed(activity)
    if not closed or viewer_may_see_data(context, owner_org):
        return activity
    return dict(activity, data=dict(data, package=withheld(data["package"])))


def activity_is_withheld(context: dict[str, Any], activity_id: str) -> bool:
    """True when the activity belongs to a closed dataset the viewer may not see the data of."""
    from ckanext.activity.model import Activity

    activity = model.Session.get(Activity, activity_id)
    if activity is None or is_internal_call(context):
        return False
    closed, owner_org = _activity_package_closed({"object_id": activity.object_id, "data": activity.data or {}})
    return closed and not viewer_may_see_data(context, owner_org)
