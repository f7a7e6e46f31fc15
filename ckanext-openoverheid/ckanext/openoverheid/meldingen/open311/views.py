"""Open311 GeoReport v2 at /open311/v2/: services, service definitions, requests (GET and POST),
single requests and discovery, in JSON and XML.

Rules kept from the spec: field names, root elements and order as in ``spec``; GET requests default
to the last 90 days and return at most 1000; ``service_request_id`` overrides every other filter;
errors are ``[{code, description}]`` / ``<errors><error>`` with HTTP 403 for a missing or bad
``api_key``, 404 for what does not exist and 400 otherwise. Documented extensions: the multipart
``media`` field on POST, ``bbox`` and ``lat``/``long``/``radius`` on GET, and 429 when a key
exceeds its rate limit. Personal fields of a POST (``email``, names, phone, device) are never returned;
only ``email`` is kept, privately, for updates.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.config.middleware.flask_app import csrf
from flask import Blueprint, Response
from flask.blueprints import BlueprintSetupState
from werkzeug.routing import PathConverter

from ckanext.openoverheid.api import conventions, developers
from ckanext.openoverheid.meldingen import settings
from ckanext.openoverheid.meldingen.apikeys import verify
from ckanext.openoverheid.meldingen.logic.action import RateLimited
from ckanext.openoverheid.meldingen.open311 import serialize, spec, updates

open311 = Blueprint("open311", __name__, url_prefix="/open311/v2")
# Anything else under /open311/v2/ answers in Open311's error format; apart, as it is no documented path.
open311_fallback = Blueprint("open311_fallback", __name__, url_prefix="/open311/v2")
# An API for apps: authenticated by api_key, not by a browser session, so CSRF does not apply.
csrf.exempt(open311)
csrf.exempt(open311_fallback)


class _AnyPath(PathConverter):
    """Werkzeug's ``path``, newlines included (``%0A``), so that no path under /open311/v2/ escapes the
    Open311 error format for CKAN's HTML 404 page."""

    regex = r"[^/][\s\S]*?"


def _register_any_path(state: BlueprintSetupState) -> None:
    state.app.url_map.converters.setdefault("open311_any", _AnyPath)


open311_fallback.record_once(_register_any_path)
# The NL API Design Rules (API-Version header, CORS for reading); the paths are in api/openapi.yaml.
conventions.apply(open311)

FMT = "<any(json,xml):fmt>"


class Open311Error(Exception):
    def __init__(self, status: int, descriptions: Iterable[str]) -> None:
        super().__init__("; ".join(descriptions))
        self.status = status
        self.descriptions = list(descriptions)


