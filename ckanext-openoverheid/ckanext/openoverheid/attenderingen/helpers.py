"""Template helpers of the alert pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.openoverheid.attenderingen.sources import SOURCES
from ckanext.openoverheid.attenderingen.translation import gettext_for
from ckanext.openoverheid.vergunningen.filters import SOORTEN
from ckanext.openoverheid.vergunningen.labels import SOORT_LABELS


def attenderingen_permit_kinds() -> list[tuple[str, str]]:
    """(code, name in the page's language) of every permit kind, for the checkboxes."""
    return [(code, tk._(SOORT_LABELS.get(code, code))) for code in SOORTEN]


def attenderingen_waste_types() -> list[tuple[str, str]]:
    """(code, name in the page's language) of every waste type, for the afvalkalender checkboxes."""
    from ckanext.openoverheid.attenderingen.sources.afvalkalender import waste_label, waste_types

    language = tk.h.lang() or "nl"
    return [(code, waste_label(code, language)) for code in waste_types()]


def attenderingen_reminder_time() -> str:
    """The portal's reminder time (HH:MM), the afvalkalender field's placeholder."""
    from ckanext.openoverheid.attenderingen import settings

    return settings.reminder_time().strftime("%H:%M")


def attenderingen_alert_url(soort: str, **criteria: Any) -> str:
    """The subscribe form, filled in with ``criteria`` (empty ones left out): the "Mail me" links."""
    return str(tk.h.url_for("attenderingen.new", soort=soort,
                            **{key: value for key, value in criteria.items() if value not in (None, "")}))


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
    return attenderingen_alert_url("datasets", **chosen)


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


def get_helpers() -> dict[str, Callable[..., Any]]:
    return {"attenderingen_permit_kinds": attenderingen_permit_kinds,
            "attenderingen_waste_types": attenderingen_waste_types,
            "attenderingen_reminder_time": attenderingen_reminder_time,
            "attenderingen_alert_url": attenderingen_alert_url,
            "attenderingen_dataset_search_alert_url": attenderingen_dataset_search_alert_url,
            "attenderingen_chosen": attenderingen_chosen}
