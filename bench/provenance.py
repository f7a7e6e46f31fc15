"""Where a run's figures come from: the code (git sha, dirty or not), the machine and the versions.

``bench.run`` writes them beside the lines into ``bench/results/<UTC time>-<sha>.json``, so a table
can be traced to the commit and the machine that produced it. Every probe that fails says why in its
value instead of stopping the run: a result without a Solr version is still a result.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.metadata
import json
import os
import platform
import subprocess
import urllib.request
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from bench.sandboxes import PG_PORT, REDIS_PORT, ROOT, SOLR_PORT

RESULTS_DIR = ROOT / "bench" / "results"
# The Python packages whose versions decide what the lines measure: ours against CKAN and its extensions.
PACKAGES = ("ckan", "ckanext-dcat", "ckanext-harvest", "ckanext-scheming", "rdflib", "lxml", "feedgen", "icalendar")


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout.rstrip()


def git_state() -> dict[str, Any]:
    """The commit checked out and whether tracked files differ from it (untracked files do not count:
    the result file itself is one until it is committed)."""
    sha = _git("rev-parse", "HEAD")
    changed = _git("status", "--porcelain", "--untracked-files=no")
    return {"sha": sha, "dirty": bool(changed), "changed": changed.splitlines()}


def _first_value(path: Path, key: str) -> str | None:
    """The value of the first ``key: value`` line of a /proc file."""
    try:
        for line in path.read_text().splitlines():
            name, _, value = line.partition(":")
            if name.strip() == key:
                return value.strip()
    except OSError:
        return None
    return None


def machine() -> dict[str, Any]:
    memory = _first_value(Path("/proc/meminfo"), "MemTotal")  # "16384256 kB"
    return {
        "cpu_cores": os.cpu_count(),
        "cpu_model": _first_value(Path("/proc/cpuinfo"), "model name") or platform.processor() or "unknown",
        "memory_bytes": int(memory.split()[0]) * 1024 if memory else None,
        "os": platform.platform(),
        "python": platform.python_version(),
    }


def _probe(ask: Callable[[], str]) -> str:
    try:
        return ask()
    except Exception as error:  # noqa: BLE001 - a version we cannot read is recorded as such, never fatal
        return f"unknown ({type(error).__name__}: {error})"


def _postgresql(database_urls: Iterable[str]) -> str:
    import psycopg2

    errors = []
    for url in database_urls:
        try:
            with psycopg2.connect(url, connect_timeout=5) as connection, connection.cursor() as cursor:
                cursor.execute("SHOW server_version")
                return str(cursor.fetchone()[0])
        except psycopg2.Error as error:
            errors.append(str(error).strip().splitlines()[0])
    raise RuntimeError("; ".join(errors) or "no database to ask")


def _solr() -> str:
    url = f"http://127.0.0.1:{SOLR_PORT}/solr/admin/info/system?wt=json"
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - a fixed loopback URL
        return str(json.load(response)["lucene"]["solr-spec-version"])


def _redis() -> str:
    import redis

    return str(redis.Redis(host="127.0.0.1", port=REDIS_PORT, socket_timeout=5).info("server")["redis_version"])


def versions(database_urls: Iterable[str]) -> dict[str, str]:
    found = {name: _probe(functools.partial(importlib.metadata.version, name)) for name in PACKAGES}
    urls = [*database_urls, f"postgresql://ckan_default@127.0.0.1:{PG_PORT}/postgres"]
    found["postgresql"] = _probe(lambda: _postgresql(urls))
    found["solr"] = _probe(_solr)
    found["redis"] = _probe(_redis)
    return found


def result_path(started: dt.datetime, sha: str, directory: Path = RESULTS_DIR) -> Path:
    """``bench/results/<UTC time>-<short sha>.json``: names sort by time."""
    return directory / f"{started.astimezone(dt.UTC):%Y-%m-%dT%H%M%SZ}-{sha[:12]}.json"
