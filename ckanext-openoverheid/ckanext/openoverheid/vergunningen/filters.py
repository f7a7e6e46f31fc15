"""What a caller asked of the permits search, checked and normalised: ``parse_filters`` turns request
parameters (Flask's args or an action's data_dict) into ``Filters``, or a FilterError that names every
bad parameter at once. Plain module: no CKAN, no Flask; ``query.py`` turns Filters into SQL.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from harvesters.vergunningen.record import Fase, Soort

DEFAULT_RADIUS_M = 1_000
MAX_RADIUS_M = 25_000
DEFAULT_LIMIT = 50
MAX_LIMIT = 1_000

SOORTEN: tuple[str, ...] = tuple(s.value for s in Soort)
FASEN: tuple[str, ...] = tuple(f.value for f in Fase)

_PC6 = re.compile(r"^([1-9][0-9]{3})\s*([A-Za-z]{2})$")
_PC4 = re.compile(r"^[1-9][0-9]{3}$")
_NAME = re.compile(r"^[a-z0-9_-]{2,100}$")


def N_(message: str) -> str:
    """Marks a message for translation; the web layer translates it where it is shown."""
    return message


class Order(Enum):
    """How results are sorted: newest first (feeds, lists) or nearest first (around a point)."""

    DATE = "datum"
    DISTANCE = "afstand"


class FilterError(ValueError):
    """Some filters are not usable. ``errors`` maps each parameter to a message (an English msgid)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{key}: {message}" for key, message in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class Point:
    """A WGS84 point in the Netherlands (and a margin around it)."""

    lat: float
    lon: float


@dataclass(frozen=True)
class Filters:
    """What a caller asked for, checked and normalised. ``straal`` (metres) only counts with a point."""

    gemeente: str | None = None
    postcode: str | None = None
    soort: tuple[str, ...] = ()
    fase: tuple[str, ...] = ()
    sinds: datetime.date | None = None
    point: Point | None = None
    straal: int = DEFAULT_RADIUS_M
    dataset: str | None = None
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    order: Order = Order.DATE

    def as_params(self) -> dict[str, Any]:
        """The filters as query parameters again (for links to the next page, the feeds, the API)."""
        params: dict[str, Any] = {}
        if self.gemeente:
            params["gemeente"] = self.gemeente
        if self.postcode:
            params["postcode"] = self.postcode
        if self.soort:
            params["soort"] = list(self.soort)
        if self.fase:
            params["fase"] = list(self.fase)
        if self.sinds:
            params["sinds"] = self.sinds.isoformat()
        if self.point:
            params.update(lat=f"{self.point.lat:.6f}", lon=f"{self.point.lon:.6f}", straal=self.straal)
        if self.dataset:
            params["dataset"] = self.dataset
        return params

def normalise_postcode(value: str) -> str | None:
    """``3512 ah`` → ``3512AH``, ``3512`` → ``3512``; anything else → None."""
    value = value.strip()
    match = _PC6.match(value)
    if match:
        return f"{match.group(1)}{match.group(2).upper()}"
    if _PC4.match(value):
        return value
    return None


def _values(args: Mapping[str, Any], key: str) -> list[str]:
    """All values of a parameter: repeated (``soort=a&soort=b``), comma-separated or a list."""
    raw = args.get(key)
    if raw is None:
        return []
    items = raw if isinstance(raw, list | tuple) else [raw]
    values: list[str] = []
    for item in items:
        values.extend(part.strip() for part in str(item).split(",") if part.strip())
    return values


def _single(args: Mapping[str, Any], key: str) -> str | None:
    """The first value of a single-valued parameter, stripped; None when absent or empty."""
    raw = args.get(key)
    if isinstance(raw, list | tuple):
        raw = raw[0] if raw else None
    text = str(raw).strip() if raw is not None else ""
    return text or None


def _number(text: str | None, kind: type[int] | type[float]) -> int | float | None:
    if text is None:
        return None
    try:
        value = kind(text.replace(",", ".") if kind is float else text)
    except ValueError:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def parse_filters(
    args: Mapping[str, Any], *, max_limit: int = MAX_LIMIT, default_limit: int = DEFAULT_LIMIT
) -> Filters:
    """Check and normalise the filters of a request; raise FilterError naming every bad parameter.

    ``args`` maps parameter names to a string or a list of strings (Flask's ``args.to_dict(flat=False)``
    or an action's data_dict). Unknown parameters are ignored, as CKAN's own APIs do. Each step below
    reads its own parameters and notes what is wrong in ``errors``, so every bad parameter is named at once.
    """
    errors: dict[str, str] = {}
    point = _point(args, errors)
    filters = Filters(
        gemeente=_gemeente(args, errors),
        postcode=_postcode(args, errors),
        soort=_choices(args, "soort", SOORTEN, errors, N_(
            "Unknown permit kind (soort): use bouw, kap, sloop, omgevings, reclame, milieu, evenementen, "
            "verkeersbesluit or overig.")),
        fase=_choices(args, "fase", FASEN, errors, N_(
            "Unknown phase (fase): use aanvraag, verleend, geweigerd, ingetrokken or onbekend.")),
        sinds=_sinds(args, errors),
        point=point,
        straal=_straal(args, point, errors),
        dataset=_dataset(args, errors),
        limit=_whole_number(args, "limit", default_limit, 1, max_limit, errors, N_(
            "limit must be a whole number from 1 to the maximum of this endpoint.")),
        offset=_whole_number(args, "offset", 0, 0, None, errors, N_("offset must be a whole number, 0 or more.")),
        order=_order(args, point, errors),
    )
    if errors:
        raise FilterError(errors)
    return filters


