"""The alert system's configuration, read when asked (never at import time, so tests can change it).
Defaults and types are declared in ``config_declaration.yaml``."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import ckan.plugins.toolkit as tk

PREFIX = "ckanext.openoverheid.attenderingen."


def _int(name: str) -> int:
    return int(tk.config.get(PREFIX + name))


def timezone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(tk.config.get(PREFIX + "timezone") or "Europe/Amsterdam")


def reminder_time() -> dt.time:
    return parse_time(tk.config.get(PREFIX + "reminder_time") or "19:00") or dt.time(19, 0)


def parse_time(text: str) -> dt.time | None:
    """``19:00`` or ``7:30`` → a time; anything else None."""
    try:
        hours, minutes = (int(part) for part in str(text).strip().split(":"))
        return dt.time(hours, minutes)
    except ValueError:
        return None


def digest_interval() -> dt.timedelta:
    return dt.timedelta(hours=max(0, _int("digest_hours")))


def daily_cap() -> int:
    return _int("daily_cap")


def confirmations_per_address() -> int:
    return _int("confirmations_per_address")


def confirmations_per_client() -> int:
    return _int("confirmations_per_client")


def unconfirmed_lifetime() -> dt.timedelta:
    return dt.timedelta(days=max(1, _int("unconfirmed_days")))


def manage_link_lifetime() -> dt.timedelta:
    return dt.timedelta(days=max(1, _int("manage_link_days")))


def retry_max_attempts() -> int:
    return max(1, _int("retry_max_attempts"))


def scheduler_interval() -> int:
    return max(5, _int("scheduler_interval"))
