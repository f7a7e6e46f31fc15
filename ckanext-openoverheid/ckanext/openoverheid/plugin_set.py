"""Which of our plugins need which others: a portal whose ``ckan.plugins`` lacks one fails at start
with a message naming the plugin to add, instead of silently harvesting nothing or showing a
harvest source's config to everyone.

Before release 0.2 ``openoverheid_vergunningen`` and ``openoverheid_afvalkalender`` both served and
harvested; now they only serve, and harvesting is ``openoverheid_vergunningen_harvester`` and
``openoverheid_afvalkalender_harvester`` with ``openoverheid_harvest`` (the portal's rules for
ckanext-harvest). An old configuration lists ``harvest`` with the serving plugins only.
"""

from __future__ import annotations

from collections.abc import Collection

import ckan.plugins as p
from ckan.exceptions import CkanConfigurationException

HARVEST_RULES_PLUGIN = "openoverheid_harvest"
HARVESTER_OF = {
    "openoverheid_vergunningen": "openoverheid_vergunningen_harvester",
    "openoverheid_afvalkalender": "openoverheid_afvalkalender_harvester",
}
WOO_PLUGIN = "openoverheid_woo"
# its templates and the "open, tenzij" rules; the publicatie type; the organisation's tooi_identifier
WOO_NEEDS = ("openoverheid", "scheming_datasets", "scheming_organizations")
ALERTS_PLUGIN = "openoverheid_attenderingen"  # its templates and translations come with the core plugin
DCAT_HARVESTER = "openoverheid_dcat_harvester"  # ckanext-dcat's RDF harvester with the portal's rules
CKAN_HARVESTER = "openoverheid_ckan_harvester"  # ckanext-harvest's CKAN harvester with the portal's rules
# the upstream harvesters ours replace: they find existing datasets portal-wide and fetch unguarded
UNGUARDED_HARVESTERS = {"ckan_harvester": CKAN_HARVESTER, "dcat_rdf_harvester": DCAT_HARVESTER}
REQUESTS_PLUGIN = "openoverheid_verzoeken"  # its translations come with the core plugin
OUR_PLUGINS = ("openoverheid", HARVEST_RULES_PLUGIN, *HARVESTER_OF, *HARVESTER_OF.values(), WOO_PLUGIN, ALERTS_PLUGIN,
               REQUESTS_PLUGIN, DCAT_HARVESTER, CKAN_HARVESTER)


def missing_plugins(enabled: Collection[str]) -> list[str]:
    """What ``ckan.plugins`` (the names in ``enabled``) lacks, one sentence per missing plugin."""
    problems = []
    if "harvest" in enabled:
        for serving, harvester in HARVESTER_OF.items():
            if serving in enabled and harvester not in enabled:
                problems.append(
                    f"{serving} no longer harvests: add {harvester} to ckan.plugins to keep harvesting "
                    f"(or remove harvest if this portal only serves what its DataStore holds)"
                )
        if HARVEST_RULES_PLUGIN not in enabled:
            problems.append(
                f"harvest is enabled without {HARVEST_RULES_PLUGIN}: add it to ckan.plugins (it keeps harvest "
                "sources' configuration from outsiders and each source in its own organisation's datasets)"
            )
    for serving in HARVESTER_OF:
        for needed in ("openoverheid", "datastore"):  # its templates and translations; its tables
            if serving in enabled and needed not in enabled:
                problems.append(f"{serving} needs {needed}: add {needed} to ckan.plugins")
    if WOO_PLUGIN in enabled:
        problems += [f"{WOO_PLUGIN} needs {needed}: add {needed} to ckan.plugins"
                     for needed in WOO_NEEDS if needed not in enabled]
    for plugin in (ALERTS_PLUGIN, REQUESTS_PLUGIN):
        if plugin in enabled and "openoverheid" not in enabled:
            problems.append(f"{plugin} needs openoverheid: add openoverheid to ckan.plugins")
    for upstream, ours in UNGUARDED_HARVESTERS.items():
        if upstream in enabled:
            problems.append(
                f"{upstream} would update other organisations' datasets and fetch from any address: "
                f"replace it with {ours} in ckan.plugins"
            )
    for plugin in (HARVEST_RULES_PLUGIN, *HARVESTER_OF.values(), DCAT_HARVESTER, CKAN_HARVESTER):
        if plugin in enabled and "harvest" not in enabled:
            problems.append(f"{plugin} needs ckanext-harvest: add harvest to ckan.plugins")
    return problems


def check_loaded_plugins() -> None:
    """Refuse to start with an incomplete set of our plugins (see the module docstring)."""
    names = ("harvest", "datastore", "scheming_datasets", "scheming_organizations", *OUR_PLUGINS,
             *UNGUARDED_HARVESTERS)
    problems = missing_plugins({name for name in names if p.plugin_loaded(name)})
    if problems:
        raise CkanConfigurationException("ckan.plugins is incomplete: " + "; ".join(problems) + ".")
