"""DCAT-AP compliance of one dataset's DCAT: pySHACL against SEMIC's DCAT-AP 2.1.1 shapes, which the
MQA also validates with. The shapes (``shapes/``, CC BY 4.0) are parsed once per process.

Validation takes a tenth of a second or more, and the dataset page shows the verdict to every editor on
every view: ``conforms`` keeps it in Redis under a digest of the graph itself (rdflib's canonical
isomorphism digest, blank nodes included) and of the shapes, so an unchanged graph is validated once
and any change to it, whatever caused it, is validated afresh.
"""

from __future__ import annotations

import functools
import hashlib
from importlib import resources

import pyshacl
import redis
from rdflib import Graph, Literal
from rdflib.compare import to_isomorphic

from ckanext.openoverheid.dcat.namespaces import DCAT, XSD
from ckanext.openoverheid.keys import redis_key

SHAPE_FILES = ("dcat-ap_2.1.1_shacl_shapes.ttl", "dcat-ap_2.1.1_shacl_range.ttl")


VERDICT_SECONDS = 30 * 86_400


def _shape_texts() -> list[str]:
    folder = resources.files(__package__).joinpath("shapes")
    return [folder.joinpath(name).read_text(encoding="utf-8") for name in SHAPE_FILES]


@functools.cache
def shapes() -> Graph:
    graph = Graph()
    for text in _shape_texts():
        graph.parse(data=text, format="turtle")
    return graph


@functools.cache
def _shapes_digest() -> str:
    return hashlib.sha256("\n".join(_shape_texts()).encode("utf-8")).hexdigest()[:16]


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


def conforms(graph: Graph, connection: redis.Redis) -> bool:
    """Whether ``graph`` conforms: validated once per distinct graph, the verdict kept in Redis for 30 days
    (without Redis, validated every time)."""
    key = redis_key("quality", "shacl", _shapes_digest(), to_isomorphic(graph).graph_digest())
    try:
        kept = connection.get(key)
    except redis.RedisError:
        return validate(graph)[0]
    if kept is not None:
        return kept == b"1"
    verdict = validate(graph)[0]
    try:
        connection.set(key, b"1" if verdict else b"0", ex=VERDICT_SECONDS)
    except redis.RedisError:
        pass
    return verdict
