"""The plugin's configuration, read when asked (never at import time, so tests can change it).

Defaults and types live in the declarations (``config_declaration.yaml`` here and the core plugin's),
which CKAN applies when it loads the configuration: nothing here repeats them.
"""

from __future__ import annotations

import functools
import logging

import ckan.plugins.toolkit as tk

from ckanext.openoverheid.declarations import configured_int, declared_default
from ckanext.openoverheid.meldingen import areas as areas_module

log = logging.getLogger(__name__)

CENTER_OPTION = "ckanext.openoverheid.map.center"


def tile_url() -> str:
    return tk.config.get("ckanext.openoverheid.map.tile_url")


def attribution() -> str:
    return tk.config.get("ckanext.openoverheid.map.attribution")


def map_center() -> tuple[float, float]:
    """``ckanext.openoverheid.map.center``; its declared default when the configured text is no point."""
    for text in (tk.config.get(CENTER_OPTION), declared_default(CENTER_OPTION)):
        try:
            lat, lon = (float(v) for v in str(text).replace(",", " ").split())
        except ValueError:
            log.warning("%s = %r is not 'lat lon'; using its default", CENTER_OPTION, text)
            continue
        return lat, lon
    raise ValueError(f"the declared default of {CENTER_OPTION} is not 'lat lon'")


@functools.lru_cache(maxsize=8)
def _areas(boxes: str, path: str) -> tuple[areas_module.Area, ...]:
    return tuple(areas_module.load_areas(boxes, path))


def configured_areas() -> tuple[areas_module.Area, ...]:
    """The areas of ``ckanext.openoverheid.meldingen.areas`` and ``areas_file`` (parsed once per value)."""
    return _areas(
        tk.config.get("ckanext.openoverheid.meldingen.areas"),
        tk.config.get("ckanext.openoverheid.meldingen.areas_file"),
    )


def rate_limit() -> int:
    return configured_int("ckanext.openoverheid.meldingen.rate_limit")


def rate_limit_window() -> int:
    return max(1, configured_int("ckanext.openoverheid.meldingen.rate_limit_window"))


def open311_rate_limit() -> int:
    return configured_int("ckanext.openoverheid.open311.rate_limit")


def photo_max_bytes() -> int:
    return configured_int("ckanext.openoverheid.meldingen.photo_max_size") * 1024 * 1024


def photo_max_pixels() -> int:
    return configured_int("ckanext.openoverheid.meldingen.photo_max_pixels")


def duplicate_radius() -> int:
    return configured_int("ckanext.openoverheid.meldingen.duplicate_radius")


def datastore_sync() -> bool:
    return tk.asbool(tk.config.get("ckanext.openoverheid.meldingen.datastore_sync"))


def geocoder_url() -> str | None:
    """PDOK Locatieserver (or alike) for typed addresses; shared with the vergunningen search."""
    return tk.config.get("ckanext.openoverheid.geocoder_url") or None


def allowed_private_hosts() -> list[str]:
    return tk.config.get("ckanext.openoverheid.allowed_private_hosts").split()


def site_url() -> str:
    return tk.config.get("ckan.site_url").rstrip("/")


def maintenance_interval() -> int:
    return max(60, configured_int("ckanext.openoverheid.meldingen.maintenance_interval"))


def retention_days() -> int:
    return max(0, configured_int("ckanext.openoverheid.meldingen.retention_days"))


def solved_question_days() -> int:
    return max(0, configured_int("ckanext.openoverheid.meldingen.solved_question_days"))


def followup_link_days() -> int:
    return max(1, configured_int("ckanext.openoverheid.meldingen.followup_link_days"))


def my_reports_link_hours() -> int:
    return max(1, configured_int("ckanext.openoverheid.meldingen.my_reports_link_hours"))


def my_reports_rate_limit() -> int:
    return configured_int("ckanext.openoverheid.meldingen.my_reports_rate_limit")
