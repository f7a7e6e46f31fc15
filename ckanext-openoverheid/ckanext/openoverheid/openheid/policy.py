"""The rules of "open, tenzij" (open unless), as plain functions without CKAN.

A dataset is public (``publiek``) unless a civil servant records why not: one or more legal grounds
of the Wet open overheid (Woo), a motivation for this dataset, and a date on which the closure is
reviewed (Woo art. 5.3: at most five years ahead). ``withholding`` applies these rules to what leaves
CKAN; the validators call ``check_closure`` so that the API and the web form cannot disagree.

Error messages start with the field's name ("Ground for refusal: ...") and are English msgids, marked
with ``N_`` and translated through the catalogue by the ``translate`` function the caller passes
(``tk._`` in the validators), so that the form and the API answer in the user's language: Dutch
("Weigeringsgrond: ...") by default, English under ``/en/``.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

PUBLIEK = "publiek"
BEPERKT = "beperkt"
NIET_PUBLIEK = "niet-publiek"
ACCESS_RIGHTS = (PUBLIEK, BEPERKT, NIET_PUBLIEK)

# The grounds of Woo art. 5.1 (lid 1 a-e, lid 2 a-i, lid 5) and art. 5.2, as article.lid.onderdeel.
# schemas/valuelists/woo_grounds.yaml holds their labels; a unit test keeps the two equal.
WOO_GROUNDS = (
    *(f"5.1.1.{letter}" for letter in "abcde"),
    *(f"5.1.2.{letter}" for letter in "abcdefghi"),
    "5.1.5",
    "5.2",
)

# The fields a closure consists of, as API keys; closed_since is derived, never entered.
CLOSURE_FIELDS = ("woo_grounds", "woo_motivation", "review_date")

MAX_REVIEW_YEARS = 5
MIN_MOTIVATION_CHARS = 30
MIN_MOTIVATION_WORDS = 5
MIN_DISTINCT_WORDS = 3

# What people type to get past a required field, compared after dropping case, spaces and
# punctuation ("N.v.t." -> "nvt", "zie boven" -> "zieboven"). None of it motivates anything.
PLACEHOLDERS = frozenset({
    "", "nvt", "na", "nb", "geen", "niets", "nee", "ja", "onbekend", "ntb", "nadertebepalen", "volgt",
    "zieboven", "ziehierboven", "zieonder", "ziehieronder", "zietoelichting", "ziebijlage", "idem", "dito",
    "tbd", "todo", "test", "x", "xxx", "geenmotivering", "nietvantoepassing", "notapplicable",
})

_ISO_DATE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})(?:[T ][0-9:.+\-Z]*)?\s*$")
_WORD = re.compile(r"\w+")


def is_closed(access_rights: str | None) -> bool:
    """Anything but ``publiek`` is closed; a missing value is ``publiek`` (open is the default).

    An unknown value counts as closed: when in doubt, the data stays in.
    """
    return (access_rights or PUBLIEK) != PUBLIEK


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def latest_review_date(today: datetime.date) -> datetime.date:
    """The last review date Woo art. 5.3 allows for a closure decided today."""
    return add_years(today, MAX_REVIEW_YEARS)


def parse_date(value: str | datetime.date | None) -> datetime.date | None:
    """An ISO date (``YYYY-MM-DD``, a time part is ignored); None when empty.

    Raises ``ValueError`` for anything else, so that a typo is reported instead of guessed.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    match = _ISO_DATE.match(str(value))
    if not match:
        raise ValueError(f"not an ISO date: {value!r}")
    return datetime.date.fromisoformat(match.group(1))


