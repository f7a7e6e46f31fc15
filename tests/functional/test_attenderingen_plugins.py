"""A kind of alert is offered only where its data is served: a portal without the permits plugin
offers no permit alerts, in the form or the API."""

from __future__ import annotations

from typing import Any

import pytest

WITHOUT_PERMITS = ("openoverheid activity scheming_datasets scheming_organizations dcat datastore "
                   "openoverheid_afvalkalender openoverheid_participatie openoverheid_attenderingen")

pytestmark = pytest.mark.ckan_config("ckan.plugins", WITHOUT_PERMITS)


@pytest.fixture
def portal_without_permits(clean_db: Any, clean_index: Any, with_plugins: Any, migrate_db_for: Any,
                           clean_attenderingen_redis: None) -> None:
    for plugin in ("activity", "openoverheid_participatie", "openoverheid_attenderingen"):
        migrate_db_for(plugin)


def test_a_portal_without_permits_offers_no_permit_alerts(app, portal_without_permits):
    page = app.get("/attenderingen").get_data(as_text=True)
    assert "soort=afvalkalender" in page and "soort=meldingen" in page and "soort=datasets" in page
    assert "soort=vergunningen" not in page
    refused = app.post("/api/3/action/attendering_create",
                       json={"email": "buur@example.org", "soort": "vergunningen", "lat": 52.09, "lon": 5.12})
    assert refused.status_code == 409 and "soort" in refused.get_json()["error"]
    offered = app.post("/api/3/action/attendering_create", json={"email": "buur@example.org", "soort": "datasets"})
    assert offered.status_code == 200, offered.get_data(as_text=True)
