"""The inventory of a Woo-verzoek decision: one row per document of the publication, with its
openness (openbaar, deels openbaar, niet openbaar) and the Woo grounds, as a page and as CSV.

Plain functions over a publication dict (as ``package_show`` returns it), no CKAN: the page, the CSV
and the unit tests read the same rows. A closed document is in the inventory (that it exists is
public) but never with its file: ``Row.url`` is empty for it whatever the dict holds, so a member's
view of the publication cannot leak a closed file into the public inventory.
"""

from __future__ import annotations

import csv
import enum
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ckanext.openoverheid import valuelists
from ckanext.openoverheid.export.writers import csv_text

# The Woo-verzoeken en -besluiten category (art. 3.3 lid 2 i, sitemap index 014).
WOO_VERZOEKEN = "https://identifier.overheid.nl/tooi/def/thes/kern/c_3baef532"
CSV_COLUMNS = ("number", "title", "format", "openbaarheid", "grounds", "ground_labels", "url")
CLOSED_ACCESS_RIGHTS = ("beperkt", "niet-publiek")


class Openness(enum.StrEnum):
    """How much of a document is public, in the Woo's own words (the values of the CSV column)."""

    OPENBAAR = "openbaar"
    DEELS_OPENBAAR = "deels openbaar"  # public, with parts blacked out on Woo grounds
    NIET_OPENBAAR = "niet openbaar"


def _codes(value: Any) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        return [value]
    return [str(code) for code in value if code]


def openness(resource: Mapping[str, Any]) -> Openness:
    """A document's openness from its ``access_rights`` and ``woo_redaction_grounds`` (never from
    whether its URL was withheld, so it reads the same for every viewer)."""
    if (resource.get("access_rights") or "publiek") in CLOSED_ACCESS_RIGHTS:
        return Openness.NIET_OPENBAAR
    if _codes(resource.get("woo_redaction_grounds")):
        return Openness.DEELS_OPENBAAR
    return Openness.OPENBAAR


def grounds(resource: Mapping[str, Any]) -> list[str]:
    """The Woo grounds that apply to the document: why it is closed, or why parts were blacked out."""
    if openness(resource) is Openness.NIET_OPENBAAR:
        return _codes(resource.get("woo_grounds"))
    return _codes(resource.get("woo_redaction_grounds"))


def is_woo_decision(pkg: Mapping[str, Any]) -> bool:
    """Whether the publication is a Woo-verzoek decision, which has an inventory."""
    return pkg.get("informatiecategorie") == WOO_VERZOEKEN


@dataclass(frozen=True)
class Row:
    number: str
    title: str
    format: str
    openness: Openness
    grounds: tuple[tuple[str, str], ...]  # (code, label)
    url: str  # the file, for a public document only


def rows(pkg: Mapping[str, Any], language: str = "nl") -> list[Row]:
    """The inventory of a publication: its documents in order, numbered by ``inventarisnummer``
    or else by their position (1, 2, ...)."""
    ground_list = valuelists.get("woo_grounds")
    result = []
    for position, resource in enumerate(pkg.get("resources") or [], start=1):
        level = openness(resource)
        codes = grounds(resource)
        public = level is not Openness.NIET_OPENBAAR and not resource.get("data_withheld")
        result.append(Row(
            number=str(resource.get("inventarisnummer") or position),
            title=str(resource.get("name") or resource.get("description") or ""),
            format=str(resource.get("format") or ""),
            openness=level,
            grounds=tuple((code, ground_list.label(code, language)) for code in codes),
            url=str(resource.get("url") or "") if public else "",
        ))
    return result


def to_csv(inventory: Iterable[Row]) -> str:
    """The inventory as CSV (RFC 4180, header row first); grounds as codes separated by spaces and
    as labels separated by "; ". Free text is neutralised against spreadsheet formulas."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in inventory:
        writer.writerow([
            csv_text(row.number), csv_text(row.title), csv_text(row.format), row.openness.value,
            " ".join(code for code, _label in row.grounds), "; ".join(label for _code, label in row.grounds),
            csv_text(row.url),
        ])
    return buffer.getvalue()
