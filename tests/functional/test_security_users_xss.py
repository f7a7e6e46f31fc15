"""Hostile text in every field the portal adds or shows stays inert in every channel (issue 9, item 5).

A set of payloads (script tags, attribute breakouts, ``javascript:`` URLs, CDATA and XML breakers,
control characters) goes into dataset, resource and organisation fields through the Action API and
into meldingen through the web form and Open311. Every page, feed, DCAT document and JSON answer
that shows them is then parsed as its client would parse it: HTML with lxml (no ``<script>``, no
``on*`` attribute, no ``javascript:`` link, no element that came from a payload), RSS and Atom with
a strict XML parser and feedparser (the HTML inside descriptions checked like a page), DCAT with
rdflib, JSON with ``json``. Real PostgreSQL, Solr and Redis; nothing mocked.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from typing import Any

import feedparser
import lxml.html
import meldingen_support
import pytest
import rdflib
from lxml import etree
from meldingen_support import IN_TESTDAM, create_melding, submit_form

municipalities = meldingen_support.municipalities

MARK = "xss31337"  # every payload carries it: markup from a payload is recognised by it
PAYLOADS = (  # in this order: an HTML parser may drop what follows an unclosed <![CDATA[
    f"&lt;script&gt;alert('{MARK}')&lt;/script&gt; &amp; &#60;i&#62; {{{{7*7}}}} {MARK}",  # decoded once too often?
    f"<script>alert('{MARK}')</script>",
    f'"><img src=x onerror=alert("{MARK}")>',
    f"'><svg onload=alert('{MARK}')>",
    f"</title></textarea></script><iframe src=javascript:alert('{MARK}')></iframe>",
    f"]]><{MARK}>uit de CDATA</{MARK}><![CDATA[",
    f"\x0b\x0c\x1b stuurtekens {MARK}",
)
HOSTILE = " ".join(PAYLOADS)
JS_URL = f"javascript:alert('{MARK}')"
# What residents may type (the meldingen refuse markup): breakouts without < or &, for attribute contexts.
PLAIN_HOSTILE = (f"javascript:alert('{MARK}') \" onmouseover=\"alert('{MARK}')\" x=\" ' onfocus='alert({MARK})' "
                 f"]]> {{{{7*7}}}} {MARK}")

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "background", "xlink:href", "srcdoc"}
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
STRICT_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
DCT = rdflib.Namespace("http://purl.org/dc/terms/")


def xml_text(value: str) -> str:
    """What an XML channel can carry of ``value``: XML 1.0 has no place for most control characters."""
    return XML_INVALID.sub("", value)


# --- what "inert" means --------------------------------------------------------------------------------


def injected(root: Any) -> list[str]:
    """Markup in a parsed HTML tree that came from a payload (recognised by MARK)."""
    found = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        if MARK in tag:
            found.append(f"element <{tag}> from a payload")
        if tag in ("script", "style", "iframe", "object", "embed", "svg", "img") and MARK in (
                (element.text or "") + " ".join(element.attrib.values())):
            found.append(f"<{tag}> from a payload: {etree.tostring(element)[:200]!r}")
        for name, value in element.attrib.items():
            lowered = name.lower()
            if lowered.startswith("on") and MARK in value:
                found.append(f"<{tag} {name}=…> event handler from a payload")
            scheme = re.sub(r"[\s\x00-\x1f]", "", value).lower()
            if lowered in URL_ATTRIBUTES and MARK in value and scheme.startswith(("javascript:", "vbscript:", "data:")):
                found.append(f"<{tag} {name}={value[:80]!r}> script URL from a payload")
    return found


def assert_inert_html(html: str, where: str, *, shown: bool = True) -> Any:
    """Parse as a browser would (lxml's HTML parser) and refuse any markup from a payload; unless
    ``shown`` is False the payload must be on the page as text (or the test would prove nothing)."""
    root = lxml.html.document_fromstring(html)
    problems = injected(root)
    assert not problems, f"{where}: {problems}"
    if shown:
        assert MARK in root.text_content(), f"{where}: the payload is not on the page, so nothing was tested"
    return root


def get_ok(app: Any, url: str, **kwargs: Any) -> Any:
    response = app.get(url, **kwargs)
    assert response.status_code == 200, (url, response.status_code, response.get_data(as_text=True)[:300])
    return response


def check_html_page(app: Any, url: str, *, shown: bool = True, **kwargs: Any) -> Any:
    response = get_ok(app, url, **kwargs)
    assert response.mimetype == "text/html", (url, response.mimetype)
    return assert_inert_html(response.get_data(as_text=True), url, shown=shown)


def check_feed(app: Any, url: str) -> etree._Element:
    """A strict XML parse, feedparser without complaint, no element from a payload, and the HTML that
    RSS ``description`` / Atom ``type="html"`` carry inert when a reader renders it."""
    response = get_ok(app, url)
    root = etree.fromstring(response.get_data(), STRICT_XML)
    parsed = feedparser.parse(response.get_data())
    assert not parsed.bozo, (url, parsed.get("bozo_exception"))
    for element in root.iter():
        assert not isinstance(element.tag, str) or MARK not in element.tag, f"{url}: element from a payload"
        holds_html = etree.QName(element).localname == "description" or element.get("type") in ("html", "xhtml")
        if holds_html and element.text and element.text.strip():
            fragment = lxml.html.fragment_fromstring(element.text, create_parent="div")
            assert not injected(fragment), (url, injected(fragment))
    assert MARK in etree.tostring(root, encoding="unicode", method="text"), f"{url}: payload not in the feed"
    return root


def check_json(app: Any, url: str, **kwargs: Any) -> Any:
    response = get_ok(app, url, **kwargs)
    assert response.mimetype in ("application/json", "application/geo+json"), (url, response.mimetype)
    return json.loads(response.get_data(as_text=True))


def rdf_titles(app: Any, url: str, fmt: str) -> set[str]:
    response = get_ok(app, url)
    graph = rdflib.Graph()
    graph.parse(data=response.get_data(), format=fmt)
    return {str(title) for title in graph.objects(None, DCT.title)}


# --- datasets, resources, organisations ------------------------------------------------------------------


@pytest.fixture
def hostile_catalogue(api: Any) -> dict[str, Any]:
    """An organisation, an open and a closed dataset, every text field carrying the payloads."""
    org = api("organization_create", name="gemeente-xss", title=f"Gemeente {HOSTILE}", description=HOSTILE)
    open_ = api(
        "package_create", name="xss-open", title=f"Open {HOSTILE}", notes=f"Beschrijving {HOSTILE}",
        owner_org=org["id"], tags=[{"name": "xsstest"}],
        contact=[{"name": f"Team {HOSTILE}", "email": "data@xss.example"}],
        resources=[{"url": "https://data.xss.example/data.csv", "format": "CSV", "name": f"Bestand {HOSTILE}",
                    "description": f"Bronbeschrijving {HOSTILE}"},
                   {"url": JS_URL, "name": f"Link {MARK}", "format": "HTML"}],
    )
    closed = api(
        "package_create", name="xss-dicht", title=f"Dicht {HOSTILE}", notes=f"Gesloten {HOSTILE}",
        owner_org=org["id"], access_rights="niet-publiek", woo_grounds=["5.1.2.e"],
        woo_motivation=f"De motivering {HOSTILE} is een volledige zin over de veiligheid van bewoners.",
        review_date=(datetime.date.today() + datetime.timedelta(days=200)).isoformat(),
        contact=[{"name": f"Contact {HOSTILE}", "email": "dicht@xss.example"}],
        resources=[{"url": "https://data.xss.example/dicht.csv", "format": "CSV"}],
    )
    return {"org": org, "open": open_, "closed": closed}


def test_dataset_fields_are_stored_as_given(app, hostile_catalogue):
    """The API keeps the text as typed (escaping is the job of each channel, not of storage)."""
    shown = check_json(app, "/api/3/action/package_show", query_string={"id": "xss-open"})["result"]
    assert shown["title"] == f"Open {HOSTILE}"
    assert shown["contact"][0]["name"] == f"Team {HOSTILE}"
    assert {r["name"] for r in shown["resources"]} == {f"Bestand {HOSTILE}", f"Link {MARK}"}
    closed = check_json(app, "/api/3/action/package_show", query_string={"id": "xss-dicht"})["result"]
    assert HOSTILE in closed["woo_motivation"]


def test_dataset_and_organisation_pages_stay_inert(app, sysadmin, hostile_catalogue):
    resource_id = hostile_catalogue["open"]["resources"][0]["id"]
    link_id = hostile_catalogue["open"]["resources"][1]["id"]
    for url in ("/dataset/xss-open", f"/dataset/xss-open/resource/{resource_id}", "/dataset/xss-dicht",
                "/dataset/?q=xsstest", "/organization/gemeente-xss", "/openheid", "/organization/"):
        check_html_page(app, url)
    check_html_page(app, "/", shown=False)  # the front page may or may not list it: inert either way
    # the resource whose URL is javascript: — its page must not link to it
    check_html_page(app, f"/dataset/xss-open/resource/{link_id}")
    # forms echo stored values into inputs and textareas: as the editor sees them
    editor = {"Authorization": sysadmin["token"]}
    for url in ("/dataset/edit/xss-open", "/dataset/edit/xss-dicht", f"/dataset/xss-open/resource/{resource_id}/edit",
                "/organization/edit/gemeente-xss"):
        check_html_page(app, url, headers=editor)
    check_html_page(app, "/dataset/activity/xss-open", headers=editor)


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_dataset_feeds_stay_inert_and_well_formed(app, hostile_catalogue, kind):
    for url in (f"/feeds/dataset.{kind}", f"/feeds/organization/gemeente-xss.{kind}", f"/feeds/tag/xsstest.{kind}",
                f"/feeds/search.{kind}?q=xsstest", f"/feeds/openheid.{kind}"):
        check_feed(app, url)
    titles = [e.findtext("title") or e.findtext("{http://www.w3.org/2005/Atom}title")
              for e in check_feed(app, f"/feeds/dataset.{kind}").iter("item", "{http://www.w3.org/2005/Atom}entry")]
    assert xml_text(f"Open {HOSTILE}") in titles, titles  # the payload is text, character for character


@pytest.mark.parametrize("extension, fmt", [("rdf", "xml"), ("ttl", "turtle"), ("jsonld", "json-ld")])
def test_dcat_documents_parse_and_carry_the_payload_as_a_literal(app, hostile_catalogue, extension, fmt):
    for name, prefix in (("xss-open", "Open"), ("xss-dicht", "Dicht")):
        assert xml_text(f"{prefix} {HOSTILE}") in {xml_text(t) for t in rdf_titles(
            app, f"/dataset/{name}.{extension}", fmt)}
    catalogue = {xml_text(t) for t in rdf_titles(app, f"/catalog.{'xml' if extension == 'rdf' else extension}", fmt)}
    assert xml_text(f"Open {HOSTILE}") in catalogue


def test_exports_and_the_register_keep_the_payload_as_data(app, hostile_catalogue):
    graph = rdflib.Graph()
    graph.parse(data=get_ok(app, "/export/datasets.rdf").get_data(), format="xml")
    assert xml_text(f"Open {HOSTILE}") in {xml_text(str(t)) for t in graph.objects(None, DCT.title)}

    response = get_ok(app, "/export/datasets.jsonl")
    lines = [json.loads(line) for line in response.get_data(as_text=True).splitlines() if line.strip()]
    assert f"Open {HOSTILE}" in {line["title"] for line in lines}

    register = check_json(app, "/api/3/action/openheid_register")["result"]
    closed = next(d for d in register["datasets"] if d["name"] == "xss-dicht")
    assert closed["title"] == f"Dicht {HOSTILE}" and HOSTILE in closed["woo_motivation"]

    for url in ("/openheid.csv", "/export/datasets.csv"):
        response = get_ok(app, url)
        assert response.mimetype == "text/csv", (url, response.mimetype)  # never HTML a browser would run
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
        assert any(f"Dicht {HOSTILE}" in row or f"Open {HOSTILE}" in row for row in rows), url


# --- meldingen and Open311 -------------------------------------------------------------------------------


def _hostile_municipality(api: Any) -> None:
    api("organization_patch", id="gemeente-testdam", title=f"Gemeente {HOSTILE}")


@pytest.fixture
def hostile_melding(app, api, municipalities) -> dict[str, Any]:
    """A melding with hostile plain text in every field a resident or the staff can fill."""
    _hostile_municipality(api)
    melding = create_melding(service_code="straatverlichting", description=f"Lamp kapot {PLAIN_HOSTILE}",
                             address=f"Straat {PLAIN_HOSTILE}", attributes={"mastnummer": f"M-{MARK}\" x='"})
    api("melding_update_create", id=melding["id"], status="in_behandeling", text=f"Reactie {PLAIN_HOSTILE}")
    return melding


def test_markup_in_a_report_is_refused_and_the_echo_is_inert(app, municipalities):
    from ckan import model

    from ckanext.openoverheid.meldingen.model import Melding

    form = {"service_code": "straatverlichting", "description": HOSTILE, "address": HOSTILE,
            "lat": str(IN_TESTDAM[0]), "lon": str(IN_TESTDAM[1]), "attribute[mastnummer]": HOSTILE,
            "confirm_new": "1"}
    response = submit_form(app, form)
    assert response.status_code == 400
    assert_inert_html(response.get_data(as_text=True), "/meldingen/nieuw (the form again, as typed)")
    assert model.Session.query(Melding).count() == 0


def test_meldingen_pages_stay_inert(app, municipalities, hostile_melding, sysadmin):
    check_html_page(app, "/meldingen")
    root = check_html_page(app, f"/meldingen/{hostile_melding['id']}")
    assert f"Lamp kapot {PLAIN_HOSTILE}" in root.text_content()  # shown as typed, as text
    staff = {"Authorization": municipalities.editor["token"]}
    check_html_page(app, f"/meldingen/{hostile_melding['id']}", headers=staff)
    check_html_page(app, "/meldingen/beheer", headers=staff, query_string={"status": "in_behandeling"})
    # a staff response with markup is refused; the form shows it again, inert
    refused = app.post(f"/meldingen/{hostile_melding['id']}/bijwerken", headers=staff,
                       data={"text": HOSTILE}, follow_redirects=False)
    assert refused.status_code == 400
    assert_inert_html(refused.get_data(as_text=True), "the staff form again, as typed")


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_meldingen_feeds_stay_inert(app, municipalities, hostile_melding, kind):
    check_feed(app, f"/feeds/meldingen.{kind}")


def test_meldingen_json_geojson_and_open311_keep_the_payload_as_data(app, municipalities, hostile_melding):
    melding_id = hostile_melding["id"]
    shown = check_json(app, "/api/3/action/melding_show", query_string={"id": melding_id})["result"]
    assert shown["description"] == f"Lamp kapot {PLAIN_HOSTILE}"
    assert shown["organization"]["title"] == f"Gemeente {HOSTILE}"
    features = check_json(app, "/meldingen.geojson")["features"]
    assert f"Lamp kapot {PLAIN_HOSTILE}" in {f["properties"]["description"] for f in features}
    check_json(app, "/meldingen/open-data/gemeente-testdam.geojson")

    requests_ = check_json(app, f"/open311/v2/requests/{melding_id}.json")
    assert requests_[0]["agency_responsible"] == f"Gemeente {HOSTILE}"
    assert requests_[0]["status_notes"] == f"Reactie {PLAIN_HOSTILE}"
    for url in (f"/open311/v2/requests/{melding_id}.xml", "/open311/v2/requests.xml"):
        response = get_ok(app, url)
        root = etree.fromstring(response.get_data(), STRICT_XML)
        assert root.tag == "service_requests" and not [e for e in root.iter() if MARK in str(e.tag)]
        mine = next(r for r in root if r.findtext("service_request_id") == str(melding_id))
        assert mine.findtext("description") == f"Lamp kapot {PLAIN_HOSTILE}"
        assert mine.findtext("agency_responsible") == xml_text(f"Gemeente {HOSTILE}")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_open311_posts_with_markup_are_refused_and_errors_stay_well_formed(app, municipalities, fmt):
    from ckan import model

    from ckanext.openoverheid.meldingen import apikeys
    from ckanext.openoverheid.meldingen.model import Melding

    key = apikeys.create("xss-app")[1]
    base = {"api_key": key, "service_code": "straatverlichting", "lat": str(IN_TESTDAM[0]),
            "long": str(IN_TESTDAM[1]), "description": "Lamp kapot"}
    hostile_posts = [{"description": HOSTILE}, {"address_string": HOSTILE, "lat": "", "long": ""},
                     {"attribute[mastnummer]": HOSTILE}, {f"attribute[{HOSTILE}]": "ja"},
                     {"service_code": HOSTILE}, {"email": HOSTILE}]
    for changes in hostile_posts:
        response = app.post(f"/open311/v2/requests.{fmt}", data={**base, **changes})
        assert response.status_code == 400, (changes, response.status_code, response.get_data(as_text=True)[:300])
        _assert_open311_error(response, fmt)
    for url in (f"/open311/v2/services/{HOSTILE[:40]}.{fmt}", f"/open311/v2/requests/{MARK}%0B.{fmt}",
                f"/open311/v2/{MARK}%0B<x>.{fmt}", f"/open311/v2/requests.{fmt}?status=%0B{MARK}"):
        response = app.get(url)
        assert response.status_code in (400, 404), (url, response.status_code)
        _assert_open311_error(response, fmt)
    assert model.Session.query(Melding).count() == 0


def _assert_open311_error(response: Any, fmt: str) -> None:
    if fmt == "json":
        assert response.mimetype == "application/json"
        errors = json.loads(response.get_data(as_text=True))
        assert errors and all(set(e) == {"code", "description"} for e in errors)
    else:
        assert response.mimetype == "text/xml"
        root = etree.fromstring(response.get_data(), STRICT_XML)
        assert root.tag == "errors" and {c.tag for c in root} == {"error"}
        assert not [e for e in root.iter() if MARK in str(e.tag)]
