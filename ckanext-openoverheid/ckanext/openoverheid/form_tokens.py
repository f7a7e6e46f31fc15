"""The CSRF check of the anonymous forms (a melding, an alert): CKAN lets requests without a session
through Flask-WTF's check, so their views check the posted token themselves with this."""

from __future__ import annotations

from flask import current_app, request
from flask_wtf.csrf import CSRFError, validate_csrf
from wtforms.validators import ValidationError as WTFValidationError


def anonymous_form_token_valid() -> bool:
    """True when the posted form carries a valid CSRF token."""
    field = current_app.config.get("WTF_CSRF_FIELD_NAME") or "_csrf_token"
    try:
        validate_csrf(request.form.get(field))
    except (CSRFError, WTFValidationError):
        return False
    return True
