"""One RDF/XML document written piece by piece, from many small graphs.

rdflib serialises a whole graph at once; for a catalogue of thousands of datasets that means holding
every triple in memory. This writer emits the ``rdf:RDF`` root once, with every namespace declared
on it, then the ``rdf:Description`` elements of one small graph at a time, then the closing tag.
RDF/XML allows a subject to be described in several elements, so graphs that share nodes (the
catalog, an organisation, a licence) simply describe them again; a parser merges them.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable, Iterator, Mapping
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

log = logging.getLogger(__name__)

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
# Characters XML 1.0 cannot carry at all, not even escaped (control characters from pasted text).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_NCNAME = re.compile(r"^[^\W\d][\w.-]*$")


def xml_safe_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot represent (they would make the document invalid)."""
    return _NOT_XML.sub("", text)


class RdfXmlWriter:
    """Writes RDF/XML for graphs one after another; ``namespaces`` maps prefix to namespace URI."""

    def __init__(self, namespaces: Mapping[str, str]) -> None:
        self.namespaces = {"rdf": RDF_NS, **namespaces}
        # longest namespace first, so that a namespace inside another one wins
        self._by_length = sorted(self.namespaces.items(), key=lambda item: len(item[1]), reverse=True)

    def start(self) -> str:
        declarations = "".join(
            f"\n   xmlns:{prefix}={quoteattr(uri)}" for prefix, uri in sorted(self.namespaces.items())
        )
        return f'<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF{declarations}\n>\n'

    @staticmethod
    def end() -> str:
        return "</rdf:RDF>\n"

    def descriptions(self, graph: Graph) -> str:
        """The ``rdf:Description`` elements of every subject in ``graph``."""
        parts: list[str] = []
        for subject in graph.subjects(unique=True):
            if not isinstance(subject, URIRef | BNode):
                continue
            parts.append(f"  <rdf:Description {self._node_attribute('about', subject)}>\n")
            for predicate, obj in graph.predicate_objects(subject):
                element = self._property(predicate, obj)
                if element:
                    parts.append(element)
            parts.append("  </rdf:Description>\n")
        return "".join(parts)

    def _node_attribute(self, name: str, node: Node) -> str:
        if isinstance(node, BNode):
            node_id = str(node)
            if not _NCNAME.match(node_id):
                node_id = "b" + hashlib.sha1(node_id.encode("utf-8")).hexdigest()
            return f"rdf:nodeID={quoteattr(node_id)}"
        return f"rdf:{name}={quoteattr(xml_safe_text(str(node)))}"

    def _qname(self, predicate: str) -> tuple[str, str] | None:
        """(element name, extra namespace declaration) for a predicate; None if RDF/XML cannot name it."""
        for prefix, namespace in self._by_length:
            if predicate.startswith(namespace):
                local = predicate[len(namespace):]
                if _NCNAME.match(local):
                    return f"{prefix}:{local}", ""
        split = max(predicate.rfind("#"), predicate.rfind("/")) + 1
        namespace, local = predicate[:split], predicate[split:]
        if not namespace or not _NCNAME.match(local):
            return None
        return f"ns0:{local}", f" xmlns:ns0={quoteattr(namespace)}"

    def _property(self, predicate: Node, obj: Node) -> str:
        named = self._qname(str(predicate))
        if named is None:
            log.warning("RDF/XML cannot express the predicate %s; triple left out of the export", predicate)
            return ""
        name, declaration = named
        if isinstance(obj, Literal):
            attributes = declaration
            if obj.language:
                attributes += f" xml:lang={quoteattr(obj.language)}"
            elif obj.datatype:
                attributes += f" rdf:datatype={quoteattr(str(obj.datatype))}"
            return f"    <{name}{attributes}>{escape(xml_safe_text(str(obj)))}</{name}>\n"
        return f"    <{name}{declaration} {self._node_attribute('resource', obj)}/>\n"


def stream(graphs: Iterable[Graph], namespaces: Mapping[str, str]) -> Iterator[str]:
    """One RDF/XML document for all ``graphs``, one chunk per graph; only one graph is held at a time."""
    writer = RdfXmlWriter(namespaces)
    yield writer.start()
    for graph in graphs:
        yield writer.descriptions(graph)
    yield writer.end()
