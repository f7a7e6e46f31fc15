"""Template helpers of the alert pages, and of the pages that link to them ("Mail me")."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.openoverheid.attenderingen.location import DEFAULT_RADIUS_M, MAX_RADIUS_M, MIN_RADIUS_M
from ckanext.openoverheid.attenderingen.sources import SOURCES
from ckanext.openoverheid.attenderingen.translation import gettext_for
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


def attenderingen_waste_types() -> list[tuple[str, str]]:
    """(code, name in the page's language) of every waste type, for the afvalkalender checkboxes."""
    return attenderingen_choices("afvalkalender")


def attenderingen_reminder_time() -> str:
    """The portal's reminder time (HH:MM), the afvalkalender field's placeholder."""
    from ckanext.openoverheid.attenderingen import settings

    return settings.reminder_time().strftime("%H:%M")


# The dataset search page's parameters an alert can follow (one value each), and the alert's names.
_SEARCH_TO_ALERT = {"q": "q", "organization": "organization", "vocab_theme": "theme"}


def attenderingen_dataset_search_alert_url() -> str | None:
    """"Mail me" for the dataset search page's current search, or None when the search has filters an
    alert cannot follow (tags, formats, several organisations...)."""
    args = tk.request.args
    chosen: dict[str, str] = {}
    for key in args:
        values = [value for value in args.getlist(key) if value.strip()]
        if not values or key in ("page", "sort"):
            continue
        if key not in _SEARCH_TO_ALERT or len(values) > 1:
            return None
        chosen[_SEARCH_TO_ALERT[key]] = values[0]
    return attenderingen_subscribe_url("datasets", **chosen)


def attenderingen_chosen(values: dict[str, Any]) -> str | None:
    """What a subscription made with the form's ``values`` would follow, when those came with the link
    ("Mail me" on a report, the map or a search) rather than from fields the visitor sees."""
    soort = values.get("soort")
    if soort not in ("meldingen", "datasets") or soort not in SOURCES:
        return None
    if not any(values.get(key) for key in ("melding", "bbox", "organization", "theme", "q")):
        return None
    errors: dict[str, list[str]] = {}
    criteria = SOURCES[soort].criteria(dict(values), errors)
    if errors:
        return None  # the form says what is wrong once it is sent
    return SOURCES[soort].describe(criteria, gettext_for(tk.h.lang() or "nl"))


def attenderingen_organizations() -> list[tuple[str, str]]:
    """(name, title) of every organisation, for the datasets alert's select."""
    found = tk.get_action("organization_list")({"user": ""}, {"all_fields": True, "limit": 1000})
    return sorted(((o["name"], o.get("title") or o["name"]) for o in found), key=lambda pair: pair[1].lower())


def attenderingen_themes() -> list[tuple[str, str]]:
    """(code, name in the page's language) of every DCAT theme, for the datasets alert's select."""
    from ckanext.openoverheid import valuelists

    language = tk.h.lang() or "nl"
    return [(str(item["code"]), valuelists.get("themes").label(item["uri"], language))
            for item in valuelists.get("themes").items]


def get_helpers() -> dict[str, Callable[..., Any]]:
    return {
        "attenderingen_permit_kinds": attenderingen_permit_kinds,
        "attenderingen_choices": attenderingen_choices,
        "attenderingen_radius": attenderingen_radius,
        "attenderingen_radii": attenderingen_radii,
        "attenderingen_kind_url": attenderingen_kind_url,
        "attenderingen_subscribe_url": attenderingen_subscribe_url,
        "attenderingen_waste_types": attenderingen_waste_types,
        "attenderingen_reminder_time": attenderingen_reminder_time,
        "attenderingen_dataset_search_alert_url": attenderingen_dataset_search_alert_url,
        "attenderingen_chosen": attenderingen_chosen,
        "attenderingen_organizations": attenderingen_organizations,
        "attenderingen_themes": attenderingen_themes,
    }
