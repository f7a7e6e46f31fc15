"""The meldingen pages: report, browse, read, handle. Thin: they call the actions and render.

The report form works without JavaScript (address or coordinates instead of the map; duplicates
shown after a first submit) and keeps everything typed when something is wrong. Anonymous forms
are not covered by CKAN's CSRF check (CKAN exempts requests without a session user), so the form
view checks the token itself.
"""

from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response, jsonify

from ckanext.openoverheid.form_tokens import anonymous_form_token_valid
from ckanext.openoverheid.meldingen import dashboard as dashboard_files
from ckanext.openoverheid.meldingen import opendata, photos
from ckanext.openoverheid.meldingen.logic.action import RateLimited

meldingen = Blueprint("meldingen", __name__)

PAGE_SIZE = 25
MAP_LIMIT = 1000
HONEYPOT = "website"


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else None}


def _args_filters(args: Any) -> dict[str, Any]:
    """Public list/map filters from the query string (Dutch names in URLs, API names inside)."""
    data: dict[str, Any] = {}
    for arg, key in (("categorie", "service_code"), ("status", "status"), ("organisatie", "organization"),
                     ("bbox", "bbox"), ("lat", "lat"), ("lon", "lon"), ("straal", "radius")):
        value = args.get(arg)
        if value:
            data[key] = value
    return data


def _error_page(error: tk.ValidationError, status: int = 400) -> tuple[str, int]:
    return tk.render("openoverheid/meldingen/error.html", {"errors": error.error_dict}), status


