"""A portal with something to steal, shared by the action authorisation tests.

Organisation A has a harvested dataset closed with Woo grounds (its resource URL, description,
DataStore rows and harvest object carry a marker), a Woo publication with one open and one closed
document (the closed one's URL, description and DataStore rows carry the marker), a private
afvalkalender source whose URL and config carry a secret, and a public source whose config holds a
provider API key. A resident has a confirmed e-mail alert (the address is personal data). Organisation B
has an editor: the outsider. Real PostgreSQL, Solr and Redis."""

from __future__ import annotations

import datetime
import json
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from ckan.tests import factories

MOTIVATION = "Openbaarmaking brengt de veiligheid van de bewoners van de opvanglocaties in gevaar."


def _letters(prefix: str) -> str:
    # letters only: Solr's word splitting would cut a mixed marker into tokens found elsewhere
    return prefix + uuid.uuid4().hex[:12].translate(str.maketrans("0123456789", "ghijklmnop"))


@dataclass
class World:
    marker: str  # in the closed dataset's data: resource URL and description, DataStore rows, harvest object
    secret: str  # in the private source's URL and config, and in the public source's config
    org_a: dict[str, Any]
    org_b: dict[str, Any]
    closed: dict[str, Any]
    resource: dict[str, Any]
    publication: dict[str, Any]
    document: dict[str, Any]  # the publication's closed document
    private_source: dict[str, Any]
    public_source: dict[str, Any]
    job_id: str
    object_id: str
    editor_a: dict[str, Any]
    admin_a: dict[str, Any]
    outsider: dict[str, Any]  # editor of organisation B
    activities: dict[str, str]  # the newest activity of the closed dataset and of each source
    subscriber: str  # the e-mail address of a resident's alert
    subscription_id: str

    @property
    def secrets(self) -> tuple[str, str, str]:
        return self.marker, self.secret, self.subscriber


def _afvalkalender_config(secret: str) -> str:
    return json.dumps({"gemeente": "Geheimstad", "provider": "mijnafvalwijzer", "apikey": secret,
                       "adressen": ["3512AH 13"]})


