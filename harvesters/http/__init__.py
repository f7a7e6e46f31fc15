"""A polite, guarded HTTP client for every harvester.

Harvest sources are URLs typed in by portal users, so fetching them is a server-side request on
their behalf. The client therefore:

* refuses loopback, private, link-local, reserved, multicast and cloud-metadata addresses (SSRF),
  checked on the resolved addresses before each request and each redirect (``addresses.py``), and
  again on the address the socket actually connected to (``connect_guard.py``), so DNS rebinding
  between check and connect does not help; exceptions are a host, address, range or exact
  ``host:port`` listed by the caller, plus what a block of code allows for itself with
  :func:`allow_temporarily` (a demo's own sample server);
* follows at most five redirects itself, checking every hop (``client.py``);
* streams the body and stops at ``max_bytes`` *decoded* bytes (a gzip bomb is cut off, not inflated);
* stops a response that trickles in forever (``total_timeout``), not only one that stalls;
* pauses between requests and honours ``Retry-After`` on 429/503;
* ignores proxy settings from the environment: a proxy would hide where the request really goes.

Every error is a :mod:`harvesters.errors` class whose message says what to do next. Import from here:
``from harvesters.http import HttpClient``.
"""

from harvesters.http.addresses import allow_temporarily, check_url_allowed
from harvesters.http.client import DEFAULT_USER_AGENT, HttpClient
from harvesters.http.response import Response, looks_like_html
from harvesters.http.urls import redact_url

__all__ = [
    "DEFAULT_USER_AGENT",
    "HttpClient",
    "Response",
    "allow_temporarily",
    "check_url_allowed",
    "looks_like_html",
    "redact_url",
]
