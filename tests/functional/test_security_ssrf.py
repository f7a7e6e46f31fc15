"""SSRF: the portal fetches harvest source URLs and Open311 ``media_url``s on someone's behalf, so an
address on the loopback, a private network, a link-local range or a cloud metadata service is
refused unless ``ckanext.openoverheid.allowed_private_hosts`` allows it (test.ini: 127.0.0.1 and
localhost). Refused when the source is saved, again at every fetch (the allowed list or DNS may have
changed since), and at every redirect."""

from __future__ import annotations

import io
import json
from contextlib import AbstractContextManager
from typing import Any

import ckan.plugins.toolkit as tk
import meldingen_support
import pytest
from harvest_jobs import site_context
from meldingen_support import IN_TESTDAM, jpeg_with_gps
from PIL import Image
from test_security_servers import (
    XML,
    body,
    gzip_bomb,
    redirect,
    running_hostile_server,
    sru_pages,
)
from vergunningen_sru_server import sample_records

from ckanext.openoverheid.harvest.run_now import run_source_now

municipalities = meldingen_support.municipalities

ALLOWED = "ckanext.openoverheid.allowed_private_hosts"

# Addresses no source may point at: (URL, what the refusal must name). Loopback beyond the allowed
# 127.0.0.1, spelled in the ways URL parsers and resolvers disagree on, private ranges, metadata services.
FORBIDDEN = [
    ("http://127.0.0.2/sru", "127.0.0.2"),
    ("http://2130706434/sru", "127.0.0.2"),  # 127.0.0.2 as one decimal number
    ("http://0.0.0.0/sru", "0.0.0.0"),
    ("http://[::1]/sru", "::1"),
    ("http://[::ffff:169.254.169.254]/latest/meta-data/", "169.254.169.254"),
    ("http://169.254.169.254/latest/meta-data/", "metadata"),
    ("http://100.100.100.200/latest/meta-data/", "metadata"),
    ("http://[fd00:ec2::254]/latest/meta-data/", "metadata"),
    ("http://192.168.1.1/sru", "192.168.1.1"),
    ("http://172.16.5.4/sru", "172.16.5.4"),
    ("http://[fe80::1]/sru", "fe80::1"),
    ("gopher://127.0.0.1:6379/_FLUSHALL", "http"),
    ("file:///etc/passwd", "http"),
]


@pytest.fixture
def feed():
    with running_hostile_server() as server:
        yield server


def server_on(host: str) -> AbstractContextManager[Any]:
    """A hostile server on another loopback address (127.0.0.2 is loopback too, but not allowed)."""
    return running_hostile_server(host)


@pytest.fixture
def not_allowed_server():
    with server_on("127.0.0.2") as server:
        server.answer = body(b"<secret/>", XML)
        yield server


def source_dict(organization, source_type: str, url: str) -> dict[str, Any]:
    config = ({"gemeente": "Utrecht", "pause": 0, "timeout": 1} if source_type == "vergunningen" else
              {"gemeente": "Utrecht", "provider": "mijnafvalwijzer", "apikey": "geheim", "adressen": ["3512AH 13"],
               "pause": 0, "timeout": 1})
    return {"name": f"bron-{source_type}", "title": f"Bron {source_type}", "url": url, "source_type": source_type,
            "frequency": "MANUAL", "owner_org": organization["id"], "config": json.dumps(config)}


# --- when the source is saved -------------------------------------------------------------------------


@pytest.mark.parametrize("source_type", ["vergunningen", "afvalkalender"])
def test_a_source_pointing_inside_is_refused_when_saved(api, organization, sysadmin, source_type):
    context = {"user": sysadmin["name"]}
    for url, named in FORBIDDEN:
        with pytest.raises(tk.ValidationError) as refused:
            tk.get_action("harvest_source_create")(dict(context), source_dict(organization, source_type, url))
        assert list(refused.value.error_dict) == ["url"], (url, refused.value.error_dict)
        assert named in str(refused.value.error_dict["url"]), (url, refused.value.error_dict)
    assert tk.get_action("harvest_source_list")(site_context(), {}) == []

    # the allowed host is accepted; changing its URL to a forbidden one later is refused the same way
    created = tk.get_action("harvest_source_create")(
        dict(context), source_dict(organization, source_type, "http://127.0.0.1:9/sru"))
    for action in ("harvest_source_update", "harvest_source_patch"):
        changed = dict(source_dict(organization, source_type, "http://169.254.169.254/latest/"), id=created["id"])
        with pytest.raises(tk.ValidationError) as refused:
            tk.get_action(action)(dict(context), changed)
        assert "url" in refused.value.error_dict, action
    assert tk.get_action("harvest_source_show")(site_context(), {"id": created["id"]})["url"] == "http://127.0.0.1:9/sru"


# --- when it is fetched -------------------------------------------------------------------------------


