"""Validators for our scheming fields, registered with CKAN (names start with ``openoverheid_``).

They are the CKAN side of ``policy`` and ``valuelists``: the rules live there, without CKAN. The
dataset schema (schemas/dataset.yaml) uses them as follows:

* ``openoverheid_closure`` is the schema's ``before_validators`` (scheming runs it as navl's
  ``__before``, before any field): it sees access rights, grounds, motivation and review date
  together, fills in what a partial update left out, records errors under each field's own key, and
  writes back the cleaned values and ``closed_since``;
* ``openoverheid_skip_on_error`` heads the validators of those fields, so that a field the closure
  check already rejected is not reported twice;
* ``openoverheid_tidy_subfields`` is the schema's ``after_validators``: it drops the empty groups a
  web form sends for contact, period and area, and checks that a period does not end before it starts.
"""

from __future__ import annotations

import datetime
import json
import logging
import mimetypes
import re
from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.helpers import unified_resource_format
from ckan.lib.navl.dictization_functions import StopOnError, missing
from ckanext.scheming.validation import scheming_validator

from ckanext.openoverheid import helpers, valuelists
from ckanext.openoverheid.openheid import policy

log = logging.getLogger(__name__)

Key = tuple[Any, ...]

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


def _empty(value: Any) -> bool:
    return value is missing or value is None or value == "" or value == []


def _blank(value: Any) -> bool:
    return _empty(value) or (isinstance(value, str) and not value.strip())


def _get(data: dict[Key, Any], key: Key) -> Any:
    value = data.get(key, missing)
    return None if value is missing else value


def _as_list(value: Any) -> list[str]:
    """A list of codes as scheming stores it (JSON), as a form sends it (one string or a list) or
    as a simple client writes it ("5.1.2.e, 5.1.1.d")."""
    if _empty(value):
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    text = str(value).strip()
    if text.startswith("["):
        try:
            parsed = json.loads(text)
        except ValueError:
            return [text]
        return [str(v) for v in parsed] if isinstance(parsed, list) else [str(parsed)]
    return [part.strip() for part in text.split(",") if part.strip()]


def _stored_extras(data: dict[Key, Any], context: dict[str, Any]) -> dict[str, Any] | None:
    """The stored extras of the dataset being updated, or None on create.

    ``package_update`` puts the stored package in ``context["package"]``; a context reused from an
    earlier call may still hold another dataset, hence the id check.
    """
    package = context.get("package")
    if package is None or getattr(package, "id", None) is None:
        return None
    if _get(data, ("id",)) != package.id:
        return None
    return dict(getattr(package, "extras", None) or {})


def openoverheid_closure(key: Key, data: dict[Key, Any], errors: dict[Key, Any], context: dict[str, Any]) -> None:
    """Check access rights, Woo grounds, motivation and review date together (``policy.check_closure``).

    * Access rights left out of an update keep their stored value, with the stored grounds,
      motivation and review date: a dataset is only opened by saying so, never by omission.
      Left out of a create, they are ``publiek``.
    * Errors go under the offending field's key (``woo_grounds``, ``woo_motivation``,
      ``review_date``, ``access_rights``), so ``ValidationError`` names it and the form marks it.
    * A public dataset keeps nothing of a closure: grounds, motivation, review date and
      ``closed_since`` are dropped (logged as a warning when they were sent).
    * A closed dataset gets ``closed_since``: kept from the stored dataset while it stays closed,
      today when it is newly closed. What a client sends as ``closed_since`` is ignored.
    """
    prefix = key[:-1]

    def k(name: str) -> Key:
        return (*prefix, name)

    stored = _stored_extras(data, context) or {}  # empty on create
    stored_closed = bool(stored) and policy.is_closed(stored.get("access_rights"))
    _keep_stored_closure_when_left_out(data, k, stored, stored_closed)
    check = policy.check_closure(
        str(data[k("access_rights")]).strip(),
        _as_list(data.get(k("woo_grounds"), missing)),
        _get(data, k("woo_motivation")),
        _get(data, k("review_date")),
        today=datetime.date.today(),
        previous_review_date=stored.get("review_date") if stored_closed else None,
        translate=tk._,
    )
    for field, messages in check.errors.items():
        errors.setdefault(k(field), []).extend(messages)
    for warning in check.warnings:
        log.warning("dataset %s: %s", _get(data, k("name")) or _get(data, k("id")), warning)
    if "access_rights" in check.errors or not policy.is_closed(check.access_rights):
        for name in (*policy.CLOSURE_FIELDS, "closed_since"):
            data[k(name)] = missing
    else:
        _write_closure(data, k, check, stored)


