"""Errors as ``application/problem+json`` (RFC 9457), as the NL API Design Rules ask.

Every route of ours that fails on bad input answers with one of these instead of an HTML error page
or a 500: a client gets the status, a ``detail`` that says what to change, the request path as
``instance`` and, for bad parameters, ``invalidParams`` naming each one.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from flask import Response, has_request_context, request
from werkzeug.http import HTTP_STATUS_CODES

__all__ = ["PROBLEM_MIMETYPE", "invalid_params", "problem"]

PROBLEM_MIMETYPE = "application/problem+json"


def invalid_params(errors: Mapping[str, Any]) -> list[dict[str, str]]:
    """``invalidParams`` from a field → message(s) mapping, e.g. CKAN's ``ValidationError.error_dict``."""
    found = []
    for name, reasons in errors.items():
        if isinstance(reasons, str) or not isinstance(reasons, Iterable):
            reasons = [reasons]
        for reason in reasons:
            found.append({"name": str(name), "reason": str(reason)})
    return found


def problem(
    status: int,
    detail: str,
    *,
    title: str | None = None,
    type_: str = "about:blank",
    params: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
    **extensions: Any,
) -> Response:
    """A problem+json response.

    :param detail: for people: what went wrong and what to do about it (translate it)
    :param title: defaults to the HTTP status phrase, as RFC 9457 asks for ``about:blank``
    :param params: bad parameters, name → reason(s), written as ``invalidParams``
    :param extensions: more members, e.g. ``supported=[...]`` for a 406
    """
    body: dict[str, Any] = {
        "type": type_,
        "title": title or HTTP_STATUS_CODES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if has_request_context():
        body["instance"] = request.path
    if params:
        body["invalidParams"] = invalid_params(params)
    body.update(extensions)
    return Response(
        json.dumps(body, ensure_ascii=False),
        status=status,
        mimetype=PROBLEM_MIMETYPE,
        headers=dict(headers or {}),
    )