@meldingen.route("/meldingen", endpoint="index")
def index() -> Any:
    filters = _args_filters(tk.request.args)
    try:
        page = max(1, int(tk.request.args.get("pagina", 1)))
    except ValueError:
        page = 1
    try:
        result = tk.get_action("melding_search")(
            _context(), dict(filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        )
    except tk.ValidationError as error:
        return _error_page(error)
    query = {k: v for k, v in tk.request.args.items() if k != "pagina" and v}
    return tk.render("openoverheid/meldingen/index.html", {
        "result": result, "page": page, "page_size": PAGE_SIZE, "query": query,
        "geojson_url": tk.h.url_for("meldingen.geojson", **query),
        "all_areas_url": tk.h.url_for("meldingen.index", **{k: v for k, v in query.items() if k != "bbox"}),
    })


@meldingen.route("/meldingen.geojson", endpoint="geojson")
def geojson() -> Any:
    try:
        result = tk.get_action("melding_search")(_context(), dict(_args_filters(tk.request.args), limit=MAP_LIMIT))
    except tk.ValidationError as error:
        return jsonify({"errors": error.error_dict}), 400
    return _feature_collection(result["results"], result["count"])


def _feature_collection(items: list[dict[str, Any]], total: int | None = None) -> Response:
    collection: dict[str, Any] = {"type": "FeatureCollection",
                                  "features": [opendata.geojson_feature(m) for m in items]}
    if total is not None:
        collection["numberMatched"] = total
        collection["numberReturned"] = len(items)
    return Response(json.dumps(collection, ensure_ascii=False), mimetype="application/geo+json")


@meldingen.route("/meldingen/open-data/<organization>.geojson", endpoint="open_data_geojson")
def open_data_geojson(organization: str) -> Any:
    """Every visible melding of one municipality (the GeoJSON resource of its open dataset)."""
    items: list[dict[str, Any]] = []
    offset = 0
    try:
        while True:
            result = tk.get_action("melding_search")(
                {"user": None}, {"organization": organization, "limit": 1000, "offset": offset, "sort": "requested asc"}
            )
            items += result["results"]
            offset += 1000
            if offset >= result["count"]:
                break
    except tk.ValidationError:
        return tk.abort(404, tk._("Unknown organisation %(name)s") % {"name": organization})
    for item in items:
        item.pop("updates", None)
    return _feature_collection(items, len(items))


def _form_data(form: Any, files: Any) -> dict[str, Any]:
    data = {key: form.get(key, "").strip() for key in ("service_code", "description", "lat", "lon", "address", "email",
                                                         "name")}
    data["attributes"] = {
        key[len("attribute["):-1]: value.strip()
        for key, value in form.items(multi=True)
        if key.startswith("attribute[") and key.endswith("]") and value.strip()
    }
    # Two inputs share the name: "take a photo" (the camera) and "choose a photo"; the first one used counts.
    photo = next((upload for upload in files.getlist("photo") if upload.filename), None)
    if photo is not None:
        data["photo"] = photo
    return data


# The error summary lists the problems in the order the resident meets the fields.
FORM_ORDER = ("form", "rate_limit", "service_code", "location", "address", "lat", "lon", "description", "attributes",
              "photo", "email", "name")


def _in_form_order(errors: dict[str, Any]) -> dict[str, Any]:
    ordered = {field: errors[field] for field in FORM_ORDER if field in errors}
    ordered.update({field: messages for field, messages in errors.items() if field not in ordered})
    return ordered


def _render_form(values: dict[str, Any], errors: dict[str, Any] | None = None, duplicates: Any = None,
                 status: int = 200, notice: str | None = None) -> tuple[str, int]:
    shown = {k: v for k, v in values.items() if k != "photo"}
    return tk.render("openoverheid/meldingen/new.html", {
        "values": shown, "errors": _in_form_order(errors or {}), "duplicates": duplicates or [], "notice": notice,
        "had_photo": "photo" in values,
    }), status



@meldingen.route("/meldingen/nieuw", methods=["GET", "POST"], endpoint="new")
def new() -> Any:
    if tk.request.method == "GET":
        values = {k: tk.request.args.get(k, "") for k in ("service_code", "lat", "lon", "address")}
        return _render_form(values)
    values = _form_data(tk.request.form, tk.request.files)
    if not anonymous_form_token_valid():
        return _render_form(values, {"form": [tk._(
            "The form has expired or was sent from elsewhere. Check your report and send it again.")]}, status=400)
    if tk.request.form.get(HONEYPOT):
        # Only robots fill the hidden field; tell them nothing useful and store nothing.
        return _render_form(values, {"form": [tk._("Your report could not be sent.")]}, status=400)
    context = dict(_context(), reporter_ip=tk.request.remote_addr)
    if not tk.request.form.get("confirm_new") and values.get("lat") and values.get("lon") and values.get(
            "service_code"):
        try:
            duplicates = tk.get_action("melding_nearby")(
                context, {"lat": values["lat"], "lon": values["lon"], "service_code": values["service_code"]}
            )
        except tk.ValidationError:
            duplicates = []
        if duplicates:
            return _render_form(values, duplicates=duplicates)
    try:
        created = tk.get_action("melding_create")(context, values)
    except RateLimited as error:
        page, _status = _render_form(values, error.error_dict, status=429)
        return Response(page, status=429, headers={"Retry-After": str(error.retry_after)})
    except tk.ValidationError as error:
        return _render_form(values, error.error_dict, status=400)
    return tk.redirect_to("meldingen.confirmation", id=created["id"])


def _show(melding_id: int) -> dict[str, Any]:
    try:
        return tk.get_action("melding_show")(_context(), {"id": melding_id})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Report %(id)s does not exist.") % {"id": melding_id})
    except tk.NotAuthorized:
        return tk.abort(404, tk._("Report %(id)s does not exist.") % {"id": melding_id})


@meldingen.route("/meldingen/<int:id>/bevestiging", endpoint="confirmation")
def confirmation(id: int) -> str:
    return tk.render("openoverheid/meldingen/confirmation.html", {"melding": _show(id)})


@meldingen.route("/meldingen/<int:id>", endpoint="read")
def read(id: int) -> str:
    melding = _show(id)
    return tk.render("openoverheid/meldingen/read.html", {
        "melding": melding, "can_handle": tk.h.check_access("melding_update_create", {"id": id}),
    })


@meldingen.route("/meldingen/<int:id>/foto", endpoint="photo")
@meldingen.route("/meldingen/<int:id>/foto/klein", endpoint="thumbnail", defaults={"small": True})
def photo(id: int, small: bool = False) -> Response:
    _show(id)  # 404 unless the viewer may see the melding
    from ckan import model

    from ckanext.openoverheid.meldingen.model import Melding

    melding = model.Session.get(Melding, id)
    location = (melding.photo_thumbnail if small else melding.photo) if melding else None
    staff_only = bool(melding and melding.photo_hidden)
    if staff_only and not tk.h.check_access("melding_photo_hide", {"id": id}):
        location = None
    # A hidden photo shown to the staff must not be kept by shared caches.
    return jpeg_response(location, tk._("This report has no photo."), shared_cache=not staff_only)


def jpeg_response(location: str | None, missing: str, *, shared_cache: bool = True) -> Response:
    """A stored photo; 404 saying ``missing`` when there is none."""
    if not location:
        return tk.abort(404, missing)
    try:
        data = photos.read(location)
    except FileNotFoundError:
        return tk.abort(404, missing)
    cache = "public, max-age=86400" if shared_cache else "private, no-store"
    return Response(data, mimetype="image/jpeg", headers={"Cache-Control": cache, "X-Content-Type-Options": "nosniff"})


def _staff_action(name: str, data: dict[str, Any]) -> tk.ValidationError | None:
    """Run one of the handling actions of a melding's page: 403 or 404 when refused, else its
    validation error (None when it was done)."""
    try:
        tk.get_action(name)(_context(), data)
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only editors and admins of the municipality that handles this report may change "
                                  "it."))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Report %(id)s does not exist.") % {"id": data["id"]})
    except tk.ValidationError as error:
        return error
    return None


