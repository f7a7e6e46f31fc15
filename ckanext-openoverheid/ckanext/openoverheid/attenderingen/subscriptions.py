"""Subscribing, confirming, ending: the life of a subscription, apart from the web and the API.

Double opt-in: ``subscribe`` stores a subscription without ``confirmed`` and queues the confirmation
mail; only ``confirm`` (the link in that mail) makes it active. The subscriber row, which holds the
e-mail address, is deleted with its last subscription (``end``) and with unconfirmed ones after
``unconfirmed_days`` (``purge``).
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
import uuid
from dataclasses import dataclass
from typing import Any, TypeVar

import ckan.model as model
import sqlalchemy as sa
import sqlalchemy.dialects.postgresql

from ckanext.openoverheid.attenderingen import compose, links, outbox, settings, tokens
from ckanext.openoverheid.attenderingen.model import (
    Delivery,
    OutgoingMail,
    Subscriber,
    Subscription,
    utcnow,
)
from ckanext.openoverheid.attenderingen.sources import source_for
from ckanext.openoverheid.attenderingen.translation import gettext_for

log = logging.getLogger(__name__)

_Row = TypeVar("_Row", Subscriber, Subscription)


class Outcome(enum.StrEnum):
    """What opening a link did, for the page that says so."""

    CONFIRMED = "confirmed"
    ALREADY_CONFIRMED = "already_confirmed"
    ENDED = "ended"
    UNKNOWN = "unknown"  # used already, purged, or ended before
    EXPIRED = "expired"
    INVALID = "invalid"


@dataclass(frozen=True)
class LinkResult:
    outcome: Outcome
    subscription: dict[str, Any] | None = None


def describe(subscription: Subscription, locale: str | None = None) -> str:
    return source_for(subscription.soort).describe(subscription.criteria, gettext_for(locale or subscription.locale))


def public_view(subscription: Subscription, locale: str | None = None) -> dict[str, Any]:
    """What a subscriber (never anyone else) sees of one subscription: no e-mail address."""
    return {
        "id": subscription.id,
        "soort": subscription.soort,
        "criteria": dict(subscription.criteria),
        "description": describe(subscription, locale),
        "locale": subscription.locale,
        "status": "active" if subscription.confirmed else "pending",
        "created": subscription.created.isoformat(),
        "confirmed": subscription.confirmed.isoformat() if subscription.confirmed else None,
    }


def normalise_email(text: str) -> str:
    return text.strip().lower()


def subscribe(email: str, soort: str, criteria: dict[str, Any], locale: str) -> tuple[Subscription, int]:
    """A pending subscription and the number of its queued confirmation mail (committed). Asked again
    for the same thing, the pending subscription is reused and its confirmation sent again."""
    email = normalise_email(email)
    subscriber = model.Session.query(Subscriber).filter_by(email=email).one_or_none()
    if subscriber is None:
        subscriber = Subscriber(id=str(uuid.uuid4()), email=email, created=utcnow())
        model.Session.add(subscriber)
        model.Session.flush()
    subscription = _same_pending(subscriber.id, soort, criteria)
    if subscription is None:
        subscription = Subscription(id=str(uuid.uuid4()), subscriber_id=subscriber.id, soort=soort,
                                    criteria=criteria, locale=locale, created=utcnow(), label="")
        subscription.label = describe(subscription)
        model.Session.add(subscription)
        model.Session.flush()
    mail = _queue_confirmation(subscriber, subscription)
    model.Session.commit()
    return subscription, mail.id


def _same_pending(subscriber_id: str, soort: str, criteria: dict[str, Any]) -> Subscription | None:
    return (model.Session.query(Subscription)
            .filter(Subscription.subscriber_id == subscriber_id, Subscription.soort == soort,
                    Subscription.criteria == sa.cast(criteria, sa.dialects.postgresql.JSONB),
                    Subscription.confirmed.is_(None)).first())


def _same_active(subscription: Subscription) -> Subscription | None:
    return (model.Session.query(Subscription)
            .filter(Subscription.subscriber_id == subscription.subscriber_id, Subscription.id != subscription.id,
                    Subscription.soort == subscription.soort,
                    Subscription.criteria == sa.cast(subscription.criteria, sa.dialects.postgresql.JSONB),
                    Subscription.confirmed.is_not(None)).first())


def _queue_confirmation(subscriber: Subscriber, subscription: Subscription) -> OutgoingMail:
    _ = gettext_for(subscription.locale)
    envelope = compose.Envelope(to=subscriber.email, subject=_("Confirm your alert: %(description)s")
                                % {"description": subscription.label}, locale=subscription.locale,
                                unsubscribe_url=links.unsubscribe_url(subscription.id, subscription.locale),
                                manage_url=links.manage_url(subscriber.id, subscription.locale))
    text, html = compose.render("confirm", envelope, description=subscription.label,
                                confirm_url=links.confirm_url(subscription.id, subscription.locale),
                                days=settings.unconfirmed_lifetime().days)
    return outbox.queue(subscriber.id, subscription.id, "confirm",
                        lambda number: compose.build(envelope, text, html, kind="confirm", number=number))


def queue_manage_link(email: str, locale: str) -> int | None:
    """Mail the link to the "my alerts" page, if the address has subscriptions (committed); the
    queued mail's number."""
    subscriber = model.Session.query(Subscriber).filter_by(email=normalise_email(email)).one_or_none()
    if subscriber is None:
        return None
    _ = gettext_for(locale)
    envelope = compose.Envelope(to=subscriber.email, subject=_("Your alerts at %(site)s")
                                % {"site": compose.site_title()}, locale=locale,
                                unsubscribe_url=links.unsubscribe_all_url(subscriber.id, locale))
    text, html = compose.render("manage", envelope, manage_link=links.manage_url(subscriber.id, locale),
                                days=settings.manage_link_lifetime().days)
    mail = outbox.queue(subscriber.id, None, "manage",
                        lambda number: compose.build(envelope, text, html, kind="manage", number=number))
    model.Session.commit()
    return mail.id


