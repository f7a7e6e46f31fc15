"""The answers to a category's extra questions (Open311 ``attributes``): each checked against its
question's datatype and normalised, every problem named in the reporter's language."""

from __future__ import annotations

import datetime
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.openoverheid.meldingen import categories
from ckanext.openoverheid.meldingen.logic.validators import plain_text

MAX_TEXT = 4000  # a "text" answer; a "string" answer has at most 250 characters
MAX_STRING = 250


class _WrongAnswer(ValueError):
    """The translated message of one answer that does not fit its question."""


def check(service_code: str, answers: dict[str, Any], lang: str) -> tuple[dict[str, Any], list[str]]:
    """The answers to the category's extra questions, normalised, and the problems found."""
    category = categories.category(service_code)
    if category is None:
        return {}, []
    known = {a.code for a in category.attributes}
    problems = [tk._("Unknown attribute %(code)s for this category.") % {"code": code[:60]}
                for code in answers if code not in known]
    clean: dict[str, Any] = {}
    for attribute in category.attributes:
        value = answers.get(attribute.code)
        if value in (None, "", []):
            if attribute.required:
                problems.append(tk._("Answer the question: %(question)s") %
                                {"question": categories.label(attribute.question, lang)})
            continue
        try:
            clean[attribute.code] = _normalised(attribute, value)
        except _WrongAnswer as problem:
            problems.append(str(problem))
    return clean, problems


def _normalised(attribute: categories.Attribute, value: Any) -> Any:
    """``value`` as the answer of ``attribute`` is stored; ``_WrongAnswer`` if it does not fit."""
    if attribute.datatype == "multivaluelist":
        values = value if isinstance(value, list) else [v for v in str(value).split(",") if v]
        wrong = [v for v in values if v not in attribute.value_keys()]
        if wrong:
            raise _WrongAnswer(_not_one_of(attribute, ", ".join(map(str, wrong))))
        return values
    if attribute.datatype == "singlevaluelist":
        if str(value) not in attribute.value_keys():
            raise _WrongAnswer(_not_one_of(attribute, str(value)))
        return str(value)
    if attribute.datatype == "number":
        try:
            return float(str(value).replace(",", "."))
        except ValueError:
            raise _WrongAnswer(tk._("%(code)s must be a number.") % {"code": attribute.code}) from None
    if attribute.datatype == "datetime":
        try:
            return datetime.datetime.fromisoformat(str(value)).isoformat()
        except ValueError:
            raise _WrongAnswer(tk._("%(code)s must be a date and time like 2026-05-01T14:30:00+02:00.")
                               % {"code": attribute.code}) from None
    try:
        return plain_text(value, MAX_STRING if attribute.datatype == "string" else MAX_TEXT)
    except tk.Invalid as error:
        raise _WrongAnswer(f"{attribute.code}: {error.error}") from None


def _not_one_of(attribute: categories.Attribute, given: str) -> str:
    return tk._("%(code)s: %(value)s is not one of %(allowed)s") % {
        "code": attribute.code, "value": given[:60], "allowed": ", ".join(attribute.value_keys())}
