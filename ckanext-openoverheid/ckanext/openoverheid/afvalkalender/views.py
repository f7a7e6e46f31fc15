"""The waste calendar of one address as .ics, JSON and RSS, and the page ``/afvalkalender``.

Thin: every route calls the ``afvalkalender_show`` action (validation, visibility, on-demand fetch
and its rate limit live there) and turns its answer or its error into a response. Documents answer
conditional GETs on their ETag only; errors of the documents are ``application/problem+json`` in the
page's language.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import ckan.plugins.toolkit as tk
from ckan.lib.redis import connect_to_redis
from flask import Blueprint, Response

from ckanext.openoverheid.afvalkalender import serialize, street
from ckanext.openoverheid.afvalkalender.logic import action
from ckanext.openoverheid.api import conventions
from ckanext.openoverheid.api.problem import problem
from ckanext.openoverheid.declarations import declared_default
from ckanext.openoverheid.feeds import stylesheet
from ckanext.openoverheid.feeds.build import FeedKind, build_feed
from ckanext.openoverheid.feeds.http import conditional_response, not_modified
from ckanext.openoverheid.harvest.site import allowed_private_hosts
from ckanext.openoverheid.keys import redis_key
from harvesters.afvalkalender.base import amsterdam_today

__all__ = ["afvalkalender", "get_blueprints"]

log = logging.getLogger(__name__)

afvalkalender = Blueprint("afvalkalender", __name__)
conventions.apply(afvalkalender)

ALARM_OPTION = "ckanext.openoverheid.afvalkalender.alarm_time"
ALARM_CHOICES = ("geen", "17:00", "18:00", "19:00", "20:00", "21:00", "22:00")
ICS_MIMETYPE = "text/calendar"
JSON_MIMETYPE = "application/json"
FEED_MAX = 50
PAGE_MAX = 40
SOON_WEEKS = 8  # the page lists these weeks openly; later dates fold away behind "show all"
_NUMMER = re.compile(r"^(\d{1,5})(?:[-_ ]?([A-Za-z0-9]{1,6}))?$")


class BadAddress(Exception):
    """A house number in a URL that cannot be read; ``errors`` as in ValidationError.error_dict."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


def _split_nummer(nummer: str) -> tuple[str, str]:
    """``13`` → (13, ""), ``13-A`` / ``13A`` → (13, "A")."""
    match = _NUMMER.match(nummer)
    if not match:
        raise BadAddress({"huisnummer": [tk._("Enter a house number, e.g. 13.")]})
    return match.group(1), match.group(2) or ""


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


def _show(postcode: str, huisnummer: str, toevoeging: str) -> dict[str, Any]:
    return tk.get_action("afvalkalender_show")(
        _context(), {"postcode": postcode, "huisnummer": huisnummer, "toevoeging": toevoeging}
    )


def _nummer(calendar: dict[str, Any]) -> str:
    found = calendar["adres"]
    return f"{found['huisnummer']}-{found['toevoeging']}" if found["toevoeging"] else str(found["huisnummer"])


def _host() -> str:
    return urlsplit(tk.config.get("ckan.site_url") or "").hostname or "localhost"


def _language() -> str:
    return tk.h.lang() or "nl"


def _alarm(value: str | None) -> dt.time | None:
    """The reminder time: ``?herinnering=`` if given (ValueError when unreadable), else the portal's setting."""
    if value is not None:
        return serialize.parse_alarm_time(value)
    configured = tk.config.get(ALARM_OPTION)
    try:
        return serialize.parse_alarm_time(configured)
    except ValueError:
        fallback = declared_default(ALARM_OPTION)
        log.warning("%s = %r is not a time (HH:MM or geen); using %s", ALARM_OPTION, configured, fallback)
        return serialize.parse_alarm_time(fallback)


def _origin(calendar: dict[str, Any]) -> str:
    return serialize.origin(calendar, tk._("Collection dates from {organization} (source: {source})."))


def _unchanged(etag: str) -> Response | None:
    """A 304 when the client's copy has this ETag. Last-Modified is sent but never answers a 304:
    it is when the served source last asked its provider, and when that source is deleted or
    disabled an older calendar of another source takes its place, which If-Modified-Since would
    wrongly call unchanged. The ETag covers the dates and the source."""
    return not_modified(etag, None)


def _document(body: bytes, etag: str, modified: dt.datetime | None, mimetype: str) -> Response:
    response = conditional_response(body, etag, None, mimetype)
    if modified is not None:
        response.last_modified = modified.replace(microsecond=0)
    return response


