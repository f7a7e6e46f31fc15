"""The alert actions: the API that the subscribe form, the links in the mails and the "my alerts" page
all call. No e-mail address ever leaves them: results describe subscriptions, not subscribers.

Steps live in plain modules: ``subscriptions`` (the life of a subscription), ``sources`` (what each
kind looks at), ``delivery`` and ``outbox`` (what is sent, once), ``jobs`` (the background work).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from sqlalchemy.dialects.postgresql import insert

from ckanext.openoverheid import ratelimit
from ckanext.openoverheid.attenderingen import jobs, limits, subscriptions
from ckanext.openoverheid.attenderingen.model import Delivery, Subscription, utcnow
from ckanext.openoverheid.attenderingen.sources import available, source_for
from ckanext.openoverheid.attenderingen.translation import LOCALES

log = logging.getLogger(__name__)

# What people type: local part, @, a domain with a dot; no spaces, no second @ (RFC 5321 lengths).
_EMAIL = re.compile(r"^[^@\s<>(),;:\"\[\]]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+$")


class TooManyConfirmations(tk.ValidationError):
    """Too many confirmation mails for one address or from one client today; views answer HTTP 429."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__({"email": [message]})
        self.retry_after = retry_after


def _locale(data_dict: dict[str, Any]) -> str:
    asked = str(data_dict.get("locale") or "")
    if asked in LOCALES:
        return asked
    try:
        current = tk.h.lang()
    except (RuntimeError, AttributeError):  # no request (CLI, jobs)
        current = None
    return current if current in LOCALES else (tk.config.get("ckan.locale_default") or "nl")


def _client(context: dict[str, Any]) -> str | None:
    try:
        return tk.request.remote_addr
    except RuntimeError:
        return context.get("client")


def _email(data_dict: dict[str, Any], errors: dict[str, list[str]]) -> str:
    text = str(data_dict.get("email") or "").strip()
    if not text:
        errors["email"] = [tk._("Enter your e-mail address.")]
    elif len(text) > 254 or not _EMAIL.match(text):
        errors["email"] = [tk._("This is not an e-mail address. Enter one such as naam@voorbeeld.nl.")]
    return subscriptions.normalise_email(text)


def _refuse_if_flooding(email: str, context: dict[str, Any]) -> None:
    if context.get("ignore_auth"):
        return
    try:
        limits.count_confirmation(email, _client(context))
    except ratelimit.RateLimited as error:
        raise TooManyConfirmations(tk._(
            "We sent enough confirmation mails to this address (or from your connection) today. Look for "
            "them in your mailbox, also under spam, or try again tomorrow."), error.retry_after) from None


