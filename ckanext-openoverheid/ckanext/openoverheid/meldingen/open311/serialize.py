"""Open311 documents as JSON and XML, from plain dicts (no CKAN here).

XML is built with lxml's element tree, never by string pasting, so text from residents is always
escaped; JSON and XML carry the same fields in the same order (the spec maps them one to one).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from lxml import etree

from ckanext.openoverheid.meldingen.open311 import spec


def _ordered(item: Mapping[str, Any], fields: Sequence[str]) -> dict[str, Any]:
    return {field: item.get(field) for field in fields}


# Characters XML 1.0 cannot hold, not even escaped; lxml refuses them. They reach us from request paths
# and parameters echoed in error messages (``%0B``), so they are dropped rather than answered with a 500.
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _append(parent: etree._Element, name: str, value: Any) -> None:
    element = etree.SubElement(parent, name)
    if isinstance(value, Mapping):
        for key, inner in value.items():
            _append(element, key, inner)
    elif isinstance(value, list | tuple):
        child_name = spec.XML_LIST_ITEMS.get(name, "item")
        for inner in value:
            _append(element, child_name, inner)
    else:
        element.text = _text(value)


def xml_document(root: str, item: str | None, items: Iterable[Mapping[str, Any]] | Mapping[str, Any]) -> bytes:
    """An element ``root`` holding one element ``item`` per entry of ``items``, or holding the fields of
    ``items`` (a mapping) when ``item`` is None."""
    element = etree.Element(root)
    if item is None:
        assert isinstance(items, Mapping)
        for key, value in items.items():
            _append(element, key, value)
    else:
        for entry in items:
            _append(element, item, entry)
    return etree.tostring(element, xml_declaration=True, encoding="utf-8")


def json_document(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def services(items: Iterable[Mapping[str, Any]], fmt: str) -> bytes:
    rows = [_ordered(i, spec.SERVICE_FIELDS) for i in items]
    return json_document(rows) if fmt == "json" else xml_document(*spec.SERVICES_XML, rows)


def definition(item: Mapping[str, Any], fmt: str) -> bytes:
    document = {
        "service_code": item["service_code"],
        "attributes": [
            dict(_ordered(a, spec.ATTRIBUTE_FIELDS), values=[_ordered(v, spec.VALUE_FIELDS) for v in a["values"]])
            for a in item["attributes"]
        ],
    }
    return json_document(document) if fmt == "json" else xml_document(spec.DEFINITION_ROOT, None, document)


def requests(items: Iterable[Mapping[str, Any]], fmt: str) -> bytes:
    rows = [_ordered(i, spec.REQUEST_FIELDS) for i in items]
    return json_document(rows) if fmt == "json" else xml_document(*spec.REQUESTS_XML, rows)


def updates(items: Iterable[Mapping[str, Any]], fmt: str) -> bytes:
    rows = [_ordered(i, spec.UPDATE_FIELDS) for i in items]
    return json_document(rows) if fmt == "json" else xml_document(*spec.UPDATES_XML, rows)


def post_response(items: Iterable[Mapping[str, Any]], fmt: str) -> bytes:
    rows = [_ordered(i, spec.POST_RESPONSE_FIELDS) for i in items]
    return json_document(rows) if fmt == "json" else xml_document(*spec.REQUESTS_XML, rows)


def errors(items: Iterable[Mapping[str, Any]], fmt: str) -> bytes:
    rows = [_ordered(i, spec.ERROR_FIELDS) for i in items]
    return json_document(rows) if fmt == "json" else xml_document(*spec.ERRORS_XML, rows)


def discovery(document: Mapping[str, Any], fmt: str) -> bytes:
    ordered = _ordered(document, spec.DISCOVERY_FIELDS)
    ordered["endpoints"] = [_ordered(e, spec.ENDPOINT_FIELDS) for e in document.get("endpoints") or []]
    return json_document(ordered) if fmt == "json" else xml_document(spec.DISCOVERY_ROOT, None, ordered)
