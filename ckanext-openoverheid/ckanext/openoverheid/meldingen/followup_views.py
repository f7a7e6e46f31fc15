"""The reporter's pages, opened from the links in their mails: add to one's own report, answer "is it
solved?", and "my reports". Thin: they call the actions of ``logic/followup.py`` and render. A GET
never changes anything (mail scanners open links); the forms are anonymous, so their CSRF token is
checked here (as the report form does)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Response

from ckanext.openoverheid.form_tokens import anonymous_form_token_valid
from ckanext.openoverheid.meldingen.logic.action import RateLimited
from ckanext.openoverheid.meldingen.views import _context, _show, jpeg_response, meldingen

TEMPLATES = "openoverheid/meldingen/followup/"


def _expired_form() -> dict[str, list[str]]:
    return {"form": [tk._("The form has expired or was sent from elsewhere. Check it and send it again.")]}


def _refused_link(error: tk.NotAuthorized) -> tuple[str, int]:
    return tk.render(TEMPLATES + "link_refused.html", {"message": str(error)}), 403


def _link(id: int, token: str, purpose: str) -> dict[str, Any]:
    try:
        return tk.get_action("melding_followup_link_show")(_context(), {"id": id, "token": token, "purpose": purpose})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Report %(id)s does not exist.") % {"id": id})


@meldingen.route("/meldingen/<int:id>/aanvullen/<token>", methods=["GET", "POST"], endpoint="reporter_update")
def reporter_update(id: int, token: str) -> Any:
    try:
        link = _link(id, token, "add")
    except tk.NotAuthorized as error:
        return _refused_link(error)
    values = {"text": tk.request.form.get("text", "")}
    if tk.request.method == "GET":
        return tk.render(TEMPLATES + "add.html", {"melding": link["melding"], "token": token, "values": values})
    data: dict[str, Any] = {"id": id, "token": token, "text": values["text"].strip() or None}
    photo = next((upload for upload in tk.request.files.getlist("photo") if upload.filename), None)
    if photo is not None:
        data["photo"] = photo
    errors: dict[str, Any] = {} if anonymous_form_token_valid() else _expired_form()
    if not errors:
        try:
            tk.get_action("melding_reporter_update_create")(_context(), {k: v for k, v in data.items() if v})
        except tk.ValidationError as error:
            errors = error.error_dict
        except tk.NotAuthorized as error:
            return _refused_link(error)
    if errors:
        return tk.render(TEMPLATES + "add.html", {"melding": link["melding"], "token": token, "values": values,
                                                  "errors": errors}), 400
    tk.h.flash_success(tk._("Thank you: your addition is shown in the history of the report."))
    return tk.redirect_to("meldingen.read", id=id)


@meldingen.route("/meldingen/<int:id>/updates/<int:update_id>/foto", endpoint="update_photo")
@meldingen.route("/meldingen/<int:id>/updates/<int:update_id>/foto/klein", endpoint="update_thumbnail",
                 defaults={"small": True})
def update_photo(id: int, update_id: int, small: bool = False) -> Response:
    """A photo the reporter added: served only when its update is in the public history."""
    melding = _show(id)  # 404 unless the viewer may see the melding
    update = next((u for u in melding.get("updates", []) if u["id"] == update_id and u["photo_url"]), None)
    from ckan import model

    from ckanext.openoverheid.meldingen.model import MeldingUpdate

    stored = model.Session.get(MeldingUpdate, update_id) if update is not None else None
    location = (stored.photo_thumbnail if small else stored.photo) if stored is not None else None
    return jpeg_response(location, tk._("This update has no photo."))


@meldingen.route("/meldingen/<int:id>/opgelost/<token>", methods=["GET", "POST"], endpoint="solved")
def solved(id: int, token: str) -> Any:
    try:
        link = _link(id, token, "solved")
    except tk.NotAuthorized as error:
        return _refused_link(error)
    values = {"solved": tk.request.form.get("solved", tk.request.args.get("antwoord", "")),
              "comment": tk.request.form.get("comment", "")}
    page = {"melding": link["melding"], "token": token, "question": link["question"], "values": values}
    if tk.request.method == "GET" or link["question"] != "open":
        return tk.render(TEMPLATES + "solved.html", page)
    errors: dict[str, Any] = {} if anonymous_form_token_valid() else _expired_form()
    if not errors:
        data = {"id": id, "token": token, "solved": values["solved"], "comment": values["comment"].strip() or None}
        try:
            tk.get_action("melding_solved_answer")(_context(), {k: v for k, v in data.items() if v is not None})
        except tk.ValidationError as error:
            errors = error.error_dict
        except tk.NotAuthorized as error:
            return _refused_link(error)
    if errors:
        return tk.render(TEMPLATES + "solved.html", dict(page, errors=errors)), 400
    tk.h.flash_success(tk._("Thank you for your answer.") if values["solved"] == "true" else
                       tk._("Thank you: the report has been opened again."))
    return tk.redirect_to("meldingen.read", id=id)


@meldingen.route("/meldingen/mijn-meldingen", methods=["GET", "POST"], endpoint="my_reports")
def my_reports() -> Any:
    values = {"email": tk.request.form.get("email", "").strip()}
    if tk.request.method == "GET":
        return tk.render(TEMPLATES + "my_reports.html", {"values": values})
    if not anonymous_form_token_valid():
        return tk.render(TEMPLATES + "my_reports.html", {"values": values, "errors": _expired_form()}), 400
    context = dict(_context(), reporter_ip=tk.request.remote_addr)
    try:
        answer = tk.get_action("melding_my_reports_request")(context, values)
    except RateLimited as error:
        page = tk.render(TEMPLATES + "my_reports.html", {"values": values, "errors": error.error_dict})
        return Response(page, status=429, headers={"Retry-After": str(error.retry_after)})
    except tk.ValidationError as error:
        return tk.render(TEMPLATES + "my_reports.html", {"values": values, "errors": error.error_dict}), 400
    return tk.render(TEMPLATES + "my_reports.html", {"values": {}, "sent": answer["message"]})


@meldingen.route("/meldingen/mijn-meldingen/<token>", endpoint="my_reports_list")
def my_reports_list(token: str) -> Any:
    try:
        result = tk.get_action("melding_my_reports_list")(_context(), {"token": token})
    except tk.NotAuthorized as error:
        return _refused_link(error)
    return tk.render(TEMPLATES + "my_reports_list.html", {"results": result["results"]})
