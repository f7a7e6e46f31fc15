"""A CKAN web server for the benchmarks: the portal's production server, gunicorn with the settings
of ``make run`` (config/provision/gunicorn.conf.py through ``bench/gunicorn_conf.py``), on a free port.

Both sides of every comparison are served the same way: the same workers and threads, the same
gunicorn. By default what ``make run`` starts on this machine (``OPENOVERHEID_WORKERS``, default
cores + 1; 4 threads each); a benchmark that reads a worker's memory asks for one worker, so that
the download it measures runs in the process it watches.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench.sandboxes import BENCH_VAR, ROOT, VENV, clean_env


@dataclass
class Server:
    """A running gunicorn: its ``url`` (no trailing slash), the master's ``pid`` and its ``workers``' pids."""

    url: str
    pid: int
    workers: list[int]
    process: subprocess.Popen[bytes]

    @property
    def worker(self) -> int:
        """The pid of the only worker (``running(..., workers=1)``)."""
        if len(self.workers) != 1:
            raise RuntimeError(f"the server has {len(self.workers)} workers, not one")
        return self.workers[0]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def default_workers() -> int:
    """What ``make run`` starts here (config/provision/gunicorn.conf.py)."""
    configured = os.environ.get("OPENOVERHEID_WORKERS", "").strip()
    return int(configured) if configured.isdigit() else max(2, (os.cpu_count() or 1) + 1)


@contextlib.contextmanager
def running(ini: Path, log: Path | None = None, workers: int | None = None, threads: int = 4) -> Iterator[Server]:
    """Start gunicorn for ``ini`` on a free port, wait until every worker has loaded CKAN and the
    server answers, stop it (SIGTERM, then SIGKILL) afterwards."""
    workers = workers or default_workers()
    port = free_port()
    run_dir = BENCH_VAR / "run"
    run_dir.mkdir(parents=True, exist_ok=True)
    ready = run_dir / f"{port}.ready"
    ready.unlink(missing_ok=True)
    env = clean_env()
    env.update({
        "CKAN_INI": str(ini), "BENCH_READY_FILE": str(ready), "OPENOVERHEID_BIND": f"127.0.0.1:{port}",
        "OPENOVERHEID_WORKERS": str(workers), "OPENOVERHEID_THREADS": str(threads),
        "OPENOVERHEID_ACCESS_LOG": os.devnull, "OPENOVERHEID_ERROR_LOG": "-",
    })
    stderr = open(log, "a") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [str(VENV / "bin" / "gunicorn"), "--config", str(ROOT / "bench" / "gunicorn_conf.py"),
         "--pid", str(run_dir / f"{port}.pid"), "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=stderr,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        pids: list[int] = []
        while True:
            pids = [int(line) for line in ready.read_text().split()] if ready.exists() else []
            if len(pids) >= workers:
                try:
                    urllib.request.urlopen(f"{url}/api/3/action/status_show", timeout=10).read()
                    break
                except OSError:
                    pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(f"the benchmark server for {ini.name} did not start (log: {log})")
            time.sleep(0.2)
        yield Server(url=url, pid=process.pid, workers=pids[:workers], process=process)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        ready.unlink(missing_ok=True)
        if log:
            stderr.close()  # type: ignore[union-attr]
