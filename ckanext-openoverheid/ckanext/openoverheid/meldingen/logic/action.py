"""The meldingen actions: the API that the pages, Open311, the feeds and the open data all call.

Each action validates with a schema from ``schema.py``, checks auth, does one thing and returns
plain dicts built by ``records.public_melding`` (which never reads the reporter's contact data).
Their steps live in plain modules: ``submission`` (a new melding checked and stored),
``search_params`` (search parameters → filters), ``queries`` (SQL) and ``public`` (the output).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from typing import Any

import ckan.authz as authz
import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib.redis import connect_to_redis

from ckanext.openoverheid import ratelimit
from ckanext.openoverheid.meldingen import (
    categories,
    dashboard,
    followup,
    location,
    mail,
    opendata,
    period,
    queries,
    records,
    settings,
    submission,
)
from ckanext.openoverheid.meldingen.logic import schema
from ckanext.openoverheid.meldingen.logic.auth import organization_named, staff_organization_ids
from ckanext.openoverheid.meldingen.model import Melding, MeldingContact, MeldingUpdate, Open311Key, utcnow
from ckanext.openoverheid.meldingen.public import lang, public_list, public_one
from ckanext.openoverheid.meldingen.search_params import filters_from

log = logging.getLogger(__name__)


class RateLimited(tk.ValidationError):
    """Too many meldingen from one client; ``retry_after`` is in seconds. Views answer HTTP 429."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__({"rate_limit": [message]})
        self.retry_after = retry_after


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


# --- reporting ------------------------------------------------------------------------------------


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
    :param email: optional; the reporter gets a confirmation with a personal link to add to the report,
        a mail on every update and the question "is it solved?". Never published.
    :type email: string
    :param name: optional name of the reporter, for the municipality only (with ``email``). Never published.
    :type name: string
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
    data, errors = tk.navl_validate(dict(data_dict), schema.melding_create(), context)
    if errors:
        # The location is checked after the schema; name it now too, so one answer lists all that is missing.
        if not location.given(data_dict.get("lat"), data_dict.get("lon"), data_dict.get("address")):
            errors["location"] = [tk._(location.NO_LOCATION)]
        raise tk.ValidationError(errors)
    checked = submission.check(data, data_dict, lang())

    # Count only submissions that would be stored: typing errors do not use up the limit.
    key = context.get("open311_key")
    ip = context.get("reporter_ip") or _request_ip()
    _refuse_if_rate_limited(context, key, ip)

    melding = submission.new_melding(
        data, checked, source=_source(context, key), api_key_id=key.id if key is not None else None
    )
    submission.store(melding, checked.photo, email=data.get("email"), ip=ip, name=data.get("name"),
                     language=lang())
    opendata.sync_melding(melding)
    followup.confirm(melding)
    result = public_one(melding, context.get("user"))
    result["service_notice"] = tk._(
        "Thank you. %(organization)s will look at your report; follow it at %(url)s"
    ) % {"organization": result["organization"]["title"] or result["organization"]["name"], "url": result["url"]}
    return result


def _is_internal(context: dict[str, Any]) -> bool:
    """Internal callers (the demo loader) pass ignore_auth; no web or API request can set it."""
    return bool(context.get("ignore_auth"))


def _refuse_if_rate_limited(context: dict[str, Any], key: Open311Key | None, ip: str | None) -> None:
    """``RateLimited`` when the Open311 key, or else the IP address, sent too many meldingen in the
    window. Internal callers and sysadmins (imports, tests of the API document) are not a flood."""
    user = context.get("user")
    if _is_internal(context) or (user and authz.is_sysadmin(user)):
        return
    window = settings.rate_limit_window()
    if key is not None:
        limit = ratelimit.Limit("meldingen", "rate", f"open311:{key.id}", settings.open311_rate_limit(), window,
                                "open311")
    else:
        limit = ratelimit.Limit("meldingen", "rate", f"ip:{ip or 'unknown'}", settings.rate_limit(), window, "ip")
    try:
        ratelimit.hit(connect_to_redis(), [limit])
    except ratelimit.RateLimited as error:
        raise RateLimited(
            tk._("Too many reports from your address in a short time. Please try again later."),
            error.retry_after,
        ) from None


