"""A small catalogue for the DCAT and export tests, created through the Action API as a publisher
would: one public dataset with every DCAT-AP-DONL field, one restricted and one closed dataset
whose resources carry a unique marker, and one private dataset with a marker of its own."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

NLD = "http://publications.europa.eu/resource/authority/language/NLD"
MOTIVATION = (
    "De adressen van de opvanglocaties zijn bijzondere persoonsgegevens; openbaarmaking brengt de "
    "veiligheid van de bewoners in gevaar."
)


@dataclass
class Catalogue:
    marker: str  # in the resources of the closed datasets
    private_marker: str  # in the title and resources of the private dataset
    org: dict[str, Any]
    public: dict[str, Any]
    restricted: dict[str, Any]
    closed: dict[str, Any]
    private: dict[str, Any]

    @property
    def listed(self) -> list[dict[str, Any]]:
        """The datasets every visitor may find."""
        return [self.public, self.restricted, self.closed]


def review_date() -> str:
    return (datetime.date.today() + datetime.timedelta(days=700)).isoformat()


def create_catalogue(api: Callable[..., Any]) -> Catalogue:
    marker = f"GEHEIM{uuid.uuid4().hex[:12]}"
    private_marker = f"PRIVE{uuid.uuid4().hex[:12]}"
    org = api("organization_create", name="gemeente-dcatdorp", title="Gemeente Dcatdorp")

    public = api(
        "package_create",
        name="speeltuinen-dcatdorp",
        title="Speeltuinen Dcatdorp",
        notes="Alle speeltuinen, met <b>kapotte <i>HTML & een \x07belteken.",
        owner_org=org["id"],
        identifier="https://data.dcatdorp.nl/id/speeltuinen",
        contact=[{"name": "Team Open Data", "email": "opendata@dcatdorp.nl", "url": "https://dcatdorp.nl/data"}],
        license_id="cc-by",
        theme=["http://standaarden.overheid.nl/owms/terms/Cultuur_en_recreatie"],
        hvd_category=["http://data.europa.eu/bna/c_ac64a52d"],
        tag_string="spelen,buitenruimte",
        language=[NLD],
        metadata_language=NLD,
        modified="2025-02-01",
        frequency="http://publications.europa.eu/resource/authority/frequency/MONTHLY",
        temporal_coverage=[{"start": "2024-01-01", "end": "2024-12-31"}],
        spatial_coverage=[{"uri": "http://sws.geonames.org/2745912/", "text": "Dcatdorp"}],
        dataset_status="http://data.overheid.nl/status/beschikbaar",
        access_rights="publiek",
        resources=[
            {
                "url": "https://data.dcatdorp.nl/speeltuinen.csv",
                "name": "Speeltuinen (CSV)",
                "description": "Eén rij per speeltuin",
                "format": "CSV",
                "size": 2048,
                "mimetype": "text/csv",
            }
        ],
    )
    closed_fields = {
        "owner_org": org["id"],
        "woo_grounds": ["5.1.2.e", "5.1.1.d"],
        "woo_motivation": MOTIVATION,
        "review_date": review_date(),
        "theme": ["http://standaarden.overheid.nl/owms/terms/Openbare_orde_en_veiligheid"],
        "contact": [{"name": "Team Veiligheid", "email": "veiligheid@dcatdorp.nl"}],
    }
    restricted = api(
        "package_create",
        name="camerabeelden-dcatdorp",
        title="Camerabeelden Dcatdorp",
        notes="Beelden van de cameratoezicht in het centrum.",
        access_rights="beperkt",
        resources=[{"url": f"https://data.dcatdorp.nl/{marker}/beelden.zip", "name": f"Beelden {marker}",
                    "format": "ZIP"}],
        **closed_fields,
    )
    closed = api(
        "package_create",
        name="opvanglocaties-dcatdorp",
        title="Opvanglocaties Dcatdorp",
        notes="Adressen van de opvanglocaties.",
        access_rights="niet-publiek",
        resources=[{"url": f"https://data.dcatdorp.nl/{marker}/locaties.csv", "name": "Locaties",
                    "description": f"Bestand {marker}", "format": "CSV"}],
        **closed_fields,
    )
    private = api(
        "package_create",
        name="concept-dcatdorp",
        title=f"Concept {private_marker}",
        notes="Nog niet gepubliceerd.",
        owner_org=org["id"],
        private=True,
        resources=[{"url": f"https://data.dcatdorp.nl/{private_marker}.csv", "format": "CSV"}],
    )
    return Catalogue(marker, private_marker, org, public, restricted, closed, private)
