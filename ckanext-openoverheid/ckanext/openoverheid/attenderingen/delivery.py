"""From events to queued mails: each event once per subscription, digests, and a cap per address.

For every confirmed subscription that is due (digested sources: its last mail longer ago than
``digest_hours``; reminders: always), the source lists what there is to tell; what the delivery table
already holds is left out; the rest becomes one mail, queued in the same transaction as its delivery
rows. The subscription row is locked while that happens (``FOR UPDATE SKIP LOCKED``), so two workers
never tell the same thing twice, and a run that dies half-way leaves nothing told that was not queued.

A source that fails (its tables gone, a bug) is logged and skipped for this run: its events are told
at the next run that works. An address that reached ``daily_cap`` alert mails is skipped the same way.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

import ckan.model as model
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from ckanext.openoverheid.attenderingen import compose, links, outbox, settings
from ckanext.openoverheid.attenderingen.model import Delivery, Subscriber, Subscription, utcnow
from ckanext.openoverheid.attenderingen.sources import SOURCES, Event, Source, source_for
from ckanext.openoverheid.attenderingen.translation import gettext_for

log = logging.getLogger(__name__)

ALERT_KINDS = ("alert", "reminder")
MAX_EVENTS_PER_MAIL = 200


@dataclass
class CollectSummary:
    mails: int = 0
    events: int = 0
    capped: int = 0
    failed_sources: list[str] = field(default_factory=list)


def _due(subscription: Subscription, source: Source, now: dt.datetime) -> bool:
    if not source.digested or subscription.last_mail is None:
        return True
    return now - subscription.last_mail >= settings.digest_interval()


def _untold(subscription_id: str, events: list[Event]) -> list[Event]:
    if not events:
        return []
    keys = [event.key for event in events]
    told = {key for (key,) in model.Session.query(Delivery.event_key)
            .filter(Delivery.subscription_id == subscription_id, Delivery.event_key.in_(keys))}
    seen: set[str] = set()
    untold = []
    for event in events:
        if event.key not in told and event.key not in seen:
            seen.add(event.key)
            untold.append(event)
    return untold


def _capped(subscriber_id: str, now: dt.datetime) -> bool:
    cap = settings.daily_cap()
    return cap > 0 and outbox.sent_to_since(subscriber_id, now - dt.timedelta(hours=24), ALERT_KINDS) >= cap


def _queue_alert(subscriber: Subscriber, subscription: Subscription, source: Source, events: list[Event]) -> None:
    locale = subscription.locale
    _ = gettext_for(locale)
    description = source.describe(subscription.criteria, _)
    kind = "alert" if source.digested else "reminder"
    if source.digested:
        subject = _("%(count)s new: %(description)s") % {"count": len(events), "description": description}
    else:
        subject = events[0].title if len(events) == 1 else description
    envelope = compose.Envelope(to=subscriber.email, subject=subject, locale=locale,
                                unsubscribe_url=links.unsubscribe_url(subscription.id, locale),
                                manage_url=links.manage_url(subscriber.id, locale))
    text, html = compose.render("alert", envelope, description=description, events=events, digest=source.digested,
                                page_url=links.absolute(source.page_url(subscription.criteria), locale))
    mail = outbox.queue(subscriber.id, subscription.id, kind,
                        lambda number: compose.build(envelope, text, html, kind=kind, number=number))
    inserted = model.Session.execute(
        insert(Delivery.__table__)
        .values([{"subscription_id": subscription.id, "event_key": e.key, "mail_id": mail.id, "created": utcnow()}
                 for e in events])
        .on_conflict_do_nothing()
        .returning(Delivery.__table__.c.event_key)).fetchall()
    if len(inserted) != len(events):  # told meanwhile by another worker: never twice
        raise _AlreadyTold()


class _AlreadyTold(Exception):
    pass


def _whose_turn_it_may_be(now: dt.datetime) -> sa.engine.Result[tuple[str]]:
    """Confirmed subscriptions, less the digested ones that had their mail within the digest interval
    (asked again under the row lock: another worker may have just sent it)."""
    digested = [soort for soort, source in SOURCES.items() if source.digested]
    return model.Session.execute(
        sa.select(Subscription.id)
        .where(Subscription.confirmed.is_not(None),
               sa.or_(Subscription.soort.not_in(digested), Subscription.last_mail.is_(None),
                      Subscription.last_mail <= now - settings.digest_interval()))
        .order_by(Subscription.created))


def collect_due(now: dt.datetime | None = None) -> CollectSummary:
    """Queue the mails that are due now (committed per subscription)."""
    now = now or utcnow()
    summary = CollectSummary()
    ids = [row[0] for row in _whose_turn_it_may_be(now)]
    model.Session.rollback()
    for subscription_id in ids:
        subscription = (model.Session.query(Subscription).filter_by(id=subscription_id)
                        .with_for_update(skip_locked=True).one_or_none())
        if subscription is None or subscription.confirmed is None:
            model.Session.rollback()
            continue
        try:
            source = source_for(subscription.soort)
        except KeyError:
            model.Session.rollback()
            continue
        if not _due(subscription, source, now):
            model.Session.rollback()
            continue
        try:
            events = _untold(subscription.id, source.events(subscription, now, gettext_for(subscription.locale)))
        except Exception:  # a source's fault must not stop the others' mail
            log.exception("Alert source %s failed for subscription %s", subscription.soort, subscription.id)
            model.Session.rollback()
            summary.failed_sources.append(subscription.soort)
            continue
        if not events:
            model.Session.rollback()
            continue
        if _capped(subscription.subscriber_id, now):
            log.warning("Subscription %s held back: its address reached the daily cap", subscription.id)
            summary.capped += 1
            model.Session.rollback()
            continue
        events = events[:MAX_EVENTS_PER_MAIL]  # the rest follows in the next mail
        subscriber = model.Session.get(Subscriber, subscription.subscriber_id)
        try:
            _queue_alert(subscriber, subscription, source, events)
        except _AlreadyTold:
            model.Session.rollback()
            continue
        subscription.last_mail = now
        model.Session.commit()
        summary.mails += 1
        summary.events += len(events)
    return summary


def pending_count() -> int:
    from ckanext.openoverheid.attenderingen.model import MailStatus, OutgoingMail

    return int(model.Session.query(sa.func.count(OutgoingMail.id))
               .filter(OutgoingMail.status == MailStatus.PENDING).scalar() or 0)