@meldingen.route("/meldingen/<int:id>/bijwerken", methods=["POST"], endpoint="update")
def update(id: int) -> Any:
    data = {"id": id, "status": tk.request.form.get("status") or None, "text": tk.request.form.get("text") or None}
    error = _staff_action("melding_update_create", {k: v for k, v in data.items() if v is not None})
    if error is not None:
        melding = _show(id)
        return tk.render("openoverheid/meldingen/read.html", {
            "melding": melding, "can_handle": True, "errors": error.error_dict,
            "values": {"status": data["status"], "text": data["text"]},
        }), 400
    tk.h.flash_success(tk._("The report has been updated."))
    return tk.redirect_to("meldingen.read", id=id)


@meldingen.route("/meldingen/<int:id>/verbergen", methods=["POST"], endpoint="hide")
def hide(id: int) -> Any:
    hidden = tk.request.form.get("hidden", "true") != "false"
    error = _staff_action("melding_hide", {"id": id, "hidden": hidden, "reason": tk.request.form.get("reason") or None})
    if error is not None:
        return _error_page(error)
    tk.h.flash_success(tk._("The report is hidden.") if hidden else tk._("The report is visible again."))
    return tk.redirect_to("meldingen.read", id=id)


@meldingen.route("/meldingen/<int:id>/foto/verbergen", methods=["POST"], endpoint="hide_photo")
def hide_photo(id: int) -> Any:
    data = {"id": id, "reason": tk.request.form.get("reason", "").strip()}
    if tk.request.form.get("update_id"):
        data["update_id"] = tk.request.form["update_id"]
    error = _staff_action("melding_photo_hide", data)
    if error is not None:
        melding = _show(id)
        return tk.render("openoverheid/meldingen/read.html", {
            # One field on the page: its errors all belong to it (the page's other "reason" is the melding's).
            "melding": melding, "can_handle": True,
            "photo_errors": {"photo-reason": [m for ms in error.error_dict.values() for m in ms]},
            "photo_reason": data["reason"],
        }), 400
    tk.h.flash_success(tk._("The photo is hidden from the public."))
    return tk.redirect_to("meldingen.read", id=id)


# The queue's ``sorteer`` choices: oldest report first, or the earliest due first (no target last).
QUEUE_SORTS = {"gemeld": "requested asc", "termijn": "due asc"}


@meldingen.route("/meldingen/beheer", endpoint="queue")
def queue() -> Any:
    context = _context()
    try:
        tk.check_access("melding_queue", context, {})
    except tk.NotAuthorized:
        if not context["user"]:
            return tk.redirect_to("user.login", came_from=tk.h.url_for("meldingen.queue"))
        return tk.abort(403, tk._("The queue is for editors and admins of a municipality that handles reports."))
    filters = _args_filters(tk.request.args)
    filters.setdefault("status", tk.request.args.get("status", "open"))
    if tk.request.args.get("verborgen"):
        filters["only_hidden"] = True
    try:
        page = max(1, int(tk.request.args.get("pagina", 1)))
    except ValueError:
        page = 1
    sort = QUEUE_SORTS.get(tk.request.args.get("sorteer", ""), QUEUE_SORTS["gemeld"])
    try:
        result = tk.get_action("melding_queue")(
            context, dict(filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, sort=sort)
        )
    except tk.NotAuthorized:
        return tk.abort(403, tk._("You do not handle reports of this organisation."))
    except tk.ValidationError as error:
        return _error_page(error)
    query = {k: v for k, v in tk.request.args.items() if k != "pagina" and v}
    return tk.render("openoverheid/meldingen/queue.html", {
        "result": result, "page": page, "page_size": PAGE_SIZE, "query": query,
        "by_due": sort == QUEUE_SORTS["termijn"],
    })