def _placeholder_key(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def N_(message: str) -> str:
    """Marks an English msgid for ``make i18n-extract``; ``ClosureCheck.translate`` translates it."""
    return message


Translate = Callable[[str], str]


def untranslated(message: str) -> str:
    return message


@dataclass
class ClosureCheck:
    """The outcome of ``check_closure``: errors per API field, warnings, and the cleaned values to store.

    For a public dataset the cleaned values are empty: nothing of a closure is stored with it.
    Errors are shown to users, so they go through ``translate`` (``tk._`` in CKAN); warnings are logged.
    """

    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    access_rights: str = PUBLIEK
    woo_grounds: list[str] = field(default_factory=list)
    woo_motivation: str = ""
    review_date: datetime.date | None = None
    translate: Translate = field(default=untranslated, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, key: str, message: str, **params: object) -> None:
        """Record an error on ``key``: ``message`` is an English msgid with ``{name}`` placeholders."""
        self.errors.setdefault(key, []).append(self.translate(message).format(**params))


def clean_grounds(woo_grounds: Iterable[str] | str | None) -> list[str]:
    """Grounds as given, stripped, without blanks and duplicates, in the order given."""
    if woo_grounds is None:
        return []
    if isinstance(woo_grounds, str):
        woo_grounds = [woo_grounds]
    return list(dict.fromkeys(str(g).strip() for g in woo_grounds if g is not None and str(g).strip()))


def check_closure(
    access_rights: str | None,
    woo_grounds: Iterable[str] | str | None,
    woo_motivation: str | None,
    review_date: str | datetime.date | None,
    today: datetime.date,
    previous_review_date: str | datetime.date | None = None,
    translate: Translate = untranslated,
) -> ClosureCheck:
    """Check the openness fields of one dataset together; errors are keyed by API field.

    ``publiek`` (or nothing) needs nothing: grounds, motivation and review date given with it are
    dropped with a warning. Anything else needs at least one known Woo ground, a real motivation and
    a review date after ``today`` and at most five years ahead. ``previous_review_date`` is the
    stored date of a dataset that was already closed: when it is sent back unchanged (an edit of
    another field, a ``package_patch``), it is accepted even if it has passed meanwhile; the
    openheidsregister and ``ckan openoverheid review`` deal with expired reviews.
    """
    result = ClosureCheck(translate=translate)
    access = (access_rights or PUBLIEK).strip() or PUBLIEK
    if access not in ACCESS_RIGHTS:
        result.add(
            "access_rights",
            N_("Access rights: '{value}' does not exist; choose {publiek}, {beperkt} or {niet_publiek}."),
            value=access, publiek=PUBLIEK, beperkt=BEPERKT, niet_publiek=NIET_PUBLIEK,
        )
        return result
    result.access_rights = access
    grounds = clean_grounds(woo_grounds)
    motivation = (woo_motivation or "").strip()
    if not is_closed(access):
        _warn_closure_on_public(result, grounds, motivation, review_date)
        return result
    _check_grounds(result, grounds)
    _check_motivation(result, motivation)
    _check_review_date(result, review_date, previous_review_date, today)
    return result


def _warn_closure_on_public(
    result: ClosureCheck, grounds: list[str], motivation: str, review_date: str | datetime.date | None
) -> None:
    """A public dataset stores nothing of a closure: what was sent of one is dropped, with a warning."""
    given = [name for name, value in zip(CLOSURE_FIELDS, (grounds, motivation, review_date), strict=True) if value]
    if given:
        result.warnings.append(
            f"the dataset is public: {', '.join(given)} not stored (only needed when the dataset is not public)"
        )


def _check_grounds(result: ClosureCheck, grounds: list[str]) -> None:
    """At least one ground, each a ground of Woo art. 5.1 or 5.2."""
    unknown = [g for g in grounds if g not in WOO_GROUNDS]
    if unknown:
        result.add(
            "woo_grounds",
            N_("Ground for refusal: unknown code {codes}; choose from {known}."),
            codes=", ".join(unknown), known=", ".join(WOO_GROUNDS),
        )
    elif not grounds:
        result.add(
            "woo_grounds",
            N_("Ground for refusal: choose at least one ground of the Open Government Act (Woo art. 5.1 or 5.2) "
               "when the dataset is not public."),
        )
    result.woo_grounds = grounds


def _check_motivation(result: ClosureCheck, motivation: str) -> None:
    """A motivation explains why the ground applies to this dataset: at least a sentence of
    ``MIN_MOTIVATION_WORDS`` words and ``MIN_MOTIVATION_CHARS`` characters, not a placeholder
    ("n.v.t.", "zie boven") and not one word repeated."""
    result.woo_motivation = motivation
    text = " ".join(motivation.split())
    if not text:
        result.add(
            "woo_motivation",
            N_("Motivation: required; explain in a sentence why the chosen ground for refusal applies to this "
               "dataset."),
        )
        return
    if _placeholder_key(text) in PLACEHOLDERS:
        result.add(
            "woo_motivation",
            N_("Motivation: '{text}' is not a motivation; explain in a full sentence why the data of this dataset "
               "cannot be public."),
            text=text,
        )
        return
    words = [token for token in text.split() if _WORD.search(token)]
    if len(text) < MIN_MOTIVATION_CHARS or len(words) < MIN_MOTIVATION_WORDS:
        result.add(
            "woo_motivation",
            N_("Motivation: too short; write at least one sentence of {words} words and {chars} characters that "
               "explains why the data cannot be public."),
            words=MIN_MOTIVATION_WORDS, chars=MIN_MOTIVATION_CHARS,
        )
        return
    distinct = {_placeholder_key(word) for word in words} - PLACEHOLDERS
    if len(distinct) < MIN_DISTINCT_WORDS:
        result.add(
            "woo_motivation",
            N_("Motivation: this is not a sentence; explain in your own words why the data cannot be public."),
        )


def _check_review_date(
    result: ClosureCheck,
    review_date: str | datetime.date | None,
    previous_review_date: str | datetime.date | None,
    today: datetime.date,
) -> None:
    """A review date after today and at most five years ahead (Woo art. 5.3); an unchanged stored one passes."""
    try:
        review = parse_date(review_date)
    except ValueError:
        result.add("review_date", N_("Review date: '{value}' is not a date; write YYYY-MM-DD."), value=review_date)
        return
    result.review_date = review
    try:
        previous = parse_date(previous_review_date)
    except ValueError:
        previous = None
    latest = latest_review_date(today)
    if review is None:
        result.add(
            "review_date",
            N_("Review date: required when the dataset is not public; choose a date within five years "
               "(Woo art. 5.3)."),
        )
    elif previous is not None and review == previous:
        pass  # unchanged: checked when it was set
    elif review <= today:
        result.add("review_date", N_("Review date: must be after today ({today})."), today=today.isoformat())
    elif review > latest:
        result.add(
            "review_date",
            N_("Review date: at most five years ahead, so {latest} at the latest (Woo art. 5.3)."),
            latest=latest.isoformat(),
        )


def closed_since(
    access_rights: str | None,
    previous_access_rights: str | None,
    previous_closed_since: str | None,
    today: datetime.date,
) -> str | None:
    """Since when a dataset is closed (ISO date): kept while it stays closed, today when it is newly
    closed, None when it is public. A move between ``beperkt`` and ``niet-publiek`` keeps the date."""
    if not is_closed(access_rights):
        return None
    if previous_closed_since and is_closed(previous_access_rights):
        try:
            kept = parse_date(previous_closed_since)
        except ValueError:
            kept = None
        if kept is not None:
            return kept.isoformat()
    return today.isoformat()
