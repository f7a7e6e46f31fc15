"""Template helpers of the alert pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk

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


def get_helpers() -> dict[str, Callable[..., Any]]:
    return {"attenderingen_permit_kinds": attenderingen_permit_kinds,
            "attenderingen_waste_types": attenderingen_waste_types,
            "attenderingen_reminder_time": attenderingen_reminder_time}
