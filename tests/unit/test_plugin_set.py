"""Which of our plugins need which others (``plugin_set.missing_plugins``): an old configuration
that lists ``harvest`` with the serving plugins only must not start and silently harvest nothing."""

from __future__ import annotations

import pytest

from ckanext.openoverheid.plugin_set import missing_plugins

FULL = {"openoverheid", "datastore", "harvest", "openoverheid_harvest", "openoverheid_vergunningen",
        "openoverheid_vergunningen_harvester", "openoverheid_afvalkalender", "openoverheid_afvalkalender_harvester"}


def test_the_full_set_and_a_serving_only_portal_are_complete() -> None:
    assert missing_plugins(FULL) == []
    assert missing_plugins({"openoverheid", "datastore", "openoverheid_vergunningen", "openoverheid_afvalkalender"}
                           ) == []


@pytest.mark.parametrize("serving, harvester", [
    ("openoverheid_vergunningen", "openoverheid_vergunningen_harvester"),
    ("openoverheid_afvalkalender", "openoverheid_afvalkalender_harvester"),
])
def test_an_old_config_with_harvest_names_the_harvester_to_add(serving: str, harvester: str) -> None:
    problems = missing_plugins(FULL - {harvester})
    assert len(problems) == 1
    assert serving in problems[0] and f"add {harvester}" in problems[0]


def test_the_config_of_before_names_every_plugin_to_add() -> None:
    before = {"openoverheid", "datastore", "harvest", "openoverheid_vergunningen", "openoverheid_afvalkalender"}
    problems = " ".join(missing_plugins(before))
    for plugin in ("openoverheid_vergunningen_harvester", "openoverheid_afvalkalender_harvester",
                   "openoverheid_harvest"):
        assert f"add {plugin}" in problems or f"without {plugin}: add it" in problems


def test_harvest_without_the_portal_rules_is_refused() -> None:
    problems = missing_plugins({"openoverheid", "harvest"})
    assert problems and "openoverheid_harvest" in problems[0]


@pytest.mark.parametrize("plugin", ["openoverheid_harvest", "openoverheid_vergunningen_harvester",
                                    "openoverheid_afvalkalender_harvester", "openoverheid_dcat_harvester",
                                    "openoverheid_ckan_harvester"])
def test_a_harvest_plugin_without_harvest_is_refused(plugin: str) -> None:
    problems = missing_plugins({"openoverheid", plugin})
    assert problems == [f"{plugin} needs ckanext-harvest: add harvest to ckan.plugins"]


def test_a_serving_plugin_names_the_core_plugin_and_the_datastore_it_needs() -> None:
    assert missing_plugins({"openoverheid_vergunningen"}) == [
        "openoverheid_vergunningen needs openoverheid: add openoverheid to ckan.plugins",
        "openoverheid_vergunningen needs datastore: add datastore to ckan.plugins",
    ]


def test_woo_names_the_scheming_plugins_it_needs() -> None:
    assert missing_plugins(FULL | {"openoverheid_woo", "scheming_datasets", "scheming_organizations"}) == []
    problems = missing_plugins(FULL | {"openoverheid_woo", "scheming_datasets"})
    assert problems == ["openoverheid_woo needs scheming_organizations: add scheming_organizations to ckan.plugins"]


def test_alerts_without_the_core_plugin_are_named():
    problems = missing_plugins({"openoverheid_attenderingen", "datastore"})
    assert problems == ["openoverheid_attenderingen needs openoverheid: add openoverheid to ckan.plugins"]
    assert missing_plugins({"openoverheid", "openoverheid_attenderingen"}) == []


@pytest.mark.parametrize(("upstream", "ours"), [("ckan_harvester", "openoverheid_ckan_harvester"),
                                                ("dcat_rdf_harvester", "openoverheid_dcat_harvester")])
def test_an_upstream_harvester_without_the_portals_rules_is_refused(upstream: str, ours: str) -> None:
    problems = missing_plugins({"openoverheid", "harvest", "openoverheid_harvest", upstream})
    assert len(problems) == 1 and upstream in problems[0] and f"replace it with {ours}" in problems[0]
