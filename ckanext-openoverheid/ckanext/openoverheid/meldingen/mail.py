"""E-mail to the reporter: the confirmation of their melding (with the personal link to add to it),
every change or answer by the municipality, the question "is it solved?" and the link to "my reports".
Each in the reporter's language (``MeldingContact.language``: the language of the report form).

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
        _footer(_),
    ]
    return "\n".join(lines)


def _gettext(language: str | None) -> Callable[[str], str]:
    return _catalogue(language or tk.config.get("ckan.locale_default") or "nl").gettext


def _send(email: str, subject: str, body: str, melding_id: object) -> bool:
    try:
        mailer.mail_recipient("", email, subject, body)
    except mailer.MailerException as error:
        log.warning("Could not e-mail the reporter of melding %s: %s", melding_id, error)
        return False
    return True


def _footer(_: Callable[[str], str]) -> str:
    return _("You receive this e-mail because you gave your e-mail address when reporting. "
             "Your address is not shown to anyone.")


def notify_reporter(email: str | None, melding: dict[str, Any], update: dict[str, Any],
                    language: str | None = None) -> bool:
    """Mail ``email`` about ``update`` of ``melding`` (public dicts); True when the mail went out."""
    if not email:
        return False
    _ = _gettext(language)
    subject = _("Your report %(id)s: %(status)s") % {
        "id": melding["service_request_id"],
        "status": melding["status_name"],
    }
    return _send(email, subject, _body(_, melding, update), melding["id"])


def send_confirmation(email: str, language: str | None, melding: dict[str, Any], add_url: str) -> bool:
    """The receipt of a new melding: its number, category, public page and the personal link to add to it."""
    _ = _gettext(language)
    subject = _("Your report %(id)s has been received") % {"id": melding["service_request_id"]}
    body = "\n".join([
        _("Hello,"),
        "",
        _('Thank you for your report "%(category)s". It has number %(id)s; %(organization)s will look at it.')
        % {"category": melding["category"], "id": melding["service_request_id"],
           "organization": melding["organization"]["title"] or melding["organization"]["name"]},
        "",
        _("Follow it on its public page: %(url)s") % {"url": melding["url"]},
        "",
        _("Something to add, or a photo? Use this personal link (do not share it): %(url)s") % {"url": add_url},
        "",
        _footer(_),
    ])
    return _send(email, subject, body, melding["id"])


def ask_if_solved(email: str, language: str | None, melding: dict[str, Any], answer_url: str) -> bool:
    """The question "is it solved?" a few days after the municipality closed the melding."""
    _ = _gettext(language)
    subject = _("Is your report %(id)s solved?") % {"id": melding["service_request_id"]}
    body = "\n".join([
        _("Hello,"),
        "",
        _('%(organization)s marked your report "%(category)s" (number %(id)s) as solved.')
        % {"organization": melding["organization"]["title"] or melding["organization"]["name"],
           "category": melding["category"], "id": melding["service_request_id"]},
        "",
        _("Is the problem really solved? Let us know; if it is not, the report is opened again: %(url)s")
        % {"url": answer_url},
        "",
        _("See the report and its history: %(url)s") % {"url": melding["url"]},
        "",
        _footer(_),
    ])
    return _send(email, subject, body, melding["id"])


def send_my_reports_link(email: str, language: str | None, url: str, hours: int) -> bool:
    """The link to the list of reports made with ``email``."""
    _ = _gettext(language)
    body = "\n".join([
        _("Hello,"),
        "",
        _("You asked for the reports made with this e-mail address. This link shows them for %(hours)s hours:")
        % {"hours": hours},
        url,
        "",
        _("Did you not ask for this? Then you can ignore this e-mail."),
    ])
    return _send(email, _("Your reports"), body, "-")
