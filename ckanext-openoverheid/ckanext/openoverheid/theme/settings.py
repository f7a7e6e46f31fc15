"""What a municipality configures about the look (``ckanext.openoverheid.theme.*`` and ``ckan.site_logo``)."""

from __future__ import annotations

import re

import ckan.plugins.toolkit as tk

from ckanext.openoverheid.declarations import declared_default

# CKAN's own logo is its default for ckan.site_logo: a portal that set none shows its title, not CKAN's brand.
CKAN_DEFAULT_LOGO = "/base/images/ckan-logo.png"
HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def logo_url() -> str:
    """The configured logo (``ckan.site_logo``); empty when none or CKAN's own."""
    logo = str(tk.config.get("ckan.site_logo") or "").strip()
    return "" if logo == CKAN_DEFAULT_LOGO else logo


def tokens_url() -> str:
    """A stylesheet of design-token overrides loaded after the portal's own tokens; empty: none."""
    return str(tk.config.get("ckanext.openoverheid.theme.tokens_url") or "").strip()


def theme_colour() -> str:
    """The colour of the browser bar and the app icon (``#rrggbb``); the declared default when not a colour."""
    key = "ckanext.openoverheid.theme.colour"
    colour = str(tk.config.get(key) or "").strip()
    return colour if HEX_COLOUR.match(colour) else str(declared_default(key))
