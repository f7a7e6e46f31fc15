"""The street of a postcode and house number, so the waste calendar page names the address as people
know it ("Domplein 13, Utrecht") rather than only its postcode.

Asked of the geocoder in ``ckanext.openoverheid.geocoder_url`` (PDOK's Locatieserver, or a service
answering the same way: ``response.docs[].straatnaam`` and ``woonplaatsnaam``). Without a geocoder,
or when it fails, the page shows the postcode only: the street is a help, never a reason to fail.
Answers (also "not known") are kept in Redis for a week, a failure for five minutes, so a resident
reloading the page or a geocoder that is down costs no waiting.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from harvesters.errors import FeedError
from harvesters.http import HttpClient

log = logging.getLogger(__name__)

TIMEOUT = 3.0  # the resident is waiting for the page; the dates do not need the street
KNOWN_TTL = 7 * 24 * 3600  # streets are not renamed often
FAILED_TTL = 5 * 60


@dataclass(frozen=True)
class Street:
    """The street and place of an address."""

    straat: str
    plaats: str


def ask_geocoder(
    postcode: str, huisnummer: int, url: str, allowed_private_hosts: Iterable[str] = ()
) -> Street | None:
    """The street of the address by the geocoder; None when it does not know the address.
    Raises FeedError when the geocoder cannot be asked or answers otherwise than expected."""
    params = {"q": f"postcode:{postcode} and huisnummer:{int(huisnummer)}", "fq": "type:adres", "rows": 1,
              "fl": "straatnaam,woonplaatsnaam"}
    with HttpClient(timeout=TIMEOUT, max_retries=0, allowed_private_hosts=allowed_private_hosts) as client:
        answer = client.get(url, params, accept=("application/json",)).json()
    try:
        docs = answer["response"]["docs"]
    except (KeyError, TypeError):
        raise FeedError(f"{url} did not answer like PDOK's Locatieserver (no response.docs)") from None
    if not docs or not isinstance(docs[0], dict) or not str(docs[0].get("straatnaam") or "").strip():
        return None
    return Street(str(docs[0]["straatnaam"]).strip(), str(docs[0].get("woonplaatsnaam") or "").strip())


def street_of(
    postcode: str,
    huisnummer: int,
    *,
    geocoder_url: str | None,
    allowed_private_hosts: Iterable[str],
    redis: Any,
    cache_key: str,
) -> Street | None:
    """The street of the address, from the cache or the geocoder; None when unknown or unavailable."""
    if not geocoder_url:
        return None
    cached = redis.get(cache_key)
    if cached is not None:
        found = json.loads(cached)
        return Street(**found) if found else None
    try:
        street = ask_geocoder(postcode, huisnummer, geocoder_url, allowed_private_hosts)
    except FeedError as error:
        log.warning("the street of an address could not be looked up: %s", error)
        redis.set(cache_key, "null", ex=FAILED_TTL)
        return None
    value = {"straat": street.straat, "plaats": street.plaats} if street else None
    redis.set(cache_key, json.dumps(value), ex=KNOWN_TTL)
    return street
