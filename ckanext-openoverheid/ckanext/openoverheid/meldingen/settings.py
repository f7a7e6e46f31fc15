"""The plugin's configuration as typed values, read when asked (never at import time, so tests can
change it). The defaults are those of ``config_declaration.yaml`` (and, for the options shared with
the permits pages, of the ``openoverheid`` plugin's): CKAN fills them in, so none is repeated here."""

from __future__ import annotations

import functools
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.common import config_declaration

from ckanext.openoverheid.meldingen import areas as areas_module

MAP_CENTER = "ckanext.openoverheid.map.center"


def tile_url() -> str:
    return tk.config.get("ckanext.openoverheid.map.tile_url")


def attribution() -> str:
    return tk.config.get("ckanext.openoverheid.map.attribution")


def _lat_lon(text: str) -> tuple[float, float]:
    lat, lon = (float(v) for v in text.replace(",", " ").split())
    return lat, lon


def _declared_default(key: str) -> Any:
    """What ``config_declaration.yaml`` gives ``key``: used when the configured value is unusable
    (an empty or misspelt number), as it was before the options were declared."""
    option = config_declaration.get(key)
    assert option is not None, f"{key} is declared in meldingen/config_declaration.yaml"
    return option.default


def map_center() -> tuple[float, float]:
    """Where maps start (WGS84 latitude and longitude)."""
    try:
        return _lat_lon(tk.config.get(MAP_CENTER))
    except (AttributeError, ValueError):
        return _lat_lon(_declared_default(MAP_CENTER))


@functools.lru_cache(maxsize=8)
def _areas(boxes: str, path: str) -> tuple[areas_module.Area, ...]:
    return tuple(areas_module.load_areas(boxes, path))


def configured_areas() -> tuple[areas_module.Area, ...]:
    """The areas of ``ckanext.openoverheid.meldingen.areas`` and ``areas_file`` (parsed once per value)."""
    return _areas(
        tk.config.get("ckanext.openoverheid.meldingen.areas"),
        tk.config.get("ckanext.openoverheid.meldingen.areas_file"),
    )


def _int(key: str) -> int:
    try:
        return tk.asint(tk.config.get(key))
    except (TypeError, ValueError):
        return int(_declared_default(key))


def rate_limit() -> int:
    return _int("ckanext.openoverheid.meldingen.rate_limit")


def rate_limit_window() -> int:
    return max(1, _int("ckanext.openoverheid.meldingen.rate_limit_window"))


def open311_rate_limit() -> int:
    return _int("ckanext.openoverheid.open311.rate_limit")


def photo_max_bytes() -> int:
    return _int("ckanext.openoverheid.meldingen.photo_max_size") * 1024 * 1024


def photo_max_pixels() -> int:
    return _int("ckanext.openoverheid.meldingen.photo_max_pixels")


def duplicate_radius() -> int:
    return _int("ckanext.openoverheid.meldingen.duplicate_radius")


def datastore_sync() -> bool:
    return tk.asbool(tk.config.get("ckanext.openoverheid.meldingen.datastore_sync"))


def geocoder_url() -> str | None:
    """PDOK Locatieserver (or alike) for typed addresses; shared with the vergunningen search."""
    return tk.config.get("ckanext.openoverheid.geocoder_url") or None


def allowed_private_hosts() -> list[str]:
    return tk.config.get("ckanext.openoverheid.allowed_private_hosts").split()


def site_url() -> str:
    return tk.config.get("ckan.site_url").rstrip("/")