@pytest.fixture
def world(api: Any) -> World:
    from ckan import model
    from ckanext.harvest.model import HarvestJob, HarvestObject

    marker, secret = _letters("geheim"), _letters("sleutel")
    editor_a, admin_a, outsider = (factories.UserWithToken() for _ in range(3))
    org_a = api("organization_create", name="gemeente-geheimstad", title="Gemeente Geheimstad",
                users=[{"name": editor_a["name"], "capacity": "editor"},
                       {"name": admin_a["name"], "capacity": "admin"}])
    org_b = api("organization_create", name="gemeente-buurdorp", title="Gemeente Buurdorp",
                users=[{"name": outsider["name"], "capacity": "editor"}])
    private_source = api("harvest_source_create", name="afvalkalender-geheimstad-prive",
                         title="Afvalkalender Geheimstad (prive)", url=f"http://127.0.0.1:9/{secret}",
                         source_type="afvalkalender", frequency="MANUAL", owner_org=org_a["id"],
                         private=True, config=_afvalkalender_config(secret))
    public_source = api("harvest_source_create", name="afvalkalender-geheimstad",
                        title="Afvalkalender Geheimstad", url="http://127.0.0.1:9/afval",
                        source_type="afvalkalender", frequency="MANUAL", owner_org=org_a["id"],
                        config=_afvalkalender_config(secret))
    closed = api(
        "package_create", name="opvanglocaties-geheimstad", title="Opvanglocaties Geheimstad",
        notes="Adressen van de opvanglocaties in Geheimstad.", owner_org=org_a["id"],
        access_rights="niet-publiek", woo_grounds=["5.1.2.e"], woo_motivation=MOTIVATION,
        review_date=(datetime.date.today() + datetime.timedelta(days=400)).isoformat(),
        contact=[{"name": "Team Open Data", "email": "opendata@geheimstad.nl"}],
        theme=["http://standaarden.overheid.nl/owms/terms/Zorg_en_gezondheid"],
        resources=[{"name": "Locaties", "url": f"https://data.geheimstad.nl/{marker}/locaties.csv",
                    "description": f"Bestand {marker}", "format": "CSV"}],
    )
    resource = closed["resources"][0]
    rows = [{"adres": f"Kerkstraat {n} {marker}"} for n in range(1, 4)]
    api("datastore_create", resource_id=resource["id"], fields=[{"id": "adres", "type": "text"}],
        records=rows, force=True)
    publication = api(
        "package_create", type="publicatie", name="woo-besluit-opvang", title="Besluit op Woo-verzoek opvang",
        owner_org=org_a["id"], informatiecategorie="https://identifier.overheid.nl/tooi/def/thes/kern/c_3baef532",
        handeling_datum="2026-11-28",
        resources=[{"name": "Besluit", "url": "https://data.geheimstad.nl/besluit.pdf"},
                   {"name": "Bijlage", "url": f"https://data.geheimstad.nl/{marker}/bijlage.pdf",
                    "description": f"Bijlage {marker}", "access_rights": "niet-publiek", "woo_grounds": ["5.1.2.e"],
                    "woo_motivation": MOTIVATION,
                    "review_date": (datetime.date.today() + datetime.timedelta(days=400)).isoformat()}],
    )
    document = publication["resources"][1]
    api("datastore_create", resource_id=document["id"], fields=[{"id": "adres", "type": "text"}],
        records=rows, force=True)

    # what a harvest of the private source left behind: a finished job and the dataset's current object
    job = HarvestJob(source_id=private_source["id"], status="Finished")
    job.save()
    harvested = HarvestObject(job=job, source=job.source, package_id=closed["id"], guid=f"opvang-{marker}",
                              content=json.dumps(rows), current=True, state="COMPLETE",
                              import_finished=datetime.datetime.utcnow())
    harvested.save()
    model.Session.commit()
    subscriber = _letters("abonnee") + "@example.org"
    subscription_id = _confirmed_alert(subscriber)
    activities = {key: _newest_activity(package["id"]) for key, package in
                  (("closed dataset", closed), ("private source", private_source), ("public source", public_source))}
    return World(marker=marker, secret=secret, org_a=org_a, org_b=org_b, closed=closed, resource=resource,
                 publication=publication, document=document, private_source=private_source,
                 public_source=public_source, job_id=job.id,
                 object_id=harvested.id, editor_a=editor_a, admin_a=admin_a, outsider=outsider,
                 activities=activities, subscriber=subscriber, subscription_id=subscription_id)


def _confirmed_alert(email: str) -> str:
    from ckanext.openoverheid.attenderingen import subscriptions, tokens
    from ckanext.openoverheid.attenderingen.sources import source_for

    errors: dict[str, list[str]] = {}
    criteria = source_for("vergunningen").criteria({"lat": 52.09, "lon": 5.12, "straal": 500}, errors)
    subscription, _ = subscriptions.subscribe(email, "vergunningen", criteria, "nl")
    assert subscriptions.confirm(tokens.make(tokens.Purpose.CONFIRM, subscription.id)).outcome == "confirmed"
    return subscription.id


def _newest_activity(object_id: str) -> str:
    from ckan import model
    from ckanext.activity.model import Activity

    activity = (model.Session.query(Activity).filter(Activity.object_id == object_id)
                .order_by(Activity.timestamp.desc()).first())
    assert activity is not None, f"no activity for {object_id}"
    return activity.id


def call(app: Any, action: str, user: dict[str, Any] | None = None, **data: Any) -> Any:
    """POST to the Action API as ``user`` (anonymous when None); the response."""
    headers = {"Authorization": user["token"]} if user else {}
    return app.post(f"/api/3/action/{action}", json=data, headers=headers)
