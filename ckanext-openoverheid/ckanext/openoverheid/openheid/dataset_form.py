"""What the civil servant's dataset form shows of "open, tenzij", as plain functions without CKAN.

The Woo grounds come in groups that ask for different reasoning: the absolute grounds of art. 5.1 lid 1
close without weighing; the relative grounds of lid 2, and those of lid 5 and art. 5.2, only after
weighing them against the public interest in openness. The form shows them in those groups, each
ground with what it protects, so that choosing one is reading the law rather than decoding a code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ckanext.openoverheid.openheid import policy
from ckanext.openoverheid.valuelists import ValueList


def N_(message: str) -> str:
    """Marks an English msgid for extraction; the template translates it."""
    return message


@dataclass(frozen=True)
class GroundChoice:
    code: str
    label: str
    summary: str


@dataclass(frozen=True)
class GroundGroup:
    key: str
    title: str  # English msgid
    hint: str  # English msgid
    choices: tuple[GroundChoice, ...]


# (key, title, hint, does a code belong to the group)
_GROUPS: tuple[tuple[str, str, str, Callable[[str], bool]], ...] = (
    (
        "absolute",
        N_("Absolute grounds (art. 5.1 paragraph 1)"),
        N_("These interests always prevail: no weighing is needed."),
        lambda code: code.startswith("5.1.1."),
    ),
    (
        "relative",
        N_("Relative grounds (art. 5.1 paragraph 2)"),
        N_("Only when this interest outweighs the public interest in openness; show that weighing in the "
           "motivation."),
        lambda code: code.startswith("5.1.2."),
    ),
    (
        "other",
        N_("Other grounds (art. 5.1 paragraph 5 and art. 5.2)"),
        N_("Also to be weighed against the public interest in openness."),
        lambda code: code in ("5.1.5", "5.2"),
    ),
)

# The fields whose error messages start with the field's own name (see policy: "Motivation: ...").
CLOSURE_ERROR_FIELDS = ("access_rights", *policy.CLOSURE_FIELDS)


def _text(texts: Mapping[str, str] | None, language: str) -> str:
    texts = texts or {}
    return str(texts.get(language) or texts.get("nl") or "")


def woo_ground_groups(grounds: ValueList, language: str) -> list[GroundGroup]:
    """The Woo grounds of the value list in their groups, in list order, labels in ``language``."""
    groups = []
    for key, title, hint, belongs in _GROUPS:
        choices = tuple(
            GroundChoice(
                code=str(item["code"]),
                label=_text(item.get("label"), language),
                summary=_text(item.get("summary"), language),
            )
            for item in grounds
            if belongs(str(item["code"]))
        )
        if choices:
            groups.append(GroundGroup(key=key, title=title, hint=hint, choices=choices))
    return groups


def without_field_name(message: str, capitalise: bool = True) -> str:
    """A closure message without the field name it starts with: under the field itself
    "Motivering: verplicht; leg uit ..." becomes "Verplicht; leg uit ..." (``capitalise``), in the error
    summary, after the field's label, "verplicht; leg uit ...". Other messages are returned as they are."""
    name, separator, rest = message.partition(": ")
    if not separator or not rest.strip() or len(name) > 40:
        return message
    return rest[:1].upper() + rest[1:] if capitalise else rest


def field_errors_without_names(errors: Mapping[str, Any]) -> dict[str, Any]:
    """The closure fields' error lists with the field name taken off each message; other fields as they
    are (CKAN's own messages do not repeat the label)."""
    cleaned = {}
    for key in CLOSURE_ERROR_FIELDS:
        messages = errors.get(key)
        if isinstance(messages, list) and all(isinstance(m, str) for m in messages):
            cleaned[key] = [without_field_name(m) for m in messages]
    return cleaned
