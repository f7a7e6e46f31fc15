"""Validators for our scheming fields, registered with CKAN (names start with ``openoverheid_``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def get_validators() -> dict[str, Callable[..., Any]]:
    return {}
