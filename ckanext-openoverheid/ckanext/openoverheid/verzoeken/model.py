"""The tables of the verzoeken (created by the plugin's migrations, never by ``create_all``).

Personal data lives in its own table, ``openoverheid_verzoek_steun``: the requester is the first
supporter of their own request (role ``indiener``), every other address that supports it a row of
role ``steun``. Nothing that builds public output (``records``) reads that table except to count
its confirmed rows, so no address can leak through a forgotten field.
"""

from __future__ import annotations

import datetime
import enum

import ckan.plugins.toolkit as tk
from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    UnicodeText,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship


def utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


class Soort(enum.StrEnum):
    DATA = "data"  # a dataset that would be handy to have opened up
    IDEE = "idee"  # an idea for the neighbourhood, optionally on the map


class Status(enum.StrEnum):
    ONTVANGEN = "ontvangen"
    IN_BEHANDELING = "in_behandeling"
    GEPUBLICEERD = "gepubliceerd"
    AFGEWEZEN = "afgewezen"


class Role(enum.StrEnum):
    INDIENER = "indiener"
    STEUN = "steun"


class Verzoek(tk.BaseModel):
    """A request for data or an idea. Public once ``confirmed`` (its requester opened the link in the
    confirmation mail) and while not ``hidden``."""

    __tablename__ = "openoverheid_verzoek"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    soort: Mapped[str] = mapped_column(UnicodeText, nullable=False, index=True)
    titel: Mapped[str] = mapped_column(UnicodeText, nullable=False)
    toelichting: Mapped[str] = mapped_column(UnicodeText, nullable=False)
    # The organisation asked; empty when the requester did not know (the portal's sysadmins route it).
    organization_id: Mapped[str | None] = mapped_column(UnicodeText, ForeignKey("group.id"), index=True)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(UnicodeText, nullable=False, default=Status.ONTVANGEN, index=True)
    # The latest public response of the organisation (its history holds every one).
    antwoord: Mapped[str | None] = mapped_column(UnicodeText)
    # ``gepubliceerd``: the dataset (or Woo publication) that answers the request.
    dataset_id: Mapped[str | None] = mapped_column(UnicodeText, ForeignKey("package.id"), index=True)
    # ``afgewezen`` because the data exists but is not public: the closure, as a closed dataset records it.
    woo_grounds: Mapped[list[str] | None] = mapped_column(JSONB)
    review_date: Mapped[datetime.date | None] = mapped_column(Date)
    hidden: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, index=True)
    hidden_reason: Mapped[str | None] = mapped_column(UnicodeText)
    language: Mapped[str] = mapped_column(UnicodeText, nullable=False, default="nl")
    created: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=utcnow, index=True
    )
    confirmed: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    updated: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow)
    # Confirmed supporters, the requester included: kept with the request so lists sort by it cheaply.
    support_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0, index=True)

    updates: Mapped[list[VerzoekUpdate]] = relationship(
        "VerzoekUpdate", order_by="VerzoekUpdate.created", back_populates="verzoek", cascade="all, delete-orphan"
    )


class VerzoekSteun(tk.BaseModel):
    """PRIVATE: an address that asks for (``indiener``) or supports (``steun``) a request. Counted once
    confirmed; one row per address and request, so a second support from the same address does not count."""

    __tablename__ = "openoverheid_verzoek_steun"
    __table_args__ = (UniqueConstraint("verzoek_id", "email", name="uq_openoverheid_verzoek_steun_email"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    verzoek_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("openoverheid_verzoek.id", ondelete="CASCADE"), nullable=False, index=True
    )
    email: Mapped[str] = mapped_column(UnicodeText, nullable=False)  # lower-cased
    role: Mapped[str] = mapped_column(UnicodeText, nullable=False, default=Role.STEUN)
    language: Mapped[str] = mapped_column(UnicodeText, nullable=False, default="nl")
    ip_address: Mapped[str | None] = mapped_column(UnicodeText)
    created: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow)
    confirmed: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True))


class VerzoekUpdate(tk.BaseModel):
    """Something that happened to a request. ``kind``:

    - ``update``: a status change and/or a public response by the organisation (public);
    - ``hidden``, ``shown``: moderation, staff only, ``text`` is the reason;
    - ``assigned``: moved to another organisation (public, without a reason).
    """

    __tablename__ = "openoverheid_verzoek_update"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    verzoek_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("openoverheid_verzoek.id", ondelete="CASCADE"), nullable=False, index=True
    )
    kind: Mapped[str] = mapped_column(UnicodeText, nullable=False, default="update")
    status_from: Mapped[str | None] = mapped_column(UnicodeText)
    status_to: Mapped[str | None] = mapped_column(UnicodeText)
    text: Mapped[str | None] = mapped_column(UnicodeText)
    dataset_id: Mapped[str | None] = mapped_column(UnicodeText, ForeignKey("package.id"))
    woo_grounds: Mapped[list[str] | None] = mapped_column(JSONB)
    user_id: Mapped[str | None] = mapped_column(UnicodeText, ForeignKey("user.id"))
    created: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=utcnow, index=True
    )

    verzoek: Mapped[Verzoek] = relationship("Verzoek", back_populates="updates")
