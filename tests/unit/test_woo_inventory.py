"""A Woo decision's inventory from a publication dict: each document's openness, its grounds, its
number, and a CSV that a spreadsheet cannot run and that never carries a closed document's file."""

from __future__ import annotations

import csv
import io

from ckanext.openoverheid.woo import inventory
from ckanext.openoverheid.woo.inventory import Openness

PUBLICATION = {
    "informatiecategorie": inventory.WOO_VERZOEKEN,
    "resources": [
        {"name": "Besluit", "format": "PDF", "url": "https://example.org/besluit.pdf"},
        {"name": "Nota", "format": "PDF", "url": "https://example.org/nota.pdf", "inventarisnummer": "7",
         "woo_redaction_grounds": ["5.1.2.e"]},
        {"name": "=HYPERLINK(\"https://evil.example\")", "format": "PDF", "url": "https://example.org/geheim.pdf",
         "access_rights": "niet-publiek", "woo_grounds": ["5.1.2.e", "5.1.2.i"],
         "woo_redaction_grounds": ["5.1.1.c"]},
        {"name": "Beperkt", "url": "", "access_rights": "beperkt", "woo_grounds": ["5.1.2.e"], "data_withheld": True},
    ],
}


def test_each_document_gets_its_openness_and_the_grounds_that_apply_to_it() -> None:
    documents = PUBLICATION["resources"]
    assert [inventory.openness(res) for res in documents] == [
        Openness.OPENBAAR, Openness.DEELS_OPENBAAR, Openness.NIET_OPENBAAR, Openness.NIET_OPENBAAR]
    assert [inventory.grounds(res) for res in documents] == [[], ["5.1.2.e"], ["5.1.2.e", "5.1.2.i"], ["5.1.2.e"]]


def test_rows_are_numbered_by_inventarisnummer_or_position_and_closed_ones_have_no_file() -> None:
    rows = inventory.rows(PUBLICATION, "en")
    assert [row.number for row in rows] == ["1", "7", "3", "4"]
    assert [row.url for row in rows] == ["https://example.org/besluit.pdf", "https://example.org/nota.pdf", "", ""]
    assert rows[2].grounds[0][0] == "5.1.2.e" and rows[2].grounds[0][1] != "5.1.2.e"  # a label, in English


def test_the_csv_neutralises_formulas_and_lists_codes_and_labels() -> None:
    text = inventory.to_csv(inventory.rows(PUBLICATION))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == list(inventory.CSV_COLUMNS)
    assert rows[2]["title"].startswith("'=") and rows[2]["openbaarheid"] == "niet openbaar"
    assert rows[2]["grounds"] == "5.1.2.e 5.1.2.i" and rows[2]["ground_labels"].count(";") == 1
    assert "geheim.pdf" not in text


def test_only_the_woo_requests_category_has_an_inventory() -> None:
    assert inventory.is_woo_decision(PUBLICATION)
    assert not inventory.is_woo_decision({"informatiecategorie": "https://identifier.overheid.nl/tooi/def/thes/kern/c_99a836c7"})
