"""The verzoeken actions: the API that the pages, the feeds and the open data all call.

Each action validates with a schema from ``schema.py``, checks auth, does one thing and returns plain
dicts built by ``records`` (which never reads the supporters' addresses). Asking and supporting need no
account: an address, confirmed by the link mailed to it (``verzoek_confirm``).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

import ckan.authz as authz
import ckan.model as model
import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan.lib.redis import connect_to_redis
from sqlalchemy.dialects.postgresql import insert

from ckanext.openoverheid import ratelimit
from ckanext.openoverheid.openheid import policy
from ckanext.openoverheid.staff import organization_named, staff_organization_ids
from ckanext.openoverheid.verzoeken import mail, opendata, queries, records, settings, similar, tokens
from ckanext.openoverheid.verzoeken.logic import schema
from ckanext.openoverheid.verzoeken.logic.auth import may_handle
from ckanext.openoverheid.verzoeken.model import Role, Soort, Status, Verzoek, VerzoekSteun, VerzoekUpdate, utcnow

log = logging.getLogger(__name__)


class RateLimited(tk.ValidationError):
    """Too many requests or supports from one client or for one address; views answer HTTP 429."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__({"rate_limit": [message]})
        self.retry_after = retry_after


def lang() -> str:
    """The language of the request; outside a request, the site's default."""
    try:
        return tk.h.lang() or "nl"
    except (RuntimeError, AttributeError, TypeError):
        return tk.config.get("ckan.locale_default") or "nl"


def _validate(data_dict: dict[str, Any], schema_: dict[str, Any], context: dict[str, Any]) -> dict[str, Any]:
    data, errors = tk.navl_validate(dict(data_dict or {}), schema_, context)
    if errors:
        raise tk.ValidationError(errors)
    return data


def _given(data_dict: dict[str, Any]) -> dict[str, Any]:
    """Empty form fields count as not given."""
    return {k: v for k, v in (data_dict or {}).items() if v not in ("", None)}


def _get(verzoek_id: Any) -> Verzoek:
    try:
        verzoek = model.Session.get(Verzoek, int(verzoek_id))
    except (TypeError, ValueError):
        verzoek = None
    if verzoek is None:
        raise tk.ObjectNotFound(tk._("Request %(id)s does not exist.") % {"id": str(verzoek_id)[:40]})
    return verzoek


def _public_or_not_found(verzoek: Verzoek, context: dict[str, Any]) -> None:
    """A request that is not public (unconfirmed or hidden) does not exist for those who may not handle it."""
    if (verzoek.confirmed is None or verzoek.hidden) and not may_handle(context.get("user"), verzoek):
        raise tk.ObjectNotFound(tk._("Request %(id)s does not exist.") % {"id": verzoek.id})


def _request_ip() -> str | None:
    try:
        return tk.request.remote_addr
    except RuntimeError:  # outside a request (CLI, jobs)
        return None


def _refuse_if_rate_limited(context: dict[str, Any], email: str, ip: str | None) -> None:
    """``RateLimited`` when this client, or this address, sent too many in the window. Internal callers
    (the demo loader) and sysadmins are not a flood."""
    user = context.get("user")
    if context.get("ignore_auth") or (user and authz.is_sysadmin(user)):
        return
    window = settings.rate_limit_window()
    limits = [
        ratelimit.Limit("verzoeken", "rate", f"ip:{ip or 'unknown'}", settings.rate_limit(), window, "client"),
        ratelimit.Limit("verzoeken", "rate", f"email:{email}", settings.address_rate_limit(), window, "address"),
    ]
    try:
        ratelimit.hit(connect_to_redis(), limits)
    except ratelimit.RateLimited as error:
        raise RateLimited(tk._("Too many requests in a short time. Please try again later."),
                          error.retry_after) from None


