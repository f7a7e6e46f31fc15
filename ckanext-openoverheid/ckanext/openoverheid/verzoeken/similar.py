"""Which existing requests look like a new one, by their titles: offered while typing, so that a resident
supports the request that exists instead of asking the same thing again.

Titles are compared as sets of meaningful words (lower-cased, accents kept, Dutch and English filler
words left out, a plural ``-en``/``-s`` folded onto its singular) by their overlap (Jaccard), with
``difflib``'s ratio of the whole titles as a tie-breaker for near-identical spellings.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

THRESHOLD = 0.34
_WORD = re.compile(r"\w+", re.UNICODE)
STOPWORDS = frozenset("""
de het een en van in op te voor met aan bij uit over naar om als dat die dit deze er is zijn wordt worden
graag alle alles ook nog meer per of ik we wij je jij u mijn onze ons wil willen zou zouden kan kunnen
the a an and of in on to for with at by from about as that this these is are be all also more or i we you
my our want would could can please
""".split())


@dataclass(frozen=True)
class Candidate:
    id: int
    titel: str


def words(title: str) -> frozenset[str]:
    found = set()
    for word in _WORD.findall(title.lower()):
        if len(word) < 3 or word in STOPWORDS or word.isdigit():
            continue
        for ending in ("en", "s"):
            if word.endswith(ending) and len(word) - len(ending) >= 4:
                word = word[: -len(ending)]
                break
        found.add(word)
    return frozenset(found)


def score(a: str, b: str) -> float:
    """0–1: how alike two titles are."""
    wa, wb = words(a), words(b)
    if not wa or not wb:
        return 0.0
    jaccard = len(wa & wb) / len(wa | wb)
    ratio = difflib.SequenceMatcher(None, a.lower(), b.lower()).ratio()
    return max(jaccard, ratio if ratio >= 0.85 else 0.0)


def most_alike(title: str, candidates: Iterable[Candidate], *, limit: int = 5,
               threshold: float = THRESHOLD) -> list[tuple[Candidate, float]]:
    """The candidates at least ``threshold`` alike, most alike first, at most ``limit``."""
    scored = [(candidate, score(title, candidate.titel)) for candidate in candidates]
    alike = [(candidate, s) for candidate, s in scored if s >= threshold]
    return sorted(alike, key=lambda pair: (-pair[1], -pair[0].id))[:limit]
