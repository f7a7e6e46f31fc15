"""The normalised permit notice, and how its kind and phase are read from Dutch text.

KOOP publishes notices, not permits: a permit's phase (applied for, granted, refused, withdrawn)
is only in the notice's title, and its kind is in ``dcterms:subject`` when the municipality filled
it in, else again in the title. Both are read with word rules rather than substrings, so
"dakkapel" is not a tree-felling permit and "verlenging beslistermijn" is not a granted one.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any

__all__ = ["Fase", "Soort", "Vergunning", "fase_from_title", "normalise_postcode", "soort_from"]


class Soort(StrEnum):
    """The kind of permit or decision a notice is about."""

    BOUW = "bouw"
    KAP = "kap"
    SLOOP = "sloop"
    OMGEVINGS = "omgevings"
    RECLAME = "reclame"
    MILIEU = "milieu"
    EVENEMENTEN = "evenementen"
    VERKEERSBESLUIT = "verkeersbesluit"
    OVERIG = "overig"


class Fase(StrEnum):
    """Where in its procedure the permit is, as far as the notice says."""

    AANVRAAG = "aanvraag"
    VERLEEND = "verleend"
    GEWEIGERD = "geweigerd"
    INGETROKKEN = "ingetrokken"
    ONBEKEND = "onbekend"


@dataclass(frozen=True)
class Vergunning:
    """One permit notice, normalised. Coordinates are WGS84; dates are dates, not strings."""

    identifier: str
    title: str
    soort: Soort = Soort.OVERIG
    fase: Fase = Fase.ONBEKEND
    document_date: dt.date | None = None
    published_date: dt.date | None = None
    modified: dt.datetime | dt.date | None = None
    einde_bezwaartermijn: dt.date | None = None
    straat: str | None = None
    huisnummer: str | None = None
    postcode: str | None = None
    woonplaats: str | None = None
    gemeente: str | None = None
    lat: float | None = None
    lon: float | None = None
    url: str | None = None
    creator: str | None = None
    onderwerp: str | None = None
    publicatienaam: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain values for storage: enums as their values, dates and datetimes as ISO strings."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, StrEnum):
                value = value.value
            elif isinstance(value, dt.date):  # datetime is a date too
                value = value.isoformat()
            out[f.name] = value
        return out


# --- reading kind and phase -----------------------------------------------------------------------


def _words(text: str | None) -> list[str]:
    if not text:
        return []
    return re.findall(r"[^\W\d_]+", text.casefold())


_SUBJECTS = {
    "bouwvergunning": Soort.BOUW,
    "kapvergunning": Soort.KAP,
    "sloopvergunning": Soort.SLOOP,
    "reclamevergunning": Soort.RECLAME,
    "milieuvergunning": Soort.MILIEU,
    "evenementenvergunning": Soort.EVENEMENTEN,
    "verkeersbesluit": Soort.VERKEERSBESLUIT,
}
_GENERIC_SUBJECTS = {"omgevingsvergunning", "andere vergunning", "overig", "overige", ""}


def _activity(word: str) -> Soort | None:
    """The specific kind a single word points at, if any."""
    if (
        word.startswith("kapverg")
        or word in {"kap", "kappen", "boom", "bomen", "houtopstand", "houtopstanden", "vellen", "velling"}
        or word.endswith(("boomkap", "bomenkap"))
    ):
        return Soort.KAP
    if word.startswith(("sloop", "slopen")):
        return Soort.SLOOP
    if "reclame" in word:
        return Soort.RECLAME
    if "evenement" in word:
        return Soort.EVENEMENTEN
    if word.startswith("milieu"):
        return Soort.MILIEU
    if word.startswith(("verkeersbesluit", "verkeersmaatregel")):
        return Soort.VERKEERSBESLUIT
    if "bouw" in word or word.startswith("dakkapel"):
        return Soort.BOUW
    return None


_ACTIVITY_ORDER = (
    Soort.VERKEERSBESLUIT,
    Soort.EVENEMENTEN,
    Soort.KAP,
    Soort.SLOOP,
    Soort.RECLAME,
    Soort.MILIEU,
    Soort.BOUW,
)


def soort_from(subjects: Iterable[str] = (), types: Iterable[str] = (), title: str | None = None) -> Soort:
    """The permit kind: a specific ``dcterms:subject`` wins, then a specific activity named in the
    subject, type or title (kappen, slopen, dakkapel …), then "omgevings" for a generic
    omgevingsvergunning, else "overig"."""
    subjects = [" ".join(s.casefold().split()) for s in subjects]
    for subject in subjects:
        if subject in _SUBJECTS:
            return _SUBJECTS[subject]
    words = [w for text in [*subjects, *types, title or ""] for w in _words(text)]
    found = {soort for soort in map(_activity, words) if soort is not None}
    for soort in _ACTIVITY_ORDER:
        if soort in found:
            return soort
    if any(w.startswith("omgevingsverg") for w in words) or "omgevingsvergunning" in subjects:
        return Soort.OMGEVINGS
    return Soort.OVERIG


_WITHDRAWN = {"ingetrokken", "intrekking", "intrekken", "ingetrokkene", "trekt"}
_PENDING = {
    "beslistermijn",
    "ontwerpbesluit",
    "ontwerpbeschikking",
    "ontwerp",
    "ontwerpvergunning",
    "voornemen",
    "voorgenomen",
}
_REFUSED = {"geweigerd", "geweigerde", "weigering", "weigeren", "weigert", "afgewezen", "afwijzing"}
_GRANTED = {
    "verleend",
    "verleende",
    "verlenen",
    "verleent",
    "verlening",
    "toegekend",
    "toegekende",
    "toekenning",
    "vergund",
    "vergunde",
}
_APPLIED = {"aanvraag", "aanvragen", "aangevraagd", "ingediend", "ingediende", "ingekomen", "ontvangen", "ontvangst"}


def fase_from_title(title: str | None) -> Fase:
    """The phase a Dutch notice title announces.

    Strongest signal first: a withdrawal; a pending procedure (a draft decision or an extended
    decision period, even when it says "verlenen"); a refusal; a grant ("verleend", "besluit tot
    verlenen", "toegekend"); an application ("aanvraag", "aangevraagd", "ingediend"). "Besluit op
    aanvraag … verleend" is therefore granted, not applied for.
    """
    words = set(_words(title))
    if words & _WITHDRAWN:
        return Fase.INGETROKKEN
    if words & _PENDING:
        return Fase.AANVRAAG
    if words & _REFUSED:
        return Fase.GEWEIGERD
    if words & _GRANTED:
        return Fase.VERLEEND
    if words & _APPLIED:
        return Fase.AANVRAAG
    return Fase.ONBEKEND


# --- addresses ------------------------------------------------------------------------------------

_POSTCODE = re.compile(r"^\s*([1-9]\d{3})\s*\+?\s*([A-Za-z]{2})\s*$")
_POSTCODE_IN_TEXT = re.compile(r"\b([1-9]\d{3})\s?([A-Z]{2})\b")


def normalise_postcode(text: str | None) -> str | None:
    """``"3512 ah"`` → ``"3512AH"``; None for anything that is not a Dutch postcode."""
    if not text:
        return None
    match = _POSTCODE.match(unicodedata.normalize("NFKC", text))
    if not match:
        return None
    return f"{match.group(1)}{match.group(2).upper()}"


def postcode_in_text(text: str | None) -> str | None:
    """The first Dutch postcode written in a title ("…, 3512AH Utrecht"), or None."""
    if not text:
        return None
    match = _POSTCODE_IN_TEXT.search(text)
    return f"{match.group(1)}{match.group(2)}" if match else None


def same_organisation(a: str | None, b: str | None) -> bool:
    """Whether two organisation names mean the same municipality, ignoring case, accents,
    apostrophe and hyphen variants and a leading "gemeente"."""
    return bool(a and b) and _organisation_key(a or "") == _organisation_key(b or "")


@functools.lru_cache(maxsize=1024)  # a feed repeats a handful of creator names thousands of times
def _organisation_key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[\u2018\u2019`´]", "'", text)
    text = re.sub(r"[\s\-\u2010-\u2015]+", " ", text).strip()
    return re.sub(r"^gemeente\s+", "", text)
