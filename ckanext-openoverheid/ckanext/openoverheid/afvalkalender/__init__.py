"""The waste calendar (afvalkalender) in the portal: the source's config, the DataStore table, the
lookups behind the calendar, JSON and RSS of one address, the page residents use, and the demo.

The harvester that fills the tables is ``ckanext.openoverheid.harvest.afvalkalender``; reading the
providers is ``harvesters.afvalkalender`` (no CKAN).
"""
