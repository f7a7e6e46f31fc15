"""Our messages in a given language, outside any request (mails are built by background jobs and by
actions called from the CLI): read from the compiled catalogue."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

from babel.support import NullTranslations, Translations

I18N_DIR = Path(__file__).resolve().parent / "i18n"
LOCALES = ("nl", "en")

Gettext = Callable[[str], str]


def N_(message: str) -> str:  # noqa: N802 - the usual name of "mark for extraction, translate later"
    return message


@functools.lru_cache(maxsize=8)
def _catalogue(locale: str) -> NullTranslations:
    return Translations.load(str(I18N_DIR), [locale], domain="ckanext-openoverheid")


def gettext_for(locale: str) -> Gettext:
    """``_`` in ``locale`` (``en`` needs no catalogue: the msgids are English)."""
    return _catalogue(locale if locale in LOCALES else "nl").gettext


def ngettext_for(locale: str) -> Callable[[str, str, int], str]:
    return _catalogue(locale if locale in LOCALES else "nl").ngettext
