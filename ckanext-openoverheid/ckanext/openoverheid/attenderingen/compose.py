"""Whole messages: plain text and HTML, the subscriber's language, and the headers that let a mail
program offer one-click unsubscribe (RFC 2369 ``List-Unsubscribe``, RFC 8058 ``List-Unsubscribe-Post``).

Bodies are Jinja templates of their own (``templates/attenderingen/mail/``) rendered outside Flask, since
mails are composed by background jobs; autoescaping is on for the HTML part.
"""

from __future__ import annotations

import email.policy
import email.utils
import functools
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import ckan.plugins.toolkit as tk
import jinja2

from ckanext.openoverheid.attenderingen.translation import gettext_for, ngettext_for

MAIL_TEMPLATES = Path(__file__).with_name("templates") / "attenderingen" / "mail"


@functools.lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(MAIL_TEMPLATES)),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default_for_string=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


@dataclass(frozen=True)
class Envelope:
    to: str
    subject: str
    locale: str
    unsubscribe_url: str | None = None
    manage_url: str | None = None


def site_title() -> str:
    return tk.config.get("ckan.site_title") or "Open Overheid"


def mail_from() -> str:
    return tk.config.get("smtp.mail_from") or "noreply@openoverheid.localhost"


def message_id(kind: str, number: int) -> str:
    domain = mail_from().rpartition("@")[2] or "openoverheid.localhost"
    site = tk.config.get("ckan.site_id") or "default"
    return f"<attendering-{kind}-{number}.{site}@{domain}>"


def render(template: str, envelope: Envelope, **values: Any) -> tuple[str, str]:
    """The text and HTML bodies of ``template`` (``<template>.txt`` and ``<template>.html``)."""
    _ = gettext_for(envelope.locale)
    shared = {"_": _, "ngettext": ngettext_for(envelope.locale), "site_title": site_title(),
              "unsubscribe_url": envelope.unsubscribe_url, "manage_url": envelope.manage_url,
              "locale": envelope.locale, **values}
    environment = _environment()
    return (environment.get_template(f"{template}.txt").render(**shared),
            environment.get_template(f"{template}.html").render(**shared))


def build(envelope: Envelope, text: str, html: str, *, kind: str, number: int) -> EmailMessage:
    message = EmailMessage(policy=email.policy.SMTP)
    message["From"] = email.utils.formataddr((site_title(), mail_from()))
    message["To"] = envelope.to
    message["Subject"] = envelope.subject
    message["Date"] = email.utils.formatdate(localtime=False)
    message["Message-ID"] = message_id(kind, number)
    message["Auto-Submitted"] = "auto-generated"
    if envelope.unsubscribe_url:
        message["List-Unsubscribe"] = f"<{envelope.unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    message["Content-Language"] = envelope.locale  # after the parts: set_content drops Content-* headers
    return message
