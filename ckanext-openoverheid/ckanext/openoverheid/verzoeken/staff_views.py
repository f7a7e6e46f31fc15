"""The staff side of the verzoeken pages: answering, hiding and forwarding a request (POST forms on its
page), and the list of requests to handle. Thin: they call the actions and render. CKAN's CSRF check
covers every POST of a signed-in user."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import ckan.plugins.toolkit as tk
from flask import Blueprint
from werkzeug.routing import BuildError

from ckanext.openoverheid.staff import staff_organization_ids

verzoeken_staff = Blueprint("verzoeken_staff", __name__)

PAGE_SIZE = 50
ANSWER_FIELDS = ("status", "antwoord", "dataset", "review_date")


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else None}


def dataset_reference(text: str | None) -> str | None:
    """The dataset's name from what staff typed: its name or id, or the address of its page
    (``https://…/dataset/<name>``, ``/publicatie/<name>``, with or without a trailing slash)."""
    text = (text or "").strip()
    if not text:
        return None
    if "/" not in text:
        return text
    segments = [part for part in urlsplit(text).path.split("/") if part]
    if segments and len(segments[0]) == 2:  # a language prefix (/en/dataset/…)
        segments = segments[1:]
    # /<type>/<name>[/resource/<id>…]: the name follows the dataset type
    return segments[1] if len(segments) >= 2 else (segments[0] if segments else text)


def answer_data(form: Any, verzoek_id: int) -> dict[str, Any]:
    """The fields of the answer form as ``verzoek_update`` takes them; empty fields left out."""
    data: dict[str, Any] = {"id": verzoek_id}
    for name in ANSWER_FIELDS:
        value = (form.get(name) or "").strip()
        if value:
            data[name] = value
    if "dataset" in data:
        data["dataset"] = dataset_reference(data["dataset"])
    # The closure only belongs to a refusal; its fields stay in the form (hidden) when another status is chosen.
    if data.get("status") == "afgewezen" and form.get("gesloten"):
        data["gesloten"] = True
        data["woo_grounds"] = form.getlist("woo_grounds")
    else:
        data.pop("review_date", None)
    if data.get("status") != "gepubliceerd":
        data.pop("dataset", None)
    return data


def _show(verzoek_id: int) -> dict[str, Any]:
    try:
        return tk.get_action("verzoek_show")(_context(), {"id": verzoek_id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Request %(id)s does not exist.") % {"id": verzoek_id})


def _staff_action(name: str, data: dict[str, Any]) -> tk.ValidationError | None:
    """Run one handling action: 403 or 404 when refused, else its validation error (None when done)."""
    try:
        tk.get_action(name)(_context(), data)
    except tk.NotAuthorized:
        return tk.abort(403, tk._(
            "Only editors and admins of the organisation this request is addressed to may answer it."))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Request %(id)s does not exist.") % {"id": data["id"]})
    except tk.ValidationError as error:
        return error
    return None


def _to_request(verzoek_id: int) -> Any:
    """Back to the request's public page (its staff forms are on it)."""
    try:
        return tk.redirect_to("verzoeken.read", id=verzoek_id)
    except BuildError:  # the public pages are not there: the forms' own page
        return tk.redirect_to("verzoeken_staff.update", id=verzoek_id)


def _answer_page(verzoek_id: int, **extra: Any) -> str:
    if not tk.h.check_access("verzoek_update", {"id": verzoek_id}):
        return tk.abort(403, tk._(
            "Only editors and admins of the organisation this request is addressed to may answer it."))
    return tk.render("openoverheid/verzoeken/staff_answer.html", {"verzoek": _show(verzoek_id), **extra})


@verzoeken_staff.route("/verzoeken/<int:id>/beantwoorden", methods=["GET", "POST"], endpoint="update")
def update(id: int) -> Any:
    """The answer form alone (GET; and where a rejected answer is shown again with its errors)."""
    if tk.request.method == "GET":
        return _answer_page(id, values={}, errors={})
    form = tk.request.form
    data = answer_data(form, id)
    error = _staff_action("verzoek_update", data)
    if error is not None:
        values = {name: form.get(name, "") for name in ANSWER_FIELDS}
        values["gesloten"] = bool(form.get("gesloten"))
        values["woo_grounds"] = form.getlist("woo_grounds")
        return _answer_page(id, values=values, errors=error.error_dict), 400
    tk.h.flash_success(tk._("The request has been answered; its requester and supporters are told by e-mail."))
    return _to_request(id)


@verzoeken_staff.route("/verzoeken/<int:id>/verbergen", methods=["POST"], endpoint="hide")
def hide(id: int) -> Any:
    hidden = tk.request.form.get("hidden", "true") != "false"
    reason = (tk.request.form.get("reason") or "").strip()
    data: dict[str, Any] = {"id": id, "hidden": hidden}
    if reason:
        data["reason"] = reason
    error = _staff_action("verzoek_hide", data)
    if error is not None:
        return _answer_page(id, values={}, errors={}, hide_errors=error.error_dict, hide_reason=reason), 400
    tk.h.flash_success(tk._("The request is hidden.") if hidden else tk._("The request is visible again."))
    return _to_request(id)


@verzoeken_staff.route("/verzoeken/<int:id>/doorsturen", methods=["POST"], endpoint="forward")
def forward(id: int) -> Any:
    organisatie = (tk.request.form.get("organisatie") or "").strip()
    if not organisatie:
        error: tk.ValidationError | None = tk.ValidationError(
            {"organisatie": [tk._("Choose the organisation that should answer this request.")]})
    else:
        error = _staff_action("verzoek_update", {"id": id, "organisatie": organisatie})
    if error is not None:
        return _answer_page(id, values={}, errors={}, forward_errors=error.error_dict,
                            forward_value=organisatie), 400
    tk.h.flash_success(tk._("The request has been sent on to the other organisation."))
    if tk.h.check_access("verzoek_update", {"id": id}):
        return _to_request(id)
    return tk.redirect_to("verzoeken_staff.queue")


def _queue_organisations(user: str) -> list[dict[str, Any]]:
    ids = set(staff_organization_ids(user))
    organisations = tk.get_action("organization_list")(
        {"user": user}, {"all_fields": True, "limit": 1000})
    return [org for org in organisations if org["id"] in ids]


@verzoeken_staff.route("/verzoeken/behandelen", endpoint="queue")
def queue() -> Any:
    """The open requests of the organisations the user handles, oldest first, hidden ones included."""
    context = _context()
    if not context["user"]:
        return tk.redirect_to("user.login", came_from=tk.h.url_for("verzoeken_staff.queue"))
    organisations = _queue_organisations(context["user"])
    if not organisations and not tk.current_user.sysadmin:
        return tk.abort(403, tk._("This list is for editors and admins of an organisation that answers requests."))
    chosen = tk.request.args.get("organisatie") or ""
    status = tk.request.args.get("status") or "open"
    try:
        page = max(1, int(tk.request.args.get("pagina", 1)))
    except ValueError:
        page = 1
    params: dict[str, Any] = {"status": status, "sort": "oud", "include_hidden": True, "behandelen": True,
                              "limit": PAGE_SIZE, "offset": (page - 1) * PAGE_SIZE}
    if chosen:
        params["organisatie"] = chosen
    try:
        result = tk.get_action("verzoek_list")(context, params)
    except tk.ValidationError as error:
        return tk.abort(400, " ".join(m for ms in error.error_dict.values() for m in ms))
    counts = {org["name"]: tk.get_action("verzoek_list")(context, {
        "status": "open", "organisatie": org["name"], "include_hidden": True, "behandelen": True, "limit": 0,
    })["count"] for org in organisations}
    return tk.render("openoverheid/verzoeken/staff_queue.html", {
        "result": result, "organisations": organisations, "counts": counts, "chosen": chosen, "status": status,
        "page": page, "page_size": PAGE_SIZE,
    })


def get_blueprints() -> list[Blueprint]:
    return [verzoeken_staff]
