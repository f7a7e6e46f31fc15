"""Validators of the verzoeken schemas. Messages are English msgids; the Dutch is in the catalogue."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.openoverheid.meldingen.logic.validators import plain_text
from ckanext.openoverheid.verzoeken.model import Soort, Status

MAX_TITLE = 200
MIN_TITLE = 5
MAX_TEXT = 4000
MAX_REASON = 1000
# The Netherlands, generously: an idea on the map lies in the country.
LAT_RANGE, LON_RANGE = (50.5, 53.8), (3.0, 7.4)


def verzoek_soort(value: Any) -> str:
    text = str(value or "").strip()
    if text not in tuple(Soort):
        raise tk.Invalid(tk._("Choose what you ask for: %(choices)s.") % {"choices": ", ".join(Soort)})
    return text


def verzoek_titel(value: Any) -> str:
    text = " ".join(plain_text(value, MAX_TITLE).split())
    if len(text) < MIN_TITLE:
        raise tk.Invalid(tk._("Give your request a title of at least %(min)s characters.") % {"min": MIN_TITLE})
    return text


def verzoek_toelichting(value: Any) -> str:
    text = plain_text(value, MAX_TEXT)
    if not text:
        raise tk.Invalid(tk._("Explain what you ask for and why it would help."))
    return text


def verzoek_text(value: Any) -> str:
    return plain_text(value, MAX_TEXT)


def verzoek_reason(value: Any) -> str:
    return plain_text(value, MAX_REASON)


def verzoek_status(value: Any) -> str:
    text = str(value or "").strip()
    if text not in tuple(Status):
        raise tk.Invalid(tk._("Unknown status %(status)s; choose from %(choices)s.")
                         % {"status": text[:40], "choices": ", ".join(Status)})
    return text


def _coordinate(value: Any, low: float, high: float) -> float:
    try:
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        raise tk.Invalid(tk._("Give a number in degrees (WGS84), such as 52.09.")) from None
    if not math.isfinite(number) or not low <= number <= high:
        raise tk.Invalid(tk._("Choose a place in the Netherlands."))
    return number


def verzoek_latitude(value: Any) -> float:
    return _coordinate(value, *LAT_RANGE)


def verzoek_longitude(value: Any) -> float:
    return _coordinate(value, *LON_RANGE)


def verzoek_limit(value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise tk.Invalid(tk._("Give a whole number.")) from None
    if not 0 <= number <= 1000:
        raise tk.Invalid(tk._("Ask for at most %(max)s at a time.") % {"max": 1000})
    return number


def get_validators() -> dict[str, Callable[..., Any]]:
    return {
        "verzoek_soort": verzoek_soort,
        "verzoek_titel": verzoek_titel,
        "verzoek_toelichting": verzoek_toelichting,
        "verzoek_text": verzoek_text,
        "verzoek_reason": verzoek_reason,
        "verzoek_status": verzoek_status,
        "verzoek_latitude": verzoek_latitude,
        "verzoek_longitude": verzoek_longitude,
        "verzoek_limit": verzoek_limit,
    }