def attendering_create(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Subscribe an e-mail address to alerts. No account needed; nothing is sent before the link in
    the confirmation mail is opened. The address is never shown, in no answer and on no page.

    :param email: where the alerts go
    :type email: string
    :param soort: ``vergunningen``, ``afvalkalender``, ``meldingen`` or ``datasets``
    :type soort: string
    :param postcode: with ``huisnummer``: the address (vergunningen, afvalkalender, meldingen)
    :param huisnummer: the house number
    :param toevoeging: house number suffix (afvalkalender)
    :param lat: with ``lon``: a point on the map instead of an address (vergunningen, meldingen)
    :param lon: longitude (WGS84)
    :param straal: radius in metres, 100 to 2000 (default 500)
    :param soorten: permit kinds (vergunningen: bouw, kap, ...) or waste types (afvalkalender: gft,
        papier, ...), a list or comma-separated; none: all
    :param tijd: afvalkalender: when the reminder goes out the evening before (HH:MM, default 19:00)
    :param bbox: meldingen: ``min_lon,min_lat,max_lon,max_lat`` (the map's view) instead of a radius
    :param melding: meldingen: the number of one report, to hear of its status changes
    :param organization: datasets: of this organisation (name)
    :param theme: datasets: of this theme (a DCAT theme URI or code)
    :param q: datasets: a saved search (words)
    :param locale: ``nl`` or ``en`` (default: the language of the page or API call)
    :returns: ``id``, ``soort``, ``status`` (``pending``), ``description`` and ``message``
    :rtype: dictionary
    """
    tk.check_access("attendering_create", context, data_dict)
    data_dict = dict(data_dict or {})
    errors: dict[str, list[str]] = {}
    email = _email(data_dict, errors)
    soort = str(data_dict.get("soort") or "")
    criteria: dict[str, Any] = {}
    offered = available()
    if soort not in offered:
        errors["soort"] = [tk._("Choose what to be alerted about: %(kinds)s.") % {"kinds": ", ".join(offered)}]
    else:
        criteria = source_for(soort).criteria(data_dict, errors)
    if errors:
        raise tk.ValidationError(errors)
    _refuse_if_flooding(email, context)
    subscription, mail_id = subscriptions.subscribe(email, soort, criteria, _locale(data_dict))
    jobs.enqueue_send(mail_id)
    result = subscriptions.public_view(subscription)
    result["message"] = tk._("Almost done: we sent you an e-mail. Open the link in it to confirm this alert.")
    return result


def _token(data_dict: dict[str, Any]) -> str:
    token = str((data_dict or {}).get("token") or "")
    if not token:
        raise tk.ValidationError({"token": [tk._("Missing value")]})
    return token


def attendering_confirm(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Confirm a subscription with the token of the link in its confirmation mail.

    :param token: the last part of the link
    :returns: ``outcome`` (``confirmed``, ``already_confirmed``, ``unknown``, ``expired``, ``invalid``)
        and, when known, ``subscription``
    """
    tk.check_access("attendering_confirm", context, data_dict)
    result = subscriptions.confirm(_token(data_dict))
    return {"outcome": str(result.outcome), "subscription": result.subscription}


def attendering_unsubscribe(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """End a subscription with the token of the unsubscribe link of any of its mails.

    :param token: the last part of the link
    :returns: ``outcome`` (``ended``, ``unknown`` when it was ended before, ``invalid``)
    """
    tk.check_access("attendering_unsubscribe", context, data_dict)
    result = subscriptions.unsubscribe(_token(data_dict))
    return {"outcome": str(result.outcome), "subscription": result.subscription}


def attendering_manage_link(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Mail the link to the "my alerts" page to an address. The answer is the same whether or not the
    address has alerts (nobody learns who subscribed).

    :param email: the address
    :returns: ``message``
    """
    tk.check_access("attendering_manage_link", context, data_dict)
    errors: dict[str, list[str]] = {}
    email = _email(data_dict or {}, errors)
    if errors:
        raise tk.ValidationError(errors)
    _refuse_if_flooding(email, context)
    mail_id = subscriptions.queue_manage_link(email, _locale(data_dict or {}))
    if mail_id is not None:
        jobs.enqueue_send(mail_id)
    return {"message": tk._("If this address has alerts here, we sent it a link to see and change them.")}


def _manage_subscriber(data_dict: dict[str, Any]) -> Any:
    subscriber, problem = subscriptions.subscriber_from_manage_token(_token(data_dict))
    if subscriber is None:
        raise tk.ObjectNotFound(str(problem))
    return subscriber


def _masked(email: str) -> str:
    local, _, domain = email.partition("@")
    return f"{local[:1]}…@{domain}"


@tk.side_effect_free
def attendering_list(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Every subscription of the address a manage token (from a mail) stands for.

    :param token: the last part of the "my alerts" link
    :returns: ``address`` (masked: ``n…@example.org``) and ``subscriptions``
    :raises: NotFound when the token is expired, forged, or its address has no alerts any more
    """
    tk.check_access("attendering_list", context, data_dict)
    subscriber = _manage_subscriber(data_dict)
    return {"address": _masked(subscriber.email),
            "subscriptions": [subscriptions.public_view(s, _locale(data_dict or {}))
                              for s in subscriptions.subscriptions_of(subscriber)]}


def _own_subscription(data_dict: dict[str, Any]) -> Subscription:
    subscriber = _manage_subscriber(data_dict)
    subscription = model.Session.get(Subscription, str(data_dict.get("id") or ""))
    if subscription is None or subscription.subscriber_id != subscriber.id:
        raise tk.ObjectNotFound(tk._("This alert does not exist (any more)."))
    return subscription


def attendering_update(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Change a subscription from the "my alerts" page: the fields of ``attendering_create`` given here
    replace its own (``soort`` and the address stay).

    :param token: the "my alerts" token
    :param id: the subscription
    :returns: the subscription
    """
    tk.check_access("attendering_update", context, data_dict)
    subscription = _own_subscription(data_dict)
    source = source_for(subscription.soort)
    changes = {k: v for k, v in data_dict.items() if k not in ("token", "id", "soort", "email")}
    merged = {**_as_input(subscription.criteria), **changes}
    errors: dict[str, list[str]] = {}
    criteria = source.criteria(merged, errors)
    if errors:
        raise tk.ValidationError(errors)
    subscription.criteria = criteria
    subscription.label = subscriptions.describe(subscription)
    if subscription.confirmed is not None:  # what the new criteria already find is not news either
        keys = set(source.baseline(subscription))
        if keys:
            model.Session.execute(insert(Delivery.__table__).values(
                [{"subscription_id": subscription.id, "event_key": k, "created": utcnow()} for k in keys]
            ).on_conflict_do_nothing())
    model.Session.commit()
    return subscriptions.public_view(subscription, _locale(data_dict))


def _as_input(criteria: dict[str, Any]) -> dict[str, Any]:
    """Stored criteria as request fields again (a point stays the point it was)."""
    data = dict(criteria)
    if "lat" in data and "postcode" in data:
        data.pop("postcode")
        data.pop("huisnummer", None)
    return data


def attendering_delete(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """End one subscription (``id``) or, with ``all``, every one of the address, from "my alerts". With
    the last one the address itself is deleted.

    :param token: the "my alerts" token
    :param id: the subscription (or ``all``: true)
    :returns: ``ended``: how many
    """
    tk.check_access("attendering_delete", context, data_dict)
    if tk.asbool((data_dict or {}).get("all")):
        subscriber = _manage_subscriber(data_dict)
        ended = 0
        for subscription in subscriptions.subscriptions_of(subscriber):
            subscriptions.end(subscription)
            ended += 1
        return {"ended": ended}
    subscriptions.end(_own_subscription(data_dict))
    return {"ended": 1}


def attendering_send_due(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Do at once what the scheduler does next: purge expired subscriptions, queue the alerts that are
    due and send the queued mail (sysadmins; for operators and tests).

    :returns: counts: ``purged``, ``mails`` and ``events`` queued, ``capped``, ``sent``,
        ``postponed`` (SMTP unavailable, retried later), ``failed``, ``pending``
    """
    tk.check_access("attendering_send_due", context, data_dict)
    return jobs.run_due()


def get_actions() -> dict[str, Callable[..., Any]]:
    return {
        "attendering_create": attendering_create,
        "attendering_confirm": attendering_confirm,
        "attendering_unsubscribe": attendering_unsubscribe,
        "attendering_manage_link": attendering_manage_link,
        "attendering_list": attendering_list,
        "attendering_update": attendering_update,
        "attendering_delete": attendering_delete,
        "attendering_send_due": attendering_send_due,
    }