DASHBOARD_ARGS = (("organisatie", "organization"), ("van", "start_date"), ("tot", "end_date"))
DASHBOARD_ERROR_ORDER = ("organization", "start_date", "end_date")


def _dashboard_access(context: dict[str, Any], came_from: str) -> Any:
    """None when the user may see the dashboard; else the login page (anonymous) or a 403."""
    try:
        tk.check_access("melding_statistics", context, {})
    except tk.NotAuthorized:
        if not context["user"]:
            return tk.redirect_to("user.login", came_from=came_from)
        return tk.abort(403, tk._("The dashboard is for editors and admins of the municipality that handles the "
                                  "reports."))
    return None


def _dashboard_request() -> dict[str, str]:
    return {key: tk.request.args.get(arg, "").strip() for arg, key in DASHBOARD_ARGS if tk.request.args.get(arg)}


@meldingen.route("/meldingen/dashboard", endpoint="dashboard")
def dashboard() -> Any:
    context = _context()
    refused = _dashboard_access(context, tk.h.url_for("meldingen.dashboard"))
    if refused is not None:
        return refused
    data = _dashboard_request()
    values = {arg: tk.request.args.get(arg, "") for arg, _key in DASHBOARD_ARGS}
    try:
        result = tk.get_action("melding_statistics")(context, data)
    except tk.NotAuthorized:
        return tk.abort(403, tk._("You do not handle reports of this organisation."))
    except tk.ValidationError as error:
        errors = {field: error.error_dict[field] for field in DASHBOARD_ERROR_ORDER if field in error.error_dict}
        return tk.render("openoverheid/meldingen/dashboard.html", {
            "result": None, "errors": errors or error.error_dict, "values": values,
        }), 400
    query = {"organisatie": result["organization"]["name"], "van": result["start_date"], "tot": result["end_date"]}
    return tk.render("openoverheid/meldingen/dashboard.html", {
        "result": result, "errors": {}, "values": query, "query": query,
        "heat_map": json.dumps({"cells": result["cells"], "cell_m": result["cell_m"]}),
    })


@meldingen.route("/meldingen/dashboard.csv", endpoint="dashboard_csv")
def dashboard_csv() -> Any:
    context = _context()
    refused = _dashboard_access(context, tk.h.url_for("meldingen.dashboard"))
    if refused is not None:
        return refused
    kind = tk.request.args.get("soort", "cijfers")
    if kind not in ("cijfers", "meldingen"):
        return _error_page(tk.ValidationError({"soort": [tk._("Choose soort=cijfers or soort=meldingen.")]}))
    try:
        result = tk.get_action("melding_statistics")(context, dict(_dashboard_request(), reports=kind == "meldingen"))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("You do not handle reports of this organisation."))
    except tk.ValidationError as error:
        return _error_page(error)
    text = (dashboard_files.reports_csv if kind == "meldingen" else dashboard_files.figures_csv)(result)
    filename = f"meldingen-{kind}-{result['organization']['name']}-{result['start_date']}-{result['end_date']}.csv"
    return Response(text.encode("utf-8"), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
    })


@meldingen.route("/meldingen/in-de-buurt.json", endpoint="nearby")
def nearby() -> Any:
    args = {k: tk.request.args.get(k) for k in ("lat", "lon", "service_code") if tk.request.args.get(k)}
    try:
        found = tk.get_action("melding_nearby")(_context(), args)
    except tk.ValidationError as error:
        return jsonify({"errors": error.error_dict}), 400
    return jsonify([{k: m[k] for k in ("id", "category", "status_name", "description", "distance_m", "url",
                                        "requested")} for m in found])


def get_blueprints() -> list[Blueprint]:
    from ckanext.openoverheid.meldingen import followup_views  # noqa: F401  (its routes join this blueprint)
    from ckanext.openoverheid.meldingen.feeds import feeds
    from ckanext.openoverheid.meldingen.open311.views import open311, open311_fallback

    return [meldingen, open311, open311_fallback, feeds]
