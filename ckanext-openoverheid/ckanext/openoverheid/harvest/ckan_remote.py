"""Harvesting another CKAN through its Action API: ckanext-harvest's CKAN harvester with the portal's
rules. Plugin ``openoverheid_ckan_harvester``, source type ``ckan``.

What ckanext-harvest's ``CKANHarvester`` does that a portal shared by many organisations cannot allow:

- **It finds "the existing dataset" by the remote dataset's id, portal-wide, and creates its copy with
  that id.** Harvesting a portal whose ids exist here (this portal itself, or a copy of a catalogue
  another organisation already harvested) updates that dataset and moves it into the source's
  organisation. Here a copy's id is derived from the source's id and the remote id (``local_id``), its
  guid is the source's own (``dcat_rdf.source_guid``), and the lookup only finds what a harvest object
  of this source points to.
- **It keeps the remote resources' ids**: a copy of a dataset whose resources exist here (this portal
  itself) fails to import ("Resource id already exists"), and CKAN saves a resource dict with a known
  id onto that resource. They are dropped; CKAN gives the copy's resources their own ids.
- **Configuration that assigns other organisations or groups** (``remote_orgs``, ``remote_groups``:
  put datasets in, or create, organisations and groups named by the remote; ``default_groups``) and
  options that do not fit here (``api_key``: a credential in a configuration its organisation's
  editors read, and the remote's private datasets; ``user``; ``default_extras``/``override_extras``:
  free extras beside the portal's schema) are refused when the source is saved, and a job of a source
  saved with them before stops with a gather error.
- **Fetched with requests, unguarded**: here through ``harvesters.http.HttpClient`` (no loopback, private
  or metadata addresses unless allowed, a size limit, time-outs); the URL is also checked when the
  source is saved (``source_url``).

A record equal to the one harvested last time is reported "not modified" instead of written again. The
remote's package dicts carry the portal's own fields (access rights, Woo grounds) when the remote runs
this portal, so closed datasets arrive with their grounds; their resources are withheld from anonymous
visitors there and so never arrive.
"""

from __future__ import annotations

import contextvars
import json
import logging
import uuid
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckanext.harvest.harvesters.ckanharvester import CKANHarvester, ContentFetchError
from ckanext.harvest.model import HarvestObject

from ckanext.openoverheid.harvest.dcat_rdf import same_record, source_guid
from ckanext.openoverheid.harvest.site import allowed_private_hosts, max_response_bytes
from harvesters.errors import FetchError
from harvesters.http import HttpClient

log = logging.getLogger(__name__)

# Options of CKANHarvester this portal refuses (see the module docstring and ``refusal_reason``).
REFUSED_OPTIONS = ("remote_orgs", "remote_groups", "default_groups", "api_key", "user", "default_extras",
                   "override_extras")
# Fields of a remote package dict that say where it lives there, not what it is.
REMOTE_ONLY_FIELDS = ("id", "name", "owner_org", "organization", "groups", "creator_user_id", "state",
                      "metadata_created", "metadata_modified", "relationships_as_object",
                      "relationships_as_subject", "revision_id")
REMOTE_ONLY_RESOURCE_FIELDS = ("id", "package_id", "url_type", "revision_id", "created", "metadata_modified")
_importing_source: contextvars.ContextVar[str] = contextvars.ContextVar("openoverheid_ckan_importing_source")


def refused_options(config: dict[str, Any]) -> list[str]:
    """The refused options present in ``config``, in the order of ``REFUSED_OPTIONS``."""
    return [key for key in REFUSED_OPTIONS if key in config]


def refusal_reason(option: str) -> str:
    """Why ``option`` is refused, in the user's language."""
    if option == "remote_orgs":
        return tk._("a harvested dataset belongs to the source's organisation; a harvest neither creates "
                    "organisations nor assigns datasets to them")
    if option in ("remote_groups", "default_groups"):
        return tk._("a harvest neither creates groups nor adds datasets to them")
    if option == "api_key":
        return tk._("the portal harvests what the other portal publishes, without credentials in the "
                    "configuration (which the organisation's editors can read)")
    if option == "user":
        return tk._("harvests run as the portal's site user")
    return tk._("the portal's schema has no free extras")


def local_id(source_id: str, remote_id: str) -> str:
    """The id of the copy of ``remote_id`` made by ``source_id``: never a remote id, never another source's."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"openoverheid-ckan-harvest:{source_id}:{remote_id}"))


def local_package_dict(remote: dict[str, Any], source_id: str, owner_org: str | None) -> dict[str, Any]:
    """The package dict of this source's copy of ``remote`` (a remote ``package_show``/search dict)."""
    package = {key: value for key, value in remote.items() if key not in REMOTE_ONLY_FIELDS}
    package["id"] = local_id(source_id, str(remote["id"]))
    package["name"] = remote.get("name") or remote.get("title")
    package["owner_org"] = owner_org
    package["state"] = "active"  # a copy deleted here comes back, as the DCAT harvester recreates one
    # free tags by name: a tag's id or vocabulary is the remote's, and CKAN saves a tag dict onto the tag
    # with its id, portal-wide
    package["tags"] = [{"name": tag["name"]} for tag in remote.get("tags") or []
                       if tag.get("name") and not tag.get("vocabulary_id")]
    package["resources"] = [
        {key: value for key, value in resource.items() if key not in REMOTE_ONLY_RESOURCE_FIELDS}
        for resource in remote.get("resources") or []
    ]
    return package


