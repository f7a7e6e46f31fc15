"""Auth functions of our actions, and chained auth that enforces "open, tenzij"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def get_auth_functions() -> dict[str, Callable[..., Any]]:
    return {}