def _keep_stored_closure_when_left_out(
    data: dict[Key, Any], k: Callable[[str], Key], stored: dict[str, Any], stored_closed: bool
) -> None:
    """Access rights left out: the stored closure on an update of a closed dataset, else ``publiek``."""
    if not _empty(data.get(k("access_rights"), missing)):
        return
    if not stored_closed:
        data[k("access_rights")] = policy.PUBLIEK
        return
    data[k("access_rights")] = stored["access_rights"]
    for name in policy.CLOSURE_FIELDS:
        if _empty(data.get(k(name), missing)) and stored.get(name):
            data[k(name)] = stored[name]


def _write_closure(
    data: dict[Key, Any], k: Callable[[str], Key], check: policy.ClosureCheck, stored: dict[str, Any]
) -> None:
    """The cleaned closure of a closed dataset, and since when it is closed (kept while it stays closed)."""
    data[k("access_rights")] = check.access_rights
    if "woo_grounds" not in check.errors:
        data[k("woo_grounds")] = check.woo_grounds
    data[k("woo_motivation")] = check.woo_motivation
    if "review_date" not in check.errors and check.review_date is not None:
        data[k("review_date")] = check.review_date.isoformat()
    data[k("closed_since")] = policy.closed_since(
        check.access_rights,
        stored.get("access_rights"),
        stored.get("closed_since"),
        datetime.date.today(),
    )


def openoverheid_skip_on_error(key: Key, data: dict[Key, Any], errors: dict[Key, Any], context: dict[str, Any]
                               ) -> None:
    """Stop a field's validators when an earlier check (``openoverheid_closure``) already rejected it."""
    if errors.get(key):
        raise StopOnError


@scheming_validator
def openoverheid_default(field: dict[str, Any], schema: dict[str, Any]) -> Callable[..., None]:
    """The field's ``default`` for API clients that leave the field out, as the web form shows it."""
    default = field.get("default")

    def validator(key: Key, data: dict[Key, Any], errors: dict[Key, Any], context: dict[str, Any]) -> None:
        if _empty(data.get(key, missing)) and default is not None:
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
        if _empty(value):
            return
        given = _as_list(value) if isinstance(value, list) or str(value).lstrip().startswith("[") else [str(value)]
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
    if _empty(value):
        guessed = _guess_format(_get(data, (*key[:-1], "url")))
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
    if _empty(value):
        return value
    if not MEDIA_TYPE.match(str(value).strip()):
        raise tk.Invalid(tk._("Media type: '{value}' is not a media type such as text/csv or application/json.")
                         .format(value=value))
    return str(value).strip().lower()


def openoverheid_geometry(value: Any, context: dict[str, Any]) -> Any:
    """A geometry as WKT (``POLYGON((...))``) or GeoJSON (``{"type": "Polygon", ...}``), as ckanext-dcat
    reads them for ``locn:geometry``, ``dcat:bbox`` and ``dcat:centroid``."""
    if _empty(value):
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
    if _blank(data.get(key, missing)) and any(not _blank(v) for v in siblings):
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
                if not all(_blank(data.get(k, missing)) for k in keys.values())]
        values = [{name: data[k] for name, k in keys.items()} for keys in kept]
        for keys in groups.values():
            for k in keys.values():
                data.pop(k, None)
        for index, group in enumerate(values):  # renumbered: a dropped first group leaves no gap
            for name, value in group.items():
                data[(field, index, name)] = value
    for keys in _groups(data, "temporal_coverage").values():
        try:
            start = policy.parse_date(_get(data, keys["start"])) if "start" in keys else None
            end = policy.parse_date(_get(data, keys["end"])) if "end" in keys else None
        except ValueError:
            continue  # reported by the date validators
        if start and end and end < start:
            errors.setdefault(keys["end"], []).append(tk._("Temporal coverage: the end lies before the start."))


def get_validators() -> dict[str, Callable[..., Any]]:
    return {
        "openoverheid_closure": openoverheid_closure,
        "openoverheid_skip_on_error": openoverheid_skip_on_error,
        "openoverheid_default": openoverheid_default,
        "openoverheid_in_valuelist": openoverheid_in_valuelist,
        "openoverheid_format": openoverheid_format,
        "openoverheid_media_type": openoverheid_media_type,
        "openoverheid_geometry": openoverheid_geometry,
        "openoverheid_contact_part": openoverheid_contact_part,
        "openoverheid_tidy_subfields": openoverheid_tidy_subfields,
    }
