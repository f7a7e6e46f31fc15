"""Numbers and dates in the language of the page: "66,7%" and "5 december 2026, 14:30" on Dutch pages,
"66.7%" and "December 5, 2026, 14:30" on English ones (Babel, with the language of the request)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk
from babel.numbers import format_percent

# one decimal: "66,7%" (CLDR's percent pattern would round to "67%")
PERCENT_ONE_DECIMAL = "#,##0.0%"


def openoverheid_percent(share: float | None) -> str:
    """A share between 0 and 1 as a percentage with one decimal, in the page's number format."""
    if share is None:
        return ""
    return format_percent(share, PERCENT_ONE_DECIMAL, locale=tk.h.lang())


@tk.chained_helper
def render_datetime(
    next_helper: Callable[..., str],
    datetime_: datetime.datetime | str | None,
    date_format: str | None = None,
    with_hours: bool = False,
    with_seconds: bool = False,
) -> str:
    """CKAN's ``h.render_datetime``, except that a date with hours follows the page's language.

    CKAN writes it with a fixed English pattern ("MMMM d, YYYY, HH:mm (z)": "december 5, 2026" on a Dutch
    page); here the date is CKAN's own localised long date and the time follows it, both in the display
    timezone. Every other form is CKAN's.
    """
    if not with_hours or with_seconds or date_format:
        return next_helper(datetime_, date_format=date_format, with_hours=with_hours, with_seconds=with_seconds)
    day = next_helper(datetime_)
    if not day:
        return ""
    return f"{day}, {next_helper(datetime_, date_format='%H:%M')}"


def get_helpers() -> dict[str, Callable[..., Any]]:
    return {"openoverheid_percent": openoverheid_percent, "render_datetime": render_datetime}
