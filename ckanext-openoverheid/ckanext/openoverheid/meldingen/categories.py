"""Categories and statuses of meldingen, read from the data files in ``schemas/``.

Nothing here knows CKAN: the files are parsed into frozen dataclasses once and checked, so a typo
in the YAML stops the portal at start-up with a message naming the entry, instead of failing on
the first report.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from ckanext.openoverheid.meldingen.targets import DayKind, Target

SCHEMAS_PACKAGE = "ckanext.openoverheid.schemas"
CATEGORIES_FILE = "meldingen_categorieen.yaml"
STATUSES_FILE = "meldingen_statussen.yaml"

DATATYPES = frozenset({"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"})
_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,49}$")
MAX_TARGET_DAYS = 365


class CategoryFileError(ValueError):
    """The categories or statuses file is not what this module expects; the message names the entry."""


def label(text: Mapping[str, str] | str | None, lang: str = "nl") -> str:
    """The text in ``lang``, falling back to Dutch, then to any language given."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    return text.get(lang) or text.get("nl") or next(iter(text.values()), "")


@dataclass(frozen=True)
class Choice:
    key: str
    name: Mapping[str, str]


@dataclass(frozen=True)
class Attribute:
    """An extra question of a category (an Open311 service definition attribute)."""

    code: str
    datatype: str
    required: bool
    question: Mapping[str, str]
    explanation: Mapping[str, str]
    values: tuple[Choice, ...] = ()
    order: int = 1

    def value_keys(self) -> list[str]:
        return [choice.key for choice in self.values]


@dataclass(frozen=True)
class Category:
    """A kind of melding: an Open311 service."""

    code: str
    name: Mapping[str, str]
    description: Mapping[str, str]
    group: Mapping[str, str]
    keywords: tuple[str, ...]
    organization: str | None = None
    attributes: tuple[Attribute, ...] = ()
    target: Target | None = None  # the response target (``termijn``); None: no promise made

    def attribute(self, code: str) -> Attribute | None:
        return next((a for a in self.attributes if a.code == code), None)


@dataclass(frozen=True)
class Status:
    code: str
    name: Mapping[str, str]
    open311: str  # "open" or "closed"
    to: tuple[str, ...]
    explanation_required: bool = False  # a change to this status needs a public response
    # What Open311 service request updates call it (FixMyStreet's states: OPEN, IN_PROGRESS, FIXED, ...).
    open311_update: str = ""

    @property
    def is_open(self) -> bool:
        return self.open311 == "open"


@dataclass(frozen=True)
class Workflow:
    """The statuses and their allowed changes."""

    initial: str
    statuses: tuple[Status, ...]

    def get(self, code: str) -> Status | None:
        return next((s for s in self.statuses if s.code == code), None)

    def codes(self) -> list[str]:
        return [s.code for s in self.statuses]

    def allowed(self, current: str, new: str) -> bool:
        status = self.get(current)
        return status is not None and new in status.to

    def is_open(self, code: str) -> bool:
        status = self.get(code)
        return status is None or status.is_open

    def with_open311(self, state: str) -> list[str]:
        """The status codes that Open311 calls ``state`` (open or closed)."""
        return [s.code for s in self.statuses if s.open311 == state]


def _names(entry: Mapping[str, Any], key: str, where: str, required: bool = True) -> Mapping[str, str]:
    value = entry.get(key)
    if value is None and not required:
        return {}
    if isinstance(value, str):
        return {"nl": value}
    if not isinstance(value, Mapping) or not value.get("nl"):
        raise CategoryFileError(f"{where}: '{key}' needs at least a Dutch text ({key}: {{nl: ..., en: ...}})")
    return {str(k): str(v) for k, v in value.items()}


def _attribute(entry: Mapping[str, Any], where: str, order: int) -> Attribute:
    code = str(entry.get("code") or "")
    if not _CODE.match(code):
        raise CategoryFileError(f"{where}: attribute code {code!r} must be lower-case letters, digits, - or _")
    datatype = str(entry.get("datatype") or "string")
    if datatype not in DATATYPES:
        raise CategoryFileError(f"{where}, attribute {code}: datatype {datatype!r} is not one of {sorted(DATATYPES)}")
    values = tuple(
        Choice(key=str(v["key"]), name=_names(v, "naam", f"{where}, attribute {code}, value {v.get('key')}"))
        for v in entry.get("waarden") or []
    )
    if datatype.endswith("valuelist") and not values:
        raise CategoryFileError(f"{where}, attribute {code}: a {datatype} needs 'waarden'")
    return Attribute(
        code=code,
        datatype=datatype,
        required=bool(entry.get("verplicht", False)),
        question=_names(entry, "vraag", f"{where}, attribute {code}"),
        explanation=_names(entry, "uitleg", f"{where}, attribute {code}", required=False),
        values=values,
        order=order,
    )


