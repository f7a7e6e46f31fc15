"""Template helpers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk


def openoverheid_site_language() -> str:
    """The language the page is rendered in, for the <html lang> attribute."""
    return tk.h.lang() or tk.config.get("ckan.locale_default") or "nl"


def get_helpers() -> dict[str, Callable[..., Any]]:
    return {"openoverheid_site_language": openoverheid_site_language}
