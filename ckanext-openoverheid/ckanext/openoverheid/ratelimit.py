"""Fixed-window rate limits in Redis, shared by every CKAN worker: one limiter for every feature.

A limit counts hits of one subject (a client's address, an API key, a harvest source) per window of
``window`` seconds. The key holds the window's number, so it needs no clean-up beyond its expiry, and
the subject only as a hash, so Redis holds no personal data (IP addresses) either. Keys are built by
``keys.redis_key``: ``<site_id>:openoverheid:<feature>:<name>:<hash>:<window>:<window number>``.

Over a limit ``hit`` raises ``RateLimited`` with ``retry_after`` seconds (for HTTP 429 Retry-After).
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from redis import Redis

from ckanext.openoverheid.keys import redis_key

__all__ = ["Limit", "RateLimited", "hit"]


class RateLimited(Exception):
    """A limit was reached; ``retry_after`` is the whole number of seconds (at least 1) until its window ends."""

    def __init__(self, message: str, *, retry_after: int, scope: str) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.scope = scope


@dataclass(frozen=True)
class Limit:
    """At most ``count`` hits of ``subject`` per ``window`` seconds; a count of 0 or less is no limit.

    ``feature`` and ``name`` place the counter among the feature's Redis keys; ``scope`` names the limit
    in errors and logs ("client", "source", …).
    """

    feature: str
    name: str
    subject: str
    count: int
    window: int
    scope: str

    def __post_init__(self) -> None:
        if self.window < 1:  # a window of 0 would divide by zero; 1 s is the shortest that means anything
            object.__setattr__(self, "window", 1)

    def key(self, now: float) -> str:
        digest = hashlib.sha256(self.subject.encode("utf-8")).hexdigest()[:32]
        return redis_key(self.feature, self.name, digest, self.window, int(now // self.window))

    def seconds_left(self, now: float) -> int:
        """Seconds until the window that holds ``now`` ends, rounded up and at least 1."""
        return max(1, math.ceil(self.window - now % self.window))


def hit(redis: Redis, limits: Sequence[Limit], clock: Callable[[], float] = time.time) -> None:
    """Count one hit against every limit, in order; RateLimited at the first one exceeded.

    A limit that is exceeded stops the counting, so a client refused by its own limit does not use up
    a shared one (a source's) behind it.
    """
    now = clock()
    for limit in limits:
        if limit.count <= 0:
            continue
        key = limit.key(now)
        with redis.pipeline() as pipe:
            pipe.incr(key)
            pipe.expire(key, limit.window + 60)
            count = int(pipe.execute()[0])
        if count > limit.count:
            raise RateLimited(
                f"more than {limit.count} requests per {limit.window} s ({limit.scope})",
                retry_after=limit.seconds_left(now),
                scope=limit.scope,
            )
