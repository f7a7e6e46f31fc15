"""The tables of the attenderingen (created by the plugin's migrations, never by ``create_all``).

Everything here is PRIVATE: the e-mail address is personal data. ``Subscriber`` holds it once;
subscriptions, deliveries and queued mail hang off it with ``ON DELETE CASCADE``, so deleting the
subscriber (done when its last subscription ends) removes every trace of the address.

Exactly once: a ``Delivery`` row (subscription, event key) is written in the same transaction as the
queued ``OutgoingMail`` that tells of the event, and its primary key refuses the same event twice. A
mail is sent from the queue until it is marked sent; a retry never builds it again.
"""

from __future__ import annotations

import datetime
import enum
from typing import Any

import ckan.plugins.toolkit as tk
from sqlalchemy import DateTime, ForeignKey, Integer, UnicodeText
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column


def utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


class MailStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # given up after the last retry; kept for the operator, never resent by itself


class Subscriber(tk.BaseModel):
    """One e-mail address (stored lower-cased). Gone with its last subscription."""

    __tablename__ = "openoverheid_attendering_subscriber"

    id: Mapped[str] = mapped_column(UnicodeText, primary_key=True)
    email: Mapped[str] = mapped_column(UnicodeText, nullable=False, unique=True)
    created: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow)


class Subscription(tk.BaseModel):
    """What one address wants to hear about. ``confirmed`` is empty until the link in the
    confirmation mail was opened: nothing is sent before, and it is purged after some days."""

    __tablename__ = "openoverheid_attendering"

    id: Mapped[str] = mapped_column(UnicodeText, primary_key=True)
    subscriber_id: Mapped[str] = mapped_column(
        UnicodeText, ForeignKey("openoverheid_attendering_subscriber.id", ondelete="CASCADE"), nullable=False,
        index=True,
    )
    soort: Mapped[str] = mapped_column(UnicodeText, nullable=False, index=True)
    criteria: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, default=dict)
    label: Mapped[str] = mapped_column(UnicodeText, nullable=False, default="")
    locale: Mapped[str] = mapped_column(UnicodeText, nullable=False, default="nl")
    created: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow)
    confirmed: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    last_mail: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True))


class Delivery(tk.BaseModel):
    """Event ``event_key`` was told to (or, with no ``mail_id``, existed before) ``subscription_id``."""

    __tablename__ = "openoverheid_attendering_delivery"

    subscription_id: Mapped[str] = mapped_column(
        UnicodeText, ForeignKey("openoverheid_attendering.id", ondelete="CASCADE"), primary_key=True
    )
    event_key: Mapped[str] = mapped_column(UnicodeText, primary_key=True)
    mail_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("openoverheid_attendering_mail.id", ondelete="SET NULL")
    )
    created: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow)


class OutgoingMail(tk.BaseModel):
    """A whole message (RFC 5322 text) waiting to be sent, being retried, or sent."""

    __tablename__ = "openoverheid_attendering_mail"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscriber_id: Mapped[str] = mapped_column(
        UnicodeText, ForeignKey("openoverheid_attendering_subscriber.id", ondelete="CASCADE"), nullable=False,
        index=True,
    )
    subscription_id: Mapped[str | None] = mapped_column(
        UnicodeText, ForeignKey("openoverheid_attendering.id", ondelete="SET NULL")
    )
    kind: Mapped[str] = mapped_column(UnicodeText, nullable=False)
    message: Mapped[str] = mapped_column(UnicodeText, nullable=False)
    status: Mapped[str] = mapped_column(UnicodeText, nullable=False, default=MailStatus.PENDING, index=True)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    next_attempt: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow)
    created: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow)
    sent: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True), index=True)
