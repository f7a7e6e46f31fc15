"""Serving harvested permit notices (vergunningen): the filters and SQL, the action, the map page,
the feeds and the JSON/GeoJSON API (the demo is in ``demo/``). The harvester itself is ``harvest/vergunningen.py``."""