def _source(context: dict[str, Any], key: Open311Key | None) -> str:
    """Where the melding came from: ``open311``, ``web`` or what an internal caller says (``demo``)."""
    internal_source = context.get("melding_source") if _is_internal(context) else None
    return internal_source or ("open311" if key is not None else "web")


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
    return public_one(melding, context.get("user"))

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
    :param sort: ``requested desc`` (default), ``requested asc``, ``updated desc``, ``updated asc``,
        ``due asc`` (earliest due date first, meldingen without a response target last) or ``due desc``
    :param limit: at most 1000 (default 50)
    :param offset: skip this many
    :param count: false to skip counting all matches (``count`` is then null)
    :param updates: false to leave out each melding's ``updates`` (its public history);
        ``status_notes``, the latest public response, stays
    :returns: ``count`` and ``results`` (public meldingen; each with ``expected_datetime``, the end of
        its category's response target or null, and ``overdue``, true when it is still open after that)
    :rtype: dictionary
    """
    tk.check_access("melding_search", context, data_dict)
    data = _validate(data_dict, schema.melding_search(), context)
    return _search(filters_from(data, context.get("user")), data, context)


def _search(filters: queries.Filters, data: dict[str, Any], context: dict[str, Any]) -> dict[str, Any]:
    """The answer of ``melding_search`` and ``melding_queue``: the page, and the count if asked."""
    session = model.Session
    rows = queries.page(session, filters, with_notes=not data["updates"])
    if data["updates"]:
        results = public_list(rows, context.get("user"), updates=queries.public_updates(session, [r.id for r in rows]))
    else:
        results = [dict(item, status_notes=row.status_notes)
                   for item, row in zip(public_list(rows, context.get("user")), rows, strict=True)]
    return {"count": queries.count(session, filters) if data["count"] else None, "results": results}


@tk.side_effect_free
def melding_queue(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """The meldingen the user handles (editor/admin of their municipality), hidden ones included.

    Takes the parameters of ``melding_search``; ``organization`` must be one the user handles.
    ``sort=due asc`` lists the earliest due first; ``overdue`` marks the open ones past their due date.
    """
    tk.check_access("melding_queue", context, data_dict)
    data = _validate(data_dict, schema.melding_search(), context)
    data["include_hidden"] = True
    filters = filters_from(data, context.get("user"))
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
    result = public_list(found, context.get("user"))
    for item, melding in zip(result, found, strict=True):
        item["distance_m"] = round(queries.distance_m(melding, data["lat"], data["lon"]))
    return sorted(result, key=lambda item: item["distance_m"])


@tk.side_effect_free
def melding_category_list(context: dict[str, Any], data_dict: dict[str, Any]) -> list[dict[str, Any]]:
    """The categories one can report, with their extra questions, in the page's language.

    :rtype: list
    """
    tk.check_access("melding_category_list", context, data_dict)
    language = lang()
    return [
        {
            "code": c.code,
            "name": categories.label(c.name, language),
            "description": categories.label(c.description, language),
            "group": categories.label(c.group, language),
            "keywords": list(c.keywords),
            "attributes": [
                {
                    "code": a.code,
                    "datatype": a.datatype,
                    "required": a.required,
                    "question": categories.label(a.question, language),
                    "explanation": categories.label(a.explanation, language),
                    "order": a.order,
                    "values": [{"key": v.key, "name": categories.label(v.name, language)} for v in a.values],
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
    :param text: a public response, plain text; required with a status that needs an explanation
        (``afgewezen``)
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
    target = workflow.get(new_status) if new_status else None
    if target is not None and target.explanation_required and not text:
        # The resident is owed a reason, in the web form and through the API alike.
        raise tk.ValidationError({"text": [
            tk._('A report can only become "%(status)s" with a public response that explains why to the resident.')
            % {"status": categories.label(target.name, lang())}]})
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
        melding.closed = None if workflow.is_open(new_status) else update.created
    melding.updated = update.created
    model.Session.commit()
    model.Session.refresh(melding)
    opendata.sync_melding(melding)
    result = public_one(melding, context.get("user"))
    contact = model.Session.get(MeldingContact, melding.id)
    if contact is not None and contact.email and contact.erased is None:
        language = contact.language or lang()
        mail.notify_reporter(contact.email, followup.reporter_view(melding, language),
                             records.public_update(update, language, settings.site_url()), language)
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
    return public_one(melding, context.get("user"))


# --- the dashboard (civil servants) --------------------------------------------------------------


@tk.side_effect_free
def melding_statistics(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """The figures of one municipality's meldingen reported in a period (its dashboard).

    Counts per category and status; per category and overall the number closed, the median and
    90th percentile of the days to solve, the share closed within the target (of the closed ones
    that had one) and the "is it solved?" answers; the reports counted in cells of about 250 m.
    Hidden meldingen count. Nothing personal: no descriptions, contact data or user names.

    :param organization: the municipality (name or id); default the first one the user handles
    :type organization: string
    :param start_date: the first day (YYYY-MM-DD, Europe/Amsterdam); default 30 days before the end
    :type start_date: string
    :param end_date: the last day, included; default today; at most 366 days after the start
    :type end_date: string
    :param reports: true to add ``reports``, every melding of the period (for the CSV export)
    :type reports: bool
    :rtype: dictionary
    """
    tk.check_access("melding_statistics", context, data_dict)
    data = _validate(data_dict, schema.melding_statistics(), context)
    group = _dashboard_organization(data.get("organization"), context.get("user"))
    try:
        chosen = period.parse_period(data.get("start_date"), data.get("end_date"), _today())
    except period.PeriodError as error:
        raise tk.ValidationError({field: [tk._(message) % {"days": period.MAX_DAYS}]
                                  for field, message in error.errors.items()}) from None
    result = dashboard.answer(model.Session, {"id": group.id, "name": group.name, "title": group.title}, chosen,
                              lang(), with_reports=data["reports"], latitude=settings.map_center()[0])
    result["overall"]["category"] = tk._("All categories")
    return result


def _today() -> datetime.date:
    return datetime.datetime.now(period.AMSTERDAM).date()


def _dashboard_organization(name: str | None, user: str | None) -> model.Group:
    """The named organisation, or the first (by name) the user handles; auth has checked the user."""
    if not name:
        own = [g for g in map(model.Group.get, staff_organization_ids(user)) if g is not None]
        if not own:
            raise tk.NotAuthorized(tk._("You do not handle reports of this organisation."))
        return min(own, key=lambda g: g.name)
    group = organization_named(name)
    if group is None:
        raise tk.ValidationError({"organization": [tk._("Unknown organisation %(name)s") % {"name": name[:60]}]})
    return group
def melding_photo_hide(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Hide the photo of a melding, or of one of its updates, that shows people or number plates.

    The photo disappears from every public page, API answer, Open311 answer, feed and the open data;
    the staff of the municipality still see it, marked as hidden. The melding itself stays public.

    :param id: the melding's number
    :type id: int
    :param update_id: the update whose photo to hide; without it, the melding's own photo
    :type update_id: int
    :param reason: why, for colleagues (not public)
    :type reason: string
    :returns: the melding with its history
    :rtype: dictionary
    """
    data = _validate(data_dict, schema.melding_photo_hide(), context)
    melding = _get_melding(data["id"])
    tk.check_access("melding_photo_hide", context, {"id": melding.id})
    target: Melding | MeldingUpdate = melding
    if data.get("update_id") is not None:
        update = model.Session.get(MeldingUpdate, data["update_id"])
        if update is None or update.melding_id != melding.id:
            raise tk.ObjectNotFound(tk._("Report %(id)s has no update %(update)s.")
                                    % {"id": melding.id, "update": data["update_id"]})
        target = update
    if not target.photo:
        raise tk.ValidationError({"update_id" if target is not melding else "id": [tk._("There is no photo to hide.")]})
    if not target.photo_hidden:
        user = model.User.get(context.get("user")) if context.get("user") else None
        target.photo_hidden = True
        model.Session.add(MeldingUpdate(
            melding_id=melding.id, kind="photo_hidden", text=data["reason"],
            user_id=user.id if user else None, created=utcnow(),
        ))
        model.Session.commit()
        opendata.sync_melding(melding)
    return public_one(melding, context.get("user"))


def get_actions() -> dict[str, Callable[..., Any]]:
    from ckanext.openoverheid.meldingen.logic import followup as followup_actions

    return {
        **followup_actions.get_actions(),
        "melding_create": melding_create,
        "melding_show": melding_show,
        "melding_search": melding_search,
        "melding_queue": melding_queue,
        "melding_nearby": melding_nearby,
        "melding_category_list": melding_category_list,
        "melding_update_create": melding_update_create,
        "melding_hide": melding_hide,
        "melding_statistics": melding_statistics,
        "melding_photo_hide": melding_photo_hide,
    }
