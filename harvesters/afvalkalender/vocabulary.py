"""The fixed waste-type vocabulary: provider labels in, our codes out.

The vocabulary is data (``schemas/afvaltypen.yaml``), so adding a provider's spelling is a YAML
change. ``schemas/`` is installed as the package ``ckanext.openoverheid.schemas``; the file is looked
up there when that package is importable (importing it runs no CKAN code), else in the ``schemas/``
folder beside ``harvesters/`` in a source checkout. Pass a path to use another file.
"""

from __future__ import annotations

import importlib.resources
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "OVERIG",
    "Afvaltype",
    "Vocabulary",
    "default_vocabulary",
    "load_vocabulary",
    "normalise_label",
    "vocabulary_path",
]

OVERIG = "overig"
FILE_NAME = "afvaltypen.yaml"
SCHEMAS_PACKAGE = "ckanext.openoverheid.schemas"


def normalise_label(label: str) -> str:
    """``label`` folded for comparison: lower case, accents dropped, only letters and digits kept."""
    text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]", "", text.lower())


@dataclass(frozen=True)
class Afvaltype:
    """One waste type: its code, labels by language, and the provider spellings that mean it."""

    code: str
    labels: Mapping[str, str]
    aliases: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()

    def label(self, language: str = "nl") -> str:
        return self.labels.get(language) or self.labels.get("nl") or self.code


@dataclass(frozen=True)
class Vocabulary:
    """The waste types in their YAML order, with lookups built from their aliases and keywords."""

    types: tuple[Afvaltype, ...]
    fallback: str = OVERIG
    _aliases: dict[str, str] = field(init=False, repr=False, compare=False)
    _keywords: tuple[tuple[str, str], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        codes = [t.code for t in self.types]
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            raise ValueError(f"waste type codes must be unique; repeated: {', '.join(duplicates)}")
        if self.fallback not in codes:
            raise ValueError(f"the fallback waste type {self.fallback!r} is not in the vocabulary")
        aliases: dict[str, str] = {}
        for afvaltype in self.types:
            for alias in (afvaltype.code, *afvaltype.aliases):
                key = normalise_label(alias)
                if not key:
                    continue
                known = aliases.setdefault(key, afvaltype.code)
                if known != afvaltype.code:
                    raise ValueError(f"the alias {alias!r} is given for both {known!r} and {afvaltype.code!r}")
        keywords = [(normalise_label(k), t.code) for t in self.types for k in t.keywords if normalise_label(k)]
        # Longest keyword first: the most specific match wins; equal lengths keep the YAML order.
        keywords.sort(key=lambda pair: -len(pair[0]))
        object.__setattr__(self, "_aliases", aliases)
        object.__setattr__(self, "_keywords", tuple(keywords))

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(t.code for t in self.types)

    def __contains__(self, code: object) -> bool:
        return any(t.code == code for t in self.types)

    def get(self, code: str) -> Afvaltype:
        for afvaltype in self.types:
            if afvaltype.code == code:
                return afvaltype
        raise KeyError(f"unknown waste type {code!r}; known: {', '.join(self.codes)}")

    def labels(self, language: str = "nl") -> dict[str, str]:
        """``{code: label}`` in one language, e.g. for :func:`ical_export.build_calendar`."""
        return {t.code: t.label(language) for t in self.types}

    def match(self, label: str | None) -> str | None:
        """The code ``label`` means, or None when neither an alias nor a keyword matches."""
        key = normalise_label(label or "")
        if not key:
            return None
        if key in self._aliases:
            return self._aliases[key]
        for keyword, code in self._keywords:
            if keyword in key:
                return code
        return None

    def code_for(self, *labels: str | None) -> str:
        """The code of the first of ``labels`` that matches, else the fallback (``overig``).

        Providers give several labels for one collection (a type and a display name); pass the
        most reliable one first.
        """
        for label in labels:
            code = self.match(label)
            if code is not None:
                return code
        return self.fallback


def vocabulary_path() -> Path:
    """Where ``afvaltypen.yaml`` is: in the installed schemas package, else next to ``harvesters/``."""
    try:
        candidate = importlib.resources.files(SCHEMAS_PACKAGE) / FILE_NAME
        if candidate.is_file():
            return Path(str(candidate))
    except (ModuleNotFoundError, TypeError):
        pass
    return Path(__file__).resolve().parents[2] / "schemas" / FILE_NAME


def _strings(value: Any, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise ValueError(f"{what} must be a list of strings")
    return tuple(str(v) for v in value)


def parse_vocabulary(data: Any, *, source: str = FILE_NAME) -> Vocabulary:
    """A :class:`Vocabulary` from the parsed YAML document; ValueError names what is wrong."""
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise ValueError(f"{source} must be a mapping with a list of `items`")
    types = []
    for position, item in enumerate(data["items"], start=1):
        if not isinstance(item, dict) or not isinstance(item.get("code"), str) or not item["code"]:
            raise ValueError(f"item {position} of {source} has no `code`")
        code = item["code"]
        labels = item.get("label")
        if not isinstance(labels, dict) or not isinstance(labels.get("nl"), str):
            raise ValueError(f"waste type {code!r} in {source} needs a `label` with at least `nl`")
        if not all(isinstance(v, str) and v.strip() for v in labels.values()):
            raise ValueError(
                f"every label of waste type {code!r} in {source} must be text; quote labels that contain commas"
            )
        types.append(
            Afvaltype(
                code=code,
                labels={str(k): str(v) for k, v in labels.items()},
                aliases=_strings(item.get("aliases"), f"`aliases` of {code!r} in {source}"),
                keywords=_strings(item.get("keywords"), f"`keywords` of {code!r} in {source}"),
            )
        )
    return Vocabulary(tuple(types), fallback=str(data.get("fallback") or OVERIG))


def load_vocabulary(path: str | Path | None = None) -> Vocabulary:
    """Read the vocabulary from ``path`` (default: :func:`vocabulary_path`)."""
    where = Path(path) if path is not None else vocabulary_path()
    try:
        data = yaml.safe_load(where.read_text(encoding="utf-8"))
    except OSError as error:
        raise ValueError(f"the waste type vocabulary {where} could not be read ({error})") from None
    except yaml.YAMLError as error:
        raise ValueError(f"the waste type vocabulary {where} is not valid YAML ({error})") from None
    return parse_vocabulary(data, source=str(where))


@lru_cache(maxsize=1)
def default_vocabulary() -> Vocabulary:
    """The vocabulary of :func:`vocabulary_path`, read once per process."""
    return load_vocabulary()


def unknown_labels(vocabulary: Vocabulary, labels: Iterable[str]) -> list[str]:
    """The ``labels`` that map to the fallback: worth an alias in the YAML."""
    return sorted({label for label in labels if vocabulary.match(label) is None})
