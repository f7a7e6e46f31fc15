"""Which of the portal's pages this portal serves: links to a feature (front page tasks, the main menu,
the manifest's shortcuts) are shown only when its plugin is loaded and its page exists."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from flask import current_app

Entry = TypeVar("Entry", bound=tuple[str, ...])


def served(entries: Iterable[Entry]) -> list[Entry]:
    """The entries whose first item is the endpoint of a page this portal serves, in their order."""
    endpoints = current_app.view_functions
    return [entry for entry in entries if entry[0] in endpoints]
