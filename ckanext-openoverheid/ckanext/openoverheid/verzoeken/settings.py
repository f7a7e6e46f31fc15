"""The plugin's configuration, read when asked (defaults in ``config_declaration.yaml``)."""

from __future__ import annotations

import datetime as dt

import ckan.plugins.toolkit as tk

from ckanext.openoverheid.declarations import configured_int


def rate_limit() -> int:
    return configured_int("ckanext.openoverheid.verzoeken.rate_limit")


def address_rate_limit() -> int:
    return configured_int("ckanext.openoverheid.verzoeken.address_rate_limit")


def rate_limit_window() -> int:
    return configured_int("ckanext.openoverheid.verzoeken.rate_limit_window")


def confirm_lifetime() -> dt.timedelta:
    return dt.timedelta(days=max(1, configured_int("ckanext.openoverheid.verzoeken.confirm_days")))


def site_url() -> str:
    return (tk.config.get("ckan.site_url") or "").rstrip("/")


def datastore_sync() -> bool:
    return tk.asbool(tk.config.get("ckanext.openoverheid.verzoeken.datastore_sync"))


def opendata_organization() -> str:
    return str(tk.config.get("ckanext.openoverheid.verzoeken.opendata_organization")
               or tk.config.get("ckanext.openoverheid.register_organization") or "")
