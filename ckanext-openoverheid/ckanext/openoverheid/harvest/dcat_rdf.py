"""Harvesting another portal's DCAT catalogue (DCAT-AP, DCAT-AP-NL; RDF/XML, Turtle, JSON-LD): ckanext-dcat's
RDF harvester with the portal's rules. Plugin ``openoverheid_dcat_harvester``, source type ``dcat_rdf``.

What ckanext-dcat's harvester does not do, and a portal shared by many organisations needs:

- **Each source writes only its own datasets.** ckanext-dcat finds "the existing dataset" of a record by
  its guid across the whole portal, so a source of one organisation whose catalogue repeats another's
  identifiers would update that organisation's datasets. Here a guid is prefixed with the source's id,
  so lookups by guid only ever find what this source harvested, and every dataset is owned by the
  source's organisation, whatever the catalogue says.
- **Fetched through the portal's guard** (``harvesters.http``): no loopback, private or metadata
  addresses unless allowed (``ckanext.openoverheid.allowed_private_hosts``), a size limit and time-outs;
  the URL is also checked when the source is saved (``source_url``).
- **A run that finds nothing new changes nothing**: a record whose content is the same as the last
  one harvested is reported "not modified" instead of being written again.

Records are parsed with the profiles of ``ckanext.dcat.rdf.profiles`` (ours: ``openoverheid_donl``), so
access rights and Woo grounds of closed datasets survive the trip.
"""

from __future__ import annotations

import contextvars
import json
import logging
from typing import Any

import ckan.model as model
from ckanext.dcat.harvesters.rdf import DCATRDFHarvester
from ckanext.harvest.model import HarvestObject

from ckanext.openoverheid.harvest.site import allowed_private_hosts, max_response_bytes
from harvesters.errors import FetchError
from harvesters.http import HttpClient

log = logging.getLogger(__name__)

RDF_TYPES = ("application/rdf+xml", "text/turtle", "application/ld+json", "application/n-triples", "text/n3",
             "application/xml", "text/xml", "application/json", "text/plain")
# The source whose job is being gathered: guids are made in ckanext-dcat's gather loop, which does not
# pass the source on. One job is gathered at a time per consumer process.
_gathering_source: contextvars.ContextVar[str] = contextvars.ContextVar("openoverheid_dcat_gathering_source")


def source_guid(source_id: str, remote_guid: str) -> str:
    """The guid of a record of ``source_id``: the remote identifier, prefixed so it is this source's alone."""
    return f"{source_id}:{remote_guid}"


def same_record(previous: dict[str, Any], current: dict[str, Any]) -> bool:
    """True when two harvested records say the same (the name is the portal's choice, not the record's)."""
    def comparable(record: dict[str, Any]) -> dict[str, Any]:
        return {key: value for key, value in record.items() if key != "name"}

    return comparable(previous) == comparable(current)


class OpenOverheidDCATRDFHarvester(DCATRDFHarvester):
    """IHarvester for DCAT catalogues of other portals (plugin ``openoverheid_dcat_harvester``)."""

    guards_source_url = True  # source_url.refuse_unsafe_url checks the URL when the source is saved

    def info(self) -> dict[str, str]:
        return {
            "name": "dcat_rdf",
            "title": "DCAT RDF (DCAT-AP, DCAT-AP-NL)",
            "description": "Another portal's DCAT catalogue (RDF/XML, Turtle, JSON-LD), e.g. /catalog.ttl",
        }

    def gather_stage(self, harvest_job: Any) -> list[str]:
        token = _gathering_source.set(harvest_job.source.id)
        try:
            return super().gather_stage(harvest_job)
        finally:
            _gathering_source.reset(token)

    def _get_guid(self, dataset_dict: dict[str, Any], source_url: str | None = None) -> str | None:
        guid = super()._get_guid(dataset_dict, source_url=source_url)
        return source_guid(_gathering_source.get(), guid) if guid else guid

    def _get_content_and_type(self, url: str, harvest_job: Any, page: int = 1,
                              content_type: str | None = None) -> tuple[str | None, str | None]:
        if page > 1:
            url = f"{url}{'&' if '?' in url else '?'}page={page}"
        try:
            with HttpClient(timeout=30.0, max_bytes=max_response_bytes(), max_retries=2,
                            allowed_private_hosts=allowed_private_hosts()) as client:
                response = client.get(url, accept=RDF_TYPES)
        except FetchError as error:
            self._save_gather_error(f"Could not get the catalogue: {error}", harvest_job)
            return None, None
        return response.text, content_type or response.content_type or None

    def modify_package_dict(self, package_dict: dict[str, Any], dcat_dict: dict[str, Any],
                            harvest_object: Any) -> dict[str, Any]:
        source = model.Package.get(harvest_object.harvest_source_id)
        package_dict["owner_org"] = source.owner_org if source is not None else None
        return package_dict

    def _read_datasets_from_db(self, guid: str) -> list[Any]:
        """Active datasets that a current harvest object of the source in ``guid`` points to."""
        source_id = guid.split(":", 1)[0]
        return (model.Session.query(model.Package.id)
                .join(HarvestObject, HarvestObject.package_id == model.Package.id)
                .filter(HarvestObject.guid == guid, HarvestObject.harvest_source_id == source_id,
                        model.Package.state == "active")
                .distinct().all())

    def import_stage(self, harvest_object: Any) -> bool | str:
        previous = (model.Session.query(HarvestObject)
                    .filter(HarvestObject.guid == harvest_object.guid,
                            HarvestObject.harvest_source_id == harvest_object.harvest_source_id,
                            HarvestObject.current.is_(True), HarvestObject.id != harvest_object.id)
                    .first())
        if (previous is not None and previous.package_id and harvest_object.content and previous.content
                and self._get_object_extra(harvest_object, "status") != "delete"
                and self._read_datasets_from_db(harvest_object.guid)
                and same_record(json.loads(previous.content), json.loads(harvest_object.content))):
            previous.current = False
            previous.add()
            harvest_object.current = True
            harvest_object.package_id = previous.package_id
            harvest_object.add()
            return "unchanged"
        return super().import_stage(harvest_object)
