"""The actions of the reporter's follow-up (``meldingen/followup.py``, ``my_reports.py``): adding to
one's own report, answering "is it solved?", and "my reports". No account: the signed link in the
reporter's mail is the authority, so the auth functions let everyone in and the actions check the token.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib.redis import connect_to_redis

from ckanext.openoverheid import ratelimit
from ckanext.openoverheid.meldingen import followup, followup_tokens, my_reports, records, settings, submission
from ckanext.openoverheid.meldingen.followup_tokens import Purpose
from ckanext.openoverheid.meldingen.logic import schema
from ckanext.openoverheid.meldingen.logic.action import RateLimited, _get_melding, _request_ip, _validate
from ckanext.openoverheid.meldingen.model import Melding, utcnow
from ckanext.openoverheid.meldingen.public import lang, public_one


def _link_refused() -> tk.NotAuthorized:
    return tk.NotAuthorized(tk._(
        "This link does not work (any more). Use the link from the most recent e-mail about your report."))


def _melding_by_link(purpose: Purpose, data: dict[str, Any]) -> Melding:
    """The melding the link is for; NotAuthorized when the token is not a working link to it."""
    melding = _get_melding(data["id"])
    try:
        followup.check_link(purpose, melding, data["token"])
    except followup.LinkRefused:
        raise _link_refused() from None
    return melding


def _question_state(melding: Melding) -> str:
    try:
        followup.awaiting_answer(melding)
    except followup.AlreadyAnswered:
        return "answered"
    except followup.NotAsked:
        return "not_asked"
    return "open"


@tk.side_effect_free
def melding_followup_link_show(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """What a reporter's personal link opens: the melding and, for "is it solved?", whether the
    question is ``open``, ``answered`` or ``not_asked``. Changes nothing (mail scanners open links).

    :param id: the melding's number
    :type id: int
    :param token: the token of the link in the mail
    :type token: string
    :param purpose: ``add`` (add to the report) or ``solved`` (is it solved?)
    :type purpose: string
    :rtype: dictionary
    """
    tk.check_access("melding_followup_link_show", context, data_dict)
    data = _validate(data_dict, schema.melding_followup_link_show(), context)
    purpose = Purpose(data["purpose"])
    melding = _melding_by_link(purpose, data)
    result: dict[str, Any] = {"melding": public_one(melding, context.get("user"))}
    if purpose is Purpose.SOLVED:
        result["question"] = _question_state(melding)
    return result


def melding_reporter_update_create(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """The reporter adds text and/or a photo to their own report, through the link of their
    confirmation mail. Shown in the public history as the reporter's, never with their name or address.

    :param id: the melding's number
    :type id: int
    :param token: the token of the link in the confirmation mail
    :type token: string
    :param text: what to add, plain text, at most 4000 characters
    :type text: string
    :param photo: a JPEG, PNG or WebP upload (cleaned of metadata)
    :type photo: file
    :returns: the melding with its history
    :rtype: dictionary
    """
    tk.check_access("melding_reporter_update_create", context, data_dict)
    data = _validate(data_dict, schema.melding_reporter_update_create(), context)
    melding = _melding_by_link(Purpose.ADD, data)
    errors: dict[str, list[str]] = {}
    photo = submission.clean_photo({"photo": data_dict.get("photo")}, errors)
    if not errors and not data.get("text") and photo is None:
        errors["text"] = [tk._("Write what you want to add, or add a photo (or both).")]
    if errors:
        raise tk.ValidationError(errors)
    followup.add_reporter_update(melding, data.get("text"), photo)
    model.Session.refresh(melding)
    return public_one(melding, context.get("user"))


def melding_solved_answer(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """The reporter's answer to "is it solved?" (the link of that mail). ``false`` reopens the report
    and needs a ``comment`` saying what is still wrong. One answer per question.

    :param id: the melding's number
    :type id: int
    :param token: the token of the link in the mail
    :type token: string
    :param solved: true (solved) or false (not solved: reopen it)
    :type solved: bool
    :param comment: what is still wrong (required with ``false``), plain text, shown in the public history
    :type comment: string
    :returns: the melding with its history
    :rtype: dictionary
    """
    tk.check_access("melding_solved_answer", context, data_dict)
    data = _validate(data_dict, schema.melding_solved_answer(), context)
    if str((data_dict or {}).get("solved", "")).strip() == "":
        raise tk.ValidationError({"solved": [tk._("Choose yes or no.")]})
    melding = _melding_by_link(Purpose.SOLVED, data)
    if not data["solved"] and not data.get("comment"):
        raise tk.ValidationError({"comment": [tk._("Tell us what is still wrong, so it can be handled again.")]})
    try:
        followup.answer_solved(melding, bool(data["solved"]), data.get("comment"))
    except followup.AlreadyAnswered:
        raise tk.ValidationError({"solved": [tk._("You have already answered this question. Thank you!")]}) from None
    except followup.NotAsked:
        raise tk.ValidationError({"solved": [tk._(
            "This report is not waiting for your answer: the municipality has changed it since.")]}) from None
    model.Session.refresh(melding)
    return public_one(melding, context.get("user"))


def melding_my_reports_request(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Ask for a link to the reports made with an e-mail address. The link goes only to that address,
    and the answer is the same whether or not it made reports. Limited per address and per client.

    :param email: the e-mail address given when reporting
    :type email: string
    :returns: ``message``
    :rtype: dictionary
    """
    tk.check_access("melding_my_reports_request", context, data_dict)
    data = _validate(data_dict, schema.melding_my_reports_request(), context)
    email = data["email"]
    window, count = settings.rate_limit_window(), settings.my_reports_rate_limit()
    ip = context.get("reporter_ip") or _request_ip() or "unknown"
    try:
        ratelimit.hit(connect_to_redis(), [
            ratelimit.Limit("meldingen", "my-reports", f"ip:{ip}", count, window, "ip"),
            ratelimit.Limit("meldingen", "my-reports", f"email:{email.strip().lower()}", count, window, "address"),
        ])
    except ratelimit.RateLimited as error:
        raise RateLimited(tk._("Too many requests in a short time. Please try again later."),
                          error.retry_after) from None
    my_reports.send_link(email, lang(), utcnow())
    return {"message": tk._("If reports were made with this address in the last 12 months, we have sent a link "
                            "to it that shows them. Check your inbox (and your spam folder).")}


