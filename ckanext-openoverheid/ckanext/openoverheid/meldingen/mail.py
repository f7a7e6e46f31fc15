"""E-mail to the reporter when the municipality changes a melding or answers it.

Sent through CKAN's mailer (``smtp.*`` options). A mail that cannot be sent is logged and does not
undo the status change: the answer is public on the melding's page anyway.
"""

from __future__ import annotations

import logging
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib import mailer
from flask_babel import force_locale

log = logging.getLogger(__name__)


def _body(melding: dict[str, Any], update: dict[str, Any]) -> str:
    lines = [
        tk._("Hello,"),
        "",
        tk._('%(organization)s has updated your report "%(category)s" (number %(id)s).')
        % {
            "organization": melding["organization"]["title"] or melding["organization"]["name"],
            "category": melding["category"],
            "id": melding["service_request_id"],
        },
    ]
    if update.get("status") and update.get("status") != update.get("status_from"):
        lines += ["", tk._("New status: %(status)s") % {"status": update["status_name"]}]
    if update.get("text"):
        lines += ["", tk._("Response:"), update["text"]]
    lines += [
        "",
        tk._("See the report and its history: %(url)s") % {"url": melding["url"]},
        "",
        tk._("You receive this e-mail because you gave your e-mail address when reporting. "
             "Your address is not shown to anyone."),
    ]
    return "\n".join(lines)


def notify_reporter(email: str | None, melding: dict[str, Any], update: dict[str, Any]) -> bool:
    """Mail ``email`` about ``update`` of ``melding`` (public dicts); True when the mail went out."""
    if not email:
        return False
    locale = tk.config.get("ckan.locale_default") or "nl"
    with force_locale(locale):
        subject = tk._("Your report %(id)s: %(status)s") % {
            "id": melding["service_request_id"],
            "status": melding["status_name"],
        }
        body = _body(melding, update)
    try:
        mailer.mail_recipient("", email, subject, body)
    except mailer.MailerException as error:
        log.warning("Could not e-mail the reporter of melding %s: %s", melding["id"], error)
        return False
    return True
