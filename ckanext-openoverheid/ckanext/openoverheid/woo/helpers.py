"""Template helpers of the Woo feature."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.openoverheid.woo import sitemap


def openoverheid_woo_robots_lines() -> list[str]:
    """robots.txt's ``Sitemap:`` lines, one per sitemap index (absolute URLs), from the database now."""
    return sitemap.robots_lines(str(tk.config.get("ckan.site_url") or ""), sitemap.indexes())


def get_helpers() -> dict[str, Callable[..., Any]]:
    return {"openoverheid_woo_robots_lines": openoverheid_woo_robots_lines}
