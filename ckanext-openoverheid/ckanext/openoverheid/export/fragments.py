"""The RDF/XML export written from kept per-dataset fragments, rendering only what changed.

Most of a full DCAT export's time is the DCAT-AP mapping of each dataset (docs/bench.md), and
between two exports almost every dataset is the same. So the ``rdf:Description`` elements written
for a dataset are kept in Redis, zlib-compressed, under the dataset's id, together with a digest of
everything they were made from: the dataset as the export sees it (its public view, so a closed
dataset's fragment never held resources) and the settings that shape the output (site URL, DCAT
profiles, namespaces, this module's format version). A fragment is used only when its digest
matches; anything else (a changed dataset, an organisation renamed in the index, a new profile)
renders it again. No invalidation hook is needed, and a stale fragment cannot be served.

Redis unreachable: the export renders every dataset, as without the cache; it never fails for it.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import redis
from rdflib import Graph

from ckanext.openoverheid.export.rdfxml import RdfXmlWriter

log = logging.getLogger(__name__)

FORMAT_VERSION = "1"  # change when the writer's output changes, to retire every kept fragment
LOOKUP_BATCH = 500


def dataset_digest(dataset: Mapping[str, Any], fingerprint: str) -> bytes:
    """What a fragment was made from, in 20 bytes."""
    canonical = json.dumps(dataset, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha1(f"{fingerprint}\n{canonical}".encode()).digest()


def settings_fingerprint(*parts: Any) -> str:
    return json.dumps([FORMAT_VERSION, *parts], sort_keys=True, default=str)


class FragmentCache:
    """Per-dataset RDF/XML fragments in Redis under ``key_prefix`` + dataset id; ``ttl`` seconds after
    the last write (0: off)."""

    def __init__(self, connection: redis.Redis | None, ttl: int, key_prefix: str) -> None:
        self.connection = connection if ttl > 0 else None
        self.ttl = ttl
        self.key_prefix = key_prefix

    def get_many(self, dataset_ids: Sequence[str], digests: Sequence[bytes]) -> list[str | None]:
        if self.connection is None or not dataset_ids:
            return [None] * len(dataset_ids)
        try:
            stored = self.connection.mget([self.key_prefix + dataset_id for dataset_id in dataset_ids])
        except redis.RedisError as error:
            self._give_up(error)
            return [None] * len(dataset_ids)
        return [_unpack(value, digest) for value, digest in zip(stored, digests, strict=True)]

    def put_many(self, fragments: Mapping[str, tuple[bytes, str]]) -> None:
        """``fragments``: dataset id → (digest, fragment)."""
        if self.connection is None or not fragments:
            return
        try:
            with self.connection.pipeline(transaction=False) as pipe:
                for dataset_id, (digest, text) in fragments.items():
                    pipe.set(self.key_prefix + dataset_id, digest + zlib.compress(text.encode(), 1), ex=self.ttl)
                pipe.execute()
        except redis.RedisError as error:
            self._give_up(error)

    def _give_up(self, error: redis.RedisError) -> None:
        log.warning("export fragment cache unreachable (%s); rendering every dataset", error)
        self.connection = None


def _unpack(value: bytes | str | None, digest: bytes) -> str | None:
    # Text instead of bytes would come from a connection that decodes answers (decode_responses=True):
    # a compressed fragment cannot survive that, so it counts as a miss and the dataset is rendered.
    if not isinstance(value, bytes) or value[: len(digest)] != digest:
        return None
    try:
        return zlib.decompress(value[len(digest):]).decode()
    except (zlib.error, UnicodeDecodeError):
        return None


def rdf_document(
    catalog: Graph,
    datasets: Iterable[dict[str, Any]],
    render: Callable[[dict[str, Any]], Graph],
    writer: RdfXmlWriter,
    cache: FragmentCache,
    fingerprint: str,
) -> Iterator[str]:
    """The whole RDF/XML document: the catalog, then each dataset's fragment, kept or rendered.

    ``render(dataset)`` returns the dataset's graph (valid until the next call). Datasets are looked
    up ``LOOKUP_BATCH`` at a time (one Redis round trip each); only that many are held at once.
    """
    yield writer.start()
    yield writer.descriptions(catalog)
    iterator = iter(datasets)
    while batch := list(itertools.islice(iterator, LOOKUP_BATCH)):
        digests = [dataset_digest(dataset, fingerprint) for dataset in batch]
        kept = cache.get_many([dataset["id"] for dataset in batch], digests)
        fresh: dict[str, tuple[bytes, str]] = {}
        for dataset, digest, text in zip(batch, digests, kept, strict=True):
            if text is None:
                text = writer.descriptions(render(dataset))
                fresh[dataset["id"]] = (digest, text)
            yield text
        cache.put_many(fresh)
        del batch, kept, fresh
    yield writer.end()
