"""The waste calendar (afvalkalender) in the portal: the source's config, the DataStore table, the
lookups behind the calendar, JSON and RSS of one address, and the page residents use (the demo is in ``demo/``).

The harvester that fills the tables is ``ckanext.openoverheid.harvest.afvalkalender``; reading the
providers is ``harvesters.afvalkalender`` (no CKAN).
"""
