"""Finding the calendar of one address: in the harvested tables, else from the provider on demand.

Which tables may be read is decided per viewer: each ``afvalkalender`` source's dataset is read with
``package_show`` and its rows with ``datastore_search`` as the viewer, so a private or closed dataset
("open, tenzij") serves no calendar to someone who may not see its data.

An address no table holds, inside the area of a source (its ``postcodes``, see ``config.py``), is
fetched from that source's provider, stored in the source's table (where the next harvest keeps it
current) and served. Such fetches are rate limited per client and per source (``ratelimit.py``), and
an address the provider does not know is remembered for a day, so asking again costs nothing.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ckan.model as model
import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.redis import connect_to_redis
from ckanext.harvest.model import HarvestSource

from ckanext.openoverheid.afvalkalender import ratelimit
from ckanext.openoverheid.afvalkalender.config import AfvalkalenderConfig, parse_config
from ckanext.openoverheid.afvalkalender.store import replace_calendars
from ckanext.openoverheid.afvalkalender.table import address_filters, from_row, to_row
from ckanext.openoverheid.harvest.table_source import allowed_private_hosts, max_response_bytes, target_dataset_name
from ckanext.openoverheid.keys import redis_key
from harvesters.afvalkalender.base import amsterdam_today
from harvesters.afvalkalender.model import Adres, Ophaalmoment
from harvesters.afvalkalender.providers import make_provider
from harvesters.errors import FeedError, SourceDiagnostic
from harvesters.http import HttpClient

__all__ = [
    "SOURCE_TYPE",
    "Calendar",
    "ProviderUnavailable",
    "Source",
    "fetch_on_demand",
    "find_calendar",
    "on_demand_limits",
    "sources",
]

log = logging.getLogger(__name__)

SOURCE_TYPE = "afvalkalender"
PLUGIN_NAME = "openoverheid_afvalkalender"
MAX_ROWS = 5000  # two years of weekly collections of every type fit many times over
UNKNOWN_TTL = 24 * 3600  # an empty answer: the provider does not know the address
DIAGNOSTIC_TTL = 3600  # the provider's own error: no data for it, or a key an administrator may fix
ON_DEMAND_TIMEOUT = 10.0  # a resident is waiting: do not wait as long as a harvest would


class ProviderUnavailable(Exception):
    """Every provider that could know the address failed; the message says which and why."""


@dataclass(frozen=True)
class Source:
    """An active ``afvalkalender`` harvest source with its checked config."""

    id: str
    name: str
    url: str
    config: AfvalkalenderConfig

    @functools.cached_property
    def dataset_name(self) -> str:
        """The dataset this source fills, in its own organisation (``table_source.target_dataset_name``)."""
        return target_dataset_name(self)


@dataclass
class Calendar:
    """The collections at ``adres``, as the table holds them (rows sorted by date)."""

    adres: Adres
    gemeente: str
    dataset: dict[str, Any]
    rows: list[dict[str, Any]]
    fetched_now: bool = False

    @property
    def records(self) -> list[Ophaalmoment]:
        return [from_row(row) for row in self.rows]

    @property
    def checked_at(self) -> dt.datetime | None:
        """When the provider was last asked for this address (the newest ``bijgewerkt``)."""
        moments = [str(row["bijgewerkt"]) for row in self.rows if row.get("bijgewerkt")]
        if not moments:
            return None
        return dt.datetime.fromisoformat(max(moments)).replace(tzinfo=dt.UTC)


def sources() -> list[Source]:
    """Active ``afvalkalender`` sources, oldest first; a source whose config no longer parses is skipped."""
    found = []
    query = (
        model.Session.query(HarvestSource)
        .filter(HarvestSource.type == SOURCE_TYPE, HarvestSource.active.is_(True))
        .order_by(HarvestSource.created)
    )
    for source in query:
        package = model.Package.get(source.id)
        if package is None or package.state != "active":
            continue
        try:
            config = parse_config(source.config)
        except ValueError as error:
            log.warning("afvalkalender source %s has a config that does not parse: %s", source.id, error)
            continue
        found.append(Source(id=source.id, name=package.name, url=source.url, config=config))
    return found


def _viewer(context: dict[str, Any]) -> dict[str, Any]:
    return {"user": context.get("user") or "", "auth_user_obj": context.get("auth_user_obj")}


def _visible_table(name: str, context: dict[str, Any]) -> tuple[dict[str, Any], str] | None:
    """The dataset ``name`` and its table's resource id, if the viewer may read its data."""
    try:
        dataset = tk.get_action("package_show")(_viewer(context), {"id": name})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return None
    if dataset.get("state") != "active":
        return None
    table = next((r for r in dataset.get("resources", []) if r.get("datastore_active")), None)
    if table is None:
        return None
    return dataset, table["id"]


