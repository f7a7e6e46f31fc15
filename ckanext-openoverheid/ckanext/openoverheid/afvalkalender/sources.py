"""The sources of waste calendars: the active ``afvalkalender`` harvest sources, or, on a portal
without ckanext-harvest, the DataStore tables that hold calendars (each standing for a source).
See ``lookup.py`` for which of them answers an address."""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from typing import Any

import ckan.authz as authz
import ckan.model as model
import ckan.plugins as p

from ckanext.openoverheid import stored_tables
from ckanext.openoverheid.afvalkalender.config import AfvalkalenderConfig, parse_config
from ckanext.openoverheid.afvalkalender.table import TABLE
from harvesters.afvalkalender.model import Adres

__all__ = ["SOURCE_TYPE", "Source", "harvest_sources", "may_use", "sources", "stored_sources"]

log = logging.getLogger(__name__)

SOURCE_TYPE = "afvalkalender"


@dataclass(frozen=True)
class Source:
    """An active ``afvalkalender`` harvest source with its checked config, its title, its
    organisation (``owner_org`` id, its name and title) and whether its harvest-source dataset is private."""

    id: str
    name: str
    url: str
    config: AfvalkalenderConfig
    title: str = ""
    owner_org: str = ""
    organization_name: str = ""
    organization_title: str = ""
    private: bool = False
    stored_dataset: str = ""  # without ckanext-harvest: the dataset of a table, which stands for a source

    @functools.cached_property
    def dataset_name(self) -> str:
        """The dataset this source fills, in its own organisation (``table_target.target_dataset_name``)."""
        if self.stored_dataset:
            return self.stored_dataset
        from ckanext.openoverheid.harvest.table_target import target_dataset_name

        return target_dataset_name(self)

    def covers(self, adres: Adres) -> bool:
        """Whether the address lies in this source's area; a stored table has none: it answers for what it holds."""
        return bool(self.stored_dataset) or self.config.covers(adres)


def sources(context: dict[str, Any] | None = None) -> list[Source]:
    """Active ``afvalkalender`` sources, newest first; a deleted or disabled source is not among them
    (read from the database on every call: no cache to outlive a change), nor one whose config no
    longer parses. Without ckanext-harvest: the stored tables the viewer of ``context`` may read."""
    if not p.plugin_loaded("harvest"):
        return stored_sources(context or {})
    return harvest_sources()


def _gemeente_of(dataset: dict[str, Any]) -> str:
    places = [place.get("text") for place in dataset.get("spatial_coverage") or [] if isinstance(place, dict)]
    return next((str(place) for place in places if place), str(dataset.get("title") or dataset["name"]))


def stored_sources(context: dict[str, Any]) -> list[Source]:
    """The afvalkalender tables the viewer may read, each standing for a source (no harvest sources)."""
    found = []
    for table in stored_tables.readable_tables(TABLE.field_ids, context):
        dataset = table.dataset
        organization = dataset.get("organization") or {}
        config = AfvalkalenderConfig(gemeente=_gemeente_of(dataset), provider="", adressen=(), postcodes=())
        found.append(Source(
            id=dataset["id"], name=dataset["name"], url="", config=config, title=dataset.get("title") or "",
            owner_org=dataset.get("owner_org") or "", organization_name=organization.get("name") or "",
            organization_title=organization.get("title") or organization.get("name") or "",
            private=bool(dataset.get("private")), stored_dataset=dataset["name"],
        ))
    return found


def harvest_sources() -> list[Source]:
    """The active ``afvalkalender`` harvest sources (see ``sources``)."""
    from ckanext.harvest.model import HarvestSource

    found = []
    query = (
        model.Session.query(HarvestSource, model.Package)
        .join(model.Package, model.Package.id == HarvestSource.id)
        .filter(HarvestSource.type == SOURCE_TYPE, HarvestSource.active.is_(True), model.Package.state == "active")
        .order_by(HarvestSource.created.desc())
    )
    for source, package in query:
        try:
            config = parse_config(source.config)
        except ValueError as error:
            log.warning("afvalkalender source %s has a config that does not parse: %s", source.id, error)
            continue
        organization = model.Group.get(package.owner_org) if package.owner_org else None
        found.append(Source(
            id=source.id, name=package.name, url=source.url, config=config, title=package.title or package.name,
            owner_org=package.owner_org or "",
            organization_name=organization.name if organization is not None else "",
            organization_title=(organization.title or organization.name) if organization is not None else "",
            private=bool(package.private),
        ))
    return found


def may_use(source: Source, context: dict[str, Any]) -> bool:
    """Whether ``source`` may answer (from its table or its provider) for the viewer of ``context``:
    a public source for anyone, a private one only for its organisation's members and sysadmins."""
    if not source.private:
        return True
    user = context.get("user") or ""
    if not user:
        return False
    return authz.is_sysadmin(user) or authz.has_user_permission_for_group_or_org(source.owner_org, user, "read")