def _gemeente(args: Mapping[str, Any], errors: dict[str, str]) -> str | None:
    gemeente = _single(args, "gemeente")
    if gemeente is not None and len(gemeente) > 100:
        errors["gemeente"] = N_("Municipality name is too long (at most 100 characters).")
    return gemeente


def _postcode(args: Mapping[str, Any], errors: dict[str, str]) -> str | None:
    raw = _single(args, "postcode")
    if raw is None:
        return None
    postcode = normalise_postcode(raw)
    if postcode is None:
        errors["postcode"] = N_("Postcode must be four digits (3512) or four digits and two letters (3512AH).")
    return postcode


def _choices(args: Mapping[str, Any], key: str, allowed: Sequence[str], errors: dict[str, str],
             message: str) -> tuple[str, ...]:
    """The values of a multi-valued parameter, lower case, each once, in the order given."""
    values = tuple(dict.fromkeys(value.lower() for value in _values(args, key)))
    if any(value not in allowed for value in values):
        errors[key] = message
    return values


def _sinds(args: Mapping[str, Any], errors: dict[str, str]) -> datetime.date | None:
    raw = _single(args, "sinds")
    if raw is None:
        return None
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        errors["sinds"] = N_("Date must be written as YYYY-MM-DD, e.g. 2026-01-31.")
        return None


def _point(args: Mapping[str, Any], errors: dict[str, str]) -> Point | None:
    raw_lat, raw_lon = _single(args, "lat"), _single(args, "lon")
    if raw_lat is None and raw_lon is None:
        return None
    lat, lon = _number(raw_lat, float), _number(raw_lon, float)
    if lat is None or lon is None:
        errors["lat"] = N_("Give both lat and lon as decimal degrees (WGS84), e.g. lat=52.09&lon=5.12.")
    elif not (-90 <= lat <= 90 and -180 <= lon <= 180):
        errors["lat"] = N_("lat must lie between -90 and 90 and lon between -180 and 180.")
    else:
        return Point(float(lat), float(lon))
    return None


def _straal(args: Mapping[str, Any], point: Point | None, errors: dict[str, str]) -> int:
    straal = _whole_number(args, "straal", DEFAULT_RADIUS_M, 1, MAX_RADIUS_M, errors, N_(
        "Radius (straal) must be a whole number of metres from 1 to 25000."))
    if _single(args, "straal") is not None and point is None and "lat" not in errors:
        errors["straal"] = N_("A radius (straal) needs a point: give lat and lon as well.")
    return straal


def _dataset(args: Mapping[str, Any], errors: dict[str, str]) -> str | None:
    dataset = _single(args, "dataset")
    if dataset is not None and not _NAME.match(dataset):
        errors["dataset"] = N_("Dataset must be the name of a dataset, e.g. vergunningen-utrecht.")
    return dataset


def _whole_number(args: Mapping[str, Any], key: str, default: int, low: int, high: int | None,
                  errors: dict[str, str], message: str) -> int:
    """A whole-number parameter from ``low`` to ``high`` (None: no maximum); ``default`` when absent."""
    raw = _single(args, key)
    if raw is None:
        return default
    value = _number(raw, int)
    if value is None or value < low or (high is not None and value > high):
        errors[key] = message
        return default
    return int(value)


def _order(args: Mapping[str, Any], point: Point | None, errors: dict[str, str]) -> Order:
    """Nearest first around a point, newest first otherwise, unless ``sorteer`` says which."""
    order = Order.DISTANCE if point is not None else Order.DATE
    raw = _single(args, "sorteer")
    if raw is None:
        return order
    try:
        order = Order(raw)
    except ValueError:
        errors["sorteer"] = N_("sorteer must be datum or afstand.")
    if order is Order.DISTANCE and point is None:
        errors["sorteer"] = N_("Sorting by distance needs a point: give lat and lon as well.")
    return order
