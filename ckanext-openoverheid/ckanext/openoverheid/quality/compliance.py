"""DCAT-AP compliance of one dataset's DCAT: pySHACL against SEMIC's DCAT-AP 2.1.1 shapes, which the
MQA also validates with. The shapes (``shapes/``, CC BY 4.0) are parsed once per process."""

from __future__ import annotations

import functools
from importlib import resources

import pyshacl
from rdflib import Graph, Literal

from ckanext.openoverheid.dcat.namespaces import DCAT, XSD

SHAPE_FILES = ("dcat-ap_2.1.1_shacl_shapes.ttl", "dcat-ap_2.1.1_shacl_range.ttl")


@functools.cache
def shapes() -> Graph:
    graph = Graph()
    folder = resources.files(__package__).joinpath("shapes")
    for name in SHAPE_FILES:
        graph.parse(data=folder.joinpath(name).read_text(encoding="utf-8"), format="turtle")
    return graph


def as_dcat_ap_2(graph: Graph) -> Graph:
    """``graph`` as the DCAT-AP 2.1.1 profile writes it: DCAT-AP 3's integer byte sizes as xsd:decimal
    (the only difference of our two profiles that the 2.1.1 shapes see); a copy when one is changed."""
    sizes = [(subject, size) for subject, size in graph.subject_objects(DCAT.byteSize)
             if isinstance(size, Literal) and size.datatype != XSD.decimal]
    if not sizes:
        return graph
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    for subject, size in sizes:
        copy.remove((subject, DCAT.byteSize, size))
        copy.add((subject, DCAT.byteSize, Literal(str(size), datatype=XSD.decimal)))
    return copy


def validate(graph: Graph) -> tuple[bool, str]:
    """Whether ``graph`` conforms, and pySHACL's report text (for the administrators' CLI)."""
    conforms, _, text = pyshacl.validate(as_dcat_ap_2(graph), shacl_graph=shapes())
    return bool(conforms), str(text)
