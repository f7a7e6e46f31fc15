"""The one rate limiter (``ckanext/openoverheid/ratelimit.py``), counted in the real Redis the workers share."""

from __future__ import annotations

from typing import Any

import pytest
from ckan.lib.redis import connect_to_redis

from ckanext.openoverheid import ratelimit


@pytest.fixture
def redis(reset_redis: Any, ckan_config: Any, monkeypatch: Any) -> Any:
    monkeypatch.setitem(ckan_config, "ckan.site_id", "ratelimit-test")
    reset_redis("ratelimit-test:*")
    yield connect_to_redis()
    reset_redis("ratelimit-test:*")


def _limit(count: int, *, subject: str = "192.0.2.1", window: int = 60, scope: str = "client") -> ratelimit.Limit:
    return ratelimit.Limit("test", "rate", subject, count, window, scope)


def test_the_hit_over_the_limit_is_refused_until_the_window_ends(redis: Any) -> None:
    limit = _limit(2, window=60)
    clock = lambda: 6000.4  # noqa: E731 -- 0.4 s into window 100
    ratelimit.hit(redis, [limit], clock)
    ratelimit.hit(redis, [limit], clock)
    with pytest.raises(ratelimit.RateLimited) as refused:
        ratelimit.hit(redis, [limit], clock)
    assert refused.value.scope == "client"
    assert refused.value.retry_after == 60  # 59.6 s left, rounded up
    ratelimit.hit(redis, [limit], lambda: 6060.0)  # the next window counts afresh


def test_retry_after_is_at_least_one_second(redis: Any) -> None:
    limit = _limit(1, window=10)
    clock = lambda: 19.99  # noqa: E731
    ratelimit.hit(redis, [limit], clock)
    with pytest.raises(ratelimit.RateLimited) as refused:
        ratelimit.hit(redis, [limit], clock)
    assert refused.value.retry_after == 1


def test_subjects_are_counted_apart_and_stored_only_as_a_hash(redis: Any) -> None:
    ratelimit.hit(redis, [_limit(1, subject="192.0.2.1")])
    ratelimit.hit(redis, [_limit(1, subject="192.0.2.2")])
    keys = [key.decode() for key in redis.scan_iter(match="ratelimit-test:*")]
    assert len(keys) == 2
    assert all(key.startswith("ratelimit-test:openoverheid:test:rate:") for key in keys)
    assert not any("192.0.2" in key for key in keys)
    assert all(0 < redis.ttl(key) <= 120 for key in keys)


def test_the_first_limit_exceeded_stops_the_counting(redis: Any) -> None:
    client = _limit(1, subject="client", scope="client")
    source = _limit(5, subject="source", scope="source")
    clock = lambda: 120.0  # noqa: E731
    ratelimit.hit(redis, [client, source], clock)
    for _ in range(3):
        with pytest.raises(ratelimit.RateLimited) as refused:
            ratelimit.hit(redis, [client, source], clock)
        assert refused.value.scope == "client"
    assert redis.get(client.key(120.0)) == b"4"
    assert redis.get(source.key(120.0)) == b"1"  # a refused client does not use up the source's limit


def test_a_count_of_zero_is_no_limit_and_counts_nothing(redis: Any) -> None:
    for _ in range(5):
        ratelimit.hit(redis, [_limit(0)])
    assert not list(redis.scan_iter(match="ratelimit-test:*"))