@tk.side_effect_free
def melding_my_reports_list(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """The reports made with the address a "my reports" link was mailed to, in the last 12 months,
    newest first. Hidden ones only by number and date (``hidden``: true).

    :param token: the token of the link in the mail
    :type token: string
    :returns: ``results``
    :rtype: dictionary
    """
    tk.check_access("melding_my_reports_list", context, data_dict)
    data = _validate(data_dict, schema.melding_my_reports_list(), context)
    try:
        email = my_reports.address_of(data["token"])
    except followup_tokens.TokenRefused:
        raise _link_refused() from None
    results = []
    for melding in my_reports.reports_of(email, utcnow()):
        if melding.hidden:
            results.append({"id": melding.id, "hidden": True, "requested": records.iso(melding.requested)})
            continue
        public = public_one(melding, None)
        results.append({key: public[key] for key in ("id", "category", "status", "status_name", "description",
                                                      "address", "requested", "updated", "url")} | {"hidden": False})
    return {"results": results}


def get_actions() -> dict[str, Callable[..., Any]]:
    return {
        "melding_followup_link_show": melding_followup_link_show,
        "melding_reporter_update_create": melding_reporter_update_create,
        "melding_solved_answer": melding_solved_answer,
        "melding_my_reports_request": melding_my_reports_request,
        "melding_my_reports_list": melding_my_reports_list,
    }
