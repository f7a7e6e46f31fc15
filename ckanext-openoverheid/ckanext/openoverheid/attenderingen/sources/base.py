"""The protocol every kind of alert follows, and the event it yields.

A source turns a subscription's ``criteria`` (checked by ``criteria`` when subscribing) into events:
things to tell, each with a ``key`` that is the same every time the same thing is seen (a permit's
identifier, a collection's date and waste type). The delivery engine (``delivery.py``) sends each
key at most once per subscription, so a source may return what it returned before.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Protocol

from ckanext.openoverheid.attenderingen.model import Subscription
from ckanext.openoverheid.attenderingen.translation import Gettext


@dataclass(frozen=True)
class Event:
    """One thing to tell: shown in the mail as its title (linked to ``url``) and its ``lines``."""

    key: str
    title: str
    url: str = ""
    lines: tuple[str, ...] = ()


class Source(Protocol):
    soort: str
    #: True: events wait for the subscription's digest (one mail a day). False: sent at the next run
    #: (reminders, which are about tomorrow).
    digested: bool

    def criteria(self, data: dict[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
        """The subscription's criteria from the request's fields (JSON-able); a message per bad field
        in ``errors`` (in the request's language, through ``tk._``)."""

    def describe(self, criteria: dict[str, Any], _: Gettext) -> str:
        """One line a person understands: "Permits within 500 m of 3512AH 12"."""

    def baseline(self, subscription: Subscription) -> list[str]:
        """Keys of what already exists when the subscription is confirmed: never told (a new
        subscriber hears of what is new, not of the whole past)."""

    def events(self, subscription: Subscription, now: dt.datetime, _: Gettext) -> list[Event]:
        """What there is to tell now (told or not: the engine leaves out what was told)."""

    def page_url(self, criteria: dict[str, Any]) -> str:
        """The portal page that shows the same selection (path, for the mail's "see all" link)."""


def everything_found_now(source: Source, subscription: Subscription) -> list[str]:
    """The baseline of a source whose events start at the confirmation: nothing before it (an unconfirmed
    subscription holds nothing back); once confirmed (its criteria changed later), what its events find now."""
    if subscription.confirmed is None:
        return []
    return [event.key for event in source.events(subscription, dt.datetime.now(dt.UTC), lambda text: text)]
