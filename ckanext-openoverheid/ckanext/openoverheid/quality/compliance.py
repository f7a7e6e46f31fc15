"""DCAT-AP compliance of one dataset's DCAT: pySHACL against SEMIC's DCAT-AP 2.1.1 shapes, which the
MQA also validates with. The shapes (``shapes/``, CC BY 4.0) are parsed once per process."""

from __future__ import annotations

import functools
from importlib import resources

import pyshacl
from rdflib import Graph

SHAPE_FILES = ("dcat-ap_2.1.1_shacl_shapes.ttl", "dcat-ap_2.1.1_shacl_range.ttl")


@functools.cache
def shapes() -> Graph:
    graph = Graph()
    folder = resources.files(__package__).joinpath("shapes")
    for name in SHAPE_FILES:
        graph.parse(data=folder.joinpath(name).read_text(encoding="utf-8"), format="turtle")
    return graph


def validate(graph: Graph) -> tuple[bool, str]:
    """Whether ``graph`` conforms, and pySHACL's report text (for the administrators' CLI)."""
    conforms, _, text = pyshacl.validate(graph, shacl_graph=shapes())
    return bool(conforms), str(text)
