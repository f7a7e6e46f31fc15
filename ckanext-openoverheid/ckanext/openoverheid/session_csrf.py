"""CSRF checks for users logged in with a session cookie, on every form, whoever visited it before.

CKAN 2.12 lets requests without a session (anonymous visitors, API clients with a token) through
Flask-WTF's CSRF check by calling ``csrf.exempt(view)`` in ``ckan_before_request``. Flask-WTF keeps
that exemption in a set on the one module-level ``CSRFProtect`` for the life of the process: after a
single anonymous request to ``/dataset/edit/<id>``, or one API client posting to a melding's handling
route, a form forged on another site and posted with an editor's session cookie is accepted.

``protect_session_forms`` runs after CKAN's hook and before Flask-WTF's (it is registered with our
blueprints, which CKAN registers between the two). For a session-authenticated request to a view that
was exempted that way, it checks the token itself. Views and blueprints exempted on purpose when the
application starts (Open311, which its ``api_key`` authenticates) stay exempt. Remove this module once
CKAN keeps its exemption to the request that made it.
"""

from __future__ import annotations

from ckan.config.middleware.flask_app import csrf
from flask import current_app, g, request

# Exemptions made on purpose, before any request (decorators, ``csrf.exempt(blueprint)``).
_EXEMPT_AT_START = frozenset(csrf._exempt_views)


def protect_session_forms() -> None:
    """Raise Flask-WTF's ``CSRFError`` (HTTP 400) for a session user's form without a valid token."""
    config = current_app.config
    if not config.get("WTF_CSRF_ENABLED", True) or not config.get("WTF_CSRF_CHECK_DEFAULT", True):
        return
    if request.method not in config.get("WTF_CSRF_METHODS", ("POST", "PUT", "PATCH", "DELETE")):
        return
    if g.get("login_via_auth_header"):  # no session: anonymous, or an API token no browser sends by itself
        return
    if current_app.blueprints.get(request.blueprint or "") in csrf._exempt_blueprints:
        return
    view = current_app.view_functions.get(request.endpoint or "")
    if view is None:
        return
    location = f"{view.__module__}.{view.__name__}"
    if location in csrf._exempt_views and location not in _EXEMPT_AT_START:
        csrf.protect()