def links(calendar: dict[str, Any], herinnering: str | None = None) -> dict[str, str]:
    """The subscribe and download links of an address."""
    where = {"postcode": calendar["adres"]["postcode"], "nummer": _nummer(calendar)}
    extra = {"herinnering": herinnering} if herinnering else {}
    https = tk.h.url_for("afvalkalender.ics", _external=True, **where, **extra)
    parts = urlsplit(https)
    return {
        "ics": https,
        "webcal": urlunsplit(("webcal", *parts[1:])),
        "json": tk.h.url_for("afvalkalender.json", _external=True, **where),
        "rss": tk.h.url_for("afvalkalender.rss", _external=True, **where),
        "pagina": tk.h.url_for("afvalkalender.zoek", _external=True, postcode=where["postcode"],
                               huisnummer=calendar["adres"]["huisnummer"],
                               toevoeging=calendar["adres"]["toevoeging"] or None),
    }


# --- documents ---------------------------------------------------------------------------------------


def _document_error(error: Exception) -> Response:
    if isinstance(error, BadAddress):
        return problem(400, tk._("This is not a postcode and house number."), params=error.errors)
    if isinstance(error, action.TooManyRequests):
        return problem(429, error.error_dict["adres"][0], headers={"Retry-After": str(error.retry_after)})
    if isinstance(error, action.ProviderUnavailable):
        return problem(502, error.error_dict["adres"][0], headers={"Retry-After": "300"})
    if isinstance(error, tk.ValidationError):
        return problem(400, tk._("This is not a postcode and house number."), params=error.error_dict)
    if isinstance(error, tk.ObjectNotFound):
        return problem(404, str(error))
    raise error


def _calendar(postcode: str, nummer: str) -> dict[str, Any]:
    huisnummer, toevoeging = _split_nummer(nummer)
    return _show(postcode, huisnummer, toevoeging)


@afvalkalender.route("/afvalkalender/<postcode>/<nummer>.ics", endpoint="ics")
def calendar_ics(postcode: str, nummer: str) -> Response:
    try:
        alarm_time = _alarm(tk.request.args.get("herinnering"))
    except ValueError:
        return problem(400, tk._("The reminder must be a time such as 19:00, or 'geen' for none."),
                       params={"herinnering": [tk._("Write the time as HH:MM, e.g. 19:00.")]})
    try:
        calendar = _calendar(postcode, nummer)
    except (BadAddress, tk.ValidationError, tk.ObjectNotFound) as error:
        return _document_error(error)
    alarm_text = alarm_time.strftime("%H:%M") if alarm_time else "geen"
    etag = serialize.calendar_etag("ics", calendar, alarm_text, _language())
    unchanged = _unchanged(etag)
    if unchanged is not None:
        return unchanged
    body = serialize.ics(calendar, host=_host(), alarm_time=alarm_time, description=_origin(calendar))
    response = _document(body, etag, serialize.last_modified(calendar), ICS_MIMETYPE)
    filename = f"afvalkalender-{calendar['adres']['postcode']}-{_nummer(calendar)}.ics"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@afvalkalender.route("/afvalkalender/<postcode>/<nummer>.json", endpoint="json")
def calendar_json(postcode: str, nummer: str) -> Response:
    try:
        calendar = _calendar(postcode, nummer)
    except (BadAddress, tk.ValidationError, tk.ObjectNotFound) as error:
        return _document_error(error)
    etag = serialize.calendar_etag("json", calendar)
    unchanged = _unchanged(etag)
    if unchanged is not None:
        return unchanged
    body = dict(calendar, links=links(calendar))
    return _document(json.dumps(body, ensure_ascii=False).encode("utf-8"), etag, serialize.last_modified(calendar),
                     JSON_MIMETYPE)


