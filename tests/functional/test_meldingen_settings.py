"""The meldingen options read through their declarations: the declared default when an option is
not set, and also when it is set to something unusable (an empty or misspelt number), as before
the defaults lived only in ``config_declaration.yaml``."""

from __future__ import annotations

from typing import Any

import pytest

from ckanext.openoverheid.meldingen import settings

# The declarations are those of the loaded plugins.
pytestmark = pytest.mark.usefixtures("with_plugins")


@pytest.mark.parametrize("value", ["", "tien"])
def test_an_unusable_number_falls_back_to_the_declared_default(ckan_config: Any, monkeypatch: Any, value: str):
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.meldingen.rate_limit", value)
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.meldingen.photo_max_size", value)
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.meldingen.rate_limit_window", value)
    assert settings.rate_limit() == 10
    assert settings.photo_max_bytes() == 10 * 1024 * 1024
    assert settings.rate_limit_window() == 3600


def test_configured_values_are_typed(ckan_config: Any, monkeypatch: Any):
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.meldingen.rate_limit", "3")
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.open311.rate_limit", 0)
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.meldingen.rate_limit_window", "0")
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.meldingen.datastore_sync", "false")
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.map.center", "53.2, 6.56")
    assert settings.rate_limit() == 3
    assert settings.open311_rate_limit() == 0
    assert settings.rate_limit_window() == 1  # a window of no seconds would never count
    assert settings.datastore_sync() is False
    assert settings.map_center() == (53.2, 6.56)


def test_an_unusable_map_center_falls_back_to_the_declared_default(ckan_config: Any, monkeypatch: Any):
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.map.center", "midden van Utrecht")
    assert settings.map_center() == (52.0907, 5.1214)
    assert settings.tile_url().startswith("https://service.pdok.nl/brt/achtergrondkaart/")
    assert settings.attribution() == "Kaartgegevens © Kadaster"
