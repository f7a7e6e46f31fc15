"""Validators of the meldingen schemas. Messages are English msgids; the Dutch is in the catalogue."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.openoverheid.meldingen import categories

MAX_DESCRIPTION = 4000  # Open311 GeoReport v2
MAX_ADDRESS = 250
MAX_RESPONSE = 4000
MAX_NAME = 200

# A tag, a comment, a doctype or an entity: anything a browser would treat as markup.
_HTML = re.compile(r"<\s*[a-zA-Z/!?]|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]{2,8});")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def plain_text(value: Any, max_length: int) -> str:
    """Stripped text without control characters; Invalid when it holds markup or is too long."""
    text = _CONTROL.sub("", str(value)).strip()
    if _HTML.search(text):
        raise tk.Invalid(tk._("Write plain text without HTML or code; remove the < > or & signs."))
    if len(text) > max_length:
        raise tk.Invalid(
            tk._("The text is %(length)s characters long; at most %(max)s are allowed.")
            % {"length": len(text), "max": max_length}
        )
    return text


def melding_description(value: Any) -> str:
    text = plain_text(value, MAX_DESCRIPTION)
    if not text:
        raise tk.Invalid(tk._("Describe the problem."))
    return text


def melding_address(value: Any) -> str:
    return plain_text(value, MAX_ADDRESS)


def melding_response_text(value: Any) -> str:
    return plain_text(value, MAX_RESPONSE)


def melding_reporter_name(value: Any) -> str:
    return plain_text(value, MAX_NAME)


def melding_service_code(value: Any) -> str:
    code = str(value).strip()
    if not code:
        raise tk.Invalid(tk._("Choose a category: what is the problem?"))
    if categories.category(code) is None:
        raise tk.Invalid(
            tk._("Unknown category %(code)s; choose one of: %(codes)s")
            % {"code": code[:60], "codes": ", ".join(categories.category_codes())}
        )
    return code


def melding_status(value: Any) -> str:
    code = str(value).strip()
    if categories.workflow().get(code) is None:
        raise tk.Invalid(
            tk._("Unknown status %(status)s; choose one of: %(codes)s")
            % {"status": code[:60], "codes": ", ".join(categories.workflow().codes())}
        )
    return code


def _coordinate(value: Any, low: float, high: float, what: str) -> float:
    try:
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        raise tk.Invalid(tk._("%(what)s must be a number in degrees (WGS84), e.g. 52.0907") % {"what": what}) from None
    if not math.isfinite(number) or not low <= number <= high:
        raise tk.Invalid(
            tk._("%(what)s must lie between %(low)s and %(high)s degrees") % {"what": what, "low": low, "high": high}
        )
    return number


def melding_latitude(value: Any) -> float:
    return _coordinate(value, -90.0, 90.0, tk._("Latitude"))


def melding_longitude(value: Any) -> float:
    return _coordinate(value, -180.0, 180.0, tk._("Longitude"))


def melding_attributes(value: Any) -> dict[str, Any]:
    """A dict of attribute code → answer; checked against the category later (it needs the code)."""
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        raise tk.Invalid(tk._("Attributes must be given as code: value pairs."))
    return {str(k): v for k, v in value.items()}


def melding_limit(value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise tk.Invalid(tk._("Must be a whole number")) from None
    return max(1, min(number, 1000))


def get_validators() -> dict[str, Callable[..., Any]]:
    return {
        "melding_description": melding_description,
        "melding_address": melding_address,
        "melding_response_text": melding_response_text,
        "melding_reporter_name": melding_reporter_name,
        "melding_service_code": melding_service_code,
        "melding_status": melding_status,
        "melding_latitude": melding_latitude,
        "melding_longitude": melding_longitude,
        "melding_attributes": melding_attributes,
        "melding_limit": melding_limit,
    }
