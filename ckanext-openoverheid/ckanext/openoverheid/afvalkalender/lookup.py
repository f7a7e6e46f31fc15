"""Finding the calendar of one address: in the harvested tables, else from the provider on demand.

Which sources may answer is decided per address and per viewer (``docs/afvalkalender.md``, "Which
source answers"):

* a source answers only for addresses in its area (its ``postcodes`` and ``adressen``, see
  ``config.py``), and only while it is active and not deleted;
* a private source (its harvest-source dataset private) answers only members of its organisation
  (and sysadmins): for anyone else it is neither read nor asked, so its API key is never sent on
  their behalf;
* its table's dataset is read with ``package_show`` and its rows with ``datastore_search`` as the
  viewer, so a private or closed dataset ("open, tenzij") serves no calendar to someone who may not
  see its data.

Of the tables that hold the address, the calendar checked with its provider most recently (the
newest ``bijgewerkt``) is served: a municipality that switches provider adds a new source, and its
first harvest takes over. One ``datastore_search`` per table of a source that covers the address.

An address no table holds is fetched from the provider of a source that covers it (the narrowest
area first, then the newest source), stored in that source's own table, in its organisation (where
the next harvest keeps it current) and served. Such fetches are rate limited per client and per
source (``ratelimit.py``), and an address the provider does not know is remembered for a day, so
asking again costs nothing.

A portal without ckanext-harvest has no sources: every DataStore table with the calendar's columns
(``stored_tables.py``) that the viewer may read answers, each as a "source" named after its dataset,
and nothing is fetched on demand (that needs the source's provider and the harvester plugin).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ckan.model as model
import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.redis import connect_to_redis

from ckanext.openoverheid import ratelimit
from ckanext.openoverheid.afvalkalender.sources import SOURCE_TYPE, Source, may_use, sources
from ckanext.openoverheid.afvalkalender.store import replace_calendars
from ckanext.openoverheid.afvalkalender.table import address_filters, from_row, to_row
from ckanext.openoverheid.harvest.site import allowed_private_hosts, max_response_bytes
from ckanext.openoverheid.keys import redis_key
from harvesters.afvalkalender.base import amsterdam_today
from harvesters.afvalkalender.model import Adres, Ophaalmoment
from harvesters.afvalkalender.providers import make_provider
from harvesters.errors import FeedError, SourceDiagnostic, UnsafeURLError
from harvesters.http import HttpClient

__all__ = [
    "SOURCE_TYPE",
    "Calendar",
    "ProviderUnavailable",
    "Source",
    "answering_sources",
    "fetch_on_demand",
    "find_calendar",
    "may_use",
    "on_demand_limits",
    "sources",
]

log = logging.getLogger(__name__)

HARVESTER_PLUGIN = "openoverheid_afvalkalender_harvester"
MAX_ROWS = 5000  # two years of weekly collections of every type fit many times over
UNKNOWN_TTL = 24 * 3600  # an empty answer: the provider does not know the address
DIAGNOSTIC_TTL = 3600  # the provider's own error: no data for it, or a key an administrator may fix
ON_DEMAND_TIMEOUT = 10.0  # a resident is waiting: do not wait as long as a harvest would


class ProviderUnavailable(Exception):
    """Every provider that could know the address failed; the message says which and why."""


@dataclass
class Calendar:
    """The collections at ``adres``, as the table of ``source`` holds them (rows sorted by date)."""

    adres: Adres
    gemeente: str
    dataset: dict[str, Any]
    rows: list[dict[str, Any]]
    source: Source
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


def _viewer(context: dict[str, Any]) -> dict[str, Any]:
    return {"user": context.get("user") or "", "auth_user_obj": context.get("auth_user_obj")}


def answering_sources(adres: Adres, context: dict[str, Any], candidates: list[Source] | None = None) -> list[Source]:
    """The sources that may answer for ``adres`` to this viewer: active, covering the address, usable."""
    return [s for s in (sources(context) if candidates is None else candidates)
            if s.covers(adres) and may_use(s, context)]


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


def _may_read_table(name: str, context: dict[str, Any]) -> bool:
    visible = _visible_table(name, context)
    return visible is not None and _readable(visible[1], context)


def _owned_by(dataset_id: str, source: Source) -> bool:
    """Whether the dataset an on-demand fetch would write into belongs to the source's organisation."""
    package = model.Package.get(dataset_id)
    return package is not None and bool(source.owner_org) and package.owner_org == source.owner_org


def _readable(resource_id: str, context: dict[str, Any]) -> bool:
    """Whether the viewer may read the table's rows (a closed resource: not)."""
    try:
        tk.check_access("datastore_search", _viewer(context), {"resource_id": resource_id})
    except tk.NotAuthorized:
        return False
    return True


def _rows(resource_id: str, adres: Adres, context: dict[str, Any]) -> list[dict[str, Any]]:
    try:
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
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return []
    return [{key: value for key, value in row.items() if key != "_id"} for row in result["records"]]


def _fresher(calendar: Calendar, than: Calendar | None) -> bool:
    """Whether ``calendar`` was checked with its provider after ``than`` (on a tie, or neither
    checked: the one found first, i.e. of the newer source)."""
    if than is None:
        return True
    mine, theirs = calendar.checked_at, than.checked_at
    return mine is not None and (theirs is None or mine > theirs)