def test_a_source_allowed_when_saved_is_refused_at_fetch_time(api, organization, feed, ckan_config, monkeypatch):
    """The allowed list (or the host's DNS) changed after the source was saved: every fetch checks again."""
    feed.answer = sru_pages(sample_records(5))
    vergunningen = api("harvest_source_create", **source_dict(organization, "vergunningen", f"{feed.url}/sru"))
    afval = api("harvest_source_create", **source_dict(organization, "afvalkalender", f"{feed.url}/afval/"))

    monkeypatch.setitem(ckan_config, ALLOWED, "10.0.0.0/8 localhost")  # 127.0.0.1 is no longer allowed
    job = run_source_now(vergunningen["id"])
    assert len(job.gather_errors) == 1 and "Refused to fetch" in job.gather_errors[0], job.gather_errors
    assert "127.0.0.1" in job.gather_errors[0] and "allowed_private_hosts" in job.gather_errors[0]
    job = run_source_now(afval["id"])
    assert len(job.object_errors) == 1 and "Refused to fetch" in job.object_errors[0], job.object_errors
    assert feed.requests == []  # not one request left the portal

    monkeypatch.setitem(ckan_config, ALLOWED, "127.0.0.0/30")  # allowed again, now as a CIDR range
    assert run_source_now(vergunningen["id"]).gather_errors == []
    assert len(feed.requests) == 1


def test_redirects_are_checked_at_every_hop(api, organization, feed, not_allowed_server):
    feed.answer = sru_pages(sample_records(5))
    source = api("harvest_source_create", **source_dict(organization, "vergunningen", f"{feed.url}/sru"))
    for target, named in [
        ("http://169.254.169.254/latest/meta-data/iam/security-credentials/", "metadata"),
        (f"{not_allowed_server.url}/sru", "127.0.0.2"),
        ("http://[::1]:6379/", "::1"),
        ("file:///etc/passwd", "scheme"),
    ]:
        feed.routes["/sru"] = redirect(target)
        job = run_source_now(source["id"])
        assert len(job.gather_errors) == 1, (target, job.gather_errors)
        assert "Refused to fetch" in job.gather_errors[0] or "scheme" in job.gather_errors[0], job.gather_errors
        assert named in job.gather_errors[0], (target, job.gather_errors[0])
    assert not_allowed_server.requests == []  # the refused hop was never contacted

    # a redirect within the allowed host is followed
    feed.routes["/sru"] = redirect(f"{feed.url}/sru-nieuw", 301)
    job = run_source_now(source["id"])
    assert job.gather_errors == [] and feed.paths()[-1] == "/sru-nieuw"


# --- Open311 media_url ----------------------------------------------------------------------------------


def _post(app, key: str, media_url: str):
    data = {"api_key": key, "service_code": "losse-stoeptegel", "lat": str(IN_TESTDAM[0]), "long": str(IN_TESTDAM[1]),
            "description": "Tegel los voor de school", "media_url": media_url}
    return app.post("/open311/v2/requests.json", data=data, content_type="multipart/form-data")


def test_open311_media_url_pointing_inside_is_refused(app, municipalities, feed, not_allowed_server, ckan_config,
                                                     monkeypatch):
    from ckan import model

    from ckanext.openoverheid.meldingen import apikeys
    from ckanext.openoverheid.meldingen.model import Melding

    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.meldingen.rate_limit", 100)
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.meldingen.photo_max_size", 1)  # MB
    key = apikeys.create("ssrf-test")[1]
    photo = jpeg_with_gps((400, 300))
    feed.routes["/foto.jpg"] = body(photo, "image/jpeg")
    feed.routes["/naar-metadata.jpg"] = redirect("http://169.254.169.254/latest/meta-data/")
    feed.routes["/naar-127-0-0-2.jpg"] = redirect(f"{not_allowed_server.url}/foto.jpg")
    feed.routes["/bom.jpg"] = gzip_bomb(50_000_000, "image/jpeg")
    not_allowed_server.routes["/foto.jpg"] = body(photo, "image/jpeg")

    for media_url, named in [
        ("http://169.254.169.254/latest/meta-data/", "metadata"),
        ("http://10.0.0.1/foto.jpg", "10.0.0.1"),
        (f"{not_allowed_server.url}/foto.jpg", "127.0.0.2"),
        ("http://[::1]/foto.jpg", "::1"),
        ("file:///etc/passwd", "scheme"),
        (f"{feed.url}/naar-metadata.jpg", "metadata"),
        (f"{feed.url}/naar-127-0-0-2.jpg", "127.0.0.2"),
        (f"{feed.url}/bom.jpg", "bytes"),
    ]:
        response = _post(app, key, media_url)
        errors = response.get_json()
        assert response.status_code == 400, (media_url, response.status_code, errors)
        text = " ".join(e["description"] for e in errors)
        assert "media_url" in text and named in text, (media_url, text)
    assert not_allowed_server.requests == []
    assert model.Session.query(Melding).count() == 0

    # the same photo from the allowed host is fetched, cleaned and stored
    answer = _post(app, key, f"{feed.url}/foto.jpg")
    assert answer.status_code == 201, answer.get_data(as_text=True)
    request_id = answer.get_json()[0]["service_request_id"]
    stored = app.get(f"/meldingen/{request_id}/foto")
    assert stored.status_code == 200 and b"TestPhone" not in stored.data
    assert Image.open(io.BytesIO(stored.data)).size == (400, 300)
