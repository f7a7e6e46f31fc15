"""Every Redis key the portal writes, built one way, so that two portals sharing one Redis never meet.

A key is ``<ckan.site_id>:openoverheid:<feature>:<part>:…``: the site id first (as ckanext-harvest and
CKAN's job queues do), then our namespace, then the feature that owns the key. ``redis-cli --scan
--pattern '<site>:openoverheid:*'`` lists all of one portal's keys; ``docs/deploy.md`` lists the features.
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk

NAMESPACE = "openoverheid"


def key_prefix(feature: str) -> str:
    """``<site_id>:openoverheid:<feature>:``, for code that appends its own last part (many at once)."""
    site_id = tk.config.get("ckan.site_id") or "default"
    return f"{site_id}:{NAMESPACE}:{feature}:"


def redis_key(feature: str, *parts: object) -> str:
    """The key of ``parts`` within ``feature``, e.g. ``redis_key("meldingen", "rate", digest, 3600, n)``."""
    if not parts:
        raise ValueError("a Redis key needs at least one part after the feature")
    return key_prefix(feature) + ":".join(str(part) for part in parts)
