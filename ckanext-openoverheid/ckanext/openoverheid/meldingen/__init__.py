"""Meldingen openbare ruimte: residents report problems in public space on a map, municipalities
handle them, and everything public is also served as Open311 GeoReport v2, feeds and open data.

The domain follows FixMyStreet: municipality (a CKAN organisation) → category (data in
``schemas/meldingen_categorieen.yaml``) → melding → update; statuses and their allowed changes are
data too (``schemas/meldingen_statussen.yaml``). The plugin ``openoverheid_participatie`` only wires
this package into CKAN (``plugin.py``).
"""
