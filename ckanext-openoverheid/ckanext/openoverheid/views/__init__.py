"""Flask blueprints of the portal, one module a concern; thin: they call actions and render."""

from __future__ import annotations

from flask import Blueprint

from ckanext.openoverheid.views.openheid import openheid


def get_blueprints() -> list[Blueprint]:
    return [openheid]
