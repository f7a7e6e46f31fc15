"""Per-client limits on new meldingen, counted in Redis (shared by all CKAN workers).

A fixed window per client: the key holds the window number, so it needs no clean-up beyond its
expiry. Clients are identified by a hash of their IP address or API key, never the raw value, so
Redis holds no personal data either.
"""

from __future__ import annotations

import hashlib
import time

from ckan.lib.redis import connect_to_redis

from ckanext.openoverheid.keys import redis_key


def _redis_key(client: str, window: int, now: float) -> str:
    digest = hashlib.sha256(client.encode("utf-8")).hexdigest()[:32]
    return redis_key("meldingen", "rate", digest, window, int(now // window))


def hit(client: str, limit: int, window: int, now: float | None = None) -> bool:
    """Count one submission of ``client``; False when that exceeds ``limit`` per ``window`` seconds.

    A limit of 0 or less means no limit (and no counting)."""
    if limit <= 0:
        return True
    moment = time.time() if now is None else now
    key = _redis_key(client, window, moment)
    redis = connect_to_redis()
    with redis.pipeline() as pipe:
        pipe.incr(key)
        pipe.expire(key, window + 60)
        count, _ = pipe.execute()
    return int(count) <= limit


def seconds_left(window: int, now: float | None = None) -> int:
    """Seconds until the current window ends (for a Retry-After header)."""
    moment = time.time() if now is None else now
    return int(window - (moment % window)) + 1
