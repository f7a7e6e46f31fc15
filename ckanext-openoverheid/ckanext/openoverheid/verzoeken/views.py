"""The public verzoeken pages: browse, ask, read, support, confirm. Thin: they call the actions and render.

The forms work without JavaScript (the place of an idea is optional, similar requests are shown after a
first submit) and keep everything typed when something is wrong. Anonymous forms are not covered by
CKAN's CSRF check (CKAN exempts requests without a session user), so the views check the token
themselves, as the meldingen form does.
"""

from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response

from ckanext.openoverheid.form_tokens import anonymous_form_token_valid
from ckanext.openoverheid.verzoeken.logic.action import RateLimited

verzoeken = Blueprint("verzoeken", __name__)

PAGE_SIZE = 20
MAP_LIMIT = 500
HONEYPOT = "website"
# Dutch names in the page's address, the action's names inside.
LIST_ARGS = (("soort", "soort"), ("status", "status"), ("organisatie", "organisatie"), ("q", "q"),
             ("bbox", "bbox"), ("sorteer", "sort"))
SORTS = ("steun", "nieuw", "status")
FORM_FIELDS = ("soort", "titel", "toelichting", "organisatie", "lat", "lon", "email")
# The error summary lists the problems in the order the resident meets the fields.
FORM_ORDER = ("form", "rate_limit", *FORM_FIELDS)


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else None}


def _in_form_order(errors: dict[str, Any]) -> dict[str, Any]:
    ordered = {field: errors[field] for field in FORM_ORDER if field in errors}
    ordered.update({field: messages for field, messages in errors.items() if field not in ordered})
    return ordered


def _list_filters(args: Any) -> dict[str, Any]:
    data = {key: args.get(arg).strip() for arg, key in LIST_ARGS if (args.get(arg) or "").strip()}
    if data.get("sort") not in SORTS:
        data["sort"] = "steun"
    return data


def _page_number(args: Any) -> int:
    try:
        return max(1, int(args.get("pagina", 1)))
    except ValueError:
        return 1


def _error_page(error: tk.ValidationError, status: int = 400) -> tuple[str, int]:
    return tk.render("openoverheid/verzoeken/error.html", {"errors": error.error_dict}), status


@verzoeken.route("/verzoeken", endpoint="index")
def index() -> Any:
    filters = _list_filters(tk.request.args)
    page = _page_number(tk.request.args)
    try:
        result = tk.get_action("verzoek_list")(
            _context(), dict(filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE))
    except tk.ValidationError as error:
        return _error_page(error)
    query = {k: v for k, v in tk.request.args.items() if k != "pagina" and v}
    return tk.render("openoverheid/verzoeken/index.html", {
        "result": result, "page": page, "page_size": PAGE_SIZE, "query": query,
        "sort": filters["sort"],
        "geojson_url": tk.h.url_for("verzoeken.geojson", **query),
        "all_areas_url": tk.h.url_for("verzoeken.index", **{k: v for k, v in query.items() if k != "bbox"}),
    })


@verzoeken.route("/verzoeken.geojson", endpoint="geojson")
def geojson() -> Any:
    """The ideas with a place among the list's results, for its map."""
    filters = dict(_list_filters(tk.request.args), soort="idee", limit=MAP_LIMIT)
    try:
        result = tk.get_action("verzoek_list")(_context(), filters)
    except tk.ValidationError as error:
        return Response(json.dumps({"errors": error.error_dict}), status=400, mimetype="application/json")
    features = [{
        "type": "Feature", "id": item["id"],
        "geometry": {"type": "Point", "coordinates": [item["lon"], item["lat"]]},
        "properties": {k: item[k] for k in ("titel", "status", "status_name", "support_count", "url")},
    } for item in result["results"] if item["lat"] is not None and item["lon"] is not None]
    collection = {"type": "FeatureCollection", "features": features}
    return Response(json.dumps(collection, ensure_ascii=False), mimetype="application/geo+json")


def _render_form(values: dict[str, Any], errors: dict[str, Any] | None = None,
                 similar: list[dict[str, Any]] | None = None) -> str:
    return tk.render("openoverheid/verzoeken/new.html", {
        "values": values, "errors": _in_form_order(errors or {}), "similar": similar or [],
    })


