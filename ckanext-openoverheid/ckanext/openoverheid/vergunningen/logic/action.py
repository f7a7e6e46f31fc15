"""The actions behind the map, the feeds and the JSON API: one place for auth and validation.

Which tables to search is decided per viewer: the datasets filled by ``vergunningen`` harvest sources
(with ckanext-harvest loaded), else the DataStore tables with the permit columns (``stored_tables.py``),
read through ``package_show`` as the viewer, so a private or closed ("open, tenzij") dataset adds no
table for someone who may not see its data. The SQL itself (``query.py``) runs on the DataStore's
read-only engine with bound parameters.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Sequence
from typing import Any

import ckan.model as model
import ckan.plugins as p
import ckan.plugins.toolkit as tk
import sqlalchemy as sa

from ckanext.openoverheid import stored_tables
from ckanext.openoverheid.vergunningen import geocode, query
from ckanext.openoverheid.vergunningen.filters import MAX_LIMIT, FilterError, Filters, parse_filters

SOURCE_TYPE = "vergunningen"

log = logging.getLogger(__name__)


class AddressSearchUnavailable(tk.ValidationError):
    """The address could not be looked up because the geocoder did not answer: not the resident's mistake.

    A ValidationError on ``q`` to API callers, as before; the map page tells it apart to say "try again
    later" instead of "check your search", and to show no list that is not the answer."""


def vergunningen_tables(context: dict[str, Any]) -> list[query.Table]:
    """The DataStore tables of the vergunningen datasets this viewer may read."""
    if not p.plugin_loaded("harvest"):
        return [query.Table(resource_id=table.resource_id, dataset=table.dataset["name"])
                for table in stored_tables.readable_tables(query.COLUMNS, context)]
    return _harvested_tables(context)


def _harvested_tables(context: dict[str, Any]) -> list[query.Table]:
    """The tables of the datasets that ``vergunningen`` harvest sources filled."""
    from ckanext.harvest.model import HarvestObject, HarvestSource

    package_ids = (
        model.Session.query(HarvestObject.package_id)
        .join(HarvestSource, HarvestObject.harvest_source_id == HarvestSource.id)
        .filter(HarvestSource.type == SOURCE_TYPE, HarvestObject.package_id.isnot(None))
        .distinct()
        .all()
    )
    tables = []
    for (package_id,) in package_ids:
        viewer = {"user": context.get("user"), "auth_user_obj": context.get("auth_user_obj")}
        try:
            dataset = tk.get_action("package_show")(viewer, {"id": package_id})
        except (tk.ObjectNotFound, tk.NotAuthorized):
            continue
        if dataset.get("state") != "active":
            continue
        resource = next((r for r in dataset.get("resources", []) if r.get("datastore_active")), None)
        if resource is not None:
            tables.append(query.Table(resource_id=resource["id"], dataset=dataset["name"]))
    return sorted(tables, key=lambda t: t.dataset)


def run(sql: query.SqlQuery | None) -> list[dict[str, Any]]:
    """Run a query on the DataStore's read-only connection; no query (no tables) is no rows."""
    if sql is None:
        return []
    from ckanext.datastore.backend.postgres import get_read_engine

    with get_read_engine().connect() as connection:
        return [dict(row) for row in connection.execute(sa.text(sql.text), sql.params).mappings()]


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    """A row as JSON-ready values: ISO dates, whole metres."""
    result: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, datetime.datetime | datetime.date):
            value = value.isoformat()
        elif key == "afstand" and value is not None:
            value = round(float(value))
        elif key in ("lat", "lon") and value is not None:
            value = float(value)
        result[key] = value
    if result.get("afstand") is None:
        result.pop("afstand", None)
    return result


def _facets(tables: Sequence[query.Table]) -> dict[str, dict[str, int]]:
    facets: dict[str, dict[str, int]] = {"soort": {}, "fase": {}}
    for row in run(query.facets_sql(tables)):
        for key in ("soort", "fase"):
            value = row[key] or "onbekend"
            facets[key][value] = facets[key].get(value, 0) + int(row["aantal"])
    return facets


def _validation_error(error: FilterError) -> tk.ValidationError:
    return tk.ValidationError({key: [tk._(message)] for key, message in error.errors.items()})


