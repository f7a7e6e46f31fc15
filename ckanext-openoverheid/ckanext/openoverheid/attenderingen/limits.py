"""Limits on confirmation mails, so the subscribe form cannot be used to mail-bomb someone: per
address and per client (IP address), per day, counted in Redis by the shared limiter (which keeps
only hashes of addresses)."""

from __future__ import annotations

from ckan.lib.redis import connect_to_redis

from ckanext.openoverheid import ratelimit
from ckanext.openoverheid.attenderingen import settings

DAY = 86_400


def confirmation_limits(email: str, client: str | None) -> list[ratelimit.Limit]:
    return [
        ratelimit.Limit("attenderingen", "confirm", f"client:{client or 'unknown'}",
                        settings.confirmations_per_client(), DAY, "client"),
        ratelimit.Limit("attenderingen", "confirm", f"email:{email}", settings.confirmations_per_address(), DAY,
                        "address"),
    ]


def count_confirmation(email: str, client: str | None) -> None:
    """One more confirmation-like mail; ``ratelimit.RateLimited`` beyond the limits."""
    ratelimit.hit(connect_to_redis(), confirmation_limits(email, client))