def _similar(values: dict[str, Any]) -> list[dict[str, Any]]:
    try:
        return tk.get_action("verzoek_similar")(_context(), {
            k: values[k] for k in ("titel", "organisatie", "soort") if values.get(k)})
    except tk.ValidationError:
        return []


@verzoeken.route("/verzoeken/nieuw", methods=["GET", "POST"], endpoint="new")
def new() -> Any:
    if tk.request.method == "GET":
        return _render_form({k: tk.request.args.get(k, "") for k in ("soort", "organisatie")})
    values = {key: tk.request.form.get(key, "").strip() for key in FORM_FIELDS}
    if not anonymous_form_token_valid():
        return _render_form(values, {"form": [tk._(
            "The form has expired or was sent from elsewhere. Check your request and send it again.")]}), 400
    if tk.request.form.get(HONEYPOT):
        # Only robots fill the hidden field: they are told what people are told, and nothing is stored.
        return tk.redirect_to("verzoeken.sent")
    if not tk.request.form.get("confirm_new") and values["titel"]:
        similar = _similar(values)
        if similar:
            return _render_form(values, similar=similar)
    context = dict(_context(), requester_ip=tk.request.remote_addr)
    try:
        tk.get_action("verzoek_create")(context, {k: v for k, v in values.items() if v})
    except RateLimited as error:
        return Response(_render_form(values, error.error_dict), status=429,
                        headers={"Retry-After": str(error.retry_after)})
    except tk.ValidationError as error:
        return _render_form(values, error.error_dict), 400
    return tk.redirect_to("verzoeken.sent")


@verzoeken.route("/verzoeken/verstuurd", endpoint="sent")
def sent() -> str:
    return tk.render("openoverheid/verzoeken/sent.html", {"supporting": tk.request.args.get("steun")})


def _show(verzoek_id: int) -> dict[str, Any]:
    try:
        return tk.get_action("verzoek_show")(_context(), {"id": verzoek_id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Request %(id)s does not exist.") % {"id": verzoek_id})


def _render_read(verzoek: dict[str, Any], errors: dict[str, Any] | None = None,
                 email: str = "") -> str:
    return tk.render("openoverheid/verzoeken/read.html", {
        "verzoek": verzoek, "errors": errors or {}, "values": {"email": email},
    })


@verzoeken.route("/verzoeken/<int:id>", endpoint="read")
def read(id: int) -> str:
    return _render_read(_show(id))


@verzoeken.route("/verzoeken/<int:id>/steunen", methods=["POST"], endpoint="support")
def support(id: int) -> Any:
    verzoek = _show(id)
    email = tk.request.form.get("email", "").strip()
    if not anonymous_form_token_valid():
        return _render_read(verzoek, {"form": [tk._(
            "The form has expired or was sent from elsewhere. Check your address and send it again.")]}, email), 400
    if tk.request.form.get(HONEYPOT):
        return tk.redirect_to("verzoeken.sent", steun=1)
    context = dict(_context(), requester_ip=tk.request.remote_addr)
    try:
        tk.get_action("verzoek_steun")(context, {"id": id, "email": email})
    except RateLimited as error:
        return Response(_render_read(verzoek, error.error_dict, email), status=429,
                        headers={"Retry-After": str(error.retry_after)})
    except tk.ValidationError as error:
        return _render_read(verzoek, error.error_dict, email), 400
    return tk.redirect_to("verzoeken.sent", steun=1)


@verzoeken.route("/verzoeken/bevestigen/<token>", endpoint="confirm")
def confirm(token: str) -> str:
    """The link in the confirmation mail: opening it confirms (as the mail says)."""
    try:
        result = tk.get_action("verzoek_confirm")(_context(), {"token": token})
    except (tk.ValidationError, tk.ObjectNotFound) as error:
        message = (next(iter(error.error_dict.values()))[0] if isinstance(error, tk.ValidationError)
                   else str(error.message or error))
        return tk.render("openoverheid/verzoeken/confirmed.html", {"result": None, "error": message})
    return tk.render("openoverheid/verzoeken/confirmed.html", {"result": result, "error": None})


def get_blueprints() -> list[Blueprint]:
    return [verzoeken]
