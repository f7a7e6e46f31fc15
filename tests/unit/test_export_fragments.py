"""The kept-fragment logic of the RDF/XML export, with an in-memory stand-in for Redis's get/set."""

from __future__ import annotations

from typing import Any

import redis
from rdflib import Graph, Literal, Namespace, URIRef

from ckanext.openoverheid.export.fragments import FragmentCache, dataset_digest, rdf_document
from ckanext.openoverheid.export.rdfxml import RdfXmlWriter

EX = Namespace("https://data.example.nl/")
DCT = Namespace("http://purl.org/dc/terms/")


class MemoryRedis:
    """mget, and set through a pipeline: the two calls FragmentCache makes."""

    def __init__(self) -> None:
        self.values: dict[str, bytes] = {}
        self.broken = False

    def mget(self, keys: list[str]) -> list[bytes | None]:
        if self.broken:
            raise redis.ConnectionError("down")
        return [self.values.get(key) for key in keys]

    def pipeline(self, transaction: bool = False) -> MemoryRedis:
        return self

    def __enter__(self) -> MemoryRedis:
        return self

    def __exit__(self, *exc: Any) -> None:
        return None

    def set(self, key: str, value: bytes, ex: int) -> None:
        self.values[key] = value

    def execute(self) -> None:
        if self.broken:
            raise redis.ConnectionError("down")


def dataset(number: int, title: str = "Bomen") -> dict[str, Any]:
    return {"id": f"id-{number}", "title": f"{title} {number}"}


class Renderer:
    def __init__(self) -> None:
        self.rendered: list[str] = []

    def __call__(self, item: dict[str, Any]) -> Graph:
        self.rendered.append(item["id"])
        graph = Graph()
        graph.add((URIRef(EX[item["id"]]), DCT.title, Literal(item["title"], lang="nl")))
        return graph


def export(datasets: list[dict[str, Any]], cache: FragmentCache, render: Renderer, fingerprint: str = "a") -> str:
    writer = RdfXmlWriter({"dct": str(DCT)})
    return "".join(rdf_document(Graph(), datasets, render, writer, cache, fingerprint))


def test_a_second_export_renders_only_what_changed_and_writes_the_same_document() -> None:
    cache = FragmentCache(MemoryRedis(), ttl=60, key_prefix="t:")  # type: ignore[arg-type]
    first_render, second_render = Renderer(), Renderer()
    catalogue = [dataset(n) for n in range(1200)]
    first = export(catalogue, cache, first_render)
    assert len(first_render.rendered) == 1200

    catalogue[7] = dataset(7, title="Lantaarnpalen")
    second = export(catalogue, cache, second_render)
    assert second_render.rendered == ["id-7"]
    assert second == first.replace("Bomen 7<", "Lantaarnpalen 7<")


def test_changed_settings_render_everything_again() -> None:
    cache = FragmentCache(MemoryRedis(), ttl=60, key_prefix="t:")  # type: ignore[arg-type]
    export([dataset(1), dataset(2)], cache, Renderer(), fingerprint="a")
    again = Renderer()
    export([dataset(1), dataset(2)], cache, again, fingerprint="b")
    assert again.rendered == ["id-1", "id-2"]


def test_redis_down_or_ttl_zero_renders_everything_and_still_answers() -> None:
    down = MemoryRedis()
    down.broken = True
    for cache in (FragmentCache(down, ttl=60, key_prefix="t:"), FragmentCache(MemoryRedis(), ttl=0, key_prefix="t:")):  # type: ignore[arg-type]
        for _ in range(2):
            render = Renderer()
            assert "Bomen 2" in export([dataset(1), dataset(2)], cache, render)
            assert render.rendered == ["id-1", "id-2"]


def test_digest_depends_on_every_field_not_on_key_order() -> None:
    assert dataset_digest({"a": 1, "b": [1, 2]}, "f") == dataset_digest({"b": [1, 2], "a": 1}, "f")
    assert dataset_digest({"a": 1, "b": [1, 2]}, "f") != dataset_digest({"a": 1, "b": [2, 1]}, "f")
    assert dataset_digest({"a": 1}, "f") != dataset_digest({"a": 1}, "g")
