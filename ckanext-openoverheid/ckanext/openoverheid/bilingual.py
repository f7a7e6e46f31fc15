"""Title and description in Dutch and English: the publisher may give ``title_en`` and ``notes_en`` beside
the Dutch ``title`` and ``notes``. Shown in the page's language through CKAN's own ``get_translated``
(chained: ``get_translated``), written to DCAT as language-tagged literals, read back from them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk

TRANSLATED = ("title", "notes")
MAIN_LANGUAGE = "nl"
SECOND_LANGUAGE = "en"


def translation(data_dict: Any, field: str, language: str) -> str | None:
    """The ``language`` text of a dataset's ``field`` when the publisher gave one, else None."""
    if field not in TRANSLATED or language != SECOND_LANGUAGE or not isinstance(data_dict, dict):
        return None
    return data_dict.get(f"{field}_{SECOND_LANGUAGE}") or None


@tk.chained_helper
def get_translated(next_helper: Callable[..., Any], data_dict: Any, field: str) -> Any:
    """CKAN's ``h.get_translated`` (which every dataset template uses for title and description), with a
    dataset's ``title_en``/``notes_en`` on the English pages."""
    return translation(data_dict, field, tk.h.lang()) or next_helper(data_dict, field)


def by_language(texts: list[tuple[str, str | None]]) -> dict[str, str]:
    """Literals as (text, language tag) → the text per language; an untagged one counts as the main language.
    The first of each language wins."""
    found: dict[str, str] = {}
    for text, language in texts:
        key = (language or MAIN_LANGUAGE).split("-")[0].lower()
        found.setdefault(key, text)
    return found


@tk.chained_helper
def dataset_display_name(next_helper: Callable[..., Any], package_or_package_dict: Any) -> Any:
    """CKAN's ``h.dataset_display_name`` (the heading and lists), with ``title_en`` on the English pages;
    CKAN's calls ``get_translated`` directly, past the chain above."""
    return translation(package_or_package_dict, "title", tk.h.lang()) or next_helper(package_or_package_dict)
