"""Our actions: the API. Pages, feeds and exports call these, so auth and validation live here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def get_actions() -> dict[str, Callable[..., Any]]:
    return {}
