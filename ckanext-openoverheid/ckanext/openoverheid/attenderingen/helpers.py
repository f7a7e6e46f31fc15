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


def get_helpers() -> dict[str, Callable[..., Any]]:
    return {"attenderingen_permit_kinds": attenderingen_permit_kinds}
