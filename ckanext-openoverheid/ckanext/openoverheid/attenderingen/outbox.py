"""The queue of outgoing mail, in the database, and its sending: nothing is lost while SMTP is down.

``queue`` stores a whole message in the caller's transaction (with the deliveries it tells of, so a
mail and its "told" marks exist together or not at all). ``send_due`` sends what is due, one row locked
at a time (``FOR UPDATE SKIP LOCKED``: several workers never send the same mail), and marks it sent in
the same transaction. When the server cannot be reached or refuses for now the mail waits, twice as
long each time (1 minute up to 6 hours), and the run stops: the rest would fail the same way. A
recipient refused for good (5xx) fails that mail alone, at once.

One gap no SMTP client closes: the server accepted a mail and the worker died before its commit. That
mail is sent again, with the same ``Message-ID``, which mail systems use to drop the duplicate.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage

import ckan.model as model
import ckan.plugins.toolkit as tk
import sqlalchemy as sa

from ckanext.openoverheid.attenderingen import settings
from ckanext.openoverheid.attenderingen.model import MailStatus, OutgoingMail, utcnow
from ckanext.openoverheid.personal_data import without_addresses

log = logging.getLogger(__name__)

FIRST_WAIT = dt.timedelta(minutes=1)
LONGEST_WAIT = dt.timedelta(hours=6)


class MailServerUnavailable(Exception):
    """The SMTP server could not be reached or refused the mail for now; it will be tried again later."""


class RecipientRefused(Exception):
    """The server refused the recipient for good (a 5xx answer to RCPT): trying again would not help."""


@dataclass
class SendSummary:
    sent: int = 0
    postponed: int = 0
    failed: int = 0


def queue(subscriber_id: str, subscription_id: str | None, kind: str,
          build: Callable[[int], EmailMessage]) -> OutgoingMail:
    """Store the message ``build(number)`` makes (the number goes into its Message-ID); not committed."""
    mail = OutgoingMail(subscriber_id=subscriber_id, subscription_id=subscription_id, kind=kind, message="",
                        status=MailStatus.PENDING, next_attempt=utcnow())
    model.Session.add(mail)
    model.Session.flush()
    mail.message = build(mail.id).as_string()
    return mail


def wait_after(attempts: int) -> dt.timedelta:
    """How long to wait after the ``attempts``-th failed try."""
    return min(LONGEST_WAIT, FIRST_WAIT * (2 ** max(0, attempts - 1)))


def _server() -> tuple[str, int]:
    text = tk.config.get("smtp.server") or "localhost"
    host, _, port = text.rpartition(":") if ":" in text else (text, "", "25")
    return host, int(port or 25)


def deliver(message_text: str) -> None:
    """Hand one message to the configured SMTP server (CKAN's ``smtp.*`` options)."""
    from email import message_from_string
    from email.policy import SMTP

    message = message_from_string(message_text, policy=SMTP)
    host, port = _server()
    try:
        with smtplib.SMTP(host, port, timeout=30) as connection:
            connection.ehlo()
            if tk.asbool(tk.config.get("smtp.starttls")):
                connection.starttls(context=ssl.create_default_context())
                connection.ehlo()
            user = tk.config.get("smtp.user")
            if user:
                connection.login(user, tk.config.get("smtp.password") or "")
            connection.send_message(message, from_addr=tk.config.get("smtp.mail_from") or None)
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _ in error.recipients.values()]
        if codes and all(code >= 500 for code in codes):
            raise RecipientRefused(f"refused with {sorted(set(codes))}") from None
        raise MailServerUnavailable(f"recipient refused for now ({sorted(set(codes))})") from None
    except (OSError, smtplib.SMTPException) as error:
        # a refusal quotes the recipient: logged, so without it
        raise MailServerUnavailable(without_addresses(f"{type(error).__name__}: {error}")) from None


def _next_due(now: dt.datetime, only: int | None) -> OutgoingMail | None:
    query = (model.Session.query(OutgoingMail)
             .filter(OutgoingMail.status == MailStatus.PENDING, OutgoingMail.next_attempt <= now))
    if only is not None:
        query = query.filter(OutgoingMail.id == only)
    return query.order_by(OutgoingMail.id).with_for_update(skip_locked=True).first()


def send_due(now: dt.datetime | None = None, *, limit: int = 500, only: int | None = None) -> SendSummary:
    """Send what is due (or only mail ``only``), oldest first; see the module docstring."""
    summary = SendSummary()
    now = now or utcnow()
    for _ in range(limit):
        mail = _next_due(now, only)
        if mail is None:
            break
        try:
            deliver(mail.message)
        except RecipientRefused as error:  # the next mail, to someone else, may well go
            mail.attempts += 1
            mail.status = MailStatus.FAILED
            summary.failed += 1
            log.warning("Alert mail %s not sent, its recipient was refused: %s", mail.id, error)
            model.Session.commit()
            continue
        except MailServerUnavailable as error:
            mail.attempts += 1
            if mail.attempts >= settings.retry_max_attempts():
                mail.status = MailStatus.FAILED
                summary.failed += 1
                log.error("Gave up on alert mail %s after %s attempts: %s", mail.id, mail.attempts, error)
            else:
                mail.next_attempt = now + wait_after(mail.attempts)
                summary.postponed += 1
                log.warning("Alert mail %s not sent (attempt %s), retried after %s: %s",
                            mail.id, mail.attempts, mail.next_attempt.isoformat(), error)
            model.Session.commit()
            break
        mail.status = MailStatus.SENT
        mail.sent = utcnow()
        mail.attempts += 1
        model.Session.commit()
        summary.sent += 1
    return summary


def sent_to_since(subscriber_id: str, since: dt.datetime, kinds: tuple[str, ...]) -> int:
    """How many mails of ``kinds`` were queued for this address since ``since`` (for the daily cap)."""
    return int(model.Session.query(sa.func.count(OutgoingMail.id)).filter(
        OutgoingMail.subscriber_id == subscriber_id, OutgoingMail.kind.in_(kinds),
        OutgoingMail.created >= since).scalar() or 0)
