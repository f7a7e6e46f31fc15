"""The Dutch catalogue is complete and correct: every string the portal shows has a Dutch translation.

The portal's msgids are English (the ``en`` locale needs no catalogue) and the Dutch is in
``i18n/nl/LC_MESSAGES/ckanext-openoverheid.po``. These tests extract the strings from the source the
same way ``make i18n-extract`` does (``babel.cfg``, Babel's default keywords, CKAN's Jinja extractor)
and check the .po against them, so a new string without a translation fails here. Pure: no CKAN
config, database or network.

When a test fails: run ``make i18n-extract``, translate the empty and fuzzy entries in the .po, and
remove the ``#, fuzzy`` flags.
"""

from __future__ import annotations

import gettext
import io
import os
import re
from collections import Counter
from importlib import metadata
from pathlib import Path

import pytest
from babel.messages.catalog import PYTHON_FORMAT, Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "ckanext-openoverheid" / "ckanext" / "openoverheid"
I18N = PACKAGE / "i18n"
DOMAIN = "ckanext-openoverheid"
PO = I18N / "nl" / "LC_MESSAGES" / f"{DOMAIN}.po"

# {name}, {0}, {} and {name!r:>10}; not the literal braces of a JSON example or Jinja's {{ }}.
BRACE_FIELD = re.compile(r"\{(\w*)(?:![rsa])?(?::[^{}]*)?\}")


# --- helpers ----------------------------------------------------------------------------------------


def _msgid(message: Message) -> str:
    return message.id[0] if isinstance(message.id, tuple) else message.id


def _forms(message: Message) -> list[tuple[str, str]]:
    """(source, translation) pairs: for a plural entry msgstr[0] goes with msgid, the rest with msgid_plural."""
    if isinstance(message.id, tuple):
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        return [(message.id[0] if index == 0 else message.id[1], text or "") for index, text in enumerate(strings)]
    return [(message.id, message.string or "")]


def placeholders(text: str) -> tuple[Counter[str], tuple[str, ...]]:
    """The named placeholders (``%(x)s``, ``{x}``) as a multiset, and the positional ones in order.

    Named placeholders may move in a translation; positional ones (``%s``, ``{}``) must keep their order.
    """
    named: Counter[str] = Counter()
    positional: list[str] = []
    for match in PYTHON_FORMAT.finditer(text):
        name, conversion = match.group(1), match.group(3)
        if conversion == "%":
            continue
        if name is not None:
            named[f"%({name}){conversion}"] += 1
        else:
            positional.append(f"%{conversion}")
    for match in BRACE_FIELD.finditer(text.replace("{{", "").replace("}}", "")):
        name = match.group(1)
        if name and not name.isdigit():
            named[f"{{{name}}}"] += 1
        else:
            positional.append(f"{{{name}}}")
    return named, tuple(positional)


def _in_package(dirpath: str) -> bool:
    """Walk only towards and inside the package (the repository also holds node_modules/ and var/)."""
    path = Path(dirpath).resolve()
    if path.name.startswith((".", "_")) and path != ROOT:
        return False
    return path == PACKAGE or PACKAGE in path.parents or path in PACKAGE.parents


def _read_catalogue() -> Catalog:
    with PO.open("rb") as file:
        return read_po(file, locale="nl", domain=DOMAIN)


@pytest.fixture(scope="module")
def catalogue() -> Catalog:
    return _read_catalogue()


