"""The waste-type vocabulary (schemas/afvaltypen.yaml) and its label matching."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from harvesters.afvalkalender import vocabulary as vocabulary_module
from harvesters.afvalkalender.vocabulary import (
    OVERIG,
    default_vocabulary,
    load_vocabulary,
    normalise_label,
    unknown_labels,
    vocabulary_path,
)

REPO = Path(__file__).resolve().parents[3]
REQUIRED_CODES = [
    "gft",
    "restafval",
    "papier",
    "pmd",
    "glas",
    "textiel",
    "kca",
    "kerstbomen",
    "snoeiafval",
    "grofvuil",
    "luiers",
    "elektronica",
]


@pytest.fixture(scope="module")
def vocab():
    return load_vocabulary()


def test_every_agreed_code_has_dutch_and_english_labels(vocab):
    assert set(REQUIRED_CODES) <= set(vocab.codes)
    assert OVERIG in vocab.codes
    for afvaltype in vocab.types:
        assert afvaltype.labels["nl"].strip() and afvaltype.labels["en"].strip(), afvaltype.code
    assert vocab.labels("nl")["gft"] == "Groente-, fruit- en tuinafval"
    assert vocab.labels("en")["papier"] == "Paper and cardboard"


def test_the_file_is_found_in_the_schemas_folder():
    assert vocabulary_path() == REPO / "schemas" / "afvaltypen.yaml"
    assert default_vocabulary() is default_vocabulary()  # read once


def test_without_the_schemas_package_the_folder_next_to_harvesters_is_used(monkeypatch):
    def missing(name):
        raise ModuleNotFoundError(name)

    monkeypatch.setattr(vocabulary_module.importlib.resources, "files", missing)
    assert vocabulary_path() == REPO / "schemas" / "afvaltypen.yaml"


@pytest.mark.parametrize(
    ("label", "code"),
    [
        # mijnafvalwijzer `type`
        ("gft", "gft"),
        ("restafval", "restafval"),
        ("papier", "papier"),
        ("pmd", "pmd"),
        ("pbd", "pmd"),
        ("plastic", "pmd"),
        ("dhm", "pmd"),
        ("kerstbomen", "kerstbomen"),
        ("takken", "snoeiafval"),
        ("textiel", "textiel"),
        ("kca", "kca"),
        ("grofvuil", "grofvuil"),
        # Ximmio `_pickupTypeText`
        ("GREEN", "gft"),
        ("GREY", "restafval"),
        ("PAPER", "papier"),
        ("PACKAGES", "pmd"),
        ("PLASTIC", "pmd"),
        ("GLASS", "glas"),
        ("TEXTILE", "textiel"),
        ("TREE", "kerstbomen"),
        ("BRANCHES", "snoeiafval"),
        ("BULKLITTER", "grofvuil"),
        ("BULKYGARDENWASTE", "snoeiafval"),
        ("KCA", "kca"),
        # Opzet titles
        ("Groente-, fruit- en tuinafval", "gft"),
        ("Restafval", "restafval"),
        ("Papier en karton", "papier"),
        ("Plastic, metalen en drankkartons", "pmd"),
        ("Grof huishoudelijk afval", "grofvuil"),
        ("Luiers en incontinentiemateriaal", "luiers"),
        ("Klein elektrisch afval", "elektronica"),
        # .ics SUMMARY lines, matched by keyword
        ("Plastic verpakkingen, blik en drinkpakken (PMD) - zet de container vóór 07:30 uur aan de straat", "pmd"),
        ("Ophalen groene container", "gft"),
        ("Oud papier (vereniging)", "papier"),
        ("Snoeiafval – takken", "snoeiafval"),
        ("Grof tuinafval op afspraak", "snoeiafval"),
        ("Kerstboominzameling", "kerstbomen"),
        ("Chemokar", "kca"),
        ("Textiel enkleding", "textiel"),
        ("Wit- en bruingoed", "elektronica"),
        ("Glasbak legen", "glas"),
    ],
)
def test_provider_labels_map_to_codes(vocab, label, code):
    assert vocab.code_for(label) == code


@pytest.mark.parametrize("label", ["  G.F.T. ", "gft-afval", "GFT", "Gft\u00a0", "g f t", "Groente, fruit & tuinafval"])
def test_matching_ignores_case_spaces_and_punctuation(vocab, label):
    assert vocab.match(label) == "gft"


def test_longest_keyword_wins(vocab):
    # "karton" is a papier keyword, "drankkarton" a pmd keyword
    assert vocab.match("drankkartons apart") == "pmd"
    assert vocab.match("karton apart") == "papier"


def test_unknown_labels_are_overig(vocab):
    assert vocab.match("Asbest op afspraak") is None
    assert vocab.code_for("Asbest op afspraak") == OVERIG
    assert vocab.code_for(None, "", "SWILL") == OVERIG
    assert unknown_labels(vocab, ["gft", "SWILL", "asbest", "SWILL"]) == ["SWILL", "asbest"]


def test_the_first_matching_label_decides(vocab):
    assert vocab.code_for("SWILL", "Restafval") == "restafval"
    assert vocab.code_for("papier", "Restafval") == "papier"


def test_normalise_label():
    assert normalise_label("Papier & Karton!") == "papierkarton"
    assert normalise_label("Vóór één") == "vooreen"


def test_a_vocabulary_can_be_loaded_from_another_path(tmp_path):
    path = tmp_path / "eigen.yaml"
    path.write_text(
        "fallback: anders\n"
        "items:\n"
        "  - {code: bio, label: {nl: Bio, en: Bio}, aliases: [GREEN], keywords: [tuin]}\n"
        "  - {code: anders, label: {nl: Anders}}\n",
        encoding="utf-8",
    )
    vocab = load_vocabulary(path)
    assert vocab.codes == ("bio", "anders")
    assert vocab.code_for("green") == "bio"
    assert vocab.code_for("Tuinafval") == "bio"
    assert vocab.code_for("papier") == "anders"
    assert vocab.get("anders").label("en") == "Anders"  # falls back to Dutch


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "items: [{code: a, label: {nl: A}, aliases: [x]}, {code: b, label: {nl: B}, aliases: [X]}]\nfallback: a\n",
            "alias 'X' is given for both 'a' and 'b'",
        ),
        ("items: [{code: a, label: {nl: A}}, {code: a, label: {nl: A}}]\nfallback: a\n", "repeated: a"),
        ("items: [{code: a, label: {nl: A}}]\n", "fallback waste type 'overig'"),
        ("items: [{code: a}]\nfallback: a\n", "needs a `label`"),
        ("items: [{code: a, label: {nl: A, B, en: C}}]\nfallback: a\n", "quote labels that contain commas"),
        ("items: [{code: a, label: {nl: A}, aliases: x}]\nfallback: a\n", "must be a list"),
        ("just text\n", "a list of `items`"),
        ("items: [unclosed\n", "not valid YAML"),
    ],
)
def test_a_broken_vocabulary_says_what_is_wrong(tmp_path, text, message):
    path = tmp_path / "kapot.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_vocabulary(path)


def test_a_missing_file_is_a_value_error(tmp_path):
    with pytest.raises(ValueError, match="could not be read"):
        load_vocabulary(tmp_path / "weg.yaml")


def test_the_package_imports_no_ckan():
    code = (
        "import sys, harvesters.afvalkalender as a; a.default_vocabulary(); "
        "bad = [m for m in sys.modules if m == 'ckan' or m.startswith('ckan.')]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True)
