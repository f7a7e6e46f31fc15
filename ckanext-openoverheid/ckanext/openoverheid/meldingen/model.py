"""The tables of the meldingen (created by the plugin's migrations, never by ``create_all``).

Personal data lives in its own table, ``openoverheid_melding_contact``: nothing that builds public
output (``records.public_melding``) ever reads it, so the reporter's e-mail address and IP address
cannot leak through a forgotten field. Only the mailer and the rate limiter look at it.
"""

from __future__ import annotations

import datetime

import ckan.plugins.toolkit as tk
from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    UnicodeText,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import relationship


def utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


class Melding(tk.BaseModel):  # type: ignore[misc,valid-type]
    """A report of a problem in public space. ``id`` is the Open311 ``service_request_id``."""

    __tablename__ = "openoverheid_melding"

    id = Column(Integer, primary_key=True)
    organization_id = Column(UnicodeText, ForeignKey("group.id"), nullable=False, index=True)
    service_code = Column(UnicodeText, nullable=False, index=True)
    status = Column(UnicodeText, nullable=False, index=True)
    description = Column(UnicodeText, nullable=False)
    lat = Column(Float, nullable=False)
    lon = Column(Float, nullable=False)
    address = Column(UnicodeText)
    attributes = Column(JSONB, nullable=False, default=dict)
    photo = Column(UnicodeText)
    photo_thumbnail = Column(UnicodeText)
    hidden = Column(Boolean, nullable=False, default=False, index=True)
    hidden_reason = Column(UnicodeText)
    source = Column(UnicodeText, nullable=False, default="web")
    api_key_id = Column(UnicodeText, ForeignKey("openoverheid_open311_key.id"))
    requested = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    updated = Column(DateTime(timezone=True), nullable=False, default=utcnow)

    updates = relationship(
        "MeldingUpdate", order_by="MeldingUpdate.created", back_populates="melding", cascade="all, delete-orphan"
    )


class MeldingContact(tk.BaseModel):  # type: ignore[misc,valid-type]
    """PRIVATE: who reported, for updates by e-mail and for abuse handling. Never public."""

    __tablename__ = "openoverheid_melding_contact"

    melding_id = Column(Integer, ForeignKey("openoverheid_melding.id", ondelete="CASCADE"), primary_key=True)
    email = Column(UnicodeText)
    ip_address = Column(UnicodeText)


class MeldingUpdate(tk.BaseModel):  # type: ignore[misc,valid-type]
    """Something that happened to a melding: a status change and/or a public response, or (staff
    only) hiding and showing it again. ``kind`` is ``update``, ``hidden`` or ``shown``."""

    __tablename__ = "openoverheid_melding_update"

    id = Column(Integer, primary_key=True)
    melding_id = Column(
        Integer, ForeignKey("openoverheid_melding.id", ondelete="CASCADE"), nullable=False, index=True
    )
    kind = Column(UnicodeText, nullable=False, default="update")
    status_from = Column(UnicodeText)
    status_to = Column(UnicodeText)
    text = Column(UnicodeText)
    user_id = Column(UnicodeText, ForeignKey("user.id"))
    created = Column(DateTime(timezone=True), nullable=False, default=utcnow)

    melding = relationship("Melding", back_populates="updates")


class Open311Key(tk.BaseModel):  # type: ignore[misc,valid-type]
    """An Open311 client (an app). Only the SHA-256 of the key is stored."""

    __tablename__ = "openoverheid_open311_key"

    id = Column(UnicodeText, primary_key=True)
    name = Column(UnicodeText, nullable=False, unique=True)
    key_hash = Column(UnicodeText, nullable=False, unique=True)
    created = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    revoked = Column(DateTime(timezone=True))
