"""The config of an ``afvalkalender`` harvest source, checked: which provider, which addresses, which area.

A source's URL is the provider's endpoint; its config is JSON such as::

    {"gemeente": "Utrecht", "provider": "mijnafvalwijzer", "apikey": "...",
     "adressen": ["3512AH 13", "3511NV 250-A"], "postcodes": ["3500-3585"]}

``adressen`` are harvested on every run (one sample address per collection route is the normal
case); ``postcodes`` is the area the source covers, where an address nobody harvested yet is fetched
on demand when a resident asks for it (default: the PC4 areas of ``adressen``); ``contact_email``
(optional) is the dataset's contact point. Every other key is
the provider's own (``apikey`` for mijnafvalwijzer, ``company_code`` for Ximmio, ...), checked by
``harvesters.afvalkalender.providers``. Plain code, no CKAN: the harvester and the lookups share it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from harvesters.afvalkalender.ical import template_fields
from harvesters.afvalkalender.model import Adres, parse_adres
from harvesters.afvalkalender.providers import PROVIDERS

__all__ = ["GENERAL_KEYS", "AfvalkalenderConfig", "PostcodeRange", "parse_config", "parse_postcode_range"]

GENERAL_KEYS = ("gemeente", "provider", "adressen", "postcodes", "contact_email", "timeout", "pause")
MAX_ADDRESSES = 2000
MAX_RANGES = 200
DEFAULT_TIMEOUT = 30.0
DEFAULT_PAUSE = 0.5
PC4_SIZE = 26 * 26
EXAMPLE = '{"gemeente": "Utrecht", "provider": "mijnafvalwijzer", "apikey": "...", "adressen": ["3512AH 13"]}'

_PC = r"([1-9]\d{3})\s*([A-Za-z]{2})?"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_RANGE = re.compile(rf"^\s*{_PC}\s*(?:-\s*{_PC}\s*)?$")


@dataclass(frozen=True)
class PostcodeRange:
    """Postcodes from ``low`` to ``high`` inclusive, both written ``1234AB`` (a PC4 is AA..ZZ)."""

    low: str
    high: str

    def __contains__(self, postcode: object) -> bool:
        return isinstance(postcode, str) and self.low <= postcode <= self.high

    def __str__(self) -> str:
        return self.low if self.low == self.high else f"{self.low}-{self.high}"

    @property
    def size(self) -> int:
        """How many postcodes the range spans (a PC4 is 676)."""
        return _ordinal(self.high) - _ordinal(self.low) + 1


def _ordinal(postcode: str) -> int:
    letters = postcode[4:6]
    return int(postcode[:4]) * PC4_SIZE + (ord(letters[0]) - ord("A")) * 26 + (ord(letters[1]) - ord("A"))


def parse_postcode_range(text: str) -> PostcodeRange:
    """``"3500-3585"``, ``"3512"``, ``"3512AH"`` or ``"3511AA-3511ZZ"`` as a range; ValueError otherwise."""
    match = _RANGE.match(text if isinstance(text, str) else "")
    if not match:
        raise ValueError(
            f"{text!r} is not a postcode range; write e.g. \"3500-3585\" (PC4), \"3512AH\" or \"3511AA-3511ZZ\""
        )
    low_digits, low_letters, high_digits, high_letters = match.groups()
    low = low_digits + (low_letters or "AA").upper()
    if high_digits is None:
        high = low_digits + (low_letters or "ZZ").upper()
    else:
        high = high_digits + (high_letters or "ZZ").upper()
    if low > high:
        raise ValueError(f"{text!r} runs backwards; put the lowest postcode first")
    return PostcodeRange(low, high)


@dataclass(frozen=True)
class AfvalkalenderConfig:
    """A checked source config; ``provider_options`` are the provider's own keys."""

    gemeente: str
    provider: str
    adressen: tuple[Adres, ...]
    postcodes: tuple[PostcodeRange, ...]
    provider_options: Mapping[str, Any] = field(default_factory=dict)
    contact_email: str = ""
    timeout: float = DEFAULT_TIMEOUT
    pause: float = DEFAULT_PAUSE

    def covers(self, adres: Adres) -> bool:
        """Whether ``adres`` lies in the area of this source: one of its ``adressen``, or in its
        ranges (without ``postcodes``: its addresses' PC4s)."""
        return self.narrowest_area(adres) is not None

    def narrowest_area(self, adres: Adres) -> int | None:
        """How many postcodes the narrowest part of the area holding ``adres`` spans (1 for one of
        ``adressen``), None outside the area: on demand, the most specific source is asked first."""
        if adres in self.adressen:
            return 1
        if self.postcodes:
            sizes = [area.size for area in self.postcodes if adres.postcode in area]
            return min(sizes) if sizes else None
        return PC4_SIZE if any(adres.postcode[:4] == known.postcode[:4] for known in self.adressen) else None