def public_dicts(verzoeken: list[Verzoek], user: str | None, *, with_updates: bool = False) -> list[dict[str, Any]]:
    """``records.public_verzoek`` of each, as ``user`` may see them (staff fields for their own)."""
    session = model.Session
    site_url = settings.site_url()
    updates = [u for v in verzoeken for u in v.updates] if with_updates else []
    groups = queries.groups_by_id(session, [v.organization_id for v in verzoeken])
    packages = queries.packages_by_id(session, [v.dataset_id for v in verzoeken] + [u.dataset_id for u in updates])
    users = {u.id: u.name for u in session.query(model.User).filter(
        model.User.id.in_(sorted({u.user_id for u in updates if u.user_id})))} if updates else {}
    staff_of: dict[str | None, bool] = {}  # asked once per organisation, not once per request
    result = []
    for verzoek in verzoeken:
        if verzoek.organization_id not in staff_of:
            staff_of[verzoek.organization_id] = may_handle(user, verzoek)
        staff = staff_of[verzoek.organization_id]
        history = None
        if with_updates:
            history = [
                records.staff_update(u, packages, site_url, tk._, users) if staff
                else records.public_update(u, packages, site_url, tk._)
                for u in verzoek.updates if staff or u.kind in records.PUBLIC_KINDS
            ]
        package = packages.get(verzoek.dataset_id or "")
        if package is not None and (package.state != "active" or package.private):
            package = None  # a deleted or private dataset is no answer the public can follow
        result.append(records.public_verzoek(
            verzoek, organization=groups.get(verzoek.organization_id or ""), dataset=package, updates=history,
            site_url=site_url, _=tk._, staff=staff))
    return result


# --- asking and supporting ------------------------------------------------------------------------


def _organization(name: str | None, field: str = "organisatie") -> model.Group | None:
    if not name:
        return None
    group = organization_named(name)
    if group is None:
        raise tk.ValidationError({field: [tk._("Unknown organisation %(name)s") % {"name": name[:60]}]})
    return group


def _confirm_url(steun: VerzoekSteun) -> str:
    default = tk.config.get("ckan.locale_default") or "nl"
    prefix = f"/{steun.language}" if steun.language != default else ""
    return f"{settings.site_url()}{prefix}/verzoeken/bevestigen/{tokens.make(steun.id)}"


def _mail_confirmation(steun: VerzoekSteun, verzoek: Verzoek) -> None:
    mail.send_confirmation(steun.email, steun.language, {"id": verzoek.id, "titel": verzoek.titel},
                           _confirm_url(steun), supporting=steun.role == Role.STEUN,
                           days=settings.confirm_lifetime().days)


