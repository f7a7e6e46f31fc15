"""What can be subscribed to: one ``Source`` per ``soort`` (``base.Source`` says what each does).

A kind is offered only when the plugin that holds its data is loaded (``SERVED_BY``): a portal without
``openoverheid_vergunningen`` has no permits to tell of, and its form and API do not offer them.
"""

from __future__ import annotations

import ckan.plugins as p

from ckanext.openoverheid.attenderingen.sources import afvalkalender, datasets, meldingen, vergunningen, verzoeken
from ckanext.openoverheid.attenderingen.sources.base import Event, Source

__all__ = ["Event", "Source", "SOURCES", "available", "source_for"]

SOURCES: dict[str, Source] = {
    source.soort: source
    for source in (vergunningen.VergunningenSource(), afvalkalender.SOURCE, meldingen.SOURCE, datasets.SOURCE,
                   verzoeken.SOURCE)
}

# The plugin whose data a kind reads (datasets are CKAN's own).
SERVED_BY = {
    "vergunningen": "openoverheid_vergunningen",
    "afvalkalender": "openoverheid_afvalkalender",
    "meldingen": "openoverheid_participatie",
    "verzoek": "openoverheid_verzoeken",
}


def available() -> dict[str, Source]:
    """The kinds this portal can tell of, in the order of ``SOURCES``."""
    return {soort: source for soort, source in SOURCES.items()
            if soort not in SERVED_BY or p.plugin_loaded(SERVED_BY[soort])}


def source_for(soort: str) -> Source:
    return SOURCES[soort]
