"""Open311 GeoReport v2 at /open311/v2/: every answer checked against the spec's field lists, root
elements, defaults, limits and error format, in JSON and in XML."""

from __future__ import annotations

import datetime
import http.server
import io
import threading

import meldingen_support
import pytest
from click.testing import CliRunner
from lxml import etree
from meldingen_support import IN_ANDERDORP, IN_TESTDAM, OUTSIDE, create_melding, jpeg_with_gps, unique_email
from PIL import Image

from ckanext.openoverheid.meldingen import apikeys
from ckanext.openoverheid.meldingen.cli import open311_key
from ckanext.openoverheid.meldingen.model import Melding
from ckanext.openoverheid.meldingen.open311 import spec

municipalities = meldingen_support.municipalities

SAFE = etree.XMLParser(resolve_entities=False, no_network=True)
BASE = "/open311/v2"


def _xml(response):
    assert response.mimetype == "text/xml", response.mimetype
    return etree.fromstring(response.data, SAFE)


def _json(response):
    assert response.mimetype == "application/json", response.mimetype
    return response.get_json()


def _assert_error(response, status, fmt):
    assert response.status_code == status
    if fmt == "json":
        errors = _json(response)
        assert errors and all(list(e) == ["code", "description"] and e["code"] == status for e in errors)
        return " ".join(e["description"] for e in errors)
    root = _xml(response)
    assert root.tag == "errors" and [c.tag for c in root] == ["error"] * len(root)
    assert all([c.tag for c in error] == ["code", "description"] for error in root)
    assert root[0].findtext("code") == str(status)
    return " ".join(e.findtext("description") for e in root)


@pytest.fixture
def key(municipalities):
    return apikeys.create("test-app")[1]


# --- services ----------------------------------------------------------------------------------------------


def test_services_in_json_and_xml(app, municipalities):
    services = _json(app.get(f"{BASE}/services.json"))
    assert [list(s) for s in services] == [list(spec.SERVICE_FIELDS)] * len(services)
    by_code = {s["service_code"]: s for s in services}
    assert by_code["losse-stoeptegel"]["metadata"] is True and by_code["zwerfafval"]["metadata"] is False
    assert by_code["losse-stoeptegel"]["type"] == "realtime"
    assert "tegel" in by_code["losse-stoeptegel"]["keywords"].split(",")
    assert by_code["losse-stoeptegel"]["service_name"] == "Losse of kapotte stoeptegel"

    root = _xml(app.get(f"{BASE}/services.xml"))
    assert root.tag == "services" and {c.tag for c in root} == {"service"}
    assert [c.findtext("service_code") for c in root] == [s["service_code"] for s in services]
    for element in root:
        assert [c.tag for c in element] == list(spec.SERVICE_FIELDS)
    first = root[0]
    assert first.findtext("metadata") == "true" and first.findtext("group") == services[0]["group"]


def test_service_definition_and_unknown_codes(app, municipalities):
    definition = _json(app.get(f"{BASE}/services/losse-stoeptegel.json"))
    assert list(definition) == ["service_code", "attributes"]
    attribute = definition["attributes"][0]
    assert list(attribute) == list(spec.ATTRIBUTE_FIELDS)
    assert attribute["code"] == "gevaarlijk" and attribute["datatype"] == "singlevaluelist"
    assert attribute["variable"] is True and attribute["required"] is False and attribute["order"] == 1
    assert [list(v) for v in attribute["values"]] == [["key", "name"]] * 2

    root = _xml(app.get(f"{BASE}/services/losse-stoeptegel.xml"))
    assert root.tag == "service_definition" and root.findtext("service_code") == "losse-stoeptegel"
    element = root.find("attributes/attribute")
    assert [c.tag for c in element] == list(spec.ATTRIBUTE_FIELDS)
    assert [v.findtext("key") for v in element.findall("values/value")] == ["ja", "nee"]

    for fmt in ("json", "xml"):
        text = _assert_error(app.get(f"{BASE}/services/ufo.{fmt}"), 404, fmt)
        assert "ufo" in text


