"""The MQA report of a CKAN dataset: its DCAT graph as /dataset/<name>.rdf serves it (ckanext-dcat's
serializer with the configured profiles), the SHACL verdict and the stored link checks, scored by
``mqa.py``; and the report as the plain dict the API, the CLI and the dataset page show."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import ckan.plugins.toolkit as tk
from ckan.lib.redis import connect_to_redis
from ckanext.dcat.processors import RDFSerializer
from rdflib import Graph, URIRef

from ckanext.openoverheid.dcat.namespaces import DCAT
from ckanext.openoverheid.harvest.site import allowed_private_hosts
from ckanext.openoverheid.openheid.withholding import public_view
from ckanext.openoverheid.quality import compliance, links, mqa
from harvesters.http import HttpClient

PAGE_SIZE = 100
PORTAL_URL_OPTION = "ckanext.openoverheid.quality.portal_url"
LINK_TIMEOUT = 10.0


def dataset_graph(dataset: dict[str, Any]) -> tuple[Graph, URIRef]:
    """The DCAT graph of ``dataset`` as the catalogue publishes it (what data.europa.eu harvests: a
    closed dataset without its distributions, whoever asks), and its URI."""
    serializer = RDFSerializer()
    dataset_ref = serializer.graph_from_dataset(public_view(dataset))
    return serializer.g, URIRef(str(dataset_ref))


def link_urls(graph: Graph, dataset_ref: URIRef) -> list[str]:
    """Every accessURL and downloadURL of the dataset's distributions."""
    urls: set[str] = set()
    for distribution in graph.objects(dataset_ref, DCAT.distribution):
        for predicate in (DCAT.accessURL, DCAT.downloadURL):
            urls.update(str(url) for url in graph.objects(distribution, predicate) if isinstance(url, URIRef))
    return sorted(urls)


def dataset_report(dataset: dict[str, Any]) -> mqa.Report:
    graph, dataset_ref = dataset_graph(dataset)
    connection = connect_to_redis()
    checked = links.stored(connection, link_urls(graph, dataset_ref))
    return mqa.score(graph, dataset_ref, checked, compliance.conforms(graph, connection))


def _site_url() -> str:
    return str(tk.config.get("ckan.site_url") or "")


def portal_url() -> str:
    """``ckanext.openoverheid.quality.portal_url``: where the link check reaches the portal itself;
    by default ``ckan.site_url``."""
    return str(tk.config.get(PORTAL_URL_OPTION) or _site_url())


def link_client() -> HttpClient:
    """The guarded client; the portal's own hosts are allowed even when private: the operator named them."""
    own = [urlsplit(url).hostname or "" for url in (_site_url(), portal_url())]
    return HttpClient(timeout=LINK_TIMEOUT, max_retries=1,
                      allowed_private_hosts=[*allowed_private_hosts(), *(host for host in own if host)])


def check_links(dataset: dict[str, Any], client: HttpClient | None = None) -> list[mqa.LinkResult]:
    """Check every accessURL and downloadURL of ``dataset`` now and keep the results; a link to the
    portal itself is asked at ``portal_url()``."""
    graph, dataset_ref = dataset_graph(dataset)
    redis = connect_to_redis()
    site, portal = _site_url(), portal_url()

    def run(http: HttpClient) -> list[mqa.LinkResult]:
        return [links.check(url, http, redis, ask=links.own_address(url, site, portal))
                for url in link_urls(graph, dataset_ref)]

    if client is not None:
        return run(client)
    with link_client() as own_client:
        return run(own_client)


def check_links_job(dataset_id: str) -> None:
    """A background job (``tk.enqueue_job(check_links_job, [dataset_id])``): check one dataset's links."""
    dataset = tk.get_action("package_show")(_site_context(), {"id": dataset_id})
    check_links(dataset)


def _site_context() -> dict[str, Any]:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


def datasets(organization: str | None = None) -> tuple[int, Iterator[dict[str, Any]]]:
    """How many datasets (of ``organization``, or all, private ones too) there are, and each of them."""
    fq = "+dataset_type:dataset"
    if organization:
        owner = tk.get_action("organization_show")(_site_context(), {"id": organization})
        fq += f' +owner_org:"{owner["id"]}"'
    search = tk.get_action("package_search")

    def page(start: int) -> dict[str, Any]:
        return search(_site_context(), {"fq": fq, "rows": PAGE_SIZE, "start": start, "sort": "name asc",
                                        "include_private": True})

    first = page(0)

    def each() -> Iterator[dict[str, Any]]:
        current, start = first, 0
        while current["results"]:
            yield from current["results"]
            start += PAGE_SIZE
            if start >= first["count"]:
                return
            current = page(start)

    return first["count"], each()


def as_dict(report: mqa.Report, translate: Callable[[str], str]) -> dict[str, Any]:
    """The report with its labels and messages in the reader's language (``translate``: ``tk._``)."""
    return {
        "total": report.total,
        "possible": report.possible,
        "band": report.band.name.lower(),
        "band_label": translate(report.band.label),
        "dimensions": [
            {
                "key": dimension.key,
                "label": translate(dimension.label),
                "earned": dimension.earned,
                "possible": dimension.possible,
                "indicators": [
                    {
                        "key": indicator.key,
                        "label": translate(indicator.label),
                        "earned": indicator.earned,
                        "possible": indicator.possible,
                        "missing": indicator.missing.text(translate) if indicator.missing else None,
                    }
                    for indicator in dimension.indicators
                ],
            }
            for dimension in report.dimensions
        ],
    }