def _number(data: Mapping[str, Any], key: str, default: float, low: float, high: float) -> float:
    value = data.get(key, default)
    if not isinstance(value, int | float) or isinstance(value, bool) or not low <= value <= high:
        raise ValueError(f'"{key}" must be a number of seconds from {low:g} to {high:g}')
    return float(value)


def _strings(data: Mapping[str, Any], key: str, example: str) -> list[str]:
    value = data.get(key) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(f'"{key}" must be a list of strings, e.g. [{example}]')
    return value


def _json_object(config: str | Mapping[str, Any] | None) -> dict[str, Any]:
    if isinstance(config, Mapping):
        data: Any = dict(config)
    else:
        if not config or not config.strip():
            raise ValueError(f"give the provider and the addresses as JSON, e.g. {EXAMPLE}")
        try:
            data = json.loads(config)
        except ValueError as error:
            raise ValueError(f"the configuration is not valid JSON ({error}); e.g. {EXAMPLE}") from None
    if not isinstance(data, dict):
        raise ValueError(f"the configuration must be a JSON object, e.g. {EXAMPLE}")
    return data


def _gemeente_and_provider(data: Mapping[str, Any]) -> tuple[str, str]:
    gemeente = data.get("gemeente")
    if not isinstance(gemeente, str) or not gemeente.strip() or len(gemeente) > 100:
        raise ValueError('"gemeente" must name the municipality, e.g. "Utrecht"')
    provider = data.get("provider")
    if not isinstance(provider, str) or provider.strip().lower() not in PROVIDERS:
        raise ValueError(f'"provider" must be one of {", ".join(sorted(PROVIDERS))}')
    return gemeente.strip(), provider.strip().lower()


def _area(data: Mapping[str, Any]) -> tuple[tuple[Adres, ...], tuple[PostcodeRange, ...]]:
    """The source's ``adressen`` (without repeats) and ``postcodes`` ranges; at least one of them."""
    adressen: list[Adres] = []
    for text in _strings(data, "adressen", '"3512AH 13", "3511NV 250-A"'):
        try:
            adres = parse_adres(text)
        except ValueError as error:
            raise ValueError(f'"adressen": {error}') from None
        if adres not in adressen:
            adressen.append(adres)
    if len(adressen) > MAX_ADDRESSES:
        raise ValueError(
            f'"adressen" lists {len(adressen)} addresses; at most {MAX_ADDRESSES} (one per route is enough)'
        )
    postcodes = []
    for text in _strings(data, "postcodes", '"3500-3585"'):
        try:
            postcodes.append(parse_postcode_range(text))
        except ValueError as error:
            raise ValueError(f'"postcodes": {error}') from None
    if len(postcodes) > MAX_RANGES:
        raise ValueError(f'"postcodes" lists {len(postcodes)} ranges; at most {MAX_RANGES}')
    if not adressen and not postcodes:
        raise ValueError(
            'give at least one address in "adressen" (one per collection route), or an area in "postcodes"'
        )
    return tuple(adressen), tuple(postcodes)


def _contact_email(data: Mapping[str, Any]) -> str:
    contact_email = data.get("contact_email") or ""
    if not isinstance(contact_email, str) or (contact_email and not _EMAIL.match(contact_email.strip())):
        raise ValueError('"contact_email" must be the e-mail address that answers questions about the calendar')
    return contact_email.strip()


def _provider_options(data: Mapping[str, Any], provider: str) -> dict[str, Any]:
    """The provider's own keys of the config, checked by the provider's spec."""
    options = {key: value for key, value in data.items() if key not in GENERAL_KEYS and value is not None}
    spec = PROVIDERS[provider]
    unknown = spec.unknown_keys(options)
    if unknown:
        accepted = [*GENERAL_KEYS, *spec.required, *spec.optional]
        raise ValueError(
            f"unknown setting(s) {', '.join(unknown)} for the provider {provider}; use {', '.join(accepted)}"
        )
    checked = spec.check(options)
    if provider == "ical" and checked.get("url_template"):
        template_fields(str(checked["url_template"]))  # a broken template is a ValueError now, not at 3 am
    return checked


def parse_config(config: str | Mapping[str, Any] | None) -> AfvalkalenderConfig:
    """The config of a source (JSON text or a mapping), checked; ValueError says what to change."""
    data = _json_object(config)
    gemeente, provider = _gemeente_and_provider(data)
    adressen, postcodes = _area(data)
    contact_email = _contact_email(data)
    return AfvalkalenderConfig(
        gemeente=gemeente,
        provider=provider,
        adressen=adressen,
        postcodes=postcodes,
        provider_options=_provider_options(data, provider),
        contact_email=contact_email,
        timeout=_number(data, "timeout", DEFAULT_TIMEOUT, 1, 300),
        pause=_number(data, "pause", DEFAULT_PAUSE, 0, 60),
    )
