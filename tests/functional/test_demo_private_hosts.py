"""Nothing private by default: with ``ckanext.openoverheid.allowed_private_hosts`` empty (as
config/ckan.ini.template writes it for `make run`), the demo still harvests its own sample servers on
127.0.0.1, while a sysadmin's source at the portal's own services or a private network is refused."""

from __future__ import annotations

import json

import ckan.plugins.toolkit as tk
import pytest

pytestmark = pytest.mark.usefixtures("portal")

INSIDE = ["http://127.0.0.1:6379/", "http://127.0.0.1:5432/", "http://169.254.169.254/", "http://10.0.0.1/"]


@pytest.fixture(autouse=True)
def nothing_private(ckan_config, monkeypatch):
    """The portal's own setting (test.ini allows 127.0.0.1 for the tests' fake feeds)."""
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.allowed_private_hosts", "")


def _source(organization_id: str, source_type: str, url: str) -> dict:
    config = ({"gemeente": "Utrecht"} if source_type == "vergunningen" else
              {"gemeente": "Utrecht", "provider": "mijnafvalwijzer", "apikey": "geheim", "adressen": ["3512AH 13"]})
    return {"name": f"bron-{source_type}-binnen", "title": "Bron binnen", "url": url, "source_type": source_type,
            "frequency": "MANUAL", "owner_org": organization_id, "config": json.dumps(config)}


def test_demo_harvests_its_own_server_while_the_portal_refuses_inside_addresses(api, app, sysadmin, ckan_config):
    from ckanext.openoverheid.demo import afvalkalender as afvalkalender_demo
    from ckanext.openoverheid.demo import vergunningen as vergunningen_demo

    assert ckan_config["ckanext.openoverheid.allowed_private_hosts"] == ""
    organization = api("organization_create", name="gemeente-utrecht", title="Gemeente Utrecht")

    permits = vergunningen_demo.load_demo(feed=vergunningen_demo.SampleFeed(records=30))
    assert permits.status == "Finished" and not permits.gather_errors and not permits.object_errors, permits
    found = app.get("/api/openoverheid/vergunningen", query_string={"gemeente": "Utrecht", "limit": 1000})
    assert found.get_json()["count"] == 30

    calendars = afvalkalender_demo.load_demo()
    assert calendars.status == "Finished" and not calendars.gather_errors and not calendars.object_errors, calendars
    calendar = app.get("/afvalkalender/3512AH/13.ics")
    assert calendar.status_code == 200 and b"BEGIN:VEVENT" in calendar.data

    # the demo's allowance ended with the demo: nothing stayed in the configuration
    assert ckan_config["ckanext.openoverheid.allowed_private_hosts"] == ""
    context = {"user": sysadmin["name"]}
    for source_type in ("vergunningen", "afvalkalender"):
        for url in INSIDE:
            with pytest.raises(tk.ValidationError) as refused:
                tk.get_action("harvest_source_create")(dict(context), _source(organization["id"], source_type, url))
            assert list(refused.value.error_dict) == ["url"], (source_type, url, refused.value.error_dict)


def test_a_later_harvest_of_the_demo_source_is_refused(api):
    """The demo source keeps its sample server's URL; outside the demo that address is not allowed."""
    from ckanext.openoverheid.demo import vergunningen as vergunningen_demo
    from ckanext.openoverheid.harvest.run_now import run_source_now

    api("organization_create", name="gemeente-utrecht", title="Gemeente Utrecht")
    assert vergunningen_demo.load_demo(feed=vergunningen_demo.SampleFeed(records=5)).status == "Finished"
    source = tk.get_action("harvest_source_show")({"ignore_auth": True}, {"id": vergunningen_demo.DEMO_SOURCE_NAME})
    job = run_source_now(source["id"])
    assert len(job.gather_errors) == 1 and "Refused to fetch" in job.gather_errors[0], job.gather_errors


def test_the_refusal_is_a_field_error_in_the_users_language(app, api, sysadmin):
    organization = api("organization_create", name="gemeente-utrecht", title="Gemeente Utrecht")
    headers = {"Authorization": sysadmin["token"]}
    for prefix, says in (("", "Het portaal mag niets ophalen bij 127.0.0.1"),
                         ("/en", "The portal may not fetch from 127.0.0.1")):
        response = app.post(f"{prefix}/api/3/action/harvest_source_create", headers=headers,
                            json=_source(organization["id"], "vergunningen", "http://127.0.0.1:6379/"))
        assert response.status_code == 409, response.get_data(as_text=True)
        error = response.get_json()["error"]
        assert error["__type"] == "Validation Error" and set(error) == {"url", "__type"}, error
        assert says in error["url"][0] and "allowed_private_hosts" in error["url"][0], error
    assert api("harvest_source_list") == []
