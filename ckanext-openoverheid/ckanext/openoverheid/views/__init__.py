"""Flask blueprints of the portal, one module a concern; thin: they call actions and render."""

from __future__ import annotations

from flask import Blueprint


def get_blueprints() -> list[Blueprint]:
    return []