def _target(entry: Mapping[str, Any], where: str) -> Target | None:
    value = entry.get("termijn")
    if value is None:
        return None
    kinds = [kind.value for kind in DayKind]
    example = "termijn: {dagen: 3, soort: werkdagen}"
    if not isinstance(value, Mapping):
        raise CategoryFileError(f"{where}: 'termijn' must look like {example}")
    days = value.get("dagen")
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_TARGET_DAYS:
        raise CategoryFileError(f"{where}: 'termijn.dagen' must be a whole number from 1 to {MAX_TARGET_DAYS} "
                                f"({example})")
    if value.get("soort") not in kinds:
        raise CategoryFileError(f"{where}: 'termijn.soort' must be one of {kinds} ({example})")
    unknown = set(value) - {"dagen", "soort"}
    if unknown:
        raise CategoryFileError(f"{where}: 'termijn' knows only 'dagen' and 'soort', not {sorted(map(str, unknown))}")
    return Target(days=days, kind=DayKind(value["soort"]))


def parse_categories(data: Any) -> tuple[Category, ...]:
    """Categories from the parsed YAML document (``{categorieen: [...]}``)."""
    if not isinstance(data, Mapping) or not isinstance(data.get("categorieen"), list):
        raise CategoryFileError(f"{CATEGORIES_FILE} must hold a list under 'categorieen'")
    categories: list[Category] = []
    for index, entry in enumerate(data["categorieen"], start=1):
        code = str((entry or {}).get("code") or "")
        where = f"{CATEGORIES_FILE}, category {index} ({code or 'no code'})"
        if not _CODE.match(code):
            raise CategoryFileError(
                f"{where}: code must be lower-case letters, digits, - or _ (it is the service_code)"
            )
        if any(c.code == code for c in categories):
            raise CategoryFileError(f"{where}: the code {code} is used twice")
        categories.append(
            Category(
                code=code,
                name=_names(entry, "naam", where),
                description=_names(entry, "beschrijving", where, required=False),
                group=_names(entry, "groep", where, required=False),
                keywords=tuple(str(k) for k in entry.get("trefwoorden") or ()),
                organization=entry.get("organisatie") or None,
                attributes=tuple(
                    _attribute(a, where, order) for order, a in enumerate(entry.get("attributen") or [], start=1)
                ),
                target=_target(entry, where),
            )
        )
    if not categories:
        raise CategoryFileError(f"{CATEGORIES_FILE} lists no categories")
    return tuple(categories)


_UPDATE_STATE = re.compile(r"^[A-Z][A-Z_]*$")


def parse_workflow(data: Any) -> Workflow:
    """Statuses from the parsed YAML document (``{begin: ..., statussen: [...]}``)."""
    if not isinstance(data, Mapping) or not isinstance(data.get("statussen"), list):
        raise CategoryFileError(f"{STATUSES_FILE} must hold a list under 'statussen'")
    statuses = []
    for entry in data["statussen"]:
        code = str(entry.get("code") or "")
        where = f"{STATUSES_FILE}, status {code or '(no code)'}"
        if not _CODE.match(code):
            raise CategoryFileError(f"{where}: code must be lower-case letters, digits or _")
        if entry.get("open311") not in ("open", "closed"):
            raise CategoryFileError(f"{where}: open311 must be 'open' or 'closed'")
        update_state = str(entry.get("open311_update") or entry["open311"]).upper()
        if not _UPDATE_STATE.match(update_state):
            raise CategoryFileError(f"{where}: open311_update must be upper-case letters and _, like IN_PROGRESS")
        statuses.append(
            Status(code=code, name=_names(entry, "naam", where), open311=entry["open311"],
                   to=tuple(str(t) for t in entry.get("naar") or ()),
                   explanation_required=bool(entry.get("toelichting_verplicht", False)),
                   open311_update=update_state)
        )
    codes = {s.code for s in statuses}
    for status in statuses:
        unknown = set(status.to) - codes
        if unknown:
            raise CategoryFileError(f"{STATUSES_FILE}, status {status.code}: unknown statuses in 'naar': {unknown}")
    initial = str(data.get("begin") or "")
    if initial not in codes:
        raise CategoryFileError(f"{STATUSES_FILE}: 'begin' must name one of the statuses {sorted(codes)}")
    return Workflow(initial=initial, statuses=tuple(statuses))


def _read(name: str) -> Any:
    return yaml.safe_load(resources.files(SCHEMAS_PACKAGE).joinpath(name).read_text(encoding="utf-8"))


@functools.cache
def categories() -> tuple[Category, ...]:
    """The categories of ``schemas/meldingen_categorieen.yaml`` (read once)."""
    return parse_categories(_read(CATEGORIES_FILE))


@functools.cache
def workflow() -> Workflow:
    """The statuses of ``schemas/meldingen_statussen.yaml`` (read once)."""
    return parse_workflow(_read(STATUSES_FILE))


def category(code: str) -> Category | None:
    return next((c for c in categories() if c.code == code), None)


def category_codes() -> Sequence[str]:
    return [c.code for c in categories()]
