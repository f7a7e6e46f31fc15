"""Which dataset a source fills (``target_dataset_name``), so that no source writes into another's:

* a source that already filled a dataset (its harvest objects point at it) keeps filling that one,
  as long as it belongs to the source's organisation: installations from before keep their datasets;
* otherwise the dataset is named after the source: ``<source name>-data``. Source names are unique
  site-wide, so two sources, of one organisation or of two, never derive the same name (a name
  longer than CKAN's 100 characters is shortened and made unique with the source's id).

Before anything is written, ``target_conflict`` says whether the source may fill that dataset: it
must belong to the source's organisation, be a dataset (not a harvest source) and not be filled by
another source of that organisation. ``harvest/ownership.py`` refuses such a source when it is
saved; ``import_stage`` refuses the batch again (a source or a dataset moved since): an object
error, nothing written.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckanext.harvest.model import HarvestObject


@dataclass(frozen=True)
class TableTarget:
    """Where a source's rows go: its dataset and that dataset's DataStore table (a resource)."""

    dataset_id: str
    resource_id: str


def existing_table(dataset_name: str) -> TableTarget | None:
    """The active dataset ``dataset_name`` and its active DataStore resource, if both exist."""
    package = model.Package.get(dataset_name)
    if package is None or package.state != "active":
        return None
    for resource in package.resources:  # active ones only
        if (resource.extras or {}).get("datastore_active") in (True, "true", "True"):
            return TableTarget(package.id, resource.id)
    return None


TARGET_SUFFIX = "-data"
MAX_NAME_LENGTH = 100  # CKAN's limit on a dataset name


class ConflictKind(enum.Enum):
    """Why a source may not fill a dataset."""

    OTHER_ORGANIZATION = "other-organization"
    NOT_A_DATASET = "not-a-dataset"  # the name is taken by a harvest source (or another package type)
    OTHER_SOURCE = "other-source"


@dataclass(frozen=True)
class TargetConflict:
    """The dataset ``dataset_name`` is not this source's to fill; ``owner`` names who has it."""

    kind: ConflictKind
    dataset_name: str
    owner_org_title: str
    other_source: str = ""


class TargetNotOwned(Exception):
    """The source's target dataset belongs to someone else: nothing may be written into it."""

    def __init__(self, conflict: TargetConflict) -> None:
        self.conflict = conflict
        reasons = {
            ConflictKind.OTHER_ORGANIZATION: f"die hoort bij de organisatie {conflict.owner_org_title}, niet bij "
            "die van de bron",
            ConflictKind.NOT_A_DATASET: "die naam is al van een oogstbron",
            ConflictKind.OTHER_SOURCE: f"die wordt al gevuld door de bron {conflict.other_source}",
        }
        super().__init__(
            f"Niets opgeslagen in de dataset {conflict.dataset_name}: {reasons[conflict.kind]}. Geef de bron een "
            "andere naam of zet haar terug in de organisatie van de dataset."
        )


def derived_dataset_name(source_name: str, source_id: str = "") -> str:
    """``<source name>-data``; a too long name is cut and keeps its uniqueness with the source's id."""
    name = f"{source_name}{TARGET_SUFFIX}"
    if len(name) <= MAX_NAME_LENGTH:
        return name
    tail = f"-{source_id.replace('-', '')[:8]}{TARGET_SUFFIX}"
    return f"{source_name[: MAX_NAME_LENGTH - len(tail)].rstrip('-_')}{tail}"


def existing_target(source_id: str) -> model.Package | None:
    """The active dataset this source's harvest objects last pointed at, if any."""
    package_id = (
        model.Session.query(HarvestObject.package_id)
        .filter(HarvestObject.harvest_source_id == source_id, HarvestObject.package_id.isnot(None))
        .order_by(HarvestObject.current.desc(), HarvestObject.import_finished.desc().nullslast())
        .limit(1)
        .scalar()
    )
    package = model.Package.get(package_id) if package_id else None
    return package if package is not None and package.state == "active" else None


def planned_target_name(source_id: str | None, source_name: str, owner_org: str | None) -> str:
    """The dataset a source (saved or about to be) fills: see the module docstring."""
    if source_id:
        existing = existing_target(source_id)
        if existing is not None and existing.owner_org == owner_org:
            return existing.name
    return derived_dataset_name(source_name, source_id or "")


def target_dataset_name(source: Any) -> str:
    """Which dataset this source fills. ``source`` is a HarvestSource, or anything with its ``id``."""
    source_package = model.Package.get(source.id)
    if source_package is None:
        raise tk.ObjectNotFound(f"harvest source {source.id}")
    return planned_target_name(source.id, source_package.name, source_package.owner_org)


def _organization_title(organization_id: str | None) -> str:
    group = model.Group.get(organization_id) if organization_id else None
    return (group.title or group.name) if group is not None else "(geen organisatie)"


def target_conflict(source_id: str | None, owner_org: str | None, dataset_name: str) -> TargetConflict | None:
    """Why the source (of organisation ``owner_org``) may not fill ``dataset_name``; None when it may.

    A dataset that does not exist yet is the source's to create. A dataset the source itself filled
    before is checked for its organisation only (two sources of one organisation that shared a
    dataset before this rule keep sharing it).
    """
    package = model.Package.get(dataset_name)
    if package is None:
        return None
    owner = _organization_title(package.owner_org)
    if package.owner_org != owner_org or owner_org is None:
        return TargetConflict(ConflictKind.OTHER_ORGANIZATION, package.name, owner)
    if package.type != "dataset":
        return TargetConflict(ConflictKind.NOT_A_DATASET, package.name, owner)
    filled_by_self = source_id is not None and model.Session.query(
        sa.exists().where(sa.and_(HarvestObject.harvest_source_id == source_id,
                                  HarvestObject.package_id == package.id))
    ).scalar()
    if filled_by_self:
        return None
    other = (
        model.Session.query(model.Package.name)
        .join(HarvestObject, HarvestObject.harvest_source_id == model.Package.id)
        .filter(HarvestObject.package_id == package.id, model.Package.owner_org == package.owner_org,
                model.Package.state == "active")
        .filter(HarvestObject.harvest_source_id != (source_id or ""))
        .limit(1)
        .scalar()
    )
    if other is not None:
        return TargetConflict(ConflictKind.OTHER_SOURCE, package.name, owner, other_source=other)
    return None
