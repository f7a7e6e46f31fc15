"""The registry of waste providers: from a harvest source's settings to a :class:`Provider`.

A source stores a provider name, an endpoint and a config mapping; :func:`make_provider` checks the
config against what the provider needs, so a mistake shows up when the source is saved, not at 3 am.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from harvesters.afvalkalender.base import BaseProvider, HttpLike, Provider, amsterdam_today
from harvesters.afvalkalender.ical import IcalFeed
from harvesters.afvalkalender.mijnafvalwijzer import MijnAfvalwijzer
from harvesters.afvalkalender.opzet import Opzet
from harvesters.afvalkalender.vocabulary import Vocabulary
from harvesters.afvalkalender.ximmio import Ximmio

__all__ = ["PROVIDERS", "ProviderSpec", "make_provider"]


@dataclass(frozen=True)
class ProviderSpec:
    """What a provider needs: its adapter class and the config keys it requires and accepts."""

    name: str
    factory: type[BaseProvider]
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    description: str = ""

    def check(self, config: Mapping[str, Any]) -> dict[str, Any]:
        """The config values this provider takes; ValueError naming the first missing or empty
        required key. Other keys are left out (see :meth:`unknown_keys` to warn about typos)."""
        for key in self.required:
            value = config.get(key)
            if value is None or (isinstance(value, str) and not value.strip()):
                raise ValueError(
                    f"the waste provider {self.name!r} needs the config key {key!r}; add it to the harvest source"
                )
        return {key: config[key] for key in (*self.required, *self.optional) if config.get(key) is not None}

    def unknown_keys(self, config: Mapping[str, Any]) -> list[str]:
        """Keys of ``config`` this provider does not read: probably typos."""
        return sorted(set(config) - set(self.required) - set(self.optional))


def _spec(factory: type[BaseProvider], description: str) -> ProviderSpec:
    return ProviderSpec(factory.name, factory, factory.required, factory.optional, description)


PROVIDERS: dict[str, ProviderSpec] = {
    spec.name: spec
    for spec in (
        _spec(MijnAfvalwijzer, "mijnafvalwijzer.nl and its white-label hosts (JSON, an API key)"),
        _spec(Ximmio, "Ximmio waste API (JSON POST, a company code)"),
        _spec(Opzet, "Opzet white-label calendar sites (JSON)"),
        _spec(IcalFeed, "a municipality's .ics file per address"),
    )
}


def make_provider(
    name: str,
    endpoint: str,
    config: Mapping[str, Any],
    http: HttpLike,
    *,
    vocabulary: Vocabulary | None = None,
    today: Callable[[], dt.date] = amsterdam_today,
) -> Provider:
    """The provider ``name`` for ``endpoint``, configured by ``config`` and fetching through ``http``
    (a :class:`harvesters.http.HttpClient`).

    Raises ValueError with a message for the portal user when the name is unknown or a config key is
    missing or empty.
    """
    spec = PROVIDERS.get((name or "").strip().lower())
    if spec is None:
        raise ValueError(f"{name!r} is not a known waste provider; choose one of {', '.join(sorted(PROVIDERS))}")
    options = spec.check(config or {})
    return spec.factory(endpoint, http, vocabulary=vocabulary, today=today, **options)