@tk.side_effect_free
def vergunningen_search(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Permit notices of every harvested municipality, filtered, newest first or nearest first.

    :param gemeente: municipality, e.g. ``Utrecht`` (optional)
    :type gemeente: string
    :param postcode: a PC4 (``3512``) or PC6 (``3512AH``) area (optional)
    :type postcode: string
    :param lat: latitude (WGS84) of a point; with ``lon``, results lie within ``straal`` of it
    :type lat: float
    :param lon: longitude (WGS84) of the point
    :type lon: float
    :param straal: radius around the point in metres, 1 to 25000 (default 1000)
    :type straal: int
    :param soort: permit kind(s), repeated or comma-separated, e.g. ``kap,bouw`` (optional)
    :type soort: string or list of strings
    :param fase: phase(s): ``aanvraag``, ``verleend``, ``geweigerd``, ``ingetrokken``, ``onbekend``
    :type fase: string or list of strings
    :param sinds: only notices published on or after this date (YYYY-MM-DD)
    :type sinds: string
    :param dataset: only the permits of this dataset (name), e.g. ``bron-vergunningen-utrecht-data``
    :type dataset: string
    :param sorteer: ``datum`` (newest first, the default) or ``afstand`` (nearest first, the default
        with a point)
    :type sorteer: string
    :param limit: page size, 1 to 1000 (default 50)
    :type limit: int
    :param offset: rows to skip (default 0)
    :type offset: int
    :param facets: also count the kinds and phases of all permits (default false)
    :type facets: bool
    :returns: ``count`` (all matches), ``limit``, ``offset``, ``filters`` (as understood),
        ``results`` (each with ``identifier``, ``title``, ``soort``, ``fase``, ``document_date``,
        ``published_date``, ``modified``, ``einde_bezwaartermijn``, ``straat``, ``huisnummer``,
        ``postcode``, ``woonplaats``, ``gemeente``, ``lat``, ``lon``, ``url``, ``dataset`` and, around a
        point, ``afstand`` in metres) and, if asked, ``facets``
    :rtype: dictionary
    """
    tk.check_access("vergunningen_search", context, data_dict)
    filters, want_facets = _search_request(context, data_dict)
    tables = vergunningen_tables(context)
    total = run(query.count_sql(tables, filters))
    result: dict[str, Any] = {
        "count": int(total[0]["total"]) if total else 0,
        "limit": filters.limit,
        "offset": filters.offset,
        "filters": filters.as_params(),
        "results": [_plain(row) for row in run(query.search_sql(tables, filters))],
    }
    if want_facets:
        result["facets"] = _facets(tables)
    return result


def _search_request(context: dict[str, Any], data_dict: dict[str, Any]) -> tuple[Filters, bool]:
    """The filters of a search and whether it asks for facets; ValidationError per bad parameter."""
    data_dict = dict(data_dict or {})
    # The GeoJSON download may ask for bigger pages; only code can raise the limit, not a caller.
    max_limit = int(context.get("vergunningen_max_limit") or MAX_LIMIT)
    try:
        want_facets = tk.asbool(data_dict.pop("facets", False))
    except ValueError:
        raise tk.ValidationError({"facets": [tk._("facets must be true or false.")]}) from None
    try:
        return parse_filters(data_dict, max_limit=max_limit), want_facets
    except FilterError as error:
        raise _validation_error(error) from None


@tk.side_effect_free
def vergunningen_locate(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Where a postcode, an address or a pair of coordinates lies, for "permits around me".

    Coordinates are taken as they are; a postcode or an address is looked up first in the permits
    the portal holds, then (if ``ckanext.openoverheid.geocoder_url`` is set) in PDOK's Locatieserver.

    :param q: ``3512AH``, ``Voorstraat 13 Utrecht`` or ``52.09, 5.12``
    :type q: string
    :returns: ``lat``, ``lon``, ``postcode`` (when ``q`` was a postcode), ``label`` and ``source``
        (``coordinaten``, ``vergunningen`` or ``geocoder``)
    :rtype: dictionary
    :raises: ValidationError when ``q`` is empty, NotFound when nothing matches
    """
    tk.check_access("vergunningen_locate", context, data_dict)
    text = str((data_dict or {}).get("q") or "").strip()
    if not text:
        raise tk.ValidationError({"q": [tk._("Enter a postcode, an address or coordinates.")]})
    if len(text) > 200:
        raise tk.ValidationError({"q": [tk._("That is too long for an address (at most 200 characters).")]})
    tables = vergunningen_tables(context)
    try:
        found = geocode.locate(text, tables, run=run, geocoder_url=tk.config.get("ckanext.openoverheid.geocoder_url"),
                               allowed_private_hosts=_allowed_private_hosts())
    except geocode.GeocoderUnavailable as error:
        # What went wrong (host names, ports, URLs) is for the log; the person gets what to do.
        log.warning("address lookup of %r failed: %s", text, error)
        raise AddressSearchUnavailable({"q": [tk._(
            "The address could not be looked up right now. Try again in a few minutes, or search by "
            "the four digits of your postcode (such as 3512).")]}) from None
    if found is None:
        raise tk.ObjectNotFound(tk._("No place found for “{q}”. Try a postcode such as 3512AH.").format(q=text))
    return found.as_dict()


def _allowed_private_hosts() -> list[str]:
    from ckanext.openoverheid.harvest.site import allowed_private_hosts

    return allowed_private_hosts()


def get_actions() -> dict[str, Callable[..., Any]]:
    return {"vergunningen_search": vergunningen_search, "vergunningen_locate": vergunningen_locate}
