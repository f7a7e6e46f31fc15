"""Link checks: does a distribution's accessURL or downloadURL answer? Results are kept in Redis with
their date, one key per URL (its hash), for the MQA's reachability indicators.

Links are typed in by publishers, so they are checked through the harvesters' guarded client (no
private addresses unless ``ckanext.openoverheid.allowed_private_hosts`` lists them), HEAD first and GET
(reading a few bytes) when HEAD is refused, and at most ``per_host_per_minute`` requests per host
across every worker (``ratelimit.py``): a portal with a thousand datasets on one server must not flood it.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import time
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from redis import Redis

from ckanext.openoverheid import ratelimit
from ckanext.openoverheid.keys import redis_key
from ckanext.openoverheid.quality.mqa import LinkResult
from harvesters.errors import FetchError
from harvesters.http import HttpClient

FEATURE = "quality"
KEEP_SECONDS = 90 * 24 * 3600  # a result older than a quarter is gone: the link counts as unchecked again
# Some servers answer HEAD with these although GET works.
HEAD_REFUSED = {400, 403, 404, 405, 501}


def own_address(url: str, site_url: str, portal_url: str) -> str:
    """Where the check asks for ``url``: a link under the portal's own ``site_url`` is asked at
    ``portal_url`` (the address the portal answers at from where the check runs), anything else as it is.

    The portal's own files (uploads, DataStore dumps, the open data it makes) are linked with the
    public ``ckan.site_url``, which need not resolve inside the server's network; the operator
    configured both addresses, so they are trusted even when private.
    """
    site, portal = site_url.rstrip("/"), portal_url.rstrip("/")
    if site and portal and (url == site or url.startswith(site + "/")):
        return portal + url[len(site):]
    return url


def _key(url: str) -> str:
    return redis_key(FEATURE, "link", hashlib.sha256(url.encode("utf-8")).hexdigest()[:32])


def store(redis: Redis, result: LinkResult) -> None:
    value = {"reachable": result.reachable, "status": result.status, "checked": result.checked.isoformat(),
             "error": result.error}
    redis.set(_key(result.url), json.dumps(value), ex=KEEP_SECONDS)


def stored(redis: Redis, urls: Iterable[str]) -> dict[str, LinkResult]:
    """The kept result of each of ``urls`` that has one."""
    wanted = sorted(set(urls))
    if not wanted:
        return {}
    results = {}
    for url, raw in zip(wanted, redis.mget([_key(url) for url in wanted]), strict=True):
        if raw is None:
            continue
        value = json.loads(raw)
        results[url] = LinkResult(url, bool(value["reachable"]), value["status"],
                                  datetime.datetime.fromisoformat(value["checked"]), value.get("error", ""))
    return results


def _wait_for_host(redis: Redis, host: str, per_minute: int, sleep: Callable[[float], None]) -> None:
    limit = ratelimit.Limit(FEATURE, "host", host, per_minute, 60, "host")
    while True:
        try:
            ratelimit.hit(redis, [limit])
            return
        except ratelimit.RateLimited as limited:
            sleep(limited.retry_after)


def check(url: str, client: HttpClient, redis: Redis, *, per_host_per_minute: int = 30,
          sleep: Callable[[float], None] = time.sleep, ask: str | None = None) -> LinkResult:
    """Check ``url`` now (waiting for its host's rate limit), keep the result and return it.
    ``ask`` is the address to request instead (``own_address``); the result is kept under ``url``."""
    ask = ask or url
    host = (urlsplit(ask).hostname or "").lower()
    status: int | None = None
    error = ""
    try:
        _wait_for_host(redis, host, per_host_per_minute, sleep)
        status = client.probe(ask, "HEAD")
        if status in HEAD_REFUSED:
            _wait_for_host(redis, host, per_host_per_minute, sleep)
            status = client.probe(ask, "GET")
    except FetchError as failure:
        error = str(failure)
    result = LinkResult(url, status is not None and status < 400, status,
                        datetime.datetime.now(datetime.UTC).replace(microsecond=0), error)
    store(redis, result)
    return result
