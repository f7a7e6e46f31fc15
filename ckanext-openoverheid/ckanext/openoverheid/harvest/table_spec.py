"""The shape of a DataStore table a harvest source fills (vergunningen, afvalkalender).

Free of ckanext-harvest: the serving plugins read these tables also on a portal without it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class TableSpec:
    """The DataStore table a source fills: fields as datastore_create takes them."""

    fields: list[dict[str, Any]]  # id, type and info (label, notes), as datastore_create takes them
    primary_key: list[str]
    indexes: list[str] = field(default_factory=list)

    @property
    def field_ids(self) -> list[str]:
        return [f["id"] for f in self.fields]
