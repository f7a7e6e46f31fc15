"""The meldingen actions: the API that the pages, Open311, the feeds and the open data all call.

Each action validates with a schema from ``schema.py``, checks auth, does one thing and returns
plain dicts built by ``records.public_melding`` (which never reads the reporter's contact data).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import ckan.authz as authz
import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib.redis import connect_to_redis

from ckanext.openoverheid import ratelimit
from ckanext.openoverheid.meldingen import (
    categories,
    location,
    mail,
    opendata,
    photos,
    queries,
    records,
    settings,
)
from ckanext.openoverheid.meldingen.logic import schema
from ckanext.openoverheid.meldingen.logic.auth import is_staff, staff_organization_ids
from ckanext.openoverheid.meldingen.model import Melding, MeldingContact, MeldingUpdate, utcnow
from harvesters.errors import FeedError
from harvesters.http import HttpClient

log = logging.getLogger(__name__)

MAX_RADIUS = 50_000
MAX_OFFSET = 1_000_000_000  # PostgreSQL's OFFSET is a bigint: a larger number is an error, not a page
MAX_ATTRIBUTE_TEXT = 4000


class RateLimited(tk.ValidationError):
    """Too many meldingen from one client; ``retry_after`` is in seconds. Views answer HTTP 429."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__({"rate_limit": [message]})
        self.retry_after = retry_after


def _lang() -> str:
    try:
        return tk.h.lang() or "nl"
    except (RuntimeError, AttributeError, TypeError):
        return tk.config.get("ckan.locale_default") or "nl"


def _organization(melding: records.MeldingFields) -> dict[str, Any]:
    if isinstance(melding, records.MeldingRow):
        return {"name": melding.organization_name, "title": melding.organization_title}
    group = model.Group.get(melding.organization_id)
    return {"name": group.name, "title": group.title} if group else {"name": None, "title": None}


def _public_list(
    meldingen: Sequence[records.MeldingFields],
    context: dict[str, Any],
    *,
    updates: Mapping[int, Sequence[records.UpdateFields]] | None = None,
) -> list[dict[str, Any]]:
    """``records.public_melding`` of each melding, with their public history if ``updates`` maps
    their ids to it. What is the same for every melding of a request (site URL, language, each
    organisation and whether the user is on its staff) is looked up once, not per melding."""
    site_url, lang, user = settings.site_url(), _lang(), context.get("user")
    organizations: dict[str, dict[str, Any]] = {}
    staff: dict[str, bool] = {}
    results = []
    for melding in meldingen:
        organization_id = melding.organization_id
        if organization_id not in organizations:
            organizations[organization_id] = _organization(melding)
            staff[organization_id] = is_staff(user, organization_id)
        results.append(records.public_melding(
            melding,
            organization=organizations[organization_id],
            site_url=site_url,
            lang=lang,
            updates=None if updates is None else updates.get(melding.id, ()),
            staff=staff[organization_id],
        ))
    return results


def _public(melding: Melding, context: dict[str, Any]) -> dict[str, Any]:
    """One melding with its public history."""
    return _public_list([melding], context, updates={melding.id: melding.updates})[0]


def _validate(data_dict: dict[str, Any], schema_: dict[str, Any], context: dict[str, Any]) -> dict[str, Any]:
    data, errors = tk.navl_validate(dict(data_dict or {}), schema_, context)
    if errors:
        raise tk.ValidationError(errors)
    return data


def _get_melding(melding_id: Any) -> Melding:
    try:
        melding = model.Session.get(Melding, int(melding_id))
    except (TypeError, ValueError):
        melding = None
    if melding is None:
        raise tk.ObjectNotFound(tk._("Report %(id)s does not exist.") % {"id": str(melding_id)[:40]})
    return melding


def _request_ip() -> str | None:
    try:
        return tk.request.remote_addr
    except RuntimeError:  # outside a request (CLI, jobs)
        return None


# --- checking a new melding -----------------------------------------------------------------------


