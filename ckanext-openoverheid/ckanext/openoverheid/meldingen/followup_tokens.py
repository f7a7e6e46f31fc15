"""The personal links in the mails to a reporter: signed, so no token table is needed, and a forged
one or one for another melding is refused.

Each kind of link has its own salt: a link to add to a report cannot answer "is it solved?", nor list
the reports of an address. The links to one melding carry its number and live as long as the contact
data is kept (``followup_link_days``); the "my reports" link carries an e-mail address and is short-lived
(``my_reports_link_hours``).
"""

from __future__ import annotations

import datetime as dt
import enum

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ckanext.openoverheid import signed_links


class Purpose(enum.StrEnum):
    ADD = "add"  # add text or a photo to one's own report
    SOLVED = "solved"  # answer "is it solved?"
    MY_REPORTS = "my-reports"  # list the reports made with one address


class TokenRefused(Exception):
    """Forged, damaged, for another purpose or melding, or too old: the link does not work."""


def _serializer(purpose: Purpose) -> URLSafeTimedSerializer:
    return signed_links.serializer(f"openoverheid-meldingen-{purpose}", "the reporter's links")


def make(purpose: Purpose, subject: str) -> str:
    return _serializer(purpose).dumps(subject)


def read(purpose: Purpose, token: str, max_age: dt.timedelta) -> str:
    """What ``token`` was made for; TokenRefused otherwise."""
    try:
        value = _serializer(purpose).loads(token, max_age=int(max_age.total_seconds()))
    except (SignatureExpired, BadSignature):
        raise TokenRefused(purpose) from None
    if not isinstance(value, str):
        raise TokenRefused(purpose)
    return value


def for_melding(purpose: Purpose, melding_id: int) -> str:
    return make(purpose, str(melding_id))


def melding_of(purpose: Purpose, token: str, melding_id: int, max_age: dt.timedelta) -> None:
    """TokenRefused unless ``token`` is a valid ``purpose`` link of melding ``melding_id``."""
    if read(purpose, token, max_age) != str(melding_id):
        raise TokenRefused(purpose)
