"""`make run` shows requests: the demo data requests and ideas land at the demo organisations once,
confirmed and supported without sending a mail, one answered with a demo dataset, one refused as
closed data with its Woo ground, one being handled, spread over the last days."""

from __future__ import annotations

import datetime

import attenderingen_support
import pytest
from ckan.tests import factories

from ckanext.openoverheid.demo.verzoeken import DEMO, load_demo_verzoeken
from ckanext.openoverheid.verzoeken.model import Verzoek

sink = attenderingen_support.sink


@pytest.mark.usefixtures("portal")
def test_demo_requests_are_added_once_answered_and_without_mail(app, sink, api):
    for name in ("gemeente-utrecht", "gemeente-zwolle", "gemeente-groningen"):
        organization = factories.Organization(name=name, title=name.replace("gemeente-", "Gemeente ").title())
        if name == "gemeente-utrecht":
            factories.Dataset(name="parkeergarages-utrecht", title="Parkeergarages Utrecht",
                              owner_org=organization["id"])
    assert load_demo_verzoeken() == len(DEMO)
    assert load_demo_verzoeken() == 0  # idempotent
    from ckan import model

    stored = model.Session.query(Verzoek).all()
    assert len(stored) == len(DEMO) and all(v.confirmed and not v.hidden for v in stored)
    assert {v.soort for v in stored} == {"data", "idee"}
    assert all(v.lat is not None for v in stored if v.soort == "idee")
    by_status = {v.status: v for v in stored}
    assert set(by_status) == {"ontvangen", "in_behandeling", "gepubliceerd", "afgewezen"}
    assert by_status["in_behandeling"].antwoord
    refused = by_status["afgewezen"]
    assert refused.woo_grounds == ["5.1.2.d"] and refused.review_date and refused.antwoord
    now = datetime.datetime.now(datetime.UTC)
    assert min(v.created for v in stored) < now - datetime.timedelta(days=7)
    assert all(v.updated >= v.created for v in stored)
    expected = {d.titel: d.supporters + 1 for d in DEMO}
    assert {v.titel: v.support_count for v in stored} == expected
    assert sink.messages() == []  # the demo addresses are confirmed directly

    published = api("verzoek_show", _method="GET", id=by_status["gepubliceerd"].id)
    assert published["dataset"]["name"] == "parkeergarages-utrecht"
    listed = api("verzoek_list", _method="GET", sort="nieuw")
    assert listed["count"] == len(DEMO)
    feed = app.get("/feeds/verzoeken.rss").get_data(as_text=True)
    assert "Watertappunt in het Griftpark" in feed and "example.org" not in feed