def _check_attributes(service_code: str, answers: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The answers to the category's extra questions, normalised, and the problems found."""
    category = categories.category(service_code)
    problems: list[str] = []
    clean: dict[str, Any] = {}
    if category is None:
        return {}, []
    known = {a.code for a in category.attributes}
    for code in answers:
        if code not in known:
            problems.append(tk._("Unknown attribute %(code)s for this category.") % {"code": code[:60]})
    for attribute in category.attributes:
        value = answers.get(attribute.code)
        if value in (None, "", []):
            if attribute.required:
                problems.append(tk._("Answer the question: %(question)s") %
                                {"question": categories.label(attribute.question, _lang())})
            continue
        if attribute.datatype == "multivaluelist":
            values = value if isinstance(value, list) else [v for v in str(value).split(",") if v]
            wrong = [v for v in values if v not in attribute.value_keys()]
            if wrong:
                problems.append(tk._("%(code)s: %(value)s is not one of %(allowed)s") % {
                    "code": attribute.code, "value": ", ".join(map(str, wrong))[:60],
                    "allowed": ", ".join(attribute.value_keys())})
            clean[attribute.code] = values
        elif attribute.datatype == "singlevaluelist":
            if str(value) not in attribute.value_keys():
                problems.append(tk._("%(code)s: %(value)s is not one of %(allowed)s") % {
                    "code": attribute.code, "value": str(value)[:60], "allowed": ", ".join(attribute.value_keys())})
            clean[attribute.code] = str(value)
        elif attribute.datatype == "number":
            try:
                clean[attribute.code] = float(str(value).replace(",", "."))
            except ValueError:
                problems.append(tk._("%(code)s must be a number.") % {"code": attribute.code})
        elif attribute.datatype == "datetime":
            try:
                clean[attribute.code] = datetime.datetime.fromisoformat(str(value)).isoformat()
            except ValueError:
                problems.append(tk._("%(code)s must be a date and time like 2026-05-01T14:30:00+02:00.")
                                % {"code": attribute.code})
        else:
            from ckanext.openoverheid.meldingen.logic.validators import plain_text

            limit = 250 if attribute.datatype == "string" else MAX_ATTRIBUTE_TEXT
            try:
                clean[attribute.code] = plain_text(value, limit)
            except tk.Invalid as error:
                problems.append(f"{attribute.code}: {error.error}")
    return clean, problems


def _photo_bytes(photo: Any, limit: int) -> bytes | None:
    """Bytes of an upload (werkzeug FileStorage, file object or bytes), at most ``limit`` + 1."""
    if photo in (None, "", b""):
        return None
    if isinstance(photo, bytes | bytearray):
        return bytes(photo[: limit + 1])
    stream = getattr(photo, "stream", photo)
    if hasattr(stream, "read"):
        data = stream.read(limit + 1)
        return data or None
    return None


def _fetch_media(url: str, limit: int) -> bytes:
    """The image at ``url`` (Open311 ``media_url``), fetched under the harvesters' SSRF rules."""
    with HttpClient(
        timeout=10.0, max_bytes=limit, max_retries=0, allowed_private_hosts=settings.allowed_private_hosts()
    ) as client:
        return client.get(url, accept=("image/",)).content


def _clean_photo(data_dict: dict[str, Any], errors: dict[str, list[str]]) -> photos.CleanPhoto | None:
    limit = settings.photo_max_bytes()
    field, data = "photo", _photo_bytes(data_dict.get("photo"), limit)
    if data is None and data_dict.get("media_url"):
        field = "media_url"
        try:
            data = _fetch_media(data_dict["media_url"], limit)
        except FeedError as error:
            errors.setdefault(field, []).append(
                tk._("The photo at media_url could not be fetched: %(reason)s") % {"reason": str(error)}
            )
            return None
    if data is None:
        return None
    try:
        return photos.clean_photo(data, max_bytes=limit, max_pixels=settings.photo_max_pixels())
    except photos.PhotoError as error:
        errors.setdefault(field, []).append(tk._(error.msgid) % error.params if error.params else tk._(error.msgid))
        return None


def melding_create(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Report a problem in public space. No account needed.

    :param service_code: the category (``melding_category_list`` lists them)
    :type service_code: string
    :param description: what is wrong, plain text, at most 4000 characters
    :type description: string
    :param lat: latitude (WGS84); with ``lon``, or give ``address``
    :type lat: float
    :param lon: longitude (WGS84)
    :type lon: float
    :param address: an address or typed coordinates (looked up when lat/lon are missing)
    :type address: string
    :param email: optional; the reporter is e-mailed on every update. Never published.
    :type email: string
    :param attributes: answers to the category's extra questions, code → value
    :type attributes: dict
    :param photo: optional JPEG, PNG or WebP upload (cleaned of metadata)
    :type photo: file
    :param media_url: optional URL of a photo to fetch instead of ``photo``
    :type media_url: string
    :returns: the public melding, with ``service_notice``
    :rtype: dictionary
    """
    tk.check_access("melding_create", context, data_dict)
    # Empty form fields count as not given; an empty description gets its own message.
    data_dict = {k: v for k, v in (data_dict or {}).items() if v not in ("", None) or k == "description"}
    data = _validate(data_dict, schema.melding_create(), context)

    errors: dict[str, list[str]] = {}
    attributes, problems = _check_attributes(data["service_code"], data.get("attributes") or {})
    if problems:
        errors["attributes"] = problems
    point = None
    group = None
    try:
        point = location.resolve(data.get("lat"), data.get("lon"), data.get("address"))
        group = location.responsible_organization(data["service_code"], point)
    except location.LocationError as error:
        errors.setdefault(error.field, []).append(tk._(str(error)))
    photo = _clean_photo(data_dict, errors)
    if errors:
        raise tk.ValidationError(errors)
    assert point is not None and group is not None

    # Count only submissions that would be stored: typing errors do not use up the limit.
    key = context.get("open311_key")
    ip = context.get("reporter_ip") or _request_ip()
    window = settings.rate_limit_window()
    # Internal callers (the demo loader) pass ignore_auth; no web or API request can set it.
    # Sysadmins (imports, tests of the API document) are not a flood either.
    internal = bool(context.get("ignore_auth"))
    if internal or (context.get("user") and authz.is_sysadmin(context.get("user"))):
        limit = None
    elif key is not None:
        limit = ratelimit.Limit("meldingen", "rate", f"open311:{key.id}", settings.open311_rate_limit(), window,
                                "open311")
    else:
        limit = ratelimit.Limit("meldingen", "rate", f"ip:{ip or 'unknown'}", settings.rate_limit(), window, "ip")
    try:
        ratelimit.hit(connect_to_redis(), [limit] if limit else [])
    except ratelimit.RateLimited as error:
        raise RateLimited(
            tk._("Too many reports from your address in a short time. Please try again later."),
            error.retry_after,
        ) from None

    now = utcnow()
    melding = Melding(
        organization_id=group.id,
        service_code=data["service_code"],
        status=categories.workflow().initial,
        description=data["description"],
        lat=point.lat,
        lon=point.lon,
        address=point.address,
        attributes=attributes,
        hidden=False,
        source=(context.get("melding_source") if internal else None) or ("open311" if key is not None else "web"),
        api_key_id=key.id if key is not None else None,
        requested=now,
        updated=now,
    )
    stored: photos.StoredPhoto | None = None
    session = model.Session
    try:
        if photo is not None:
            stored = photos.store(photo)
            melding.photo, melding.photo_thumbnail = stored.location, stored.thumbnail_location
        session.add(melding)
        session.flush()
        if data.get("email") or ip:
            session.add(MeldingContact(melding_id=melding.id, email=data.get("email") or None, ip_address=ip))
        session.commit()
    except Exception:
        session.rollback()
        if stored is not None:
            photos.remove(stored.location, stored.thumbnail_location)
        raise
    opendata.sync_melding(melding)
    result = _public(melding, context)
    result["service_notice"] = tk._(
        "Thank you. %(organization)s will look at your report; follow it at %(url)s"
    ) % {"organization": result["organization"]["title"] or result["organization"]["name"], "url": result["url"]}
    return result


# --- reading ----------------------------------------------------------------------------------------


@tk.side_effect_free
def melding_show(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """One melding with its public history (status changes and responses).

    :param id: the melding's number (the Open311 ``service_request_id``)
    :type id: int
    :rtype: dictionary
    """
    data = _validate(data_dict, schema.melding_show(), context)
    melding = _get_melding(data["id"])
    tk.check_access("melding_show", context, {"id": melding.id})
    return _public(melding, context)


def _as_list(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, Iterable):
        return [str(v).strip() for v in value if str(v).strip()]
    return [str(value)]


def _moment(value: str, field: str, errors: dict[str, list[str]]) -> datetime.datetime | None:
    try:
        moment = datetime.datetime.fromisoformat(value.strip())
    except ValueError:
        errors[field] = [tk._("Give a date and time like 2026-05-01T00:00:00Z (W3C format).")]
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def _float(value: Any, field: str, errors: dict[str, list[str]]) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        errors[field] = [tk._("Must be a number")]
        return None


def filters_from(data: dict[str, Any], context: dict[str, Any]) -> queries.Filters:
    """Search parameters → Filters; ValidationError naming the parameter that is wrong."""
    errors: dict[str, list[str]] = {}
    workflow = categories.workflow()
    statuses: list[str] = []
    for status in _as_list(data.get("status")):
        if status in ("open", "closed"):
            statuses += workflow.with_open311(status)
        elif workflow.get(status):
            statuses.append(status)
        else:
            errors["status"] = [tk._("Unknown status %(status)s; use open, closed or one of %(codes)s") % {
                "status": status[:40], "codes": ", ".join(workflow.codes())}]
    codes = _as_list(data.get("service_code"))
    unknown = [c for c in codes if categories.category(c) is None]
    if unknown:
        errors["service_code"] = [tk._("Unknown category %(code)s; choose one of: %(codes)s") % {
            "code": unknown[0][:60], "codes": ", ".join(categories.category_codes())}]
    organization_ids: list[str] = []
    if data.get("organization"):
        # PostgreSQL refuses a NUL character in a query parameter: such a name is simply unknown
        group = model.Group.get(data["organization"]) if "\x00" not in data["organization"] else None
        if group is None or not group.is_organization:
            errors["organization"] = [tk._("Unknown organisation %(name)s") % {"name": data["organization"][:60]}]
        else:
            organization_ids = [group.id]
    ids: list[int] = []
    for value in _as_list(data.get("ids")):
        try:
            ids.append(int(value))
        except ValueError:
            errors["ids"] = [tk._("Report numbers are whole numbers, separated by commas.")]
    bbox = None
    if data.get("bbox"):
        try:
            min_lon, min_lat, max_lon, max_lat = (float(v) for v in data["bbox"].split(","))
            if not (min_lon < max_lon and min_lat < max_lat):
                raise ValueError
            bbox = (min_lon, min_lat, max_lon, max_lat)
        except ValueError:
            errors["bbox"] = [tk._("Give bbox as min_lon,min_lat,max_lon,max_lat in WGS84 degrees.")]
    near = None
    if data.get("lat") not in (None, "") or data.get("lon") not in (None, ""):
        lat = _float(data.get("lat"), "lat", errors)
        lon = _float(data.get("lon"), "lon", errors)
        radius = _float(data.get("radius") or 500, "radius", errors)
        if lat is not None and lon is not None and radius is not None:
            if not (-90 <= lat <= 90 and -180 <= lon <= 180 and 0 < radius <= MAX_RADIUS):
                errors["radius"] = [tk._("Give lat and lon in degrees and a radius of 1 to %(max)s metres.")
                                    % {"max": MAX_RADIUS}]
            else:
                near = (lat, lon, radius)
    start = _moment(data["start_date"], "start_date", errors) if data.get("start_date") else None
    end = _moment(data["end_date"], "end_date", errors) if data.get("end_date") else None
    if data.get("offset", 0) > MAX_OFFSET:
        errors["offset"] = [tk._("Must be a whole number from {lowest} to {highest}.").format(
            lowest=0, highest=MAX_OFFSET)]
    if errors:
        raise tk.ValidationError(errors)
    staff_orgs = staff_organization_ids(context.get("user")) if (
        data.get("include_hidden") or data.get("only_hidden")) else []
    sort = data.get("sort") or "requested desc"
    return queries.Filters(
        ids=ids,
        service_codes=codes,
        statuses=statuses,
        organization_ids=organization_ids,
        start=start,
        end=end,
        bbox=bbox,
        near=near,
        hidden_visible_for=staff_orgs,
        only_hidden=bool(data.get("only_hidden")),
        newest_first=not sort.endswith("asc"),
        order_by_updated=sort.startswith("updated"),
        limit=data.get("limit", 50),
        offset=data.get("offset", 0),
    )


@tk.side_effect_free
def melding_search(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Find meldingen. Hidden ones only for the staff of their municipality (``include_hidden``).

    :param service_code: categories, comma-separated or a list
    :param status: ``open``, ``closed`` or status codes, comma-separated or a list
    :param organization: the handling organisation (name)
    :param ids: melding numbers, comma-separated or a list
    :param bbox: ``min_lon,min_lat,max_lon,max_lat`` (WGS84)
    :param lat: with ``lon`` and ``radius`` (metres, default 500): around a point
    :param start_date: reported at or after (W3C datetime)
    :param end_date: reported at or before (W3C datetime)
    :param sort: ``requested desc`` (default), ``requested asc``, ``updated desc``
    :param limit: at most 1000 (default 50)
    :param offset: skip this many
    :param count: false to skip counting all matches (``count`` is then null)
    :param updates: false to leave out each melding's ``updates`` (its public history);
        ``status_notes``, the latest public response, stays
    :returns: ``count`` and ``results`` (public meldingen)
    :rtype: dictionary
    """
    tk.check_access("melding_search", context, data_dict)
    data = _validate(data_dict, schema.melding_search(), context)
    return _search(filters_from(data, context), data, context)


def _search(filters: queries.Filters, data: dict[str, Any], context: dict[str, Any]) -> dict[str, Any]:
    """The answer of ``melding_search`` and ``melding_queue``: the page, and the count if asked."""
    session = model.Session
    rows = queries.page(session, filters, with_notes=not data["updates"])
    if data["updates"]:
        results = _public_list(rows, context, updates=queries.public_updates(session, [r.id for r in rows]))
    else:
        results = [dict(item, status_notes=row.status_notes)
                   for item, row in zip(_public_list(rows, context), rows, strict=True)]
    return {"count": queries.count(session, filters) if data["count"] else None, "results": results}


@tk.side_effect_free
def melding_queue(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """The meldingen the user handles (editor/admin of their municipality), hidden ones included.

    Takes the parameters of ``melding_search``; ``organization`` must be one the user handles.
    """
    tk.check_access("melding_queue", context, data_dict)
    data = _validate(data_dict, schema.melding_search(), context)
    data["include_hidden"] = True
    filters = filters_from(data, context)
    own = staff_organization_ids(context.get("user"))
    filters.organization_ids = [o for o in (filters.organization_ids or own) if o in own]
    if not filters.organization_ids:
        raise tk.NotAuthorized(tk._("You do not handle reports of this organisation."))
    return _search(filters, data, context)


@tk.side_effect_free
def melding_nearby(context: dict[str, Any], data_dict: dict[str, Any]) -> list[dict[str, Any]]:
    """Open meldingen of the same category near a point: possible duplicates, nearest first.

    :param lat: latitude (WGS84)
    :param lon: longitude (WGS84)
    :param service_code: the category
    :param radius: metres (default ``ckanext.openoverheid.meldingen.duplicate_radius``, 50)
    :returns: public meldingen with ``distance_m``
    :rtype: list
    """
    tk.check_access("melding_nearby", context, data_dict)
    data = _validate(data_dict, schema.melding_nearby(), context)
    radius = min(int(data.get("radius") or settings.duplicate_radius()), 1000)
    filters = queries.Filters(
        service_codes=[data["service_code"]],
        statuses=categories.workflow().with_open311("open"),
        near=(data["lat"], data["lon"], float(radius)),
        limit=10,
    )
    found = queries.page(model.Session, filters)
    result = _public_list(found, context)
    for item, melding in zip(result, found, strict=True):
        item["distance_m"] = round(queries.distance_m(melding, data["lat"], data["lon"]))
    return sorted(result, key=lambda item: item["distance_m"])


@tk.side_effect_free
def melding_category_list(context: dict[str, Any], data_dict: dict[str, Any]) -> list[dict[str, Any]]:
    """The categories one can report, with their extra questions, in the page's language.

    :rtype: list
    """
    tk.check_access("melding_category_list", context, data_dict)
    lang = _lang()
    return [
        {
            "code": c.code,
            "name": categories.label(c.name, lang),
            "description": categories.label(c.description, lang),
            "group": categories.label(c.group, lang),
            "keywords": list(c.keywords),
            "attributes": [
                {
                    "code": a.code,
                    "datatype": a.datatype,
                    "required": a.required,
                    "question": categories.label(a.question, lang),
                    "explanation": categories.label(a.explanation, lang),
                    "order": a.order,
                    "values": [{"key": v.key, "name": categories.label(v.name, lang)} for v in a.values],
                }
                for a in c.attributes
            ],
        }
        for c in categories.categories()
    ]


# --- handling (civil servants) -------------------------------------------------------------------


def melding_update_create(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Change the status and/or write a public response; the reporter is e-mailed.

    :param id: the melding's number
    :type id: int
    :param status: the new status (see schemas/meldingen_statussen.yaml for the allowed changes)
    :type status: string
    :param text: a public response, plain text
    :type text: string
    :returns: the melding with its history
    :rtype: dictionary
    """
    data = _validate(data_dict, schema.melding_update_create(), context)
    melding = _get_melding(data["id"])
    tk.check_access("melding_update_create", context, {"id": melding.id})
    new_status = data.get("status")
    if new_status == melding.status:
        new_status = None
    text = data.get("text") or None
    if not new_status and not text:
        raise tk.ValidationError({"text": [tk._("Choose a new status or write a response (or both).")]})
    workflow = categories.workflow()
    if new_status and not workflow.allowed(melding.status, new_status):
        current = workflow.get(melding.status)
        allowed = ", ".join(current.to) if current else ""
        raise tk.ValidationError({"status": [
            tk._("A report with status %(current)s cannot become %(new)s; allowed: %(allowed)s")
            % {"current": melding.status, "new": new_status, "allowed": allowed or "-"}]})
    user = model.User.get(context.get("user")) if context.get("user") else None
    update = MeldingUpdate(
        melding_id=melding.id,
        kind="update",
        status_from=melding.status,
        status_to=new_status,
        text=text,
        user_id=user.id if user else None,
        created=utcnow(),
    )
    model.Session.add(update)
    if new_status:
        melding.status = new_status
    melding.updated = update.created
    model.Session.commit()
    model.Session.refresh(melding)
    opendata.sync_melding(melding)
    result = _public(melding, context)
    contact = model.Session.get(MeldingContact, melding.id)
    mail.notify_reporter(contact.email if contact else None, result, records.public_update(update, _lang()))
    return result


def melding_hide(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Hide a melding (abuse, personal data in the text or photo) or show it again.

    Hidden meldingen disappear from every public page, feed, Open311 answer and the open data;
    the staff of the municipality still see them.

    :param id: the melding's number
    :param hidden: true to hide (default), false to show again
    :param reason: why, for colleagues (not public)
    """
    data = _validate(data_dict, schema.melding_hide(), context)
    melding = _get_melding(data["id"])
    tk.check_access("melding_hide", context, {"id": melding.id})
    hidden = bool(data.get("hidden", True))
    if hidden != bool(melding.hidden):
        user = model.User.get(context.get("user")) if context.get("user") else None
        model.Session.add(MeldingUpdate(
            melding_id=melding.id, kind="hidden" if hidden else "shown", text=data.get("reason") or None,
            user_id=user.id if user else None, created=utcnow(),
        ))
        melding.hidden = hidden
        melding.hidden_reason = (data.get("reason") or None) if hidden else None
        model.Session.commit()
        opendata.sync_melding(melding)
    return _public(melding, context)


def get_actions() -> dict[str, Callable[..., Any]]:
    return {
        "melding_create": melding_create,
        "melding_show": melding_show,
        "melding_search": melding_search,
        "melding_queue": melding_queue,
        "melding_nearby": melding_nearby,
        "melding_category_list": melding_category_list,
        "melding_update_create": melding_update_create,
        "melding_hide": melding_hide,
    }
