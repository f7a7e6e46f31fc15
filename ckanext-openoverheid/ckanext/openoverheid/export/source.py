"""Where the export's datasets come from: ``package_search``, as an anonymous visitor, page by page.

Anonymous on purpose, whoever asks: the export is one public file, the same for everybody and
cacheable, and "open, tenzij" then holds by construction — private datasets are not found and closed
ones come without resources (the index holds none, and ``public_view`` strips them again).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import ckan.plugins.toolkit as tk
from ckanext.dcat.processors import RDFSerializer
from ckanext.dcat.profiles import DCAT, RDF
from ckanext.dcat.utils import catalog_uri
from rdflib import Graph, URIRef

from ckanext.openoverheid.dcat.namespaces import NAMESPACES
from ckanext.openoverheid.export import fragments
from ckanext.openoverheid.export.rdfxml import RdfXmlWriter
from ckanext.openoverheid.keys import key_prefix
from ckanext.openoverheid.openheid.withholding import public_view

PAGE_SIZE = 500
# Datasets only: harvest sources (configuration) and Woo publications (documents, delivered to the
# Woo-index through their sitemaps, docs/woo.md) are CKAN datasets of their own types.
SEARCH_FILTER = "+dataset_type:dataset"


def _anonymous() -> dict[str, Any]:
    # a fresh context each call: actions write into it
    return {"user": ""}


def _search(**params: Any) -> dict[str, Any]:
    data_dict = {"q": "*:*", "fq": SEARCH_FILTER, "include_private": False, **params}
    return tk.get_action("package_search")(_anonymous(), data_dict)


@dataclass(frozen=True)
class CatalogueState:
    """What decides whether a client's copy of the export is still current."""

    count: int
    newest: datetime.datetime | None  # the newest metadata_modified, UTC

    def etag(self, variant: str) -> str:
        newest = self.newest.isoformat() if self.newest else "-"
        return f'"{variant}-{self.count}-{newest}"'


def catalogue_state() -> CatalogueState:
    result = _search(rows=1, sort="metadata_modified desc")
    newest = None
    if result["results"]:
        newest = datetime.datetime.fromisoformat(result["results"][0]["metadata_modified"]).replace(
            tzinfo=datetime.UTC
        )
    return CatalogueState(count=result["count"], newest=newest)


def public_datasets(page_size: int = PAGE_SIZE) -> Iterator[dict[str, Any]]:
    """Every public dataset, ordered by id, ``page_size`` at a time.

    Keyset paging (each page asks for the ids after the last one seen) rather than ``start``:
    Solr does not re-read the skipped rows for every page, and a dataset created or deleted during
    the export does not shift the pages, so no other dataset is skipped or written twice.
    """
    last_id: str | None = None
    while True:
        fq = SEARCH_FILTER if last_id is None else f'{SEARCH_FILTER} +id:{{"{last_id}" TO *]'
        page = _search(fq=fq, rows=page_size, sort="id asc")["results"]
        complete = len(page) == page_size
        last_id = page[-1]["id"] if page else None
        # Hand the datasets out one by one and keep none: the next page then never shares memory
        # with this one, and the peak stays one page however large the catalogue.
        page.reverse()
        while page:
            yield public_view(page.pop())
        if not complete:
            return


def _graph() -> Graph:
    # A store without contexts, and no prefixes: rdflib binds some thirty to every new graph by
    # default, which costs more than the dataset's own triples, and the RDF/XML writer declares its own.
    return Graph(store="SimpleMemory", bind_namespaces="core")


def _release(graph: Graph) -> None:
    """Break the graph's cycle with its namespace manager, so that it is freed at once rather than
    waiting for the cyclic garbage collector: otherwise thousands of finished graphs pile up."""
    graph.namespace_manager = None  # type: ignore[assignment]  # the getter makes a new one if asked again


def catalog_graph() -> Graph:
    serializer = RDFSerializer()
    serializer.g = _graph()
    serializer.graph_from_catalog()
    return serializer.g


class DatasetGraphs:
    """One small DCAT graph per dataset (the profiles of the config), each released when the next is
    made: use it before asking for another."""

    def __init__(self) -> None:
        self.serializer = RDFSerializer()
        self.catalog_ref = URIRef(catalog_uri())
        self.serializer.g = _graph()

    def __call__(self, dataset: dict[str, Any]) -> Graph:
        _release(self.serializer.g)
        self.serializer.g = _graph()
        self.serializer.g.add((self.catalog_ref, RDF.type, DCAT.Catalog))  # lets the profile link the catalog record
        dataset_ref = self.serializer.graph_from_dataset(dataset)
        self.serializer.g.add((self.catalog_ref, DCAT.dataset, dataset_ref))
        return self.serializer.g


def fragment_cache() -> fragments.FragmentCache:
    """``ckanext.openoverheid.export.fragment_cache_ttl`` seconds (0: no cache) in CKAN's Redis."""
    from ckan.lib.redis import connect_to_redis

    ttl: int = tk.config.get("ckanext.openoverheid.export.fragment_cache_ttl")
    return fragments.FragmentCache(connect_to_redis() if ttl > 0 else None, ttl, key_prefix("export-rdf"))


def rdf_export(datasets: Iterable[dict[str, Any]]) -> Iterator[str]:
    """The RDF/XML document of ``datasets`` (public views), with kept fragments where current."""
    fingerprint = fragments.settings_fingerprint(
        tk.config.get("ckan.site_url"), tk.config.get("ckanext.dcat.rdf.profiles"), catalog_uri(), NAMESPACES
    )
    return fragments.rdf_document(
        catalog_graph(), datasets, DatasetGraphs(), RdfXmlWriter(NAMESPACES), fragment_cache(), fingerprint
    )
