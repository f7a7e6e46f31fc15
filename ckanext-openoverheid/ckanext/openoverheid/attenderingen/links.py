"""Absolute links for mails (built without a request: mails are composed by background jobs).

English pages live under ``/en/``: a subscription made there gets English links too.
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.openoverheid.attenderingen import tokens


def absolute(path: str, locale: str = "nl") -> str:
    site = (tk.config.get("ckan.site_url") or "").rstrip("/")
    default = tk.config.get("ckan.locale_default") or "nl"
    prefix = f"/{locale}" if locale != default else ""
    return f"{site}{prefix}{path}"


def confirm_url(subscription_id: str, locale: str) -> str:
    return absolute(f"/attenderingen/bevestig/{tokens.make(tokens.Purpose.CONFIRM, subscription_id)}", locale)


def unsubscribe_url(subscription_id: str, locale: str) -> str:
    return absolute(f"/attenderingen/afmelden/{tokens.make(tokens.Purpose.UNSUBSCRIBE, subscription_id)}", locale)


def unsubscribe_all_url(subscriber_id: str, locale: str) -> str:
    """The same unsubscribe route, with a token that ends every subscription of the address."""
    return absolute(f"/attenderingen/afmelden/{tokens.make(tokens.Purpose.UNSUBSCRIBE_ALL, subscriber_id)}", locale)


def manage_url(subscriber_id: str, locale: str) -> str:
    return absolute(f"/attenderingen/beheer/{tokens.make(tokens.Purpose.MANAGE, subscriber_id)}", locale)