def test_discovery(app, municipalities):
    document = _json(app.get(f"{BASE}/discovery.json"))
    assert list(document) == list(spec.DISCOVERY_FIELDS)
    endpoint = document["endpoints"][0]
    assert list(endpoint) == list(spec.ENDPOINT_FIELDS)
    assert endpoint["url"] == "http://test.ckan.net/open311/v2" and endpoint["specification"] == spec.SPECIFICATION_URL
    root = _xml(app.get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery"
    assert {f.text for f in root.findall("endpoints/endpoint/formats/format")} == {"text/xml", "application/json"}


def test_unknown_paths_and_formats_answer_in_the_error_format(app, municipalities):
    _assert_error(app.get(f"{BASE}/requests.csv"), 404, "json")
    _assert_error(app.get(f"{BASE}/nothing/here.xml"), 404, "xml")


# --- GET requests ----------------------------------------------------------------------------------------


def test_requests_have_the_spec_fields_in_both_formats(app, municipalities):
    melding = create_melding(description="Tegel & stoep: hoogteverschil < 2 cm", address="Domplein 9, Utrecht")
    import ckan.plugins.toolkit as tk

    tk.get_action("melding_update_create")({"user": municipalities.editor["name"]},
                                           {"id": melding["id"], "status": "opgelost", "text": "Vastgelegd."})
    rows = _json(app.get(f"{BASE}/requests.json"))
    assert [list(r) for r in rows] == [list(spec.REQUEST_FIELDS)]
    row = rows[0]
    assert row["service_request_id"] == str(melding["id"]) and row["status"] == "closed"
    assert row["status_notes"] == "Vastgelegd." and row["description"] == "Tegel & stoep: hoogteverschil < 2 cm"
    assert row["agency_responsible"] == "Gemeente Testdam" and row["address"] == "Domplein 9, Utrecht"
    assert (row["lat"], row["long"]) == IN_TESTDAM
    assert row["service_name"] == "Losse of kapotte stoeptegel" and row["media_url"] is None
    for moment in (row["requested_datetime"], row["updated_datetime"]):
        assert datetime.datetime.fromisoformat(moment).tzinfo is not None

    root = _xml(app.get(f"{BASE}/requests.xml"))
    assert root.tag == "service_requests" and [c.tag for c in root] == ["request"]
    assert [c.tag for c in root[0]] == list(spec.REQUEST_FIELDS)
    assert root[0].findtext("description") == "Tegel & stoep: hoogteverschil < 2 cm"
    assert root[0].findtext("long") == str(IN_TESTDAM[1])

    one = _json(app.get(f"{BASE}/requests/{melding['id']}.json"))
    assert one == rows
    single = _xml(app.get(f"{BASE}/requests/{melding['id']}.xml"))
    assert single.tag == "service_requests" and single[0].findtext("service_request_id") == str(melding["id"])
    for fmt in ("json", "xml"):
        _assert_error(app.get(f"{BASE}/requests/999.{fmt}"), 404, fmt)
        _assert_error(app.get(f"{BASE}/requests/abc.{fmt}"), 404, fmt)


def test_request_filters_defaults_and_limits(app, municipalities):
    from ckan import model

    tegel = create_melding()
    afval = create_melding(service_code="zwerfafval")
    ver = create_melding(lat=IN_ANDERDORP[0], lon=IN_ANDERDORP[1])
    old = create_melding(description="Van lang geleden")
    record = model.Session.get(Melding, old["id"])
    record.requested = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=120)
    model.Session.commit()
    import ckan.plugins.toolkit as tk

    tk.get_action("melding_update_create")({"user": municipalities.editor["name"]},
                                           {"id": afval["id"], "status": "afgewezen",
                                            "text": "Dit is particulier terrein."})

    def ids(**query):
        return {int(r["service_request_id"]) for r in _json(app.get(f"{BASE}/requests.json", query_string=query))}

    assert ids() == {tegel["id"], afval["id"], ver["id"]}  # the last 90 days by default
    assert ids(service_code="zwerfafval") == {afval["id"]}
    assert ids(service_code="zwerfafval,losse-stoeptegel") == {tegel["id"], afval["id"], ver["id"]}
    assert ids(status="closed") == {afval["id"]}
    assert ids(status="open") == {tegel["id"], ver["id"]}
    # service_request_id overrides every other parameter, old ones included
    assert ids(service_request_id=f"{old['id']},{afval['id']}", status="open") == {old["id"], afval["id"]}
    now = datetime.datetime.now(datetime.UTC)
    start = (now - datetime.timedelta(days=130)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (now - datetime.timedelta(days=100)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ids(start_date=start, end_date=end) == {old["id"]}
    assert ids(end_date=end) == {old["id"]}
    # documented extensions: bbox and a radius around lat/long
    assert ids(bbox="6.0,52.4,6.2,52.6") == {ver["id"]}
    assert ids(lat=IN_ANDERDORP[0], long=IN_ANDERDORP[1], radius=100) == {ver["id"]}

    for fmt in ("json", "xml"):
        assert "90" in _assert_error(app.get(f"{BASE}/requests.{fmt}", query_string={
            "start_date": "2020-01-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"}), 400, fmt)
        _assert_error(app.get(f"{BASE}/requests.{fmt}", query_string={"start_date": "gisteren"}), 400, fmt)
        _assert_error(app.get(f"{BASE}/requests.{fmt}", query_string={"status": "half-open"}), 400, fmt)
        _assert_error(app.get(f"{BASE}/requests.{fmt}", query_string={"service_code": "ufo"}), 400, fmt)


def test_at_most_1000_requests_are_returned(app, municipalities):
    from ckan import model

    now = datetime.datetime.now(datetime.UTC)
    group = model.Group.get("gemeente-testdam")
    model.Session.add_all(
        Melding(organization_id=group.id, service_code="zwerfafval", status="nieuw", description=f"Afval {n}",
                lat=IN_TESTDAM[0], lon=IN_TESTDAM[1], attributes={}, hidden=False, source="web",
                requested=now - datetime.timedelta(minutes=n), updated=now)
        for n in range(1005)
    )
    model.Session.commit()
    rows = _json(app.get(f"{BASE}/requests.json"))
    assert len(rows) == 1000
    assert rows[0]["description"] == "Afval 0"  # newest first


def test_a_radius_is_a_circle_and_pages_are_cut_from_what_lies_inside(app, municipalities):
    """The box around the circle holds more meldingen than the circle, and newer ones (in its corners,
    about 255 m from the centre): they are left out before the page is cut, not after."""
    import math

    import ckan.plugins.toolkit as tk
    from ckan import model

    lat, lon = IN_TESTDAM
    dlat, dlon = 200 / 111_320, 200 / (111_320 * math.cos(math.radians(lat)))
    now = datetime.datetime.now(datetime.UTC)
    group = model.Group.get("gemeente-testdam")

    def add(description, north, east, minutes_ago, hidden=False):
        melding = Melding(organization_id=group.id, service_code="zwerfafval", status="nieuw", description=description,
                          lat=lat + north * dlat, lon=lon + east * dlon, attributes={}, hidden=hidden, source="web",
                          requested=now - datetime.timedelta(minutes=minutes_ago), updated=now)
        model.Session.add(melding)
        return melding

    corners = [add(f"Hoek {n}", north, east, n) for n, (north, east) in enumerate(
        [(0.9, 0.9), (0.9, -0.9), (-0.9, 0.9), (-0.9, -0.9)])]
    add("Verborgen", 0, 0, 5, hidden=True)
    inside = [add(f"Binnen {n}", 0.15 * n, -0.1 * n, 10 + n) for n in range(5)]  # 0 to 150 m, newest first
    model.Session.commit()

    near = {"lat": lat, "long": lon, "radius": 200}
    rows = _json(app.get(f"{BASE}/requests.json", query_string=near))
    assert [r["description"] for r in rows] == [m.description for m in inside]
    assert {r["service_request_id"] for r in _json(app.get(f"{BASE}/requests.json", query_string=dict(
        near, radius=300)))} >= {str(m.id) for m in corners}

    search = tk.get_action("melding_search")
    found = search({"user": None}, {"lat": lat, "lon": lon, "radius": 200, "limit": 2, "offset": 1})
    assert found["count"] == 5
    assert [m["id"] for m in found["results"]] == [m.id for m in inside[1:3]]


def test_search_without_count_or_history_keeps_the_latest_public_response(app, municipalities):
    """What Open311 asks of melding_search: no count, no history, but ``status_notes`` as with them;
    the reason for hiding a melding (staff only) is never its status_notes."""
    import ckan.plugins.toolkit as tk

    melding = create_melding()
    staff = {"user": municipalities.editor["name"]}
    tk.get_action("melding_update_create")(staff, {"id": melding["id"], "status": "in_behandeling",
                                                   "text": "We kijken ernaar."})
    tk.get_action("melding_update_create")(staff, {"id": melding["id"], "status": "opgelost"})
    tk.get_action("melding_hide")(staff, {"id": melding["id"], "reason": "Naam van de melder in de tekst"})
    tk.get_action("melding_hide")(staff, {"id": melding["id"], "hidden": False, "reason": "Tekst aangepast"})

    search = tk.get_action("melding_search")
    full = search({"user": None}, {"ids": str(melding["id"])})
    light = search({"user": None}, {"ids": str(melding["id"]), "count": False, "updates": False})
    assert full["count"] == 1 and light["count"] is None
    assert [u["text"] for u in full["results"][0]["updates"]] == ["We kijken ernaar.", None]
    assert full["results"][0]["status_notes"] == light["results"][0]["status_notes"] == "We kijken ernaar."
    assert {k: v for k, v in full["results"][0].items() if k != "updates"} == light["results"][0]
    rows = _json(app.get(f"{BASE}/requests.json", query_string={"service_request_id": melding["id"]}))
    assert rows[0]["status_notes"] == "We kijken ernaar." and rows[0]["status"] == "closed"


# --- POST requests ---------------------------------------------------------------------------------------


def _post(app, fmt="json", **data):
    return app.post(f"{BASE}/requests.{fmt}", data=data, content_type="multipart/form-data")


def _valid(key, **extra):
    data = {"api_key": key, "service_code": "losse-stoeptegel", "lat": str(IN_TESTDAM[0]),
            "long": str(IN_TESTDAM[1]), "description": "Tegel los voor de school"}
    data.update(extra)
    return data


def test_post_needs_a_valid_api_key(app, municipalities, key):
    from ckan import model

    for fmt in ("json", "xml"):
        _assert_error(_post(app, fmt, **_valid("")), 403, fmt)
        _assert_error(_post(app, fmt, **_valid("oo311_verzonnen")), 403, fmt)
    apikeys.revoke("test-app")
    for fmt in ("json", "xml"):
        _assert_error(_post(app, fmt, **_valid(key)), 403, fmt)
    assert model.Session.query(Melding).count() == 0


def test_post_creates_a_request_and_answers_in_the_spec_format(app, municipalities, key):
    answer = _post(app, "json", **_valid(key, email=unique_email(), **{"attribute[gevaarlijk]": "ja"}))
    assert answer.status_code == 201
    rows = _json(answer)
    assert [list(r) for r in rows] == [list(spec.POST_RESPONSE_FIELDS)]
    assert rows[0]["account_id"] is None and "Gemeente Testdam" in rows[0]["service_notice"]
    created = _json(app.get(f"{BASE}/requests/{rows[0]['service_request_id']}.json"))[0]
    assert created["description"] == "Tegel los voor de school" and created["status"] == "open"

    root = _xml(_post(app, "xml", **_valid(key, description="Nog een tegel", lat=str(IN_TESTDAM[0] + 0.01))))
    assert root.tag == "service_requests" and [c.tag for c in root[0]] == list(spec.POST_RESPONSE_FIELDS)

    from ckan import model

    melding = model.Session.get(Melding, int(rows[0]["service_request_id"]))
    assert melding.source == "open311" and melding.attributes == {"gevaarlijk": "ja"}


BAD_POSTS = [
    ({"service_code": ""}, "service_code"),
    ({"service_code": "ufo"}, "service_code"),
    ({"lat": "", "long": ""}, "location"),
    ({"lat": str(OUTSIDE[0]), "long": str(OUTSIDE[1])}, "location"),
    ({"lat": "91", "long": "5"}, "lat"),
    ({"long": ""}, "long"),
    ({"description": ""}, "description"),
    ({"description": "x" * 4001}, "description"),
    ({"description": "<b>vet</b>"}, "description"),
    ({"attribute[gevaarlijk]": "heel"}, "attribute"),
    ({"attribute[kleur]": "rood"}, "attribute"),
    ({"address_id": "123", "lat": "", "long": ""}, "address_id"),
    ({"email": "geen-adres"}, "email"),
]


def test_bad_posts_get_400_in_the_error_format_and_store_nothing(app, municipalities, key):
    from ckan import model

    for changes, complaint in BAD_POSTS:
        for fmt in ("json", "xml"):
            text = _assert_error(_post(app, fmt, **_valid(key, **changes)), 400, fmt)
            assert complaint in text, (changes, text)
    assert model.Session.query(Melding).count() == 0


def test_a_form_part_without_a_name_is_ignored(app, municipalities, key):
    """Found by the fuzzer: werkzeug gives such a part the key None, which answered 500."""
    boundary = "grens"
    parts = [f'Content-Disposition: form-data; name="{name}"\r\n\r\n{value}' for name, value in _valid(key).items()]
    parts.append("Content-Disposition: form-data\r\n\r\nzonder naam")
    body = "".join(f"--{boundary}\r\n{part}\r\n" for part in parts) + f"--{boundary}--\r\n"
    answer = app.post(f"{BASE}/requests.json", data=body.encode(),
                      content_type=f"multipart/form-data; boundary={boundary}")
    assert answer.status_code == 201, answer.get_data(as_text=True)

def test_post_takes_a_multipart_photo_and_serves_a_cleaned_copy(app, municipalities, key):
    data = _valid(key, media=(io.BytesIO(jpeg_with_gps((2600, 1000))), "camera.jpg"))
    answer = _post(app, "json", **data)
    assert answer.status_code == 201
    request_id = _json(answer)[0]["service_request_id"]
    media_url = _json(app.get(f"{BASE}/requests/{request_id}.json"))[0]["media_url"]
    assert media_url == f"http://test.ckan.net/meldingen/{request_id}/foto"
    photo = app.get(media_url.replace("http://test.ckan.net", ""))
    image = Image.open(io.BytesIO(photo.data))
    assert image.format == "JPEG" and image.size == (2048, 788) and not image.getexif()

    fake = _valid(key, media=(io.BytesIO(b"GIF89a not really"), "x.jpg"))
    assert "media" in _assert_error(_post(app, "json", **fake), 400, "json")


class _PhotoServer(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        if self.path == "/foto.jpg":
            body, kind = jpeg_with_gps((500, 400)), "image/jpeg"
        else:
            body, kind = b"<html><body>Inloggen</body></html>", "text/html"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def photo_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _PhotoServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_post_fetches_media_url_under_the_ssrf_rules(app, municipalities, key, photo_server, ckan_config,
                                                      monkeypatch):
    answer = _post(app, "json", **_valid(key, media_url=f"{photo_server}/foto.jpg"))
    assert answer.status_code == 201
    request_id = _json(answer)[0]["service_request_id"]
    photo = app.get(f"/meldingen/{request_id}/foto")
    assert Image.open(io.BytesIO(photo.data)).size == (500, 400) and b"TestPhone" not in photo.data

    assert "media_url" in _assert_error(_post(app, "json", **_valid(key, media_url=f"{photo_server}/login")), 400,
                                        "json")
    # without 127.0.0.1 in allowed_private_hosts the same URL is refused (SSRF)
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.allowed_private_hosts", "")
    text = _assert_error(_post(app, "json", **_valid(key, media_url=f"{photo_server}/foto.jpg")), 400, "json")
    assert "media_url" in text and "127.0.0.1" in text


def test_a_key_that_posts_too_much_is_slowed_down(app, municipalities, key, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.open311.rate_limit", 2)
    for n in range(2):
        assert _post(app, "json", **_valid(key, description=f"Tegel {n}")).status_code == 201
    blocked = _post(app, "json", **_valid(key))
    _assert_error(blocked, 429, "json")
    assert int(blocked.headers["Retry-After"]) > 0
    # another app has its own budget
    other = apikeys.create("andere-app")[1]
    assert _post(app, "json", **_valid(other)).status_code == 201


def test_the_key_command_prints_the_key_last_and_stores_only_its_hash(app, municipalities):
    from ckan import model

    from ckanext.openoverheid.meldingen.cli import get_commands

    # `ckan openoverheid open311-key ...`: the plugin attaches the group to the portal's command group
    assert get_commands()[0].get_command(None, "open311-key") is open311_key
    result = CliRunner().invoke(open311_key, ["create", "Buitenbeter"])
    assert result.exit_code == 0, result.output
    key = result.output.strip().splitlines()[-1]
    assert key.startswith("oo311_") and len(key) > 30
    stored = model.Session.query(apikeys.Open311Key).filter_by(name="Buitenbeter").one()
    assert stored.key_hash == apikeys.hash_key(key) and key not in stored.key_hash
    assert _post(app, "json", **_valid(key)).status_code == 201

    again = CliRunner().invoke(open311_key, ["create", "Buitenbeter"])
    assert again.exit_code != 0 and "exists already" in again.output
    listed = CliRunner().invoke(open311_key, ["list"])
    assert "Buitenbeter" in listed.output and key not in listed.output
    assert CliRunner().invoke(open311_key, ["revoke", "Buitenbeter"]).exit_code == 0
    assert _post(app, "json", **_valid(key)).status_code == 403