def _named_by(purpose: tokens.Purpose, token: str, max_age: dt.timedelta | None,
              table: type[_Row]) -> tuple[_Row | None, Outcome | None]:
    """The row of ``table`` whose id a ``purpose`` token holds, or why there is none."""
    try:
        row_id = tokens.read(purpose, token, max_age)
    except tokens.TokenExpired:
        return None, Outcome.EXPIRED
    except tokens.TokenInvalid:
        return None, Outcome.INVALID
    row = model.Session.get(table, row_id)
    return row, None if row is not None else Outcome.UNKNOWN


def _subscription_from(purpose: tokens.Purpose, token: str,
                       max_age: dt.timedelta | None) -> tuple[Subscription | None, Outcome | None]:
    return _named_by(purpose, token, max_age, Subscription)


def confirm(token: str, now: dt.datetime | None = None) -> LinkResult:
    """Activate the subscription the confirmation ``token`` names. What exists by now is its baseline."""
    subscription, problem = _subscription_from(tokens.Purpose.CONFIRM, token, settings.unconfirmed_lifetime())
    if subscription is None:
        return LinkResult(problem or Outcome.UNKNOWN)
    if subscription.confirmed is not None:
        return LinkResult(Outcome.ALREADY_CONFIRMED, public_view(subscription))
    locked = model.Session.query(Subscription).filter_by(id=subscription.id).with_for_update().one()
    twin = _same_active(locked) if locked.confirmed is None else None
    if twin is not None:  # asked twice for the same: keep the one already running
        view = public_view(twin)
        model.Session.delete(locked)
        model.Session.commit()
        return LinkResult(Outcome.ALREADY_CONFIRMED, view)
    if locked.confirmed is None:
        _hold_back_baseline(locked)
        locked.confirmed = now or utcnow()
    model.Session.commit()
    return LinkResult(Outcome.CONFIRMED, public_view(locked))


def _hold_back_baseline(subscription: Subscription) -> None:
    """Mark what the subscription's source finds now as told: a new subscriber hears only of what is new."""
    keys = set(source_for(subscription.soort).baseline(subscription))
    if keys:
        model.Session.execute(
            sa.dialects.postgresql.insert(Delivery.__table__)
            .values([{"subscription_id": subscription.id, "event_key": key, "created": utcnow()} for key in keys])
            .on_conflict_do_nothing())