def find_calendar(adres: Adres, context: dict[str, Any], candidates: list[Source] | None = None) -> Calendar | None:
    """The freshest calendar of ``adres`` among the tables of the sources that may answer for it
    (``answering_sources``): the one whose provider was asked last (see the module docstring)."""
    best: Calendar | None = None
    seen: set[str] = set()
    for source in answering_sources(adres, context, candidates):
        if source.dataset_name in seen:
            continue
        seen.add(source.dataset_name)
        visible = _visible_table(source.dataset_name, context)
        if visible is None:
            continue
        dataset, resource_id = visible
        rows = _rows(resource_id, adres, context)
        if not rows:
            continue
        found = Calendar(adres=adres, gemeente=source.config.gemeente,
                         dataset={"id": dataset["id"], "name": dataset["name"], "title": dataset["title"]},
                         rows=rows, source=source)
        if _fresher(found, best):
            best = found
    return best


def on_demand_limits(client: str, source: Source) -> list[ratelimit.Limit]:
    """The limits a fetch for ``client`` from ``source`` counts against (see config_declaration.yaml)."""
    option = "ckanext.openoverheid.afvalkalender.on_demand_{}"
    window = tk.config.get(option.format("window"))
    return [
        ratelimit.Limit("afvalkalender", "op-verzoek-client", client, tk.config.get(option.format("per_client")),
                        window, "client"),
        ratelimit.Limit("afvalkalender", "op-verzoek-bron", source.id, tk.config.get(option.format("per_source")),
                        window, "source"),
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

    None when no source covers the address or every provider that does says it does not know it
    or may not be contacted at all (a refused URL is no passing failure), and always without the
    harvester plugin (no sources to ask, nowhere to store).
    Raises ``ratelimit.RateLimited`` over a limit, and ProviderUnavailable when every provider asked
    failed (the message names the first failure).
    """
    if not p.plugin_loaded(HARVESTER_PLUGIN):
        return None
    redis = connect_to_redis()
    failures: list[str] = []
    for source in sorted(answering_sources(adres, context), key=lambda s: s.config.narrowest_area(adres) or 0):
        if not _may_fetch_for(source, adres, context, redis):
            continue
        ratelimit.hit(redis, on_demand_limits(client, source))
        day = today()
        records = _ask_provider(source, adres, day, redis, failures)
        if not records:
            continue
        found = _store_and_find(source, adres, records, day, context)
        if found is not None:
            found.fetched_now = True
            return found
    if failures:
        raise ProviderUnavailable(failures[0])
    return None


def _may_fetch_for(source: Source, adres: Adres, context: dict[str, Any], redis: Any) -> bool:
    """Whether ``source`` may be asked for ``adres`` on behalf of this viewer: its own dataset, data
    the viewer may see, and an address its provider did not recently say it does not know."""
    existing = model.Package.get(source.dataset_name)
    if existing is not None and existing.owner_org != source.owner_org:
        return False  # not this source's own dataset: it must not write there
    if existing is not None and not _may_read_table(source.dataset_name, context):
        return False  # its data is not for this viewer: do not fetch it for them either
    return not redis.exists(_unknown_key(source, adres))


def _ask_provider(source: Source, adres: Adres, day: dt.date, redis: Any, failures: list[str]) -> list[Ophaalmoment]:
    """The provider's calendar of ``adres``; nothing when it does not know the address (remembered
    for a while) or fails (the failure added to ``failures``)."""
    try:
        records = _fetch(source, adres, day)
    except SourceDiagnostic as error:  # the provider's own "no data for this address" (or a bad key)
        log.info("afvalkalender: %s answered for %s: %s", source.name, adres, error)
        redis.setex(_unknown_key(source, adres), DIAGNOSTIC_TTL, "1")
        return []
    except UnsafeURLError as error:  # no passing failure: the portal may not ask this provider at all
        log.warning("afvalkalender: source %s may not be asked for %s: %s", source.name, adres, error)
        return []
    except FeedError as error:
        log.warning("afvalkalender: on-demand fetch of %s from %s failed: %s", adres, source.name, error)
        failures.append(str(error))
        return []
    except ValueError as error:  # a config the provider refuses (e.g. an ical template)
        log.warning("afvalkalender: source %s cannot fetch %s: %s", source.name, adres, error)
        failures.append(str(error))
        return []
    if not records:
        redis.setex(_unknown_key(source, adres), UNKNOWN_TTL, "1")
    return records


def _store_and_find(source: Source, adres: Adres, records: list[Ophaalmoment], day: dt.date,
                    context: dict[str, Any]) -> Calendar | None:
    """Store the fetched calendar in the source's own dataset (never another organisation's) and
    read it back as the viewer sees it."""
    from ckanext.harvest.model import HarvestSource

    from ckanext.openoverheid.harvest.table_target import TargetNotOwned

    harvester = p.get_plugin(HARVESTER_PLUGIN)
    harvest_source = HarvestSource.get(source.id)
    try:
        table = harvester.ensure_dataset(harvest_source, harvester.parse_config(harvest_source.config))
    except TargetNotOwned as refused:
        log.warning("afvalkalender: %s did not store %s: %s", source.name, adres, refused)
        return None
    if not _owned_by(table.dataset_id, source):
        log.warning("afvalkalender: %s did not store %s: its dataset %s belongs to another organisation",
                    source.name, adres, source.dataset_name)
        return None
    checked_at = dt.datetime.now(dt.UTC)
    replace_calendars(table.resource_id, [to_row(record, checked_at) for record in records], day)
    return find_calendar(adres, context, [source])
