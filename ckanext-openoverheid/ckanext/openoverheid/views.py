"""Flask blueprints of the portal, one module a concern; thin: they call actions and render."""

from __future__ import annotations

from flask import Blueprint

from ckanext.openoverheid import session_csrf
from ckanext.openoverheid.api import conventions
from ckanext.openoverheid.api.developers import developers
from ckanext.openoverheid.api.views import api
from ckanext.openoverheid.export.views import export
from ckanext.openoverheid.feeds.views import feeds
from ckanext.openoverheid.openheid.views import openheid
from ckanext.openoverheid.quality.views import quality
from ckanext.openoverheid.theme.views import theme

# API-Version and CORS on every response of ours (NL API Design Rules); feeds and api apply it themselves
conventions.apply(openheid, export)
# CSRF for session users on every form of the site, also after CKAN exempted the view for another request
openheid.before_app_request(session_csrf.protect_session_forms)


def get_blueprints() -> list[Blueprint]:
    return [openheid, export, feeds, api, developers, theme, quality]
