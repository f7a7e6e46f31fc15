"""Validators for our scheming fields, registered with CKAN (names start with ``openoverheid_``).

The rules of the value lists live in ``valuelists``, without CKAN. The dataset schema
(schemas/dataset.yaml) uses these for the DCAT-AP-DONL fields, and ``openheid.logic.validators`` for
the fields of "open, tenzij"; ``get_validators`` registers both. ``openoverheid_tidy_subfields`` is
the schema's ``after_validators``: it drops the empty groups a web form sends for contact, period and
area, and checks that a period does not end before it starts.
"""

from __future__ import annotations

import json
import mimetypes
import re
from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.helpers import unified_resource_format
from ckan.lib.navl.dictization_functions import StopOnError, missing
from ckanext.scheming.validation import scheming_validator

from ckanext.openoverheid import helpers, valuelists
from ckanext.openoverheid.logic.navl import Key, as_list, blank, empty, get
from ckanext.openoverheid.openheid import policy
from ckanext.openoverheid.openheid.logic import validators as openheid_validators

# Dataset fields with repeating subfields whose empty groups are dropped (a form always sends one).
REPEATING_FIELDS = ("contact", "temporal_coverage", "spatial_coverage")
MEDIA_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*(\s*;.*)?$", re.IGNORECASE)
WKT = re.compile(
    r"^\s*(SRID=\d+;\s*)?(POINT|LINESTRING|POLYGON|MULTIPOINT|MULTILINESTRING|MULTIPOLYGON|GEOMETRYCOLLECTION|ENVELOPE)"
    r"\s*(Z|M|ZM)?\s*\(.*\)\s*$",
    re.IGNORECASE | re.DOTALL,
)
GEOJSON_TYPES = {"Point", "LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon",
                 "GeometryCollection", "Feature", "FeatureCollection"}


@scheming_validator
def openoverheid_default(field: dict[str, Any], schema: dict[str, Any]) -> Callable[..., None]:
    """The field's ``default`` for API clients that leave the field out, as the web form shows it."""
    default = field.get("default")

    def validator(key: Key, data: dict[Key, Any], errors: dict[Key, Any], context: dict[str, Any]) -> None:
        if empty(data.get(key, missing)) and default is not None:
            data[key] = list(default) if isinstance(default, list) else default

    return validator


def _choices_hint(value_list: valuelists.ValueList) -> str:
    """The allowed values for an error message; long lists of URIs are pointed to instead."""
    allowed = value_list.values()
    if value_list.value_key == "uri" or len(allowed) > 40:
        return tk._("see the field's choices in /api/3/action/scheming_dataset_schema_show?type=dataset")
    return ", ".join(allowed)


@scheming_validator
def openoverheid_in_valuelist(field: dict[str, Any], schema: dict[str, Any]) -> Callable[..., None]:
    """The value (or each value of a list) must be in the field's ``valuelist``; an unknown code is an
    error that names the field and says where the allowed values are. Scheming's own choice validators
    follow it to store the value (they stay silent once this one has spoken)."""
    value_list = valuelists.get(field["valuelist"])
    field_label = field.get("label") or field["field_name"]

    def validator(key: Key, data: dict[Key, Any], errors: dict[Key, Any], context: dict[str, Any]) -> None:
        value = data.get(key, missing)
        if empty(value):
            return
        given = as_list(value) if isinstance(value, list) or str(value).lstrip().startswith("[") else [str(value)]
        unknown = [v for v in given if v not in value_list]
        if unknown:
            label = str(field_label)
            if isinstance(field_label, dict):
                label = field_label.get(helpers.openoverheid_site_language()) or field_label.get("nl") or label
            errors.setdefault(key, []).append(
                tk._("{field}: '{value}' is not in the list; choose from: {choices}.").format(
                    field=label, value="', '".join(unknown), choices=_choices_hint(value_list)
                )
            )
            raise StopOnError

    return validator


def _guess_format(url: str | None) -> str | None:
    """A format from our list for a URL's file extension, or None: a guess never rejects a resource."""
    if not url:
        return None
    path = str(url).split("?", 1)[0].split("#", 1)[0]
    extension = path.rsplit(".", 1)[-1] if "." in path.rsplit("/", 1)[-1] else ""
    formats = valuelists.get("formats")
    item = formats.find(extension) if extension else None
    if item is None:
        guessed, _ = mimetypes.guess_type(path)
        item = formats.find(guessed) if guessed else None
    return str(item["code"]) if item else None


