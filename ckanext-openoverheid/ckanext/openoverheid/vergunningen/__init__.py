"""Serving harvested permit notices (vergunningen): the filters and SQL, the action, the map page,
the feeds, the JSON/GeoJSON API and the demo. The harvester itself is ``harvest/vergunningen.py``."""
