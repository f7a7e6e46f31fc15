"""E-mail to whoever asks for or supports a request: the link that confirms their address (and with it
the request or the support). In the language of the page they used (nl, or en under ``/en/``).

Sent through CKAN's mailer (``smtp.*`` options). A mail that cannot be sent is logged without the
address; the request stays unconfirmed and asking again sends a new link. What happens to a request
afterwards is mailed through the alert system (``followers``).
"""

from __future__ import annotations

import logging
from typing import Any

from ckan.lib import mailer

from ckanext.openoverheid.translation import gettext_for

log = logging.getLogger(__name__)


def _send(email: str, subject: str, body: str, verzoek_id: object) -> bool:
    try:
        mailer.mail_recipient("", email, subject, body)
    except mailer.MailerException as error:
        log.warning("Could not send the confirmation of request %s: %s", verzoek_id, error)
        return False
    return True


def send_confirmation(email: str, language: str | None, verzoek: dict[str, Any], confirm_url: str, *,
                      supporting: bool, days: int) -> bool:
    """The link that makes a new request public (``supporting`` False) or counts a support."""
    _ = gettext_for(language or "nl")
    if supporting:
        subject = _('Confirm your support for "%(title)s"') % {"title": verzoek["titel"]}
        lead = _('You support the request "%(title)s". Open this link to confirm your e-mail address; '
                 "only then is your support counted:") % {"title": verzoek["titel"]}
    else:
        subject = _('Confirm your request "%(title)s"') % {"title": verzoek["titel"]}
        lead = _('Thank you for your request "%(title)s". Open this link to confirm your e-mail address; '
                 "only then is your request published:") % {"title": verzoek["titel"]}
    body = "\n".join([
        _("Hello,"),
        "",
        lead,
        confirm_url,
        "",
        _("The link works for %(days)s days. You will be e-mailed when the request is answered.") % {"days": days},
        "",
        _("Did you not ask for this? Then you can ignore this e-mail; nothing is published."),
        "",
        _("Your e-mail address is not shown to anyone."),
    ])
    return _send(email, subject, body, verzoek["id"])