@afvalkalender.route("/afvalkalender/<postcode>/<nummer>.rss", endpoint="rss")
def calendar_rss(postcode: str, nummer: str) -> Response:
    try:
        calendar = _calendar(postcode, nummer)
    except (BadAddress, tk.ValidationError, tk.ObjectNotFound) as error:
        return _document_error(error)
    today = amsterdam_today()
    language = _language()
    items = serialize.coming(calendar, today)[:FEED_MAX]
    etag = serialize.calendar_etag("rss", dict(calendar, ophaalmomenten=items), language)
    modified = serialize.last_modified(calendar)
    unchanged = _unchanged(etag)
    if unchanged is not None:
        return unchanged
    page = links(calendar)["pagina"]
    feed_url = tk.h.url_for("afvalkalender.rss", _external=True, postcode=calendar["adres"]["postcode"],
                            nummer=_nummer(calendar))
    address = calendar["adres"]["label"]
    body = build_feed(
        FeedKind.RSS,
        title=tk._("Waste calendar for {address} — {site}").format(
            address=address, site=tk.config.get("ckan.site_title") or "Open Overheid"),
        link=page,
        self_url=feed_url,
        description=" ".join((
            tk._("The coming waste collections at {address} ({municipality}).").format(
                address=address, municipality=calendar["gemeente"]),
            _origin(calendar),
        )),
        items=serialize.feed_items(calendar, items, host=_host(), page_link=page, language=language,
                                   describe=tk._("{label} is collected on {date} at {address}.")),
        language=language,
        updated=modified,
        stylesheet=stylesheet.url(),
    )
    return _document(body, etag, modified, FeedKind.RSS.mimetype)


# --- the page ----------------------------------------------------------------------------------------


def _form_values() -> dict[str, str]:
    args = tk.request.args
    return {key: (args.get(key) or "").strip()[:20] for key in ("postcode", "huisnummer", "toevoeging", "herinnering")}


def _postcode_text(postcode: str) -> str:
    """``3512AH`` as people write it on an envelope: ``3512 AH``."""
    return f"{postcode[:4]} {postcode[4:]}" if len(postcode) == 6 else postcode


def _street(adres: dict[str, Any]) -> street.Street | None:
    return street.street_of(
        adres["postcode"], int(adres["huisnummer"]),
        geocoder_url=tk.config.get("ckanext.openoverheid.geocoder_url"),
        allowed_private_hosts=allowed_private_hosts(), redis=connect_to_redis(),
        cache_key=redis_key("afvalkalender", "straat", adres["postcode"], adres["huisnummer"]),
    )


def _result(calendar: dict[str, Any], herinnering: str) -> dict[str, Any]:
    """What the page shows of a calendar: the address, the subscribe links, the coming dates split
    into the next weeks (shown) and later ones (folded away)."""
    language = _language()
    today = amsterdam_today()
    coming = serialize.coming(calendar, today)
    shown = [dict(item, datum_tekst=serialize.full_date(item["datum"], language)) for item in coming[:PAGE_MAX]]
    horizon = (today + dt.timedelta(weeks=SOON_WEEKS)).isoformat()
    soon = [item for item in shown if item["datum"] <= horizon] or shown[:1]
    adres = calendar["adres"]
    return {
        "calendar": calendar,
        "address_text": f"{_postcode_text(adres['postcode'])} {adres['huisnummer']}{adres['toevoeging']}",
        "street": _street(adres),
        "coming": soon,
        "later": shown[len(soon):],
        "soon_weeks": SOON_WEEKS,
        "more": max(0, len(coming) - PAGE_MAX),
        "links": links(calendar, herinnering or None),
        "origin": _origin(calendar),
    }


@afvalkalender.route("/afvalkalender", endpoint="zoek")
def zoek() -> Any:
    """Type a postcode and house number, see the coming collections and get the subscribe links."""
    values = _form_values()
    extra: dict[str, Any] = {"values": values, "errors": {}, "calendar": None, "message": None,
                             "alarm_choices": ALARM_CHOICES,
                             "default_alarm": tk.config.get(ALARM_OPTION)}
    status = 200
    # a sent form, even an empty one, is answered: an empty field is a mistake to point out
    asked = any(key in tk.request.args for key in ("postcode", "huisnummer", "toevoeging"))
    if values["herinnering"] and values["herinnering"] not in ALARM_CHOICES:
        values["herinnering"] = ""
    if asked:
        try:
            calendar = _show(values["postcode"], values["huisnummer"], values["toevoeging"])
        except (action.TooManyRequests, action.ProviderUnavailable) as error:
            extra["message"] = error.error_dict["adres"][0]
            status = 429 if isinstance(error, action.TooManyRequests) else 502
        except tk.ValidationError as error:
            extra["errors"] = {key: messages[0] for key, messages in error.error_dict.items()}
            status = 400
        except tk.ObjectNotFound as error:
            extra["message"] = str(error)
            status = 404
        else:
            extra.update(_result(calendar, values["herinnering"]))
    return tk.render("openoverheid/afvalkalender/zoek.html", extra_vars=extra), status


def get_blueprints() -> list[Blueprint]:
    return [afvalkalender]
