"""Ask KOOP's SRU 2.0 service for a municipality's permit notices, page by page.

Two limits of the service shape this client. Only about 10,000 hits of one query can be reached
(``startRecord`` ≥ 10000 fails), so a query with more than ``split_above`` hits is split into two
halves of its ``dt.modified`` range, recursively. And ``dt.creator`` matching is loose, so every
record's creator is compared with the municipality again here.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterator
from typing import Any

from harvesters.errors import RecordError
from harvesters.http import HttpClient, redact_url
from harvesters.vergunningen.parser import SruPage, parse_response
from harvesters.vergunningen.record import Vergunning, same_organisation

__all__ = ["DEFAULT_ENDPOINT", "SruClient", "build_query", "cql_string"]

log = logging.getLogger(__name__)

DEFAULT_ENDPOINT = "https://repository.overheid.nl/sru"
XML_TYPES = ("application/xml", "text/xml", "application/sru+xml")
# The first day a range without a start is split from; the Gemeenteblad is younger than this.
EARLIEST = dt.date(2000, 1, 1)


def cql_string(value: str) -> str:
    """``value`` as a quoted CQL string: backslashes and double quotes escaped."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def build_query(gemeente: str, since: dt.date | None, until: dt.date | None = None) -> str:
    """The CQL query for notices of ``gemeente`` modified from ``since`` up to and including ``until``."""
    if not gemeente.strip():
        raise ValueError("the municipality name is empty")
    parts = [
        "c.product-area==officielepublicaties",
        "w.organisatietype==gemeente",
        f"dt.creator=={cql_string(gemeente.strip())}",
    ]
    if since is not None:
        parts.append(f"dt.modified>={since.isoformat()}")
    if until is not None:
        parts.append(f"dt.modified<={until.isoformat()}")
    return " AND ".join(parts) + " sortBy dt.modified/sort.ascending"


class SruClient:
    """Permit notices of one municipality from an SRU 2.0 endpoint (KOOP's by default).

    ``pause`` seconds are slept between two page requests; ``today`` and ``sleep`` exist for tests.
    """

    split_above = 9_000  # hits of one query above which its date range is split
    max_start = 10_000  # the service fails from this startRecord on

    def __init__(
        self,
        endpoint: str = DEFAULT_ENDPOINT,
        http: HttpClient | None = None,
        page_size: int = 100,
        pause: float = 1.0,
        *,
        sleep: Callable[[float], None] = time.sleep,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        if not 1 <= page_size <= 1000:
            raise ValueError(f"page_size must be between 1 and 1000, not {page_size}")
        self.endpoint = endpoint
        self.http = http or HttpClient()
        self.page_size = page_size
        self.pause = pause
        self._sleep = sleep
        self._today = today
        self._pages_fetched = 0

    build_query = staticmethod(build_query)

    def fetch_page(self, query: str, start: int = 1, size: int | None = None) -> SruPage:
        """One page of ``query`` from record ``start`` on, of ``size`` records (default: ``page_size``)."""
        if start >= self.max_start:
            raise ValueError(f"startRecord {start} is beyond what the service can reach ({self.max_start - 1})")
        if self._pages_fetched and self.pause > 0:
            self._sleep(self.pause)
        self._pages_fetched += 1
        params: dict[str, Any] = {
            "operation": "searchRetrieve",
            "version": "2.0",
            "recordSchema": "gzd",
            "query": query,
            "startRecord": start,
            "maximumRecords": min(size or self.page_size, self.max_start - start),
        }
        response = self.http.get(self.endpoint, params, accept=XML_TYPES)
        return parse_response(response.content, source_url=redact_url(response.url))

    def iter_records(
        self, gemeente: str, since: dt.date | None, until: dt.date | None = None
    ) -> Iterator[Vergunning | RecordError]:
        """Every notice of ``gemeente`` modified in [since, until], oldest change first.

        Unreadable records come as RecordError, in between; a failing page raises its FeedError.
        Notices whose creator is another organisation (a court with the same place name) are left out.
        """
        yield from self._iter_range(gemeente, since, until)

    def _iter_range(
        self, gemeente: str, since: dt.date | None, until: dt.date | None, probe: bool = False
    ) -> Iterator[Vergunning | RecordError]:
        """``probe``: ask for one record first, to learn the number of hits. The whole range is asked
        for a full page at once (usually it fits: an incremental run); its parts, once a range had to
        be split, are probed, so that no full page is read only to be split again and thrown away."""
        query = build_query(gemeente, since, until)
        page = self.fetch_page(query, 1, size=1 if probe else None)
        if page.number_of_records > self.split_above:
            low = since or EARLIEST
            high = until or self._today()
            if low < high:
                middle = low + (high - low) // 2
                log.debug("%s hits for %s..%s: splitting at %s", page.number_of_records, low, high, middle)
                yield from self._iter_range(gemeente, low, middle, probe=True)
                yield from self._iter_range(gemeente, middle + dt.timedelta(days=1), until, probe=True)
                return
        if probe and self.page_size > 1:
            if not page.records and not page.errors:
                return
            page = self.fetch_page(query, 1)
        yield from self._iter_pages(gemeente, query, page)

    def _iter_pages(self, gemeente: str, query: str, page: SruPage) -> Iterator[Vergunning | RecordError]:
        start = 1
        seen = 0
        while True:
            for record in page.records:
                if same_organisation(record.creator, gemeente):
                    yield record
                else:
                    log.debug("skipping %s: creator %r is not %r", record.identifier, record.creator, gemeente)
            yield from page.errors
            seen += len(page.records) + len(page.errors)
            following = page.next_record_position
            if following is None or (not page.records and not page.errors):
                return
            if following <= start:
                yield RecordError(
                    f"The source pointed back to record {following} after record {start}; stopped paging "
                    "to avoid a loop. Try the harvest again later",
                    source_url=self.endpoint,
                )
                return
            if following >= self.max_start:
                yield RecordError(
                    f"More than {self.max_start - 1:,} notices changed on a single day ({query}); only the first "
                    f"{seen:,} could be read. Harvest that day again later",
                    source_url=self.endpoint,
                )
                return
            start = following
            page = self.fetch_page(query, start)
