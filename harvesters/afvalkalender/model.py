"""The normalised records of a waste calendar: an address and its collection dates (ophaalmomenten).

Every provider adapter answers with :class:`Ophaalmoment` records, whatever the provider's own
format, so the portal stores and serves one shape.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = ["Adres", "Ophaalmoment", "deduplicate", "normalise_postcode", "normalise_toevoeging", "parse_adres"]

MAX_TOEVOEGING = 6  # BAG: one huisletter plus a huisnummertoevoeging of at most four characters, with slack
MAX_HUISNUMMER = 99999

_POSTCODE = re.compile(r"^\s*([1-9]\d{3})[\s+]*([A-Za-z]{2})\s*$")
_ADRES = re.compile(
    r"^\s*(?P<postcode>\d{4}[\s+]*[A-Za-z]{2})[\s+,;]*(?P<nummer>\d{1,6})(?P<rest>.*?)\s*$",
)


def normalise_postcode(text: str) -> str:
    """A Dutch postcode as ``1234AB``: from ``1234AB``, ``1234 ab`` or ``1234+AB`` (URL-encoded space).

    Raises ValueError when ``text`` is not four digits (not starting with 0) and two letters.
    """
    match = _POSTCODE.match(text or "")
    if not match:
        raise ValueError(f"{text!r} is not a Dutch postcode; write it as four digits and two letters, e.g. 3511AB")
    return match.group(1) + match.group(2).upper()


def normalise_toevoeging(text: str | None) -> str:
    """A house-number suffix as providers compare it: upper case, no spaces, dashes or slashes.

    ``"-a"`` → ``"A"``, ``" b "`` → ``"B"``, ``"2-hoog"`` → ``"2HOOG"``. Raises ValueError for other
    characters or a suffix longer than the BAG allows.
    """
    cleaned = re.sub(r"[\s\-/_.+,]", "", text or "").upper()
    if not re.fullmatch(r"[A-Z0-9]*", cleaned):
        raise ValueError(f"{text!r} is not a house-number suffix; use letters and digits only, e.g. A or 2")
    if len(cleaned) > MAX_TOEVOEGING:
        raise ValueError(f"{text!r} is too long for a house-number suffix (at most {MAX_TOEVOEGING} characters)")
    return cleaned


def _huisnummer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(f"{value!r} is not a house number; give a whole number, e.g. 13")
    text = str(value).strip()
    if not text.isdigit() or not 1 <= int(text) <= MAX_HUISNUMMER:
        raise ValueError(f"{value!r} is not a house number; give a whole number from 1 to {MAX_HUISNUMMER}")
    return int(text)


@dataclass(frozen=True)
class Adres:
    """A Dutch address as waste providers know it: postcode, house number and suffix.

    The constructor normalises (``Adres("3512 ah", 13, "-a") == Adres("3512AH", 13, "A")``) and raises
    ValueError for values no provider would accept.
    """

    postcode: str
    huisnummer: int
    toevoeging: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "postcode", normalise_postcode(self.postcode))
        object.__setattr__(self, "huisnummer", _huisnummer(self.huisnummer))
        object.__setattr__(self, "toevoeging", normalise_toevoeging(self.toevoeging))

    @property
    def key(self) -> str:
        """``3512AH-13A``: stable, URL- and file-name safe; part of calendar UIDs."""
        return f"{self.postcode}-{self.huisnummer}{self.toevoeging}"

    def __str__(self) -> str:
        return f"{self.postcode} {self.huisnummer}{self.toevoeging}"


def parse_adres(text: str) -> Adres:
    """An :class:`Adres` from what people type: ``"3511NV 250-A"``, ``"3512 AH 13"``,
    ``"1234+ab 118 b"``, ``"3512AH 13A"``.

    Raises ValueError with an example of the expected form for anything else.
    """
    match = _ADRES.match(text or "")
    if not match:
        raise ValueError(f"{text!r} is not a postcode and house number; write e.g. '3512AH 13' or '3512 AH 13-A'")
    try:
        return Adres(match.group("postcode"), int(match.group("nummer")), match.group("rest"))
    except ValueError as error:
        raise ValueError(
            f"{text!r} is not a valid address: {error} (a whole address reads e.g. '3512AH 13-A')"
        ) from None


@dataclass(frozen=True, order=True)
class Ophaalmoment:
    """One collection: at this address, this type of waste is collected on this date.

    ``afvaltype`` is a code of the vocabulary (``schemas/afvaltypen.yaml``); ``provider_label`` is
    the provider's own name for it, kept for display and for mapping new labels later.
    """

    postcode: str
    huisnummer: int
    toevoeging: str
    afvaltype: str
    datum: dt.date
    provider_label: str = ""

    @classmethod
    def at(cls, adres: Adres, afvaltype: str, datum: dt.date, provider_label: str = "") -> Ophaalmoment:
        return cls(adres.postcode, adres.huisnummer, adres.toevoeging, afvaltype, datum, provider_label)

    @property
    def adres(self) -> Adres:
        return Adres(self.postcode, self.huisnummer, self.toevoeging)

    @property
    def identity(self) -> tuple[str, int, str, str, dt.date, str]:
        """What makes two records the same collection. Two unknown (``overig``) types on one day are
        different collections unless their labels are equal; known types are one collection per day."""
        label = self.provider_label.strip().lower() if self.afvaltype == "overig" else ""
        return (self.postcode, self.huisnummer, self.toevoeging, self.afvaltype, self.datum, label)

    def to_dict(self) -> dict[str, Any]:
        return {
            "postcode": self.postcode,
            "huisnummer": self.huisnummer,
            "toevoeging": self.toevoeging,
            "afvaltype": self.afvaltype,
            "datum": self.datum.isoformat(),
            "provider_label": self.provider_label,
        }


def _sort_key(record: Ophaalmoment) -> tuple[dt.date, str, int, str, str, str]:
    return (
        record.datum,
        record.postcode,
        record.huisnummer,
        record.toevoeging,
        record.afvaltype,
        record.provider_label,
    )


def deduplicate(records: Iterable[Ophaalmoment]) -> list[Ophaalmoment]:
    """``records`` without repeats (see :attr:`Ophaalmoment.identity`; the first one seen is kept),
    sorted by date, address, type and label."""
    seen: dict[tuple[str, int, str, str, dt.date, str], Ophaalmoment] = {}
    for record in records:
        seen.setdefault(record.identity, record)
    return sorted(seen.values(), key=_sort_key)
