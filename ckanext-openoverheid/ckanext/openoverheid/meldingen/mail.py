"""E-mail to the reporter when the municipality changes a melding or answers it.

Sent through CKAN's mailer (``smtp.*`` options). A mail that cannot be sent is logged and does not
undo the status change: the answer is public on the melding's page anyway.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ckan.plugins.toolkit as tk
from babel.support import NullTranslations, Translations
from ckan.lib import mailer

log = logging.getLogger(__name__)

I18N_DIR = Path(__file__).resolve().parents[1] / "i18n"


@functools.lru_cache(maxsize=8)
def _catalogue(locale: str) -> NullTranslations:
    """Our messages in ``locale``, read from the compiled catalogue. Not through Flask-Babel: a
    melding handled from the CLI (the demo, scripts) has no request to take a locale from."""
    return Translations.load(str(I18N_DIR), [locale], domain="ckanext-openoverheid")


def _body(_: Callable[[str], str], melding: dict[str, Any], update: dict[str, Any]) -> str:
    lines = [
        _("Hello,"),
        "",
        _('%(organization)s has updated your report "%(category)s" (number %(id)s).')
        % {
            "organization": melding["organization"]["title"] or melding["organization"]["name"],
            "category": melding["category"],
            "id": melding["service_request_id"],
        },
    ]
    if update.get("status") and update.get("status") != update.get("status_from"):
        lines += ["", _("New status: %(status)s") % {"status": update["status_name"]}]
    if update.get("text"):
        lines += ["", _("Response:"), update["text"]]
    lines += [
        "",
        _("See the report and its history: %(url)s") % {"url": melding["url"]},
        "",
        _("You receive this e-mail because you gave your e-mail address when reporting. "
          "Your address is not shown to anyone."),
    ]
    return "\n".join(lines)


def notify_reporter(email: str | None, melding: dict[str, Any], update: dict[str, Any]) -> bool:
    """Mail ``email`` about ``update`` of ``melding`` (public dicts); True when the mail went out."""
    if not email:
        return False
    _ = _catalogue(tk.config.get("ckan.locale_default") or "nl").gettext
    subject = _("Your report %(id)s: %(status)s") % {
        "id": melding["service_request_id"],
        "status": melding["status_name"],
    }
    body = _body(_, melding, update)
    try:
        mailer.mail_recipient("", email, subject, body)
    except mailer.MailerException as error:
        log.warning("Could not e-mail the reporter of melding %s: %s", melding["id"], error)
        return False
    return True