@pytest.fixture(scope="module")
def extracted() -> dict[str, tuple[str | tuple[str, ...], list[str]]]:
    """msgid → (message as extracted, ["file:line", ...]) for every string in the source."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as file:
        method_map, options_map = parse_mapping_cfg(file, filename=str(ROOT / "babel.cfg"))
    found: dict[str, tuple[str | tuple[str, ...], list[str]]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=DEFAULT_KEYWORDS, directory_filter=_in_package
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        if not msgid:
            continue
        where = f"{os.path.relpath(os.path.join(ROOT, filename), PACKAGE)}:{lineno}"
        found.setdefault(msgid, (message, []))[1].append(where)
    return found


# --- (a) the catalogue itself -------------------------------------------------------------------------


def test_every_entry_is_translated_and_not_fuzzy(catalogue: Catalog) -> None:
    problems = []
    for message in catalogue:
        if not message.id:
            continue
        if message.fuzzy:
            problems.append(f"fuzzy (check the translation, then remove the flag): {_msgid(message)!r}")
        if isinstance(message.id, tuple) and (
            not isinstance(message.string, tuple) or len(message.string) != catalogue.num_plurals
        ):
            problems.append(f"needs {catalogue.num_plurals} plural forms: {_msgid(message)!r}")
        if any(not translation.strip() for _source, translation in _forms(message)):
            problems.append(f"untranslated: {_msgid(message)!r}")
    assert not problems, "The nl catalogue is not complete:\n  " + "\n  ".join(problems)


def test_translations_keep_the_placeholders(catalogue: Catalog) -> None:
    problems = []
    for message in catalogue:
        if not message.id:
            continue
        for source, translation in _forms(message):
            if translation and placeholders(source) != placeholders(translation):
                problems.append(f"{source!r}\n    -> {translation!r}")
    assert not problems, "Placeholders differ between msgid and msgstr:\n  " + "\n  ".join(problems)


def test_the_catalogue_compiles_and_loads(catalogue: Catalog) -> None:
    errors = [
        f"{_msgid(message)!r}: {'; '.join(str(error) for error in message_errors)}"
        for message, message_errors in catalogue.check()
    ]
    assert not errors, "Babel's checks fail:\n  " + "\n  ".join(errors)
    buffer = io.BytesIO()
    write_mo(buffer, catalogue)
    buffer.seek(0)
    translations = gettext.GNUTranslations(buffer)
    assert translations.plural(1) == 0 and translations.plural(2) == 1, "Plural-Forms of nl: (n != 1)"
    for message in catalogue:
        if not message.id or message.fuzzy:
            continue
        if isinstance(message.id, tuple):
            singular, plural = message.id[0], message.id[1]
            assert translations.ngettext(singular, plural, 1) == message.string[0]
            assert translations.ngettext(singular, plural, 2) == message.string[1]
        else:
            assert translations.gettext(message.id) == message.string


def test_placeholder_check_sees_both_styles() -> None:
    assert placeholders("Report %(id)s: {status}") == placeholders("{status}: melding %(id)s")
    assert placeholders("%(a)s and %(b)s") != placeholders("%(a)s en %(a)s")
    assert placeholders("{address}") != placeholders("{adres}")
    assert placeholders('GeoJSON such as {"type": "Point"}') == placeholders("")
    assert placeholders("100%% sure") == placeholders("")
    assert placeholders("%s of %d") != placeholders("%d van %s")


# --- (b) the catalogue against the source ----------------------------------------------------------------


def test_every_string_in_the_source_is_in_the_catalogue(
    catalogue: Catalog, extracted: dict[str, tuple[str | tuple[str, ...], list[str]]]
) -> None:
    assert len(extracted) > 100, "extraction found almost nothing: check babel.cfg"
    missing = []
    for msgid, (message, where) in sorted(extracted.items()):
        entry = catalogue.get(msgid)
        if entry is None:
            missing.append(f"{msgid!r} ({', '.join(where)})")
        elif isinstance(message, tuple) and entry.id != tuple(message[:2]):
            missing.append(f"{msgid!r}: the plural form changed ({', '.join(where)})")
    assert not missing, (
        "Strings in the source without an entry in the nl .po; run `make i18n-extract` and translate them:\n  "
        + "\n  ".join(missing)
    )


# --- how CKAN finds the catalogue -------------------------------------------------------------------------


def test_the_catalogue_is_named_for_the_plugins_translation_domain() -> None:
    """CKAN's DefaultTranslation looks for ``i18n/<lang>/LC_MESSAGES/ckanext-<plugin name>.mo`` beside the
    plugin's package; the plugin that implements ITranslation is registered as ``openoverheid``."""
    plugins = {entry.name: entry.value for entry in metadata.entry_points(group="ckan.plugins")}
    assert plugins.get("openoverheid", "").startswith("ckanext.openoverheid."), plugins.get("openoverheid")
    assert DOMAIN == "ckanext-openoverheid"
    assert (I18N / f"{DOMAIN}.pot").is_file(), "CKAN reads the .pot to find strings used in JavaScript"
    assert PO.is_file()
