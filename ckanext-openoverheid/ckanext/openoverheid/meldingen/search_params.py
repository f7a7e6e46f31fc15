"""The search parameters of ``melding_search`` and ``melding_queue`` (and so of the list page, the
map, Open311 and the feeds) turned into ``queries.Filters``, each wrong parameter named in the
visitor's language."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.openoverheid.meldingen import categories, queries
from ckanext.openoverheid.meldingen.logic.auth import staff_organization_ids

MAX_RADIUS = 50_000
MAX_OFFSET = 1_000_000_000  # PostgreSQL's OFFSET is a bigint: a larger number is an error, not a page

Errors = dict[str, list[str]]


def filters_from(data: dict[str, Any], user: str | None) -> queries.Filters:
    """Search parameters (validated by ``schema.melding_search``) → Filters; ``tk.ValidationError``
    naming each parameter that is wrong. Hidden meldingen are asked for by ``user``."""
    errors: Errors = {}
    statuses = _statuses(data.get("status"), errors)
    service_codes = _service_codes(data.get("service_code"), errors)
    organization_ids = _organization_ids(data.get("organization"), errors)
    ids = _ids(data.get("ids"), errors)
    bbox = _bbox(data.get("bbox"), errors)
    near = _near(data, errors)
    start = _moment(data["start_date"], "start_date", errors) if data.get("start_date") else None
    end = _moment(data["end_date"], "end_date", errors) if data.get("end_date") else None
    order_by, newest_first = _sort(data.get("sort"), errors)
    if data.get("offset", 0) > MAX_OFFSET:
        errors["offset"] = [tk._("Must be a whole number from {lowest} to {highest}.").format(
            lowest=0, highest=MAX_OFFSET)]
    if errors:
        raise tk.ValidationError(errors)
    staff_orgs = staff_organization_ids(user) if (data.get("include_hidden") or data.get("only_hidden")) else []
    return queries.Filters(
        ids=ids,
        service_codes=service_codes,
        statuses=statuses,
        organization_ids=organization_ids,
        start=start,
        end=end,
        bbox=bbox,
        near=near,
        hidden_visible_for=staff_orgs,
        only_hidden=bool(data.get("only_hidden")),
        order_by=order_by,
        newest_first=newest_first,
        limit=data.get("limit", 50),
        offset=data.get("offset", 0),
    )


def _as_list(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, Iterable):
        return [str(v).strip() for v in value if str(v).strip()]
    return [str(value)]


def _sort(value: str | None, errors: Errors) -> tuple[str, bool]:
    """(column, newest first) from ``requested desc``, ``due asc`` and the like; the direction defaults to desc."""
    words = (value or "requested desc").split()
    if len(words) in (1, 2) and words[0] in queries.SORT_COLUMNS and words[1:] in ([], ["asc"], ["desc"]):
        return words[0], words[1:] != ["asc"]
    errors["sort"] = [tk._("Sort by %(columns)s, followed by asc or desc (for example: due asc).") % {
        "columns": ", ".join(queries.SORT_COLUMNS)}]
    return "requested", True


def _statuses(value: Any, errors: Errors) -> list[str]:
    """Status codes; Open311's ``open`` and ``closed`` stand for the statuses they cover."""
    workflow = categories.workflow()
    statuses: list[str] = []
    for status in _as_list(value):
        if status in ("open", "closed"):
            statuses += workflow.with_open311(status)
        elif workflow.get(status):
            statuses.append(status)
        else:
            errors["status"] = [tk._("Unknown status %(status)s; use open, closed or one of %(codes)s") % {
                "status": status[:40], "codes": ", ".join(workflow.codes())}]
    return statuses


def _service_codes(value: Any, errors: Errors) -> list[str]:
    codes = _as_list(value)
    unknown = [c for c in codes if categories.category(c) is None]
    if unknown:
        errors["service_code"] = [tk._("Unknown category %(code)s; choose one of: %(codes)s") % {
            "code": unknown[0][:60], "codes": ", ".join(categories.category_codes())}]
    return codes


def _organization_ids(name: str | None, errors: Errors) -> list[str]:
    if not name:
        return []
    # PostgreSQL refuses a NUL character in a query parameter: such a name is simply unknown
    group = model.Group.get(name) if "\x00" not in name else None
    if group is None or not group.is_organization:
        errors["organization"] = [tk._("Unknown organisation %(name)s") % {"name": name[:60]}]
        return []
    return [group.id]


def _ids(value: Any, errors: Errors) -> list[int]:
    ids: list[int] = []
    for item in _as_list(value):
        try:
            ids.append(int(item))
        except ValueError:
            errors["ids"] = [tk._("Report numbers are whole numbers, separated by commas.")]
    return ids


def _bbox(value: str | None, errors: Errors) -> tuple[float, float, float, float] | None:
    if not value:
        return None
    try:
        min_lon, min_lat, max_lon, max_lat = (float(v) for v in value.split(","))
        if not (min_lon < max_lon and min_lat < max_lat):
            raise ValueError
    except ValueError:
        errors["bbox"] = [tk._("Give bbox as min_lon,min_lat,max_lon,max_lat in WGS84 degrees.")]
        return None
    return min_lon, min_lat, max_lon, max_lat


def _near(data: dict[str, Any], errors: Errors) -> tuple[float, float, float] | None:
    """(lat, lon, radius in metres) when a point is given; the radius defaults to 500."""
    if data.get("lat") in (None, "") and data.get("lon") in (None, ""):
        return None
    lat = _float(data.get("lat"), "lat", errors)
    lon = _float(data.get("lon"), "lon", errors)
    radius = _float(data.get("radius") or 500, "radius", errors)
    if lat is None or lon is None or radius is None:
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180 and 0 < radius <= MAX_RADIUS):
        errors["radius"] = [tk._("Give lat and lon in degrees and a radius of 1 to %(max)s metres.")
                            % {"max": MAX_RADIUS}]
        return None
    return lat, lon, radius


def _moment(value: str, field: str, errors: Errors) -> datetime.datetime | None:
    try:
        moment = datetime.datetime.fromisoformat(value.strip())
    except ValueError:
        errors[field] = [tk._("Give a date and time like 2026-05-01T00:00:00Z (W3C format).")]
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def _float(value: Any, field: str, errors: Errors) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        errors[field] = [tk._("Must be a number")]
        return None