def openoverheid_format(key: Key, data: dict[Key, Any], errors: dict[Key, Any], context: dict[str, Any]) -> None:
    """A distribution's format: one of schemas/valuelists/formats.yaml, stored as its code.

    Any common spelling is accepted (``csv``, ``text/csv``, ``geojson``, the EU file-type URI). A
    format that is left empty is guessed from the URL when the guess is in the list, else left
    empty; a format that is stated but not in the list is an error, so the catalogue's formats
    stay ones DCAT-AP-DONL knows.
    """
    value = data.get(key, missing)
    if empty(value):
        guessed = _guess_format(get(data, (*key[:-1], "url")))
        data[key] = guessed if guessed else ""
        return
    formats = valuelists.get("formats")
    item = formats.find(str(value)) or formats.find(unified_resource_format(str(value)))
    if item is None:
        errors.setdefault(key, []).append(
            tk._("Format: '{value}' is not in the list of formats; choose one of {choices}.").format(
                value=value, choices=", ".join(formats.values())
            )
        )
        raise StopOnError
    data[key] = str(item["code"])


def openoverheid_media_type(value: Any, context: dict[str, Any]) -> Any:
    """An IANA media type such as ``text/csv`` (``dcat:mediaType``), stored in lower case."""
    if empty(value):
        return value
    if not MEDIA_TYPE.match(str(value).strip()):
        raise tk.Invalid(tk._("Media type: '{value}' is not a media type such as text/csv or application/json.")
                         .format(value=value))
    return str(value).strip().lower()


def openoverheid_geometry(value: Any, context: dict[str, Any]) -> Any:
    """A geometry as WKT (``POLYGON((...))``) or GeoJSON (``{"type": "Polygon", ...}``), as ckanext-dcat
    reads them for ``locn:geometry``, ``dcat:bbox`` and ``dcat:centroid``."""
    if empty(value):
        return value
    text = str(value).strip()
    if text.startswith("{"):
        try:
            geometry = json.loads(text)
        except ValueError:
            geometry = None
        if isinstance(geometry, dict) and geometry.get("type") in GEOJSON_TYPES:
            return text
    elif WKT.match(text):
        return text
    raise tk.Invalid(tk._("Geometry: write WKT such as POINT(5.12 52.09) or GeoJSON such as "
                          '{"type": "Point", "coordinates": [5.12, 52.09]}.'))


def openoverheid_contact_part(key: Key, data: dict[Key, Any], errors: dict[Key, Any], context: dict[str, Any]
                              ) -> None:
    """A contact point that is given needs both a name and an e-mail address (DCAT-AP-DONL's
    ``vcard:fn`` and ``vcard:hasEmail``). An entirely empty group is no contact point and passes."""
    group = key[:-1]
    siblings = [value for k, value in data.items() if k[:-1] == group and len(k) == len(key)]
    if blank(data.get(key, missing)) and any(not blank(v) for v in siblings):
        message = tk._("Contact point: a name is required.") if key[-1] == "name" else tk._(
            "Contact point: an e-mail address is required.")
        errors.setdefault(key, []).append(message)
        raise StopOnError


def _groups(data: dict[Key, Any], field: str) -> dict[int, dict[str, Key]]:
    groups: dict[int, dict[str, Key]] = {}
    for key in data:
        if len(key) == 3 and key[0] == field and isinstance(key[1], int):
            groups.setdefault(key[1], {})[key[2]] = key
    return groups


def openoverheid_tidy_subfields(key: Key, data: dict[Key, Any], errors: dict[Key, Any], context: dict[str, Any]
                                ) -> None:
    """Drop empty groups of repeating subfields and check that each period ends after it starts.

    A web form always sends one empty contact point, period and area; stored, they would be empty
    nodes in the DCAT output. Runs after the fields are validated (scheming's ``after_validators``),
    before scheming stores the groups.
    """
    for field in REPEATING_FIELDS:
        groups = _groups(data, field)
        if any(errors.get(k) for keys in groups.values() for k in keys.values()):
            continue  # the form shows the groups again as they were sent
        kept = [keys for _, keys in sorted(groups.items())
                if not all(blank(data.get(k, missing)) for k in keys.values())]
        values = [{name: data[k] for name, k in keys.items()} for keys in kept]
        for keys in groups.values():
            for k in keys.values():
                data.pop(k, None)
        for index, group in enumerate(values):  # renumbered: a dropped first group leaves no gap
            for name, value in group.items():
                data[(field, index, name)] = value
    for keys in _groups(data, "temporal_coverage").values():
        try:
            start = policy.parse_date(get(data, keys["start"])) if "start" in keys else None
            end = policy.parse_date(get(data, keys["end"])) if "end" in keys else None
        except ValueError:
            continue  # reported by the date validators
        if start and end and end < start:
            errors.setdefault(keys["end"], []).append(tk._("Temporal coverage: the end lies before the start."))


def get_validators() -> dict[str, Callable[..., Any]]:
    return {
        **openheid_validators.get_validators(),
        "openoverheid_default": openoverheid_default,
        "openoverheid_in_valuelist": openoverheid_in_valuelist,
        "openoverheid_format": openoverheid_format,
        "openoverheid_media_type": openoverheid_media_type,
        "openoverheid_geometry": openoverheid_geometry,
        "openoverheid_contact_part": openoverheid_contact_part,
        "openoverheid_tidy_subfields": openoverheid_tidy_subfields,
    }
