"""Flask blueprints of the portal, one module a concern; thin: they call actions and render."""

from __future__ import annotations

from flask import Blueprint

from ckanext.openoverheid.api import conventions
from ckanext.openoverheid.api.views import api
from ckanext.openoverheid.export.views import export
from ckanext.openoverheid.feeds.views import feeds
from ckanext.openoverheid.views.openheid import openheid

# API-Version and CORS on every response of ours (NL API Design Rules); feeds and api apply it themselves
conventions.apply(openheid, export)


def get_blueprints() -> list[Blueprint]:
    return [openheid, export, feeds, api]
