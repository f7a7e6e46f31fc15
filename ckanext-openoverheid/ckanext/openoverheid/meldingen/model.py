"""The tables of the meldingen (created by the plugin's migrations, never by ``create_all``).

Personal data lives in its own table, ``openoverheid_melding_contact``: nothing that builds public
output (``records.public_melding``) ever reads it, so the reporter's e-mail address and IP address
cannot leak through a forgotten field. Only the mailer and the rate limiter look at it.
"""

from __future__ import annotations

import datetime
from typing import Any

import ckan.plugins.toolkit as tk
from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    UnicodeText,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship


def utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


class Melding(tk.BaseModel):
    """A report of a problem in public space. ``id`` is the Open311 ``service_request_id``."""

    __tablename__ = "openoverheid_melding"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organization_id: Mapped[str] = mapped_column(UnicodeText, ForeignKey("group.id"), nullable=False, index=True)
    service_code: Mapped[str] = mapped_column(UnicodeText, nullable=False, index=True)
    status: Mapped[str] = mapped_column(UnicodeText, nullable=False, index=True)
    description: Mapped[str] = mapped_column(UnicodeText, nullable=False)
    lat: Mapped[float] = mapped_column(Float, nullable=False)
    lon: Mapped[float] = mapped_column(Float, nullable=False)
    address: Mapped[str | None] = mapped_column(UnicodeText)
    attributes: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, default=dict)
    photo: Mapped[str | None] = mapped_column(UnicodeText)
    photo_thumbnail: Mapped[str | None] = mapped_column(UnicodeText)
    photo_hidden: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    hidden: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, index=True)
    hidden_reason: Mapped[str | None] = mapped_column(UnicodeText)
    source: Mapped[str] = mapped_column(UnicodeText, nullable=False, default="web")
    api_key_id: Mapped[str | None] = mapped_column(UnicodeText, ForeignKey("openoverheid_open311_key.id"))
    requested: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=utcnow, index=True
    )
    updated: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow)
    # When it should be handled (its category's response target), when it last became closed (for the
    # time to solve and the retention of the contact data) and when the reporter was asked "is it solved?".
    due: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    closed: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    solved_question_sent: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True))

    updates: Mapped[list[MeldingUpdate]] = relationship(
        "MeldingUpdate", order_by="MeldingUpdate.created", back_populates="melding", cascade="all, delete-orphan"
    )


class MeldingContact(tk.BaseModel):
    """PRIVATE: who reported, for updates by e-mail and for abuse handling. Never public."""

    __tablename__ = "openoverheid_melding_contact"

    melding_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("openoverheid_melding.id", ondelete="CASCADE"), primary_key=True
    )
    email: Mapped[str | None] = mapped_column(UnicodeText)
    name: Mapped[str | None] = mapped_column(UnicodeText)
    ip_address: Mapped[str | None] = mapped_column(UnicodeText)
    language: Mapped[str | None] = mapped_column(UnicodeText)  # of the mails to the reporter: nl or en
    erased: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True))  # by the retention job


class MeldingUpdate(tk.BaseModel):
    """Something that happened to a melding. ``kind``:

    - ``update``: a status change and/or a public response by the municipality;
    - ``reporter``: an addition by the reporter (text and/or photo), or their "not solved" answer that
      reopened it (with ``status_from``/``status_to``); public, never naming them;
    - ``hidden``, ``shown``, ``photo_hidden``: staff only, ``text`` is the reason.
    """

    __tablename__ = "openoverheid_melding_update"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    melding_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("openoverheid_melding.id", ondelete="CASCADE"), nullable=False, index=True
    )
    kind: Mapped[str] = mapped_column(UnicodeText, nullable=False, default="update")
    status_from: Mapped[str | None] = mapped_column(UnicodeText)
    status_to: Mapped[str | None] = mapped_column(UnicodeText)
    text: Mapped[str | None] = mapped_column(UnicodeText)
    photo: Mapped[str | None] = mapped_column(UnicodeText)
    photo_thumbnail: Mapped[str | None] = mapped_column(UnicodeText)
    photo_hidden: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    user_id: Mapped[str | None] = mapped_column(UnicodeText, ForeignKey("user.id"))
    created: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=utcnow, index=True
    )

    melding: Mapped[Melding] = relationship("Melding", back_populates="updates")


class MeldingFeedback(tk.BaseModel):
    """The reporter's answer to "is it solved?": counted per category, nothing personal."""

    __tablename__ = "openoverheid_melding_feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    melding_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("openoverheid_melding.id", ondelete="CASCADE"), nullable=False, index=True
    )
    service_code: Mapped[str] = mapped_column(UnicodeText, nullable=False, index=True)
    solved: Mapped[bool] = mapped_column(Boolean, nullable=False)
    created: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow)


class Open311Key(tk.BaseModel):
    """An Open311 client (an app). Only the SHA-256 of the key is stored."""

    __tablename__ = "openoverheid_open311_key"

    id: Mapped[str] = mapped_column(UnicodeText, primary_key=True)
    name: Mapped[str] = mapped_column(UnicodeText, nullable=False, unique=True)
    key_hash: Mapped[str] = mapped_column(UnicodeText, nullable=False, unique=True)
    created: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow)
    revoked: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True))
