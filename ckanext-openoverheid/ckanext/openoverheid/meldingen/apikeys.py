"""Open311 API keys: one per client app, created by `ckan openoverheid open311-key create NAME`.

The key itself is shown once; only its SHA-256 is stored, so a database dump holds no usable key.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
import uuid

import ckan.model as model
from sqlalchemy import select

from ckanext.openoverheid.meldingen.model import Open311Key, utcnow

KEY_PREFIX = "oo311_"


class ApiKeyError(ValueError):
    """A key cannot be created or revoked; the message says why."""


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create(name: str) -> tuple[Open311Key, str]:
    """A new key for the client ``name``; returns the stored record and the key (shown once)."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ApiKeyError("Give the client a name of 1 to 100 characters, e.g. the app's name")
    if model.Session.scalar(select(Open311Key).where(Open311Key.name == name)) is not None:
        raise ApiKeyError(f"A key named {name!r} exists already; revoke it first or choose another name")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    record = Open311Key(id=str(uuid.uuid4()), name=name, key_hash=hash_key(key), created=utcnow())
    model.Session.add(record)
    model.Session.commit()
    return record, key


def verify(key: str | None) -> Open311Key | None:
    """The active key record for ``key``, or None."""
    if not key or not key.startswith(KEY_PREFIX):
        return None
    digest = hash_key(key)
    record = model.Session.scalar(select(Open311Key).where(Open311Key.key_hash == digest))
    if record is None or record.revoked is not None or not hmac.compare_digest(record.key_hash, digest):
        return None
    return record


def revoke(name: str) -> Open311Key:
    record = model.Session.scalar(select(Open311Key).where(Open311Key.name == name))
    if record is None:
        raise ApiKeyError(f"No key named {name!r}; `ckan openoverheid open311-key list` shows them")
    if record.revoked is None:
        record.revoked = datetime.datetime.now(datetime.UTC)
        model.Session.commit()
    return record


def all_keys() -> list[Open311Key]:
    return list(model.Session.scalars(select(Open311Key).order_by(Open311Key.created)))