def _respond(body: bytes, fmt: str, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    mimetype = spec.FORMATS[fmt]
    return Response(body, status=status, mimetype=mimetype, headers=headers or {})


def _error(error: Open311Error, fmt: str, headers: dict[str, str] | None = None) -> Response:
    items = [{"code": error.status, "description": d} for d in error.descriptions]
    return _respond(serialize.errors(items, fmt), fmt, error.status, headers)


def _validation_descriptions(error: tk.ValidationError) -> list[str]:
    names = {"lon": "long", "address": "address_string", "photo": "media", "attributes": "attribute"}
    result = []
    for field, messages in (error.error_dict or {}).items():
        for message in messages if isinstance(messages, list) else [messages]:
            result.append(f"{names.get(field, field)}: {message}")
    return result or [str(error)]


def _context() -> dict[str, Any]:
    return {"user": None}


# --- mapping our dicts to the spec's ------------------------------------------------------------


def service(category: dict[str, Any]) -> dict[str, Any]:
    return {
        "service_code": category["code"],
        "service_name": category["name"],
        "description": category["description"],
        "metadata": bool(category["attributes"]),
        "type": "realtime",
        "keywords": ",".join(category["keywords"]),
        "group": category["group"],
    }


def definition(category: dict[str, Any]) -> dict[str, Any]:
    return {
        "service_code": category["code"],
        "attributes": [
            {
                "variable": True,
                "code": a["code"],
                "datatype": a["datatype"],
                "required": a["required"],
                "datatype_description": a["explanation"] or None,
                "order": a["order"],
                "description": a["question"],
                "values": a["values"],
            }
            for a in category["attributes"]
        ],
    }


def service_request(melding: dict[str, Any]) -> dict[str, Any]:
    return {
        "service_request_id": melding["service_request_id"],
        "status": melding["open311_status"],
        "status_notes": melding.get("status_notes"),
        "service_name": melding["category"],
        "service_code": melding["service_code"],
        "description": melding["description"],
        "agency_responsible": melding["organization"]["title"] or melding["organization"]["name"],
        "service_notice": None,
        "requested_datetime": melding["requested"],
        "updated_datetime": melding["updated"],
        "expected_datetime": melding.get("expected_datetime"),
        "address": melding["address"],
        "address_id": None,
        "zipcode": None,
        "lat": melding["lat"],
        "long": melding["lon"],
        "media_url": melding["photo_url"],
    }


# --- routes -------------------------------------------------------------------------------------


@open311.route(f"/discovery.{FMT}", endpoint="discovery")
def discovery(fmt: str) -> Response:
    base = f"{settings.site_url()}/open311/v2"
    document = {
        "changeset": "2026-11-29T00:00:00+00:00",
        "contact": developers.contact_email() or developers.page_url(external=True),
        "key_service": tk._("Ask the administrators of {site} for an API key to submit reports; how: {url}").format(
            site=tk.config.get("ckan.site_title") or settings.site_url(), url=developers.page_url("open311-key", True)),
        "endpoints": [
            {"specification": spec.SPECIFICATION_URL, "url": base, "changeset": "2026-11-29T00:00:00+00:00",
             "type": "production", "formats": list(spec.FORMATS.values())},
        ],
    }
    return _respond(serialize.discovery(document, fmt), fmt)


def _categories() -> list[dict[str, Any]]:
    return tk.get_action("melding_category_list")(_context(), {})


@open311.route(f"/services.{FMT}", endpoint="services")
def services(fmt: str) -> Response:
    return _respond(serialize.services([service(c) for c in _categories()], fmt), fmt)


@open311.route(f"/services/<code>.{FMT}", endpoint="service_definition")
def service_definition(code: str, fmt: str) -> Response:
    found = next((c for c in _categories() if c["code"] == code), None)
    if found is None:
        return _error(Open311Error(404, [f"service_code {code[:60]} does not exist; GET services.{fmt} lists them"]),
                      fmt)
    return _respond(serialize.definition(definition(found), fmt), fmt)


def _moment(value: str, name: str) -> datetime.datetime:
    try:
        moment = datetime.datetime.fromisoformat(value.strip())
    except ValueError:
        raise Open311Error(400, [f"{name}: give a W3C datetime such as 2026-05-01T00:00:00Z"]) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def _search_parameters(args: Any) -> dict[str, Any]:
    if args.get("service_request_id"):
        return {"ids": args["service_request_id"], "limit": spec.MAX_RESULTS, "sort": "requested desc"}
    window = datetime.timedelta(days=spec.DEFAULT_DAYS)
    start = _moment(args["start_date"], "start_date") if args.get("start_date") else None
    end = _moment(args["end_date"], "end_date") if args.get("end_date") else None
    if start is None and end is None:
        end = datetime.datetime.now(datetime.UTC)
    try:
        if start is None:
            assert end is not None
            start = end - window
        if end is None:
            end = start + window
    except OverflowError:  # 90 days before 0001-01-01 or after 9999-12-31
        raise Open311Error(400, ["start_date and end_date must lie between the years 1 and 9999"]) from None
    if end < start:
        raise Open311Error(400, ["end_date must not be before start_date"])
    if end - start > window:
        raise Open311Error(400, [f"start_date and end_date may not be more than {spec.DEFAULT_DAYS} days apart"])
    data: dict[str, Any] = {
        "start_date": start.isoformat(), "end_date": end.isoformat(), "limit": spec.MAX_RESULTS,
        "sort": "requested desc",
    }
    for name in ("service_code", "status", "bbox", "lat", "radius"):
        if args.get(name):
            data[name] = args[name]
    if args.get("long"):
        data["lon"] = args["long"]
    if data.get("status"):
        wrong = [s for s in data["status"].split(",") if s.strip() not in ("open", "closed")]
        if wrong:
            raise Open311Error(400, [f"status must be open or closed, not {wrong[0][:40]}"])
    return data


@open311.route(f"/requests.{FMT}", methods=["GET"], endpoint="requests")
def requests_list(fmt: str) -> Response:
    try:
        data = _search_parameters(tk.request.args)
        # Open311 shows neither the number of matches nor the history, only its latest response
        result = tk.get_action("melding_search")(_context(), dict(data, count=False, updates=False))
    except Open311Error as error:
        return _error(error, fmt)
    except tk.ValidationError as error:
        return _error(Open311Error(400, _validation_descriptions(error)), fmt)
    return _respond(serialize.requests([service_request(m) for m in result["results"]], fmt), fmt)


@open311.route(f"/requests/<request_id>.{FMT}", endpoint="request")
def request_one(request_id: str, fmt: str) -> Response:
    missing = Open311Error(404, [f"service_request_id {request_id[:40]} does not exist"])
    if not request_id.isdigit():
        return _error(missing, fmt)
    try:
        melding = tk.get_action("melding_show")(_context(), {"id": int(request_id)})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return _error(missing, fmt)
    return _respond(serialize.requests([service_request(melding)], fmt), fmt)


def _whole_number(args: Any, name: str, default: int, highest: int) -> int:
    text = (args.get(name) or "").strip()
    if not text:
        return default
    if not text.isdigit() or not 1 <= int(text) <= highest:
        raise Open311Error(400, [f"{name} must be a whole number from 1 to {highest}"])
    return int(text)


def _update_window(args: Any) -> tuple[datetime.datetime, datetime.datetime]:
    """``start_date`` and ``end_date`` of a servicerequestupdates request: by default the last 90 days, and
    no more than 90 days apart (as for requests)."""
    start = _moment(args["start_date"], "start_date") if args.get("start_date") else None
    end = _moment(args["end_date"], "end_date") if args.get("end_date") else None
    window = datetime.timedelta(days=spec.DEFAULT_DAYS)
    try:
        if end is None:
            end = start + window if start else datetime.datetime.now(datetime.UTC)
        if start is None:
            start = end - window
        reversed_, too_long = end < start, end - start > window
    except OverflowError:
        raise Open311Error(400, ["start_date and end_date must lie between the years 1 and 9999"]) from None
    if reversed_:
        raise Open311Error(400, ["end_date must not be before start_date"])
    if too_long:
        raise Open311Error(400, [f"start_date and end_date may not be more than {spec.DEFAULT_DAYS} days apart"])
    return start, end


@open311.route(f"/servicerequestupdates.{FMT}", endpoint="updates")
def request_updates(fmt: str) -> Response:
    """FixMyStreet's extension: the public updates of all meldingen in a time window, oldest first."""
    from ckan import model

    args = tk.request.args
    try:
        start, end = _update_window(args)
        page_number = _whole_number(args, "page", 1, 1_000_000)
        page_size = _whole_number(args, "page_size", updates.DEFAULT_PAGE_SIZE, updates.MAX_PAGE_SIZE)
    except Open311Error as error:
        return _error(error, fmt)
    rows = updates.page(model.Session, start, end, page_number, page_size)
    return _respond(serialize.updates([updates.request_update(row, settings.site_url()) for row in rows], fmt), fmt)


def _attributes(form: Any) -> dict[str, Any]:
    """``attribute[code]=v`` and ``attribute[code][]=v1&attribute[code][]=v2`` → {code: v or [v1, v2]}."""
    result: dict[str, Any] = {}
    for key in form.keys():
        # werkzeug names a form part that has no name None
        if not isinstance(key, str) or not key.startswith("attribute[") or "]" not in key:
            continue
        code = key[len("attribute["):key.index("]")]
        values = [v for v in form.getlist(key) if v != ""]
        if not values:
            continue
        result[code] = values if key.endswith("[]") or len(values) > 1 else values[0]
    return result


@open311.route(f"/requests.{FMT}", methods=["POST"], endpoint="create")
def requests_create(fmt: str) -> Response:
    form = tk.request.form
    key = verify(form.get("api_key") or tk.request.args.get("api_key"))
    if key is None:
        return _error(Open311Error(403, ["api_key is missing or not valid; ask the site's administrator for one"]),
                      fmt)
    if not form.get("service_code"):
        return _error(Open311Error(400, ["service_code is required; GET services.json lists them"]), fmt)
    if form.get("address_id") and not (form.get("lat") or form.get("address_string")):
        return _error(Open311Error(400, ["address_id is not supported here; send lat and long or address_string"]),
                      fmt)
    data: dict[str, Any] = {
        "service_code": form.get("service_code"),
        "description": form.get("description", ""),
        "lat": form.get("lat"),
        "lon": form.get("long"),
        "address": form.get("address_string"),
        "email": form.get("email"),
        "media_url": form.get("media_url"),
        "attributes": _attributes(form),
    }
    media = tk.request.files.get("media")
    if media is not None and media.filename:
        data["photo"] = media
    context = dict(_context(), open311_key=key, reporter_ip=tk.request.remote_addr)
    try:
        created = tk.get_action("melding_create")(context, data)
    except RateLimited as error:
        return _error(Open311Error(429, _validation_descriptions(error)), fmt,
                      headers={"Retry-After": str(error.retry_after)})
    except tk.ValidationError as error:
        return _error(Open311Error(400, _validation_descriptions(error)), fmt)
    answer = [{"service_request_id": created["service_request_id"], "service_notice": created["service_notice"],
               "account_id": None}]
    return _respond(serialize.post_response(answer, fmt), fmt, 201)


@open311_fallback.route("/<open311_any:anything>", methods=["GET", "POST"], endpoint="not_found")
def not_found(anything: str) -> Response:
    fmt = "xml" if anything.endswith(".xml") else "json"
    return _error(Open311Error(404, [f"/open311/v2/{anything[:80]} does not exist; see discovery.json"]), fmt)
