"""The NL API Design Rules on every response of ours: an ``API-Version`` header and CORS for reading.

``apply(blueprint)`` hooks a blueprint's ``after_request``; do it where the blueprint is defined
(Flask refuses new hooks once a blueprint is registered). Blueprints hooked here are "ours": the
OpenAPI test checks that each of their routes is in the document. Actions of ours on CKAN's Action
API (``/api/3/action/<name>`` paths in the document) get the same headers through an app-wide hook
that touches nothing else of CKAN's.

CORS: ``Access-Control-Allow-Origin: *`` for GET, HEAD and OPTIONS only. No credentials are
allowed with ``*``, so a page elsewhere can read what an anonymous visitor can, nothing more.
"""

from __future__ import annotations

import functools
import re

from flask import Blueprint, Response, request

from ckanext.openoverheid.api import document

__all__ = ["add_headers", "apply", "governed_blueprints", "our_actions"]

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
EXPOSED_HEADERS = "API-Version, ETag, Last-Modified, Content-Disposition, Link"
REQUEST_HEADERS = "Accept, Accept-Language, If-None-Match, If-Modified-Since"
PREFLIGHT_MAX_AGE = "86400"
_ACTION_PATH = re.compile(r"^/api/3/action/([A-Za-z0-9_]+)$")

_governed: set[str] = set()


def add_headers(response: Response) -> Response:
    """``API-Version`` always; CORS headers when the request only reads."""
    response.headers["API-Version"] = document.api_version()
    if request.method in READ_METHODS:
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = ", ".join(sorted(READ_METHODS))
            response.headers["Access-Control-Allow-Headers"] = REQUEST_HEADERS
            response.headers["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
    return response


def apply(*blueprints: Blueprint) -> None:
    """Give every response of these blueprints the conventions (once per blueprint)."""
    for blueprint in blueprints:
        if blueprint.name in _governed:
            continue
        blueprint.after_request(add_headers)
        _governed.add(blueprint.name)


def governed_blueprints() -> frozenset[str]:
    """Names of the blueprints whose routes are ours, and must be in the OpenAPI document."""
    return frozenset(_governed)


@functools.cache
def our_actions() -> frozenset[str]:
    """The actions the OpenAPI document describes (``/api/3/action/<name>``)."""
    return frozenset(
        match.group(1) for path in document.load().get("paths", {}) if (match := _ACTION_PATH.match(path))
    )


def add_headers_to_our_actions(response: Response) -> Response:
    """App-wide ``after_request``: our actions on CKAN's Action API, and nothing else of CKAN's."""
    if request.endpoint == "api.action" and (request.view_args or {}).get("logic_function") in our_actions():
        add_headers(response)
    return response
