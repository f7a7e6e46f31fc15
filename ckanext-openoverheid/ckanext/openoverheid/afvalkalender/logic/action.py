"""The action behind the calendar, the JSON, the RSS feed and the page: one place for validation,
visibility and the on-demand fetch, so the API, the page and the feeds cannot disagree."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk
from flask import has_request_context, request

from ckanext.openoverheid import ratelimit
from ckanext.openoverheid.afvalkalender import lookup
from harvesters.afvalkalender.model import Adres, normalise_postcode, normalise_toevoeging

__all__ = ["ProviderUnavailable", "TooManyRequests", "afvalkalender_show", "get_actions", "parse_address"]

log = logging.getLogger(__name__)


class TooManyRequests(tk.ValidationError):
    """Too many on-demand fetches; ``retry_after`` in seconds (the Action API answers 409)."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__({"adres": [message]})
        self.retry_after = retry_after


class ProviderUnavailable(tk.ValidationError):
    """The waste provider could not be asked right now (the Action API answers 409)."""

    def __init__(self, message: str) -> None:
        super().__init__({"adres": [message]})


def parse_address(data_dict: dict[str, Any]) -> Adres:
    """An Adres from ``postcode``, ``huisnummer`` and ``toevoeging``; ValidationError per field."""
    errors: dict[str, list[str]] = {}
    postcode = str(data_dict.get("postcode") or "").strip()
    try:
        postcode = normalise_postcode(postcode)
    except ValueError:
        errors["postcode"] = [tk._("Enter a postcode of four digits and two letters, e.g. 3512 AH.")]
    nummer = str(data_dict.get("huisnummer") or "").strip()
    if not nummer.isdigit() or not 0 < int(nummer) <= 99999:
        errors["huisnummer"] = [tk._("Enter a house number, e.g. 13.")]
    try:
        toevoeging = normalise_toevoeging(str(data_dict.get("toevoeging") or ""))
    except ValueError:
        errors["toevoeging"] = [tk._("A house number suffix is letters or digits only, e.g. A or 2.")]
    if errors:
        raise tk.ValidationError(errors)
    return Adres(postcode, int(nummer), toevoeging)


def _client() -> str:
    return (request.remote_addr or "onbekend") if has_request_context() else "intern"


def _as_dict(calendar: lookup.Calendar) -> dict[str, Any]:
    adres = calendar.adres
    checked = calendar.checked_at
    source = calendar.source
    return {
        "adres": {"postcode": adres.postcode, "huisnummer": adres.huisnummer, "toevoeging": adres.toevoeging,
                  "label": str(adres)},
        "gemeente": calendar.gemeente,
        "dataset": calendar.dataset,
        "organisatie": {"name": source.organization_name, "title": source.organization_title},
        "bron": {"name": source.name, "title": source.title},
        "bijgewerkt": checked.isoformat() if checked else None,
        "op_verzoek_opgehaald": calendar.fetched_now,
        "ophaalmomenten": [
            {"datum": str(row["datum"])[:10], "afvaltype": row["afvaltype"], "omschrijving": row.get("omschrijving"),
             "provider_label": row.get("provider_label") or ""}
            for row in calendar.rows
        ],
    }


@tk.side_effect_free
def afvalkalender_show(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """The waste collection dates at one address.

    Read from the harvested afvalkalender tables: when several hold the address, the calendar checked
    with its provider most recently. An address none of them holds but that lies in the area of a
    harvest source is fetched from that source's provider and stored in its own dataset (rate limited
    per client and per source, so it may refuse with an error on ``adres``). A private source answers
    only members of its organisation.

    :param postcode: postcode, e.g. ``3512AH`` or ``3512 ah``
    :type postcode: string
    :param huisnummer: house number, e.g. ``13``
    :type huisnummer: int
    :param toevoeging: house letter or suffix, e.g. ``A`` (optional)
    :type toevoeging: string
    :param ophalen: ask the provider when no table holds the address (default true)
    :type ophalen: bool
    :returns: ``adres`` (``postcode``, ``huisnummer``, ``toevoeging``, ``label``), ``gemeente``,
        ``dataset`` (``id``, ``name``, ``title``), ``organisatie`` and ``bron`` (the organisation and
        the harvest source the calendar comes from: ``name``, ``title``), ``bijgewerkt`` (when the
        provider was last asked),
        ``op_verzoek_opgehaald`` and ``ophaalmomenten``: every collection of this year (past ones
        too) and of next year once published, sorted by date, each with ``datum``, ``afvaltype``
        (code), ``omschrijving`` (Dutch name) and ``provider_label``
    :rtype: dictionary
    :raises: NotFound when no harvested table and no provider knows the address
    """
    tk.check_access("afvalkalender_show", context, data_dict)
    adres = parse_address(data_dict or {})
    calendar = lookup.find_calendar(adres, context)
    if calendar is None and tk.asbool((data_dict or {}).get("ophalen", True)):
        try:
            calendar = lookup.fetch_on_demand(adres, context, _client())
        except ratelimit.RateLimited as error:
            minutes = max(1, round(error.retry_after / 60))
            raise TooManyRequests(
                tk._("Too many addresses were looked up at the waste collector just now. Please try again in "
                     "{minutes} minutes.").format(minutes=minutes),
                error.retry_after,
            ) from None
        except lookup.ProviderUnavailable as error:
            log.info("afvalkalender: provider unavailable for %s: %s", adres, error)
            raise ProviderUnavailable(
                tk._("The waste collector of this municipality cannot be reached right now, so the dates of "
                     "{address} are not known yet. Please try again later.").format(address=str(adres))
            ) from None
    if calendar is None:
        raise tk.ObjectNotFound(
            tk._("No waste calendar is known for {address}. Check the postcode and house number; the "
                 "portal only has calendars of municipalities that publish them here.").format(address=str(adres))
        )
    return _as_dict(calendar)


def get_actions() -> dict[str, Callable[..., Any]]:
    return {"afvalkalender_show": afvalkalender_show}
