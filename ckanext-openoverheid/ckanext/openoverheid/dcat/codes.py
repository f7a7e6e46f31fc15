"""Value lists: our codes <-> the URIs and labels DCAT uses, for the profile's writing and reading."""

from __future__ import annotations

import re
from typing import Any

from rdflib import Literal, URIRef

from ckanext.openoverheid import valuelists
from ckanext.openoverheid.dcat.namespaces import WETTEN_OVERHEID
from ckanext.openoverheid.openheid.policy import PUBLIEK

_JCI_PARTS = re.compile(r"artikel=(?P<artikel>[^&]+)(?:&lid=(?P<lid>[^&]+))?(?:&onderdeel=(?P<onderdeel>[^&]+))?")


def access_right_uri(access_rights: str | None) -> URIRef:
    """The EU access-right URI of one of our codes. Missing means ``publiek`` (open is the default);
    a value we do not know means NON_PUBLIC, because an unknown value counts as closed."""
    item = valuelists.get("access_rights").item(access_rights or PUBLIEK)
    if item is None:
        item = valuelists.get("access_rights").item("niet-publiek")
    assert item is not None, "schemas/valuelists/access_rights.yaml must list niet-publiek"
    return URIRef(item["uri"])


def access_rights_code(uri_or_code: str | None) -> str | None:
    """Our code for an EU access-right URI (or for one of our codes); None when unknown."""
    if not uri_or_code:
        return None
    for item in valuelists.get("access_rights").items:
        if uri_or_code in (item["uri"], item["code"]):
            return str(item["code"])
    return None


def license_uri(code_or_uri: str | None) -> str | None:
    """The URI of a licence code of our value list; a URI passes through; anything else is None."""
    if not code_or_uri:
        return None
    item = valuelists.get("licenses").item(code_or_uri)
    if item is not None:
        return str(item["uri"])
    return code_or_uri if code_or_uri.startswith(("http://", "https://")) else None


def license_code(uri: str | None) -> str | None:
    if not uri:
        return None
    for item in valuelists.get("licenses").items:
        if uri in (item["uri"], item["code"]):
            return str(item["code"])
    return None


def format_uri(code: str | None) -> str | None:
    """The EU file-type URI of a CKAN format (case-insensitive), or None when it is not in our list."""
    if not code:
        return None
    if code.startswith(("http://", "https://")):
        return code
    for item in valuelists.get("formats").items:
        if str(item["code"]).lower() == code.lower():
            return str(item["uri"])
    return None


def format_code(uri_or_label: str | None) -> str | None:
    if not uri_or_label:
        return None
    for item in valuelists.get("formats").items:
        if uri_or_label == item["uri"] or uri_or_label.lower() == str(item["code"]).lower():
            return str(item["code"])
    return uri_or_label


def media_type(resource: dict[str, Any]) -> str | None:
    """The IANA media type of a resource: its own, else the one its format implies."""
    mimetype = (resource.get("mimetype") or "").strip()
    if mimetype:
        return mimetype
    code = format_code(resource.get("format"))
    for item in valuelists.get("formats").items:
        if item["code"] == code and item.get("mimetype"):
            return str(item["mimetype"])
    return None


# Formats whose URL is a service or a page, not a file one can download.
NOT_FILES = {"WMS", "WMTS", "WFS", "WCS", "HTML", "DataStore"}


def download_url(resource: dict[str, Any]) -> str | None:
    """The URL of the file itself when the resource is one, for dcat:downloadURL; None for a service,
    a web page or an unknown format.

    A file is an upload, a DataStore table (its dump: JSON, as the format DataStore says), a DataStore
    dump, or a URL in a file format of our list (CSV, GeoJSON, PDF ...).
    """
    url = (resource.get("url") or "").strip()
    if not url.startswith(("http://", "https://")):
        return None
    if resource.get("url_type") == "upload":
        return url
    if resource.get("url_type") == "datastore":
        return url if "?" in url else f"{url}?format=json"
    if "/datastore/dump/" in url:
        return url
    code = format_code(resource.get("format"))
    known = valuelists.get("formats").item(code) if code else None
    return url if known is not None and code not in NOT_FILES else None


def woo_ground_url(juriconnect: str) -> str:
    """wetten.overheid.nl resolves a Juriconnect reference to the provision itself."""
    return WETTEN_OVERHEID + juriconnect


def woo_ground_code(notation: str | None, reference: str | None) -> str | None:
    """Our code for a Woo ground, from its notation or from its Juriconnect reference or URL."""
    grounds = valuelists.get("woo_grounds")
    if notation and grounds.item(notation) is not None:
        return notation
    if reference:
        reference = reference.removeprefix(WETTEN_OVERHEID)
        for item in grounds.items:
            if item.get("juriconnect") == reference:
                return str(item["code"])
        match = _JCI_PARTS.search(reference)
        if match and "BWBR0045754" in reference:
            code = ".".join(part for part in (match["artikel"], match["lid"], match["onderdeel"]) if part)
            if grounds.item(code) is not None:
                return code
    return None


def labels(value_list: str, value: str) -> list[Literal]:
    """The Dutch and English labels of a value-list item as language-tagged literals; none when unknown."""
    item = valuelists.get(value_list).item(value)
    if item is None:
        return []
    return [Literal(text, lang=lang) for lang, text in (item.get("label") or {}).items() if text]


def as_list(value: Any) -> list[Any]:
    """A dict field that may hold one value, a list or nothing, as a list."""
    if value in (None, "", [], {}):
        return []
    if isinstance(value, list):
        return value
    return [value]
