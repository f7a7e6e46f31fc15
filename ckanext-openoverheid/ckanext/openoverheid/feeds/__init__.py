"""RSS 2.0 and Atom feeds.

``build`` turns plain items into feed XML and knows nothing of CKAN, so every feature with a feed
(datasets, openheidsregister, vergunningen, afvalkalender, meldingen) writes the same XML; ``http``
answers conditional GETs; ``datasets`` maps a dataset dict to an item; ``views`` serves the dataset
feeds under ``/feeds/``. See docs/api.md.
"""
