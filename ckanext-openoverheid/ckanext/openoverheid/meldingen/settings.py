"""The plugin's configuration, read when asked (never at import time, so tests can change it)."""

from __future__ import annotations

import functools

import ckan.plugins.toolkit as tk

from ckanext.openoverheid.meldingen import areas as areas_module

DEFAULT_TILE_URL = "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png"


def tile_url() -> str:
    return tk.config.get("ckanext.openoverheid.map.tile_url") or DEFAULT_TILE_URL


def attribution() -> str:
    return tk.config.get("ckanext.openoverheid.map.attribution") or "Kaartgegevens © Kadaster"


def map_center() -> tuple[float, float]:
    text = tk.config.get("ckanext.openoverheid.map.center") or "52.0907 5.1214"
    try:
        lat, lon = (float(v) for v in text.replace(",", " ").split())
    except ValueError:
        return 52.0907, 5.1214
    return lat, lon


@functools.lru_cache(maxsize=8)
def _areas(boxes: str, path: str) -> tuple[areas_module.Area, ...]:
    return tuple(areas_module.load_areas(boxes, path))


def configured_areas() -> tuple[areas_module.Area, ...]:
    """The areas of ``ckanext.openoverheid.meldingen.areas`` and ``areas_file`` (parsed once per value)."""
    return _areas(
        tk.config.get("ckanext.openoverheid.meldingen.areas") or "",
        tk.config.get("ckanext.openoverheid.meldingen.areas_file") or "",
    )


def _int(key: str, default: int) -> int:
    value = tk.config.get(key)
    try:
        return int(value) if value is not None and value != "" else default
    except (TypeError, ValueError):
        return default


def rate_limit() -> int:
    return _int("ckanext.openoverheid.meldingen.rate_limit", 10)


def rate_limit_window() -> int:
    return max(1, _int("ckanext.openoverheid.meldingen.rate_limit_window", 3600))


def open311_rate_limit() -> int:
    return _int("ckanext.openoverheid.open311.rate_limit", 300)


def photo_max_bytes() -> int:
    return _int("ckanext.openoverheid.meldingen.photo_max_size", 10) * 1024 * 1024


def photo_max_pixels() -> int:
    return _int("ckanext.openoverheid.meldingen.photo_max_pixels", 40_000_000)


def duplicate_radius() -> int:
    return _int("ckanext.openoverheid.meldingen.duplicate_radius", 50)


def datastore_sync() -> bool:
    return tk.asbool(tk.config.get("ckanext.openoverheid.meldingen.datastore_sync", True))


def geocoder_url() -> str | None:
    """PDOK Locatieserver (or alike) for typed addresses; shared with the vergunningen search."""
    return tk.config.get("ckanext.openoverheid.geocoder_url") or None


def allowed_private_hosts() -> list[str]:
    return (tk.config.get("ckanext.openoverheid.allowed_private_hosts") or "").split()


def site_url() -> str:
    return (tk.config.get("ckan.site_url") or "").rstrip("/")
