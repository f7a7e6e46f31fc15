"""Fixed-window rate limits in Redis, for asking a waste provider on a resident's behalf.

An address nobody harvested is fetched from the provider when someone asks for it. Without a limit
anyone could make the portal hammer a municipality's provider (or spend its API quota) by asking
for thousands of addresses, so every such fetch counts against the asking client's address and
against the source; over either limit the request is refused until the window ends.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from redis import Redis

__all__ = ["Limit", "RateLimited", "hit"]


class RateLimited(Exception):
    """A limit was reached; ``retry_after`` is the number of seconds until the window ends."""

    def __init__(self, message: str, *, retry_after: int, scope: str) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.scope = scope


@dataclass(frozen=True)
class Limit:
    """At most ``count`` hits on ``key`` per ``window`` seconds; ``scope`` names it in errors."""

    key: str
    count: int
    window: int
    scope: str


def hit(redis: Redis, limits: Sequence[Limit], clock: Callable[[], float] = time.time) -> None:
    """Count one hit against every limit, in order; RateLimited at the first one exceeded.

    A limit that is exceeded stops the counting, so a client refused by its own limit does not use
    up the source's. A count of 0 or less switches that limit off.
    """
    now = clock()
    for limit in limits:
        if limit.count <= 0:
            continue
        window_start = int(now // limit.window) * limit.window
        key = f"{limit.key}:{window_start}"
        pipe = redis.pipeline()
        pipe.incr(key)
        pipe.expire(key, limit.window + 60)
        count = int(pipe.execute()[0])
        if count > limit.count:
            retry_after = max(1, int(window_start + limit.window - now))
            raise RateLimited(
                f"more than {limit.count} requests per {limit.window} s ({limit.scope})",
                retry_after=retry_after,
                scope=limit.scope,
            )