def subscribe_confirmed(email: str, soort: str, criteria: dict[str, Any], locale: str,
                        now: dt.datetime | None = None) -> Subscription:
    """An active subscription without a confirmation mail, for an address that has just confirmed it
    wants this elsewhere (a request's requester or supporter opened the link mailed to it). Asked again,
    the running one is kept. In the caller's transaction (flushed, not committed)."""
    email = normalise_email(email)
    subscriber = model.Session.query(Subscriber).filter_by(email=email).one_or_none()
    if subscriber is None:
        subscriber = Subscriber(id=str(uuid.uuid4()), email=email, created=utcnow())
        model.Session.add(subscriber)
        model.Session.flush()
    running = (model.Session.query(Subscription)
               .filter(Subscription.subscriber_id == subscriber.id, Subscription.soort == soort,
                       Subscription.criteria == sa.cast(criteria, sa.dialects.postgresql.JSONB),
                       Subscription.confirmed.is_not(None)).first())
    if running is not None:
        return running
    moment = now or utcnow()
    subscription = Subscription(id=str(uuid.uuid4()), subscriber_id=subscriber.id, soort=soort, criteria=criteria,
                                locale=locale, created=moment, confirmed=moment, label="")
    subscription.label = describe(subscription)
    model.Session.add(subscription)
    model.Session.flush()
    _hold_back_baseline(subscription)
    model.Session.flush()
    return subscription


def end(subscription: Subscription) -> None:
    """Delete the subscription, and its subscriber (the address) with the last one (committed)."""
    subscriber_id = subscription.subscriber_id
    model.Session.delete(subscription)
    model.Session.flush()
    remaining = model.Session.query(Subscription).filter_by(subscriber_id=subscriber_id).count()
    if not remaining:
        model.Session.query(Subscriber).filter_by(id=subscriber_id).delete()
    model.Session.commit()


def _whole_address(token: str) -> tuple[Subscriber | None, Outcome | None]:
    """The subscriber an unsubscribe-all token (in mails about the address, such as "my alerts") names."""
    return _named_by(tokens.Purpose.UNSUBSCRIBE_ALL, token, None, Subscriber)


def _all_of_view() -> dict[str, Any]:
    import ckan.plugins.toolkit as tk

    return {"soort": "all", "description": tk._("All alerts of this address"), "status": "active"}


def unsubscribe(token: str) -> LinkResult:
    """End what an unsubscribe link names: one subscription, or (the "my alerts" mail's link) all of the
    address. Safe to repeat: the second time it is ``UNKNOWN`` and nothing changes."""
    subscription, problem = _subscription_from(tokens.Purpose.UNSUBSCRIBE, token, None)
    if subscription is not None:
        view = public_view(subscription)
        end(subscription)
        return LinkResult(Outcome.ENDED, view)
    if problem is Outcome.INVALID:
        subscriber, problem = _whole_address(token)
        if subscriber is not None:
            for each in subscriptions_of(subscriber):
                end(each)
            model.Session.query(Subscriber).filter_by(id=subscriber.id).delete()
            model.Session.commit()
            return LinkResult(Outcome.ENDED, _all_of_view())
    return LinkResult(problem or Outcome.UNKNOWN)


def peek_unsubscribe(token: str) -> LinkResult:
    """What ``unsubscribe`` would end, without ending it (the page before the button)."""
    subscription, problem = _subscription_from(tokens.Purpose.UNSUBSCRIBE, token, None)
    if subscription is not None:
        return LinkResult(Outcome.CONFIRMED if subscription.confirmed else Outcome.UNKNOWN,
                          public_view(subscription))
    if problem is Outcome.INVALID:
        subscriber, problem = _whole_address(token)
        if subscriber is not None:
            return LinkResult(Outcome.CONFIRMED, _all_of_view())
    return LinkResult(problem or Outcome.UNKNOWN)


def subscriber_from_manage_token(token: str) -> tuple[Subscriber | None, Outcome | None]:
    return _named_by(tokens.Purpose.MANAGE, token, settings.manage_link_lifetime(), Subscriber)


def subscriptions_of(subscriber: Subscriber) -> list[Subscription]:
    return (model.Session.query(Subscription).filter_by(subscriber_id=subscriber.id)
            .order_by(Subscription.created).all())


def purge(now: dt.datetime | None = None) -> dict[str, int]:
    """Delete unconfirmed subscriptions past their lifetime, addresses left without any, and the text
    of sent mails older than 30 days (committed). Returns the counts."""
    now = now or utcnow()
    expired = (model.Session.query(Subscription)
               .filter(Subscription.confirmed.is_(None), Subscription.created < now - settings.unconfirmed_lifetime())
               .delete(synchronize_session=False))
    orphans = (model.Session.query(Subscriber)
               .filter(~sa.exists().where(Subscription.subscriber_id == Subscriber.id))
               .delete(synchronize_session=False))
    old_mail = (model.Session.query(OutgoingMail)
                .filter(OutgoingMail.sent.is_not(None), OutgoingMail.sent < now - dt.timedelta(days=30))
                .delete(synchronize_session=False))
    model.Session.commit()
    return {"unconfirmed": expired, "addresses": orphans, "mails": old_mail}
