"""The link in a confirmation mail: signed (no token table), naming one supporter row, expiring after
``confirm_days``. Its own salt: a token of another kind of link never confirms a request."""

from __future__ import annotations

import datetime as dt

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ckanext.openoverheid import signed_links


class TokenExpired(Exception):
    """Signed by us, but older than the confirmation lifetime."""


class TokenInvalid(Exception):
    """Not signed by us (forged, damaged by a mail program, or made for another purpose)."""


def _serializer() -> URLSafeTimedSerializer:
    return signed_links.serializer("openoverheid-verzoeken-confirm", "the confirmation links of requests")


def make(steun_id: int) -> str:
    return _serializer().dumps(steun_id)


def read(token: str, max_age: dt.timedelta) -> int:
    """The supporter row ``token`` was made for; TokenExpired or TokenInvalid otherwise."""
    try:
        value = _serializer().loads(token, max_age=int(max_age.total_seconds()))
    except SignatureExpired:
        raise TokenExpired() from None
    except BadSignature:
        raise TokenInvalid() from None
    if not isinstance(value, int):
        raise TokenInvalid()
    return value
