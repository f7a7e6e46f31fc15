"""Withholding the data of closed datasets from everyone outside their organisation.

"Open, tenzij": a dataset whose access rights are not ``publiek`` stays findable — its metadata,
legal grounds, motivation and review date are public — but its data is not: no resource URL, no
upload, no resource view, no DataStore table. A single resource can be closed the same way (a
document of a Woo publication, schemas/publicatie.yaml): it stays listed with its grounds, without
its URL. The rule is enforced where data leaves CKAN, so that every channel built on CKAN's actions
inherits it:

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

# Keys of a Solr document that carry resource data; of a closed resource, only its name and format
# may be found.
_INDEX_RESOURCE_PREFIXES = ("res_", "urls")
_PUBLIC_INDEX_RESOURCE_KEYS = frozenset({"res_name", "res_format"})


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


def resource_dict_is_closed(resource: dict[str, Any]) -> bool:
    """A resource's own access rights (a document of a publication); a missing value is public."""
    return is_closed(resource.get("access_rights") or "publiek")


def has_closed_content(pkg: dict[str, Any]) -> bool:
    """The dataset is closed, or one of its resources is."""
    return dataset_is_closed(pkg) or any(
        resource_dict_is_closed(r) for r in pkg.get("resources") or [] if isinstance(r, dict))


def package_is_closed(package: model.Package) -> bool:
    return is_closed((package.extras or {}).get("access_rights") or "publiek")


def resource_is_closed(resource: model.Resource) -> bool:
    return is_closed((resource.extras or {}).get("access_rights") or "publiek")


def package_has_closed_resources(package: model.Package) -> bool:
    return any(resource_is_closed(r) for r in package.resources)


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


def withheld_resource(resource: dict[str, Any]) -> dict[str, Any]:
    """The public view of a closed resource: listed, with its grounds, but no way to its data."""
    public = {key: value for key, value in resource.items() if key in _PUBLIC_RESOURCE_KEYS}
    public.update(url="", url_type=None, data_withheld=True)
    return public


# What of a closed resource the public may know: that it exists, what it is called, and why it is closed.
# An allow-list, so that a field added later (a description, a hash, a DataStore flag) stays in.
_PUBLIC_RESOURCE_KEYS = frozenset({
    "id", "package_id", "position", "state", "name", "format", "created", "metadata_modified",
    "inventarisnummer", "access_rights", "woo_grounds", "woo_motivation", "review_date", "closed_since",
})


def public_view(pkg: dict[str, Any]) -> dict[str, Any]:
    """A dataset as the public may see it: a closed dataset without resources, an open one without
    the data of its closed resources; a dataset with nothing closed is returned as it is."""
    if dataset_is_closed(pkg):
        return withheld(pkg)
    resources = pkg.get("resources") or []
    if not any(isinstance(r, dict) and resource_dict_is_closed(r) for r in resources):
        return pkg
    public = dict(pkg)
    public["resources"] = [withheld_resource(r) if isinstance(r, dict) and resource_dict_is_closed(r) else r
                           for r in resources]
    return public


def for_viewer(context: dict[str, Any], pkg: dict[str, Any]) -> dict[str, Any]:
    if not has_closed_content(pkg) or is_internal_call(context):
        return pkg
    if viewer_may_see_data(context, pkg.get("owner_org")):
        return pkg
    return public_view(pkg)


def strip_index_document(doc: dict[str, Any]) -> dict[str, Any]:
    """Remove every trace of a closed dataset's resources, and of closed resources' data, from its
    Solr document."""
    if dataset_is_closed(doc):
        stripped = {key: value for key, value in doc.items() if not key.startswith(_INDEX_RESOURCE_PREFIXES)}
    else:
        stripped = dict(doc)
        closed = _closed_resource_positions(doc)
        if not closed:
            return doc
        for key, values in doc.items():
            if key.startswith("res_") and key not in _PUBLIC_INDEX_RESOURCE_KEYS and isinstance(values, list):
                stripped[key] = ["" if index in closed else value for index, value in enumerate(values)]
        stripped.pop("urls", None)
    for key in ("data_dict", "validated_data_dict"):
        if key in stripped:
            stripped[key] = json.dumps(public_view(json.loads(stripped[key])))
    return stripped


def _closed_resource_positions(doc: dict[str, Any]) -> set[int]:
    """The positions of the closed resources of an indexed dataset (``res_*`` lists are in this order)."""
    try:
        resources = json.loads(doc.get("validated_data_dict") or doc.get("data_dict") or "{}").get("resources")
    except (ValueError, AttributeError):
        return set()
    return {index for index, resource in enumerate(resources or [])
            if isinstance(resource, dict) and resource_dict_is_closed(resource)}


def resource_is_withheld(context: dict[str, Any], resource_id: str | None) -> bool:
    """The resource, or its dataset, is closed and the viewer is outside the organisation."""
    resource = model.Resource.get(resource_id) if resource_id else None
    if resource is None or resource.package_id is None:
        return False
    package = model.Package.get(resource.package_id)
    if package is None or not (package_is_closed(package) or resource_is_closed(resource)):
        return False
    return not viewer_may_see_data(context, package.owner_org)


def document_is_withheld(context: dict[str, Any], resource_id: str | None) -> bool:
    """The resource itself is closed (a document of a publication that is otherwise public) and the
    viewer is outside the organisation."""
    resource = model.Resource.get(resource_id) if resource_id else None
    package = model.Package.get(resource.package_id) if resource is not None and resource.package_id else None
    if package is None or package_is_closed(package) or not resource_is_closed(resource):
        return False
    return not viewer_may_see_data(context, package.owner_org)


def _activity_package_closed(activity: dict[str, Any]) -> tuple[bool, str | None]:
    """Whether the dataset of an activity, or one of its resources, is closed now or was closed in that
    version."""
    package_dict = (activity.get("data") or {}).get("package")
    object_id = activity.get("object_id")
    package = model.Package.get(object_id) if object_id else None
    closed_now = package is not None and (package_is_closed(package) or package_has_closed_resources(package))
    closed_then = isinstance(package_dict, dict) and has_closed_content(package_dict)
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
    # Strict on purpose: a version from before a document was closed would still hold its URL.
    return dict(activity, data=dict(data, package=withheld(data["package"])))


def activity_is_withheld(context: dict[str, Any], activity_id: str) -> bool:
    """True when the activity belongs to a closed dataset the viewer may not see the data of."""
    from ckanext.activity.model import Activity

    activity = model.Session.get(Activity, activity_id)
    if activity is None or is_internal_call(context):
        return False
    closed, owner_org = _activity_package_closed({"object_id": activity.object_id, "data": activity.data or {}})
    return closed and not viewer_may_see_data(context, owner_org)
