"""Every Redis key the portal writes starts with its own ``ckan.site_id``, so that two portals sharing one
Redis never read or overwrite each other's rate limits, caches or notes (``keys.py``)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from ckan.lib.redis import connect_to_redis
from ckan.tests import factories


def _our_keys() -> set[str]:
    return {key.decode() for key in connect_to_redis().scan_iter(match="*openoverheid*")}


@pytest.fixture
def empty_redis(portal: None, reset_redis: Any) -> None:
    reset_redis("*openoverheid*")


@pytest.mark.usefixtures("empty_redis")
def test_every_feature_writes_its_keys_under_the_site_id(app: Any, ckan_config: Any, mail_server: Any) -> None:
    from ckanext.openoverheid import ratelimit, resilience
    from ckanext.openoverheid.afvalkalender import lookup
    from ckanext.openoverheid.openheid import review
    from harvesters.afvalkalender.model import Adres

    site = ckan_config["ckan.site_id"]
    admin = factories.User(email="beheer@example.org")
    organization = factories.Organization(users=[{"name": admin["name"], "capacity": "admin"}])
    closed = factories.Dataset(
        owner_org=organization["id"], access_rights="niet-publiek", woo_grounds=["5.1.2.e"],
        woo_motivation="De gegevens raken de persoonlijke levenssfeer van bewoners.", review_date="2027-01-01",
    )
    factories.Dataset(owner_org=organization["id"])

    ratelimit.hit(connect_to_redis(), [ratelimit.Limit("meldingen", "rate", "ip:203.0.113.9", 5, 60, "ip")])
    resilience._mark_pending(closed["id"])
    flagged = review.review_closures(today=datetime.date(2030, 1, 1), mode=review.ExpiredClosure.FLAG)
    assert flagged.mails_sent == 1  # and noted that it did, so the admins are told once
    assert b"rdf:RDF" in app.get("/export/datasets.rdf").get_data()  # streamed: read it all, keeping fragments
    source = lookup.Source(id="bron-1", name="bron", url="http://provider.invalid/", config=None)  # type: ignore[arg-type]
    ratelimit.hit(connect_to_redis(), lookup.on_demand_limits("client-hash", source))
    connect_to_redis().setex(lookup._unknown_key(source, Adres("3512AH", 13, "")), 60, "1")

    written = _our_keys()
    features = {key.split(":")[2] for key in written}
    assert {"meldingen", "herindexeer", "review", "export-rdf", "afvalkalender"} <= features, written
    assert all(key.startswith(f"{site}:openoverheid:") for key in written), written


@pytest.mark.usefixtures("empty_redis")
def test_two_site_ids_never_share_a_key(ckan_config: Any, monkeypatch: Any) -> None:
    from ckanext.openoverheid.keys import key_prefix, redis_key

    monkeypatch.setitem(ckan_config, "ckan.site_id", "gemeente-a")
    first = {redis_key("meldingen", "rate", "x", 60, 1), key_prefix("export-rdf")}
    monkeypatch.setitem(ckan_config, "ckan.site_id", "gemeente-b")
    second = {redis_key("meldingen", "rate", "x", 60, 1), key_prefix("export-rdf")}
    assert first.isdisjoint(second)
    assert all(key.startswith("gemeente-b:openoverheid:") for key in second)
