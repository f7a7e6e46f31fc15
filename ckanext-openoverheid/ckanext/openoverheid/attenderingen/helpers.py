"""Template helpers of the alert pages, and of the pages that link to them ("Mail me")."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.openoverheid.attenderingen.location import DEFAULT_RADIUS_M, MAX_RADIUS_M, MIN_RADIUS_M
from ckanext.openoverheid.attenderingen.sources import SOURCES
from ckanext.openoverheid.vergunningen.filters import SOORTEN
from ckanext.openoverheid.vergunningen.labels import SOORT_LABELS

#: The radii offered in the forms; a radius passed in from another page is added when it is not one of them.
RADII = (100, 250, 500, 1000, 2000)

#: What a link to another kind carries over from the form: the place, which every kind asks for.
SHARED_FIELDS = ("postcode", "huisnummer", "toevoeging", "lat", "lon", "straal")


def attenderingen_permit_kinds() -> list[tuple[str, str]]:
    """(code, name in the page's language) of every permit kind, for the checkboxes."""
    return [(code, tk._(SOORT_LABELS.get(code, code))) for code in SOORTEN]


def attenderingen_choices(soort: str) -> list[tuple[str, str]]:
    """(code, name) of what a kind's ``soorten`` field may hold: the permit kinds, or what the kind's
    source offers through an optional ``choices()`` (e.g. waste types); empty when it offers none."""
    if soort == "vergunningen":
        return attenderingen_permit_kinds()
    offered = getattr(SOURCES.get(soort), "choices", None)
    return list(offered()) if callable(offered) else []


def attenderingen_radius(current: Any = None) -> int:
    """The radius to select: ``current`` when it is a whole number of metres, within the range an alert
    allows (a larger radius from the permits map becomes the largest allowed); else the default."""
    try:
        chosen = int(str(current))
    except ValueError:
        return DEFAULT_RADIUS_M
    return min(max(chosen, MIN_RADIUS_M), MAX_RADIUS_M)


def attenderingen_radii(current: Any = None) -> list[int]:
    """The radii of the select, with ``attenderingen_radius(current)`` among them."""
    return sorted({*RADII, attenderingen_radius(current)})


def attenderingen_kind_url(soort: str, values: Mapping[str, Any], without: Iterable[str] = ()) -> str:
    """The subscribe page with ``soort`` chosen, keeping the place already given except the fields
    ``without`` (works without JavaScript: choosing a kind is following a link)."""
    kept = {key: values[key] for key in SHARED_FIELDS if values.get(key) and key not in without}
    return tk.h.url_for("attenderingen.new", soort=soort, **kept)


def attenderingen_subscribe_url(soort: str, **criteria: Any) -> str:
    """A "Mail me" link from another page: the subscribe page with this kind and the page's own
    selection (empty values left out; lists as comma-separated codes)."""
    params: dict[str, Any] = {}
    for key, value in criteria.items():
        if isinstance(value, Iterable) and not isinstance(value, str):
            value = ",".join(str(v) for v in value)
        if value not in (None, ""):
            params[key] = value
    return tk.h.url_for("attenderingen.new", soort=soort, **params)


def get_helpers() -> dict[str, Callable[..., Any]]:
    return {
        "attenderingen_permit_kinds": attenderingen_permit_kinds,
        "attenderingen_choices": attenderingen_choices,
        "attenderingen_radius": attenderingen_radius,
        "attenderingen_radii": attenderingen_radii,
        "attenderingen_kind_url": attenderingen_kind_url,
        "attenderingen_subscribe_url": attenderingen_subscribe_url,
    }
