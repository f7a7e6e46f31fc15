"""The alert pages: subscribe, the links in the mails (confirm, unsubscribe), "my alerts". Thin: they
call the actions and render. The forms work without JavaScript and keep what was typed on an error.

The unsubscribe link answers a POST without a CSRF token: that is RFC 8058's one-click unsubscribe,
which a mail provider sends on the subscriber's behalf with ``List-Unsubscribe=One-Click`` and no
cookies; the signed token in the URL is the proof. Every other form checks its CSRF token.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.config.middleware.flask_app import csrf
from flask import Blueprint, Response

from ckanext.openoverheid.attenderingen.logic.action import TooManyConfirmations
from ckanext.openoverheid.attenderingen.sources import available
from ckanext.openoverheid.form_tokens import anonymous_form_token_valid

attenderingen = Blueprint("attenderingen", __name__)

FORM_FIELDS = ("email", "soort", "postcode", "huisnummer", "toevoeging", "lat", "lon", "straal", "tijd", "bbox",
               "melding", "organization", "theme", "q")
LIST_FIELDS = ("soorten",)
HONEYPOT = "website"


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else None}



def _values(source: Any) -> dict[str, Any]:
    values: dict[str, Any] = {k: source.get(k, "") for k in FORM_FIELDS if source.get(k)}
    for key in LIST_FIELDS:
        chosen = [v for v in source.getlist(key) if v]
        if len(chosen) == 1 and "," in chosen[0]:
            chosen = chosen[0].split(",")
        if chosen:
            values[key] = chosen
    return values


def _form(values: dict[str, Any], errors: dict[str, Any] | None = None, status: int = 200) -> tuple[str, int]:
    # A kind about one item (a request) is followed from that item's page, not chosen on this form.
    offered = {code: source for code, source in available().items() if getattr(source, "in_form", True)}
    soort = values.get("soort") if values.get("soort") in offered else None
    return tk.render("attenderingen/new.html", {
        "values": values, "errors": errors or {}, "soort": soort, "soorten": list(offered),
    }), status


@attenderingen.route("/attenderingen", methods=["GET", "POST"], endpoint="new")
def new() -> Any:
    if tk.request.method == "GET":
        return _form(_values(tk.request.args))
    values = _values(tk.request.form)
    if not anonymous_form_token_valid():
        return _form(values, {"form": [tk._("The form had expired. Please send it again.")]}, 400)
    if tk.request.form.get(HONEYPOT):
        return _form(values, {"form": [tk._("Your subscription could not be sent.")]}, 400)
    try:
        result = tk.get_action("attendering_create")(_context(), dict(values))
    except TooManyConfirmations as error:
        page, _ = _form(values, error.error_dict, 429)
        return Response(page, status=429, headers={"Retry-After": str(error.retry_after)})
    except tk.ValidationError as error:
        return _form(values, error.error_dict, 400)
    return tk.render("attenderingen/sent.html", {"subscription": result})


def _outcome_page(outcome: str, subscription: dict[str, Any] | None, status: int = 200) -> tuple[str, int]:
    return tk.render("attenderingen/outcome.html", {"outcome": outcome, "subscription": subscription}), status


@attenderingen.route("/attenderingen/bevestig/<token>", endpoint="confirm")
def confirm(token: str) -> Any:
    result = tk.get_action("attendering_confirm")(_context(), {"token": token})
    ok = result["outcome"] in ("confirmed", "already_confirmed")
    return _outcome_page(result["outcome"], result["subscription"], 200 if ok else 404)


@attenderingen.route("/attenderingen/afmelden/<token>", methods=["GET", "POST"], endpoint="unsubscribe")
@csrf.exempt
def unsubscribe(token: str) -> Any:
    if tk.request.method == "GET":
        from ckanext.openoverheid.attenderingen import subscriptions

        peeked = subscriptions.peek_unsubscribe(token)
        if peeked.subscription is None:
            return _outcome_page(str(peeked.outcome), None, 404)
        return tk.render("attenderingen/unsubscribe.html", {"subscription": peeked.subscription, "token": token})
    result = tk.get_action("attendering_unsubscribe")(_context(), {"token": token})
    if "List-Unsubscribe=One-Click" in (tk.request.get_data(as_text=True) or ""):
        return Response(status=200 if result["outcome"] == "ended" else 404)  # a mail provider: no page needed
    return _outcome_page(result["outcome"], result["subscription"], 200 if result["outcome"] == "ended" else 404)


@attenderingen.route("/attenderingen/beheer", methods=["GET", "POST"], endpoint="manage_request")
def manage_request() -> Any:
    values = {"email": tk.request.form.get("email", "")} if tk.request.method == "POST" else {}
    if tk.request.method == "GET":
        return tk.render("attenderingen/manage_request.html", {"values": values, "errors": {}})
    if not anonymous_form_token_valid():
        errors: dict[str, Any] = {"form": [tk._("The form had expired. Please send it again.")]}
        return tk.render("attenderingen/manage_request.html", {"values": values, "errors": errors}), 400
    try:
        result = tk.get_action("attendering_manage_link")(_context(), dict(values))
    except TooManyConfirmations as error:
        page = tk.render("attenderingen/manage_request.html", {"values": values, "errors": error.error_dict})
        return Response(page, status=429, headers={"Retry-After": str(error.retry_after)})
    except tk.ValidationError as error:
        return tk.render("attenderingen/manage_request.html", {"values": values, "errors": error.error_dict}), 400
    return tk.render("attenderingen/manage_request.html", {"values": {}, "errors": {}, "message": result["message"]})


@attenderingen.route("/attenderingen/beheer/<token>", methods=["GET", "POST"], endpoint="manage")
def manage(token: str) -> Any:
    notice = None
    errors: dict[str, Any] = {}
    if tk.request.method == "POST":
        if not anonymous_form_token_valid():
            errors = {"form": [tk._("The form had expired. Please send it again.")]}
        else:
            try:
                notice = _manage_post(token)
            except tk.ObjectNotFound:
                pass  # shown below, as for a GET
            except tk.ValidationError as error:
                errors = error.error_dict
    try:
        listed = tk.get_action("attendering_list")(_context(), {"token": token})
    except tk.ObjectNotFound as error:
        if notice is None:
            return _outcome_page(str(error.message or "unknown"), None, 404)
        listed = {"address": None, "subscriptions": []}  # the last one ended: the address is gone too
    changed = tk.request.form.get("id") if errors else None  # the subscription whose fields get the errors
    return tk.render("attenderingen/manage.html", {"listed": listed, "token": token, "notice": notice,
                                                   "errors": errors, "changed": changed}), 400 if errors else 200


def _manage_post(token: str) -> str:
    form = tk.request.form
    if form.get("action") == "delete_all":
        tk.get_action("attendering_delete")(_context(), {"token": token, "all": True})
        return tk._("All your alerts have ended. Your e-mail address has been deleted.")
    if form.get("action") == "delete":
        tk.get_action("attendering_delete")(_context(), {"token": token, "id": form.get("id", "")})
        return tk._("The alert has ended.")
    changes = {k: v for k, v in _values(form).items() if k in ("straal", "soorten", "tijd")}
    if "soorten" not in changes and form.get("soorten_shown"):
        changes["soorten"] = []
    tk.get_action("attendering_update")(_context(), {"token": token, "id": form.get("id", ""), **changes})
    return tk._("The alert has been changed.")


def get_blueprints() -> list[Blueprint]:
    return [attenderingen]
