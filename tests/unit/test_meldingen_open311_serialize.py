"""Open311 documents: the spec's field names in the spec's order, the same in JSON and XML, and text
from residents always escaped."""

from __future__ import annotations

import json

from lxml import etree

from ckanext.openoverheid.meldingen.open311 import serialize, spec

SAFE = etree.XMLParser(resolve_entities=False, no_network=True)


def _request(**extra):
    base = {field: None for field in spec.REQUEST_FIELDS}
    base.update(service_request_id="7", status="open", service_code="zwerfafval", lat=52.1, long=5.1, **extra)
    return base


def test_requests_have_the_spec_fields_in_order_in_both_formats():
    item = _request(description="Afval", internal_field="must not appear")
    as_json = json.loads(serialize.requests([item], "json"))
    assert list(as_json[0]) == list(spec.REQUEST_FIELDS)
    root = etree.fromstring(serialize.requests([item], "xml"), SAFE)
    assert root.tag == "service_requests"
    assert [child.tag for child in root] == ["request"]
    assert [child.tag for child in root[0]] == list(spec.REQUEST_FIELDS)
    assert root[0].findtext("lat") == "52.1" and root[0].findtext("expected_datetime") == ""


def test_text_from_residents_is_escaped_in_xml():
    hostile = '<script>alert("x")</script> & <!ENTITY xxe SYSTEM "file:///etc/passwd">'
    body = serialize.requests([_request(description=hostile)], "xml")
    assert b"<script>" not in body
    root = etree.fromstring(body, SAFE)
    assert root[0].findtext("description") == hostile


def test_services_definition_errors_and_discovery():
    service = {"service_code": "a", "service_name": "A", "description": "d", "metadata": True, "type": "realtime",
               "keywords": "x,y", "group": "G"}
    root = etree.fromstring(serialize.services([service], "xml"), SAFE)
    assert (root.tag, root[0].tag) == ("services", "service")
    assert [c.tag for c in root[0]] == list(spec.SERVICE_FIELDS)
    assert root[0].findtext("metadata") == "true"

    definition = {"service_code": "a", "attributes": [{
        "variable": True, "code": "gevaarlijk", "datatype": "singlevaluelist", "required": False,
        "datatype_description": None, "order": 1, "description": "Gevaarlijk?",
        "values": [{"key": "ja", "name": "Ja"}, {"key": "nee", "name": "Nee"}]}]}
    root = etree.fromstring(serialize.definition(definition, "xml"), SAFE)
    assert root.tag == "service_definition"
    attribute = root.find("attributes/attribute")
    assert [c.tag for c in attribute] == list(spec.ATTRIBUTE_FIELDS)
    assert [v.findtext("key") for v in attribute.findall("values/value")] == ["ja", "nee"]
    as_json = json.loads(serialize.definition(definition, "json"))
    assert list(as_json["attributes"][0]) == list(spec.ATTRIBUTE_FIELDS)

    errors = [{"code": 400, "description": "service_code: unknown"}]
    assert json.loads(serialize.errors(errors, "json")) == errors
    root = etree.fromstring(serialize.errors(errors, "xml"), SAFE)
    assert (root.tag, root[0].tag, root[0].findtext("code")) == ("errors", "error", "400")

    document = {"changeset": "c", "contact": "x", "key_service": "k", "endpoints": [
        {"specification": spec.SPECIFICATION_URL, "url": "u", "changeset": "c", "type": "production",
         "formats": ["text/xml", "application/json"]}]}
    root = etree.fromstring(serialize.discovery(document, "xml"), SAFE)
    assert root.tag == "discovery"
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == ["text/xml", "application/json"]
