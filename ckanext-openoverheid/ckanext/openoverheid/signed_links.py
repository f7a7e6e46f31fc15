"""Signing the personal links the portal mails (alerts, the reporter's follow-up): itsdangerous with
the site's secret, a salt per kind of link, so a token made for one purpose never works for another."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from itsdangerous import URLSafeTimedSerializer


def serializer(salt: str, links: str) -> URLSafeTimedSerializer:
    """The signer of one kind of link; ``links`` names them in the error when no secret is set."""
    secret = tk.config.get("SECRET_KEY") or tk.config.get("beaker.session.secret")
    if not secret:
        raise RuntimeError(f"SECRET_KEY is not set: {links} cannot be signed (set it in ckan.ini)")
    return URLSafeTimedSerializer(secret, salt=salt)