def verzoek_create(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Ask for data or propose an idea. No account needed: the request is published once its requester
    opens the link mailed to ``email`` (``verzoek_confirm``), and counts as its first supporter.

    :param soort: ``data`` (a dataset that would be handy) or ``idee`` (an idea for the neighbourhood)
    :type soort: string
    :param titel: a short title, 5–200 characters, plain text
    :type titel: string
    :param toelichting: what, and why it would help; plain text, at most 4000 characters
    :type toelichting: string
    :param email: where the confirmation link and the answers go; never published
    :type email: string
    :param organisatie: optional, the organisation asked (name or id); without it the portal's
        administrators route the request
    :type organisatie: string
    :param lat: optional latitude (WGS84) of the place an idea is about, with ``lon``
    :type lat: float
    :param lon: optional longitude (WGS84)
    :type lon: float
    :returns: the request (not yet public) and a ``notice`` that says to check the mail
    :rtype: dictionary
    """
    tk.check_access("verzoek_create", context, data_dict)
    data_dict = _given(data_dict)
    data, errors = tk.navl_validate(dict(data_dict), schema.verzoek_create(), context)
    if ("lat" in data_dict) != ("lon" in data_dict):
        errors.setdefault("lat" if "lat" not in data_dict else "lon", []).append(
            tk._("Give both latitude and longitude, or neither."))
    group = None
    if not errors.get("organisatie"):
        try:
            group = _organization(data.get("organisatie"))
        except tk.ValidationError as error:
            errors.update(error.error_dict)
    if errors:
        raise tk.ValidationError(errors)
    email = data["email"].strip().lower()
    ip = context.get("requester_ip") or _request_ip()
    _refuse_if_rate_limited(context, email, ip)

    now, language = utcnow(), lang()
    verzoek = Verzoek(soort=data["soort"], titel=data["titel"], toelichting=data["toelichting"],
                      organization_id=group.id if group else None, lat=data.get("lat"), lon=data.get("lon"),
                      status=Status.ONTVANGEN, hidden=False, language=language, created=now, updated=now,
                      support_count=0)
    session = model.Session
    session.add(verzoek)
    session.flush()
    steun = VerzoekSteun(verzoek_id=verzoek.id, email=email, role=Role.INDIENER, language=language,
                         ip_address=ip, created=now)
    session.add(steun)
    session.commit()
    _mail_confirmation(steun, verzoek)
    result = public_dicts([verzoek], context.get("user"))[0]
    result["confirmed"] = False
    result["notice"] = tk._("Almost done: we have e-mailed you a link. Your request is published once you open it.")
    return result


def verzoek_steun(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Support a public request. Counted once per address, when the link mailed to it is opened.

    The answer is the same whether or not the address supported the request before, so it reveals
    nothing about anyone's address.

    :param id: the request's number
    :type id: int
    :param email: the supporter's address; never published
    :type email: string
    :returns: ``notice`` and the request's current ``support_count``
    :rtype: dictionary
    """
    tk.check_access("verzoek_steun", context, data_dict)
    data = _validate(_given(data_dict), schema.verzoek_steun(), context)
    verzoek = _get(data["id"])
    if verzoek.confirmed is None or verzoek.hidden:
        raise tk.ObjectNotFound(tk._("Request %(id)s does not exist.") % {"id": verzoek.id})
    if verzoek.status not in records.OPEN_STATUSES:
        raise tk.ValidationError({"id": [tk._("This request has been answered; it can no longer be supported.")]})
    email = data["email"].strip().lower()
    ip = context.get("requester_ip") or _request_ip()
    _refuse_if_rate_limited(context, email, ip)
    session = model.Session
    session.execute(insert(VerzoekSteun.__table__).values(
        verzoek_id=verzoek.id, email=email, role=Role.STEUN, language=lang(), ip_address=ip, created=utcnow(),
    ).on_conflict_do_nothing(constraint="uq_openoverheid_verzoek_steun_email"))
    session.commit()
    steun = session.query(VerzoekSteun).filter_by(verzoek_id=verzoek.id, email=email).one()
    if steun.confirmed is None:
        _mail_confirmation(steun, verzoek)
    return {"id": verzoek.id, "support_count": verzoek.support_count,
            "notice": tk._("Almost done: we have e-mailed you a link. Your support counts once you open it.")}


def verzoek_confirm(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Confirm an address with the token from the mailed link: publishes the request (its requester's
    link) or counts the support. Opening a link twice changes nothing.

    :param token: the last part of the link
    :type token: string
    :returns: ``outcome`` (``confirmed`` or ``already_confirmed``), ``role`` (``indiener`` or
        ``steun``) and the request
    :rtype: dictionary
    """
    tk.check_access("verzoek_confirm", context, data_dict)
    data = _validate(data_dict, schema.verzoek_confirm(), context)
    try:
        steun_id = tokens.read(data["token"], settings.confirm_lifetime())
    except tokens.TokenExpired:
        raise tk.ValidationError({"token": [tk._(
            "This link has expired. Send your request or support again to get a new one.")]}) from None
    except tokens.TokenInvalid:
        raise tk.ValidationError({"token": [tk._(
            "This link is not valid. Copy the whole link from the e-mail into your browser.")]}) from None
    session = model.Session
    steun = session.query(VerzoekSteun).filter_by(id=steun_id).with_for_update().one_or_none()
    if steun is None:
        raise tk.ObjectNotFound(tk._("This link belongs to a request that no longer exists."))
    verzoek = session.query(Verzoek).filter_by(id=steun.verzoek_id).with_for_update().one()
    outcome = "already_confirmed"
    if steun.confirmed is None:
        now = utcnow()
        steun.confirmed = now
        if steun.role == Role.INDIENER and verzoek.confirmed is None:
            verzoek.confirmed = now
            verzoek.updated = now
        session.flush()
        queries.recount_support(session, verzoek.id)
        outcome = "confirmed"
        _after_confirm(steun, verzoek)
    session.commit()
    session.refresh(verzoek)
    if outcome == "confirmed":
        opendata.sync_verzoek(verzoek)
    return {"outcome": outcome, "role": steun.role, "verzoek": public_dicts([verzoek], context.get("user"))[0]}


def _after_confirm(steun: VerzoekSteun, verzoek: Verzoek) -> None:
    """The address now follows the request: its answers are mailed through the alert system."""
    from ckanext.openoverheid.verzoeken import followers

    followers.follow(steun.email, verzoek.id, steun.language)


# --- reading ----------------------------------------------------------------------------------------


@tk.side_effect_free
def verzoek_show(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """One public request with its public history (status changes and responses).

    :param id: the request's number
    :type id: int
    :rtype: dictionary
    """
    data = _validate(data_dict, schema.verzoek_show(), context)
    verzoek = _get(data["id"])
    _public_or_not_found(verzoek, context)
    tk.check_access("verzoek_show", context, {"id": verzoek.id})
    return public_dicts([verzoek], context.get("user"), with_updates=True)[0]


def _list_of(value: Any) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list | tuple) else str(value).split(",")
    return [str(item).strip() for item in items if str(item).strip()]


def _bbox(text: str | None) -> tuple[float, float, float, float] | None:
    if not text:
        return None
    try:
        min_lon, min_lat, max_lon, max_lat = (float(part) for part in text.split(","))
    except ValueError:
        raise tk.ValidationError({"bbox": [tk._("Give bbox as min_lon,min_lat,max_lon,max_lat in WGS84 degrees.")]}
                                 ) from None
    return min_lon, min_lat, max_lon, max_lat


@tk.side_effect_free
def verzoek_list(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Public requests, filtered and sorted (without their history; ``verzoek_show`` has it).

    :param soort: ``data`` and/or ``idee`` (comma-separated or a list)
    :param status: ``ontvangen``, ``in_behandeling``, ``gepubliceerd``, ``afgewezen`` or ``open``
        (the first two), comma-separated or a list
    :param organisatie: the organisation asked (name or id)
    :param dataset: requests answered by this dataset (name or id)
    :param q: words in the title or explanation
    :param bbox: ``min_lon,min_lat,max_lon,max_lat``: ideas placed on the map in this area
    :param sort: ``steun`` (most supported first, default), ``nieuw``, ``oud``, ``status`` or ``bijgewerkt``
    :param include_hidden: staff only: add the hidden requests of the organisations they handle
    :param behandelen: only the requests of the organisations the user handles (every request for a
        sysadmin; nothing for anyone else)
    :param limit: at most 1000 (default 50)
    :param offset: skip this many
    :returns: ``count`` and ``results``
    :rtype: dictionary
    """
    tk.check_access("verzoek_list", context, data_dict)
    data = _validate(data_dict, schema.verzoek_list(), context)
    errors: dict[str, list[str]] = {}
    soorten = _list_of(data.get("soort"))
    if any(s not in tuple(Soort) for s in soorten):
        errors["soort"] = [tk._("Choose from %(choices)s.") % {"choices": ", ".join(Soort)}]
    statuses = []
    for status in _list_of(data.get("status")):
        statuses += [s.value for s in records.OPEN_STATUSES] if status == "open" else [status]
    if any(s not in tuple(Status) for s in statuses):
        errors["status"] = [tk._("Choose from %(choices)s.") % {"choices": ", ".join([*Status, "open"])}]
    if data["sort"] not in queries.SORTS:
        errors["sort"] = [tk._("Choose from %(choices)s.") % {"choices": ", ".join(queries.SORTS)}]
    if errors:
        raise tk.ValidationError(errors)
    user = context.get("user")
    group = _organization(data.get("organisatie"))
    dataset_id = None
    if data.get("dataset"):
        package = model.Package.get(data["dataset"])
        dataset_id = package.id if package is not None else "-"
    hidden_for: list[str] | None = []
    if data["include_hidden"] and user:
        hidden_for = None if authz.is_sysadmin(user) else staff_organization_ids(user)
    organization_ids = [group.id] if group else None
    if data["behandelen"] and not (user and authz.is_sysadmin(user)):
        handled = staff_organization_ids(user)
        organization_ids = [i for i in (organization_ids or handled) if i in handled]
    filters = queries.Filters(
        soorten=soorten, statuses=statuses, organization_ids=organization_ids, dataset_id=dataset_id,
        text=(data.get("q") or "").strip() or None, bbox=_bbox(data.get("bbox")), hidden_visible_for=hidden_for,
        sort=data["sort"], limit=data["limit"], offset=data["offset"])
    rows = queries.page(model.Session, filters)
    return {"count": queries.count(model.Session, filters), "results": public_dicts(rows, user)}


@tk.side_effect_free
def verzoek_similar(context: dict[str, Any], data_dict: dict[str, Any]) -> list[dict[str, Any]]:
    """Public requests whose title looks like ``titel``: possible duplicates, offered while typing.

    :param titel: the title typed so far
    :param organisatie: only requests to this organisation (name or id)
    :param soort: only this kind
    :returns: at most 5 public requests, most alike first, each with ``similarity`` (0–1)
    :rtype: list
    """
    tk.check_access("verzoek_similar", context, data_dict)
    data = _validate(data_dict, schema.verzoek_similar(), context)
    title = " ".join(str(data.get("titel") or "").split())[:200]
    if len(similar.words(title)) == 0:
        return []
    stmt = sa.select(Verzoek.id, Verzoek.titel).where(Verzoek.confirmed.is_not(None), Verzoek.hidden.is_(False))
    group = _organization(data.get("organisatie"))
    if group is not None:
        stmt = stmt.where(Verzoek.organization_id == group.id)
    if data.get("soort") in tuple(Soort):
        stmt = stmt.where(Verzoek.soort == data["soort"])
    candidates = [similar.Candidate(row.id, row.titel)
                  for row in model.Session.execute(stmt.order_by(Verzoek.id.desc()).limit(2000))]
    alike = similar.most_alike(title, candidates)
    by_id = {v.id: v for v in model.Session.query(Verzoek).filter(Verzoek.id.in_([c.id for c, _ in alike]))}
    results = public_dicts([by_id[c.id] for c, _ in alike], context.get("user"))
    for item, (_candidate, score) in zip(results, alike, strict=True):
        item["similarity"] = round(score, 2)
    return results


# --- answering (civil servants) ---------------------------------------------------------------------


def _answering_dataset(name: str | None) -> model.Package:
    package = model.Package.get(name) if name else None
    if package is None or package.state != "active":
        raise tk.ValidationError({"dataset": [tk._(
            "Name the dataset or publication that answers the request (its name or id).")]})
    if package.private:
        raise tk.ValidationError({"dataset": [tk._(
            "This dataset is private; publish it first, or name a public dataset.")]})
    return package


def _closure(data: dict[str, Any], verzoek: Verzoek, text: str | None) -> policy.ClosureCheck | None:
    """The Woo closure of a data request refused because the data is not public, checked as a closed
    dataset's is (grounds, motivation = the public response, review date); None when not closed."""
    grounds = data.get("woo_grounds")
    closed = data["gesloten"] or bool(policy.clean_grounds(grounds))
    if not closed:
        return None
    if verzoek.soort != Soort.DATA:
        raise tk.ValidationError({"gesloten": [
            tk._("Only a data request can be refused because the data is not public.")]})
    check = policy.check_closure(policy.NIET_PUBLIEK, grounds, text, data.get("review_date"),
                                 dt.date.today(), translate=tk._)
    if not check.ok:
        errors = dict(check.errors)
        if "woo_motivation" in errors:
            errors["antwoord"] = errors.pop("woo_motivation")
        raise tk.ValidationError(errors)
    return check


def verzoek_update(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Answer a request in public: a new status and/or a public response; the requester and supporters
    are told by e-mail. Or move it to the organisation that should answer it.

    :param id: the request's number
    :type id: int
    :param status: ``ontvangen``, ``in_behandeling``, ``gepubliceerd`` or ``afgewezen``
    :type status: string
    :param antwoord: the public response, plain text; required with ``afgewezen``
    :type antwoord: string
    :param dataset: with ``gepubliceerd``: the public dataset or publication that answers it (name or id);
        the dataset's page then links the request
    :type dataset: string
    :param gesloten: with ``afgewezen`` of a data request: the data exists but is not public. Then
        ``woo_grounds`` (codes of Woo art. 5.1/5.2) and ``review_date`` are required, as for a closed
        dataset, ``antwoord`` is the motivation, and the request is listed in the openheidsregister
    :type gesloten: bool
    :param woo_grounds: the grounds (a list, or one code)
    :type woo_grounds: list
    :param review_date: when the closure is reviewed (YYYY-MM-DD, at most five years ahead)
    :type review_date: string
    :param organisatie: move the request to this organisation (name or id)
    :type organisatie: string
    :returns: the request with its history
    :rtype: dictionary
    """
    data = _validate(_given(data_dict), schema.verzoek_update(), context)
    verzoek = _get(data["id"])
    tk.check_access("verzoek_update", context, {"id": verzoek.id})
    if verzoek.confirmed is None:
        raise tk.ValidationError({"id": [tk._("This request has not been confirmed by its requester yet.")]})
    new_status = data.get("status")
    if new_status == verzoek.status:
        new_status = None
    text = data.get("antwoord") or None
    target = _organization(data.get("organisatie"))
    if target is not None and target.id == verzoek.organization_id:
        target = None
    if not new_status and not text and target is None:
        raise tk.ValidationError({"antwoord": [tk._("Choose a new status or write a response (or both).")]})
    status_after = new_status or verzoek.status
    package = _answering_dataset(data.get("dataset")) if status_after == Status.GEPUBLICEERD and (
        new_status or data.get("dataset")) else None
    if status_after == Status.AFGEWEZEN and new_status and not text:
        raise tk.ValidationError({"antwoord": [tk._(
            "A request can only be refused with a public response that explains why.")]})
    # A closure given with a refusal already made (status unchanged) is checked and stored as well.
    closure = _closure(data, verzoek, text or verzoek.antwoord) if status_after == Status.AFGEWEZEN and (
        new_status or data["gesloten"] or data.get("woo_grounds")) else None
    if (data.get("gesloten") or data.get("woo_grounds")) and status_after != Status.AFGEWEZEN:
        raise tk.ValidationError({"gesloten": [tk._("Woo grounds belong to a refusal (status afgewezen).")]})

    user = model.User.get(context.get("user")) if context.get("user") else None
    now = utcnow()
    session = model.Session
    if target is not None:
        session.add(VerzoekUpdate(verzoek_id=verzoek.id, kind="assigned", text=None,
                                  user_id=user.id if user else None, created=now))
        verzoek.organization_id = target.id
    if new_status or text:
        session.add(VerzoekUpdate(
            verzoek_id=verzoek.id, kind="update", status_from=verzoek.status, status_to=new_status, text=text,
            dataset_id=package.id if package else None,
            woo_grounds=closure.woo_grounds if closure else None, user_id=user.id if user else None, created=now))
    if new_status:
        verzoek.status = new_status
        verzoek.dataset_id = package.id if package else None
        verzoek.woo_grounds = closure.woo_grounds if closure else None
        verzoek.review_date = closure.review_date if closure else None
    elif package is not None:
        verzoek.dataset_id = package.id
    elif closure is not None:
        verzoek.woo_grounds = closure.woo_grounds
        verzoek.review_date = closure.review_date
    if text:
        verzoek.antwoord = text
    verzoek.updated = now
    session.commit()
    session.refresh(verzoek)
    opendata.sync_verzoek(verzoek)
    return public_dicts([verzoek], context.get("user"), with_updates=True)[0]


def verzoek_hide(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Hide a request (abuse, personal data, a duplicate) or show it again. Hidden requests leave every
    public page, list, feed and the open data; the reason stays in the staff-only history.

    :param id: the request's number
    :param hidden: true to hide (default), false to show again
    :param reason: why; required to hide (for colleagues, not public)
    """
    data = _validate(data_dict, schema.verzoek_hide(), context)
    verzoek = _get(data["id"])
    tk.check_access("verzoek_hide", context, {"id": verzoek.id})
    hidden = bool(data.get("hidden", True))
    if hidden and not data.get("reason"):
        raise tk.ValidationError({"reason": [tk._("Say why the request is hidden (for your colleagues).")]})
    if hidden != bool(verzoek.hidden):
        user = model.User.get(context.get("user")) if context.get("user") else None
        model.Session.add(VerzoekUpdate(verzoek_id=verzoek.id, kind="hidden" if hidden else "shown",
                                        text=data.get("reason") or None, user_id=user.id if user else None,
                                        created=utcnow()))
        verzoek.hidden = hidden
        verzoek.hidden_reason = (data.get("reason") or None) if hidden else None
        model.Session.commit()
        opendata.sync_verzoek(verzoek)
    return public_dicts([verzoek], context.get("user"), with_updates=True)[0]


def get_actions() -> dict[str, Callable[..., Any]]:
    return {
        "verzoek_create": verzoek_create,
        "verzoek_steun": verzoek_steun,
        "verzoek_confirm": verzoek_confirm,
        "verzoek_show": verzoek_show,
        "verzoek_list": verzoek_list,
        "verzoek_similar": verzoek_similar,
        "verzoek_update": verzoek_update,
        "verzoek_hide": verzoek_hide,
    }
