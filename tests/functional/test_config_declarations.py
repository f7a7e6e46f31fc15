"""Configuration is read through the declarations only: every option our code reads has its default and
type there, so code that repeats no default still gets a usable value when ckan.ini says nothing."""

from __future__ import annotations

from typing import Any

import pytest


def test_meldingen_settings_come_from_the_declarations(ckan_config: Any, with_plugins: Any) -> None:
    from ckanext.openoverheid.meldingen import settings

    assert settings.rate_limit() == 10 and settings.rate_limit_window() == 3600
    assert settings.open311_rate_limit() == 300
    assert settings.photo_max_bytes() == 10 * 1024 * 1024 and settings.photo_max_pixels() == 40_000_000
    assert settings.duplicate_radius() == 50 and settings.datastore_sync() is True
    assert settings.tile_url().startswith("https://service.pdok.nl/") and "Kadaster" in settings.attribution()
    assert settings.map_center() == (52.0907, 5.1214)


def test_an_unusable_map_centre_falls_back_on_the_declared_default(
    ckan_config: Any, monkeypatch: Any, with_plugins: Any
) -> None:
    from ckanext.openoverheid.meldingen import settings

    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.map.center", "midden van Utrecht")
    assert settings.map_center() == (52.0907, 5.1214)


def test_harvest_and_export_limits_come_from_the_declarations(ckan_config: Any, with_plugins: Any) -> None:
    from ckanext.openoverheid.export.source import fragment_cache
    from ckanext.openoverheid.harvest.table_source import max_response_bytes
    from ckanext.openoverheid.openheid.review import ExpiredClosure

    assert max_response_bytes() == 20_000_000
    assert fragment_cache().ttl == 604_800
    assert ExpiredClosure.from_config() is ExpiredClosure.FLAG


def test_an_undeclared_option_has_no_default(with_plugins: Any) -> None:
    from ckanext.openoverheid.declarations import declared_default

    assert declared_default("ckanext.openoverheid.afvalkalender.alarm_time") == "19:00"
    with pytest.raises(KeyError):
        declared_default("ckanext.openoverheid.not_an_option")
