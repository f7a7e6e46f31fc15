"""Feed clients and parsers for municipal sources.

Nothing in this package imports CKAN: each module turns a source's answer into plain, normalised
records, so it can be tested on fixtures alone and reused outside the portal. The CKAN side lives in
``ckanext.openoverheid.harvest``.
"""
