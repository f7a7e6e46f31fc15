"""What can be subscribed to: one ``Source`` per ``soort`` (``base.Source`` says what each does)."""

from __future__ import annotations

from ckanext.openoverheid.attenderingen.sources.base import Event, Source

__all__ = ["Event", "Source", "SOURCES", "source_for"]


def _sources() -> dict[str, Source]:
    from ckanext.openoverheid.attenderingen.sources import vergunningen

    found: list[Source] = [vergunningen.VergunningenSource()]
    for module_name in ("afvalkalender", "meldingen", "datasets"):
        try:
            module = __import__(f"ckanext.openoverheid.attenderingen.sources.{module_name}", fromlist=["SOURCE"])
        except ModuleNotFoundError:
            continue
        found.append(module.SOURCE)
    return {source.soort: source for source in found}


SOURCES: dict[str, Source] = _sources()


def source_for(soort: str) -> Source:
    return SOURCES[soort]
