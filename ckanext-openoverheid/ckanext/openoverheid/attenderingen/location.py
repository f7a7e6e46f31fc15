"""Where a subscription looks: a typed Dutch address (postcode and house number) or a point on the map.

An address is looked up like the permits map does (``vergunningen_locate``: the permits the portal
holds, then PDOK's Locatieserver when ``ckanext.openoverheid.geocoder_url`` is set); when only the
postcode is known there, its centre is used. An address nobody knows is a field error.
"""

from __future__ import annotations

import re
from typing import Any

import ckan.plugins.toolkit as tk

_POSTCODE = re.compile(r"^\s*([1-9]\d{3})\s*([A-Za-z]{2})\s*$")

MIN_RADIUS_M = 100
MAX_RADIUS_M = 2_000
DEFAULT_RADIUS_M = 500


def normalise_postcode(text: str) -> str | None:
    match = _POSTCODE.match(text or "")
    return f"{match.group(1)}{match.group(2).upper()}" if match else None


def _number(value: Any) -> float | None:
    try:
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        return None
    return number if number == number else None  # NaN


def _lookup(text: str) -> dict[str, Any] | None:
    try:
        return tk.get_action("vergunningen_locate")({"ignore_auth": True}, {"q": text})
    except tk.ObjectNotFound:
        return None
    except tk.ValidationError:  # the geocoder is unavailable: the postcode's centre still helps
        return None


def point(data: dict[str, Any], errors: dict[str, list[str]]) -> dict[str, Any] | None:
    """``{"lat", "lon", "plaats"}`` from ``lat``/``lon`` or ``postcode``/``huisnummer``; errors per field."""
    lat, lon = data.get("lat"), data.get("lon")
    if lat not in (None, "") or lon not in (None, ""):
        lat_n, lon_n = _number(lat), _number(lon)
        if lat_n is None or lon_n is None or not (50.5 <= lat_n <= 53.8 and 3.0 <= lon_n <= 7.4):
            errors["lat"] = [tk._("Choose a point in the Netherlands on the map (lat and lon in WGS84).")]
            return None
        return {"lat": round(lat_n, 6), "lon": round(lon_n, 6), "plaats": f"{lat_n:.5f}, {lon_n:.5f}"}
    postcode_text = str(data.get("postcode") or "").strip()
    number_text = str(data.get("huisnummer") or "").strip()
    if not postcode_text and not number_text:
        errors["postcode"] = [tk._("Enter a postcode and house number, or choose a point on the map.")]
        return None
    postcode = normalise_postcode(postcode_text)
    if postcode is None:
        errors["postcode"] = [tk._("Enter a postcode of four digits and two letters, e.g. 3512 AH.")]
    if not number_text.isdigit() or not 0 < int(number_text) <= 99999:
        errors["huisnummer"] = [tk._("Enter a house number, e.g. 13.")]
    if postcode is None or "huisnummer" in errors:
        return None
    found = _lookup(f"{postcode} {int(number_text)}") or _lookup(postcode)
    if found is None:
        errors["postcode"] = [tk._("This address is not known here. Check the postcode and house number, "
                                   "or choose a point on the map.")]
        return None
    return {"lat": round(float(found["lat"]), 6), "lon": round(float(found["lon"]), 6),
            "plaats": f"{postcode[:4]} {postcode[4:]} {int(number_text)}",
            "postcode": postcode, "huisnummer": int(number_text)}


def radius(data: dict[str, Any], errors: dict[str, list[str]]) -> int:
    raw = data.get("straal")
    if raw in (None, ""):
        return DEFAULT_RADIUS_M
    value = _number(raw)
    if value is None or value != int(value) or not MIN_RADIUS_M <= value <= MAX_RADIUS_M:
        errors["straal"] = [tk._("The radius (straal) is a whole number of metres from 100 to 2000.")]
        return DEFAULT_RADIUS_M
    return int(value)


def choices(data: dict[str, Any], key: str, allowed: tuple[str, ...], errors: dict[str, list[str]],
            message: str) -> list[str]:
    """A list of codes from a list, a comma-separated string or repeated form fields; all must be allowed."""
    raw = data.get(key)
    if raw in (None, "", []):
        return []
    values = raw if isinstance(raw, list | tuple) else str(raw).split(",")
    codes = sorted({str(v).strip() for v in values if str(v).strip()})
    if any(code not in allowed for code in codes):
        errors[key] = [message]
        return []
    return codes