def _dataset_exists(name: str) -> bool:
    return model.Package.get(name) is not None


def _rows(resource_id: str, adres: Adres, context: dict[str, Any]) -> list[dict[str, Any]]:
    result = tk.get_action("datastore_search")(
        _viewer(context),
        {
            "resource_id": resource_id,
            "filters": address_filters(adres),
            "sort": "datum, afvaltype",
            "limit": MAX_ROWS,
            "include_total": False,
        },
    )
    return [{key: value for key, value in row.items() if key != "_id"} for row in result["records"]]


def find_calendar(adres: Adres, context: dict[str, Any], candidates: list[Source] | None = None) -> Calendar | None:
    """The calendar of ``adres`` from the first table (of the viewer's visible ones) that holds it."""
    seen: set[str] = set()
    for source in sources() if candidates is None else candidates:
        if source.dataset_name in seen:
            continue
        seen.add(source.dataset_name)
        visible = _visible_table(source.dataset_name, context)
        if visible is None:
            continue
        dataset, resource_id = visible
        rows = _rows(resource_id, adres, context)
        if rows:
            return Calendar(adres=adres, gemeente=source.config.gemeente,
                            dataset={"id": dataset["id"], "name": dataset["name"], "title": dataset["title"]},
                            rows=rows)
    return None


def on_demand_limits(client: str, source: Source) -> list[ratelimit.Limit]:
    """The limits a fetch for ``client`` from ``source`` counts against (see config_declaration.yaml)."""
    option = "ckanext.openoverheid.afvalkalender.on_demand_{}"
    window = int(tk.config.get(option.format("window")))
    prefix = redis_key("afvalkalender", "op-verzoek")
    return [
        ratelimit.Limit(f"{prefix}:client:{client}", int(tk.config.get(option.format("per_client"))), window,
                        "client"),
        ratelimit.Limit(f"{prefix}:bron:{source.id}", int(tk.config.get(option.format("per_source"))), window,
                        "source"),
    ]


def _unknown_key(source: Source, adres: Adres) -> str:
    return redis_key("afvalkalender", "onbekend", source.id, adres.key)


def _fetch(source: Source, adres: Adres, today: dt.date) -> list[Ophaalmoment]:
    config = source.config
    with HttpClient(timeout=min(config.timeout, ON_DEMAND_TIMEOUT), max_retries=0, max_bytes=max_response_bytes(),
                    allowed_private_hosts=allowed_private_hosts()) as http:
        provider = make_provider(config.provider, source.url, config.provider_options, http, today=lambda: today)
        return provider.fetch(adres)


def fetch_on_demand(
    adres: Adres,
    context: dict[str, Any],
    client: str,
    *,
    today: Callable[[], dt.date] = amsterdam_today,
) -> Calendar | None:
    """Ask the providers of the sources whose area holds ``adres``, store the first calendar found.

    None when no source covers the address or every provider that does says it does not know it.
    Raises ``ratelimit.RateLimited`` over a limit, and ProviderUnavailable when every provider asked
    failed (the message names the first failure).
    """
    redis = connect_to_redis()
    failures: list[str] = []
    for source in sources():
        if not source.config.covers(adres):
            continue
        if _dataset_exists(source.dataset_name) and _visible_table(source.dataset_name, context) is None:
            continue  # its data is not for this viewer: do not fetch it for them either
        if redis.exists(_unknown_key(source, adres)):
            continue
        ratelimit.hit(redis, on_demand_limits(client, source))
        day = today()
        try:
            records = _fetch(source, adres, day)
        except SourceDiagnostic as error:  # the provider's own "no data for this address" (or a bad key)
            log.info("afvalkalender: %s answered for %s: %s", source.name, adres, error)
            redis.setex(_unknown_key(source, adres), DIAGNOSTIC_TTL, "1")
            continue
        except FeedError as error:
            log.warning("afvalkalender: on-demand fetch of %s from %s failed: %s", adres, source.name, error)
            failures.append(str(error))
            continue
        except ValueError as error:  # a config the provider refuses (e.g. an ical template)
            log.warning("afvalkalender: source %s cannot fetch %s: %s", source.name, adres, error)
            failures.append(str(error))
            continue
        if not records:
            redis.setex(_unknown_key(source, adres), UNKNOWN_TTL, "1")
            continue
        harvester = p.get_plugin(PLUGIN_NAME)
        harvest_source = HarvestSource.get(source.id)
        table = harvester.ensure_dataset(harvest_source, harvester.parse_config(harvest_source.config))
        checked_at = dt.datetime.now(dt.UTC)
        replace_calendars(table.resource_id, [to_row(record, checked_at) for record in records], day)
        found = find_calendar(adres, context, [source])
        if found is not None:
            found.fetched_now = True
            return found
    if failures:
        raise ProviderUnavailable(failures[0])
    return None
