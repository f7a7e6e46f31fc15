"""The export's writers on plain dicts and graphs: CSV, JSON Lines and streamed RDF/XML."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDF, XSD

from ckanext.openoverheid.export import rdfxml, writers

MARKER = "GEHEIMwriter0123456789"
SITE = "http://portaal.example.nl"


def dataset(name: str, access_rights: str = "publiek", **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": f"id-{name}",
        "name": name,
        "title": f"Titel {name}",
        "organization": {"name": "gemeente-utrecht", "title": "Gemeente Utrecht"},
        "access_rights": access_rights,
        "woo_grounds": ["5.1.2.e", "5.2"] if access_rights != "publiek" else [],
        "review_date": "2028-01-31" if access_rights != "publiek" else "",
        "modified": "2025-02-01",
        "metadata_modified": "2025-03-01T12:00:00",
        "license_id": "cc-by",
        "theme": ["http://standaarden.overheid.nl/owms/terms/Bestuur", "http://standaarden.overheid.nl/owms/terms/Werk_(thema)"],
        "resources": [{"id": "r1", "url": f"https://data.example.nl/{MARKER}/{name}.csv"}],
        "num_resources": 1,
    }
    data.update(overrides)
    return data


# --- CSV ----------------------------------------------------------------------------------------


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_has_the_documented_columns_and_one_row_per_dataset():
    text = "".join(writers.csv_lines([dataset("a"), dataset("b", "niet-publiek")], SITE))
    assert text.splitlines()[0].split(",") == list(writers.CSV_COLUMNS)
    rows = read_csv(text)
    assert [row["name"] for row in rows] == ["a", "b"]
    first = rows[0]
    assert first["organisation"] == "Gemeente Utrecht"
    assert first["themes"].split(" ") == [
        "http://standaarden.overheid.nl/owms/terms/Bestuur", "http://standaarden.overheid.nl/owms/terms/Werk_(thema)"
    ]
    assert first["url"] == f"{SITE}/dataset/a"
    assert first["num_resources"] == "1"
    assert first["modified"] == "2025-02-01"


def test_csv_writes_a_closed_dataset_with_its_grounds_and_without_resources():
    text = "".join(writers.csv_lines([dataset("geheim", "niet-publiek")], SITE))
    assert MARKER not in text
    [row] = read_csv(text)
    assert row["access_rights"] == "niet-publiek"
    assert row["woo_grounds"] == "5.1.2.e 5.2"
    assert row["review_date"] == "2028-01-31"
    assert row["num_resources"] == "0"


def test_csv_keeps_commas_quotes_and_newlines_and_defuses_formulas():
    title = 'Speeltuinen, "oud"\nen nieuw'
    text = "".join(writers.csv_lines([dataset("a", title=title), dataset("b", title="=HYPERLINK(\"x\")")], SITE))
    rows = read_csv(text)
    assert rows[0]["title"] == title
    assert rows[1]["title"] == "'=HYPERLINK(\"x\")"


def test_csv_streams_row_by_row():
    chunks = writers.csv_lines((dataset(str(i)) for i in range(3)), SITE)
    assert next(chunks).startswith("name,")
    assert next(chunks).startswith("0,")


# --- JSON Lines ---------------------------------------------------------------------------------


def test_jsonl_is_one_public_dict_per_line():
    lines = list(writers.jsonl_lines([dataset("a"), dataset("geheim", "beperkt", notes="regel 1\nregel 2")]))
    assert len(lines) == 2 and all(line.endswith("\n") and line.count("\n") == 1 for line in lines)
    public, closed = (json.loads(line) for line in lines)
    assert public["resources"][0]["url"].endswith("/a.csv")
    assert closed["resources"] == [] and closed["num_resources"] == 0
    assert closed["notes"] == "regel 1\nregel 2"
    assert MARKER not in lines[1]


# --- RDF/XML ------------------------------------------------------------------------------------

EX = Namespace("http://example.org/")
OTHER = Namespace("http://other.example.org/vocab#")


def small_graph(index: int, shared: BNode) -> Graph:
    graph = Graph()
    subject = EX[f"dataset/{index}"]
    graph.add((subject, RDF.type, EX.Dataset))
    graph.add((subject, DCTERMS.title, Literal(f"Titel {index} <b>kapot & \"heel\"", lang="nl")))
    graph.add((subject, DCTERMS.issued, Literal("2025-01-01", datatype=XSD.date)))
    graph.add((subject, OTHER.score, Literal(index)))  # a namespace the root does not declare
    graph.add((subject, DCTERMS.publisher, shared))  # the same blank node in every graph
    graph.add((shared, EX.name, Literal("Gemeente")))
    contact = BNode()
    graph.add((subject, EX.contact, contact))
    graph.add((contact, EX.email, URIRef("mailto:a@example.org?subject=a&b")))
    return graph


def test_streamed_rdfxml_parses_to_the_union_of_the_graphs():
    shared = BNode()
    graphs = [small_graph(i, shared) for i in range(3)]
    text = "".join(rdfxml.stream(graphs, {"dct": str(DCTERMS), "ex": str(EX)}))
    parsed = Graph().parse(data=text, format="xml")
    union = Graph()
    for graph in graphs:
        union += graph
    assert isomorphic(parsed, union)
    # namespaces declared once on the root; the undeclared one on its own element
    assert text.count('xmlns:dct="http://purl.org/dc/terms/"') == 1
    assert 'xmlns:ns0="http://other.example.org/vocab#"' in text


def test_streamed_rdfxml_is_one_chunk_per_graph():
    chunks = list(rdfxml.stream((small_graph(i, BNode()) for i in range(4)), {}))
    assert len(chunks) == 6
    assert chunks[0].startswith('<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF')
    assert chunks[-1] == "</rdf:RDF>\n"


def test_characters_xml_cannot_carry_are_dropped_and_the_document_stays_valid():
    graph = Graph()
    graph.add((EX.a, DCTERMS.title, Literal("bel\x07 en\x0b tab\tregel\nzo")))
    parsed = Graph().parse(data="".join(rdfxml.stream([graph], {})), format="xml")
    assert str(parsed.value(EX.a, DCTERMS.title)) == "bel en tab\tregel\nzo"


@pytest.mark.parametrize("predicate", ["http://example.org/1abc", "urn:x"])
def test_a_predicate_rdfxml_cannot_name_is_left_out_not_fatal(predicate):
    graph = Graph()
    graph.add((EX.a, URIRef(predicate), Literal("x")))
    graph.add((EX.a, DCTERMS.title, Literal("blijft")))
    parsed = Graph().parse(data="".join(rdfxml.stream([graph], {})), format="xml")
    assert list(parsed.objects(EX.a, DCTERMS.title)) == [Literal("blijft")]
    assert len(parsed) == 1
