"""The links in the mails: signed, so no token table is needed and a forged one is refused.

Each purpose has its own salt: a confirmation token cannot unsubscribe, nor an unsubscribe token open
the manage page. Confirmation and manage tokens carry their time and expire; unsubscribe tokens do
not (an old mail's one-click link must keep working, RFC 8058). A used link is harmless: the
subscription it names is already confirmed or gone, which the views say in so many words.
"""

from __future__ import annotations

import datetime as dt
import enum

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ckanext.openoverheid import signed_links


class Purpose(enum.StrEnum):
    CONFIRM = "confirm"
    UNSUBSCRIBE = "unsubscribe"
    UNSUBSCRIBE_ALL = "unsubscribe-all"  # in mails about the address rather than one subscription
    MANAGE = "manage"


class TokenExpired(Exception):
    """Signed by us, but older than its purpose allows."""


class TokenInvalid(Exception):
    """Not signed by us (forged, damaged by a mail program, or for another purpose)."""


def _serializer(purpose: Purpose) -> URLSafeTimedSerializer:
    return signed_links.serializer(f"openoverheid-attenderingen-{purpose}", "the alert links")


def make(purpose: Purpose, subject_id: str) -> str:
    return _serializer(purpose).dumps(subject_id)


def read(purpose: Purpose, token: str, max_age: dt.timedelta | None = None) -> str:
    """The id ``token`` was made for; TokenExpired or TokenInvalid otherwise."""
    serializer = _serializer(purpose)
    try:
        if max_age is None:
            value = serializer.loads(token)
        else:
            value = serializer.loads(token, max_age=int(max_age.total_seconds()))
    except SignatureExpired:
        raise TokenExpired(purpose) from None
    except BadSignature:
        raise TokenInvalid(purpose) from None
    if not isinstance(value, str):
        raise TokenInvalid(purpose)
    return value
