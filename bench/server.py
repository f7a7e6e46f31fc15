"""A CKAN web server for the benchmarks: werkzeug's threaded WSGI server in a process of its own.

    python -m bench.server --ini var/bench/bench_ours.ini --port 0

prints ``listening on PORT`` when it listens (``running`` then waits until it answers). Not
``ckan run``, whose reloader and debugger are for development, and not a multi-process server either:
one process keeps the peak memory of a request measurable, and it is the same server for both sides
of every comparison.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench.sandboxes import PYTHON, ROOT, clean_env


def serve(ini: Path, port: int) -> None:
    from werkzeug.serving import make_server

    from bench.site import open_site

    site = open_site(ini)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    server = make_server("127.0.0.1", port, site.app, threaded=True)
    print(f"listening on {server.server_port}", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    server.serve_forever()


@dataclass
class Server:
    """A running ``bench.server`` process: its ``url`` (no trailing slash) and ``pid``."""

    url: str
    pid: int
    process: subprocess.Popen[str]


@contextlib.contextmanager
def running(ini: Path, log: Path | None = None) -> Iterator[Server]:
    """Start a server on a free port, wait until it answers, stop it (this process only) afterwards."""
    stderr = open(log, "a") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [str(PYTHON), "-m", "bench.server", "--ini", str(ini), "--port", "0"],
        cwd=ROOT, env=clean_env(), stdout=subprocess.PIPE, stderr=stderr, text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line.startswith("listening on "):
            raise RuntimeError(f"the benchmark server for {ini.name} did not start (log: {log})")
        url = f"http://127.0.0.1:{int(line.split()[-1])}"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/3/action/status_show", timeout=10).read()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"the benchmark server for {ini.name} does not answer (log: {log})") from None
                time.sleep(0.2)
        yield Server(url=url, pid=process.pid, process=process)
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.kill(process.pid, signal.SIGKILL)
                process.wait()
        if log:
            stderr.close()  # type: ignore[union-attr]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ini", type=Path, required=True)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    serve(args.ini, args.port)


if __name__ == "__main__":
    main()