class OpenOverheidCKANHarvester(CKANHarvester):
    """IHarvester for other CKAN portals (plugin ``openoverheid_ckan_harvester``)."""

    guards_source_url = True  # source_url.refuse_unsafe_url checks the URL when the source is saved

    def info(self) -> dict[str, str]:
        return {
            "name": "ckan",
            "title": "CKAN",
            "description": "Another CKAN portal, through its Action API (package_search)",
            "form_config_interface": "Text",
        }

    def validate_config(self, config: str | None) -> str | None:
        if config:
            try:
                parsed = json.loads(config)
            except ValueError:
                raise ValueError(tk._("The configuration is not valid JSON.")) from None
            if not isinstance(parsed, dict):
                raise ValueError(tk._("The configuration must be a JSON object."))
            refused = refused_options(parsed)
            if refused:
                raise ValueError(tk._("These options are not available on this portal: {options}.").format(
                    options="; ".join(f"{option} ({refusal_reason(option)})" for option in refused)))
        return super().validate_config(config)

    def _get_content(self, url: str) -> str:
        try:
            with HttpClient(timeout=30.0, max_bytes=max_response_bytes(), max_retries=2,
                            allowed_private_hosts=allowed_private_hosts()) as client:
                return client.get(url, accept=("application/json",)).text
        except FetchError as error:
            raise ContentFetchError(str(error)) from None

    def gather_stage(self, harvest_job: Any) -> list[str] | None:
        source = harvest_job.source
        refused = refused_options(json.loads(source.config) if source.config else {})
        if refused:
            self._save_gather_error(
                "The source's configuration has options this portal refuses (edit the source to see why): "
                + ", ".join(refused), harvest_job)
            return None
        object_ids = super().gather_stage(harvest_job)
        for harvest_object in model.Session.query(HarvestObject).filter(HarvestObject.id.in_(object_ids or [])):
            harvest_object.guid = source_guid(source.id, harvest_object.guid)
        model.Session.commit()
        return object_ids

    def import_stage(self, harvest_object: Any) -> bool | str:
        source_id = harvest_object.harvest_source_id
        if harvest_object.content is None:
            return super().import_stage(harvest_object)
        remote = json.loads(harvest_object.content)
        if remote.get("type", "dataset") != "dataset":
            self._save_object_error(f"Skipped: the remote record is a {remote.get('type')}, not a dataset",
                                    harvest_object, "Import")
            return False
        previous = (model.Session.query(HarvestObject)
                    .filter(HarvestObject.guid == harvest_object.guid,
                            HarvestObject.harvest_source_id == source_id,
                            HarvestObject.current.is_(True), HarvestObject.id != harvest_object.id)
                    .first())
        if (previous is not None and previous.package_id and previous.content
                and self._own_copy(previous.package_id, source_id, active_only=True)
                and same_record(json.loads(previous.content), remote)):
            previous.current = False
            previous.add()
            harvest_object.current = True
            harvest_object.package_id = previous.package_id
            harvest_object.add()
            model.Session.commit()
            return "unchanged"
        token = _importing_source.set(source_id)
        try:
            return super().import_stage(harvest_object)
        finally:
            _importing_source.reset(token)

    def modify_package_dict(self, package_dict: dict[str, Any], harvest_object: Any) -> dict[str, Any]:
        source = model.Package.get(harvest_object.harvest_source_id)
        return local_package_dict(package_dict, harvest_object.harvest_source_id,
                                  source.owner_org if source is not None else None)

    @staticmethod
    def _own_copy(package_id: str, source_id: str, active_only: bool) -> bool:
        """True when ``package_id`` is a dataset (an active one, with ``active_only``) that a harvest
        object of ``source_id`` points to."""
        query = (model.Session.query(model.Package.id)
                 .join(HarvestObject, HarvestObject.package_id == model.Package.id)
                 .filter(model.Package.id == package_id, HarvestObject.harvest_source_id == source_id))
        if active_only:
            query = query.filter(model.Package.state == "active")
        return query.first() is not None

    def _find_existing_package(self, package_dict: dict[str, Any]) -> dict[str, Any]:
        """This source's copy (``package_dict['id']`` is already the local id), never anyone else's."""
        if not self._own_copy(package_dict["id"], _importing_source.get(), active_only=False):
            raise tk.ObjectNotFound
        return super()._find_existing_package(package_dict)
