"""gunicorn settings for ``make run`` (docs/deploy.md). Every value can be changed by environment.

Workers are processes (CPU), threads within a worker cover the waiting on PostgreSQL, Solr and
Redis. Each worker holds a whole CKAN (some 200 MB), so the default is one worker per core plus one
rather than gunicorn's 2n+1 for sync workers. Nothing is kept per process: rate limits, sessions
(signed cookies), CSRF tokens and export fragments live in Redis, PostgreSQL or the cookie, so
workers (and machines) can be added freely.

    OPENOVERHEID_WORKERS   worker processes (default: cores + 1, at least 2)
    OPENOVERHEID_THREADS   threads per worker (default: 4)
    OPENOVERHEID_BIND      address (default: 127.0.0.1:5000)
    OPENOVERHEID_VAR       state directory: logs in var/log, the pid file in var/run
"""

from __future__ import annotations

import compileall
import logging
import os
from pathlib import Path
from typing import Any

_root = Path(__file__).resolve().parents[2]
_var = Path(os.environ.get("OPENOVERHEID_VAR") or _root / "var")
(_var / "log").mkdir(parents=True, exist_ok=True)
(_var / "run").mkdir(parents=True, exist_ok=True)


def _count(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise SystemExit(f"{name}={value!r} must be a whole number of at least 1")
    return int(value)


wsgi_app = "wsgi:application"
pythonpath = str(Path(__file__).resolve().parent)
bind = [os.environ.get("OPENOVERHEID_BIND", "127.0.0.1:5000")]
workers = _count("OPENOVERHEID_WORKERS", max(2, (os.cpu_count() or 1) + 1))
threads = _count("OPENOVERHEID_THREADS", 4)
worker_class = "gthread"
# a worker silent for this long is killed and replaced; a request in flight on it fails alone
timeout = 60
graceful_timeout = 15  # SIGTERM (make stop): requests in flight get this long to finish
keepalive = 5
# A fresh process now and then bounds any slow leak; the jitter keeps workers from restarting at once.
# Starting a worker costs some 3 s of CPU (CKAN and every plugin loaded), so not too often: at 2,000
# a busy 2-core machine replaced a worker every half minute and lost a tenth of its search
# throughput to that (docs/bench.md); at 20,000 it is every few minutes.
max_requests = 20000
max_requests_jitter = 2000
pidfile = str(_var / "run" / "gunicorn.pid")
accesslog = os.environ.get("OPENOVERHEID_ACCESS_LOG", str(_var / "log" / "access.log"))
# No client address, query string, referrer or user agent: the log holds no personal data beyond the
# path (residents search by address). The worker's pid and the time taken (microseconds) are kept.
access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s pid=%(p)s us=%(D)s'
errorlog = os.environ.get("OPENOVERHEID_ERROR_LOG", "-")
proc_name = "openoverheid"
# gunicorn's control socket (``gunicornc``) would default to one path per user, shared by every
# instance on the machine; the portal needs none
control_socket_disable = True


def on_starting(server: Any) -> None:
    """Compile our sources to bytecode once, in the master, before any worker starts: pip does so for
    the packages it installs, not for the editable install of our own, and with
    PYTHONDONTWRITEBYTECODE set every worker would otherwise compile some 250 modules as it starts."""
    for package in ("ckanext-openoverheid/ckanext", "harvesters"):
        compileall.compile_dir(_root / package, quiet=1)


def post_worker_init(worker: Any) -> None:
    """Loading CKAN's configuration applies its logging sections, which disables every logger the
    file does not name, gunicorn's access and error logs among them: switch those back on."""
    for name in ("gunicorn.access", "gunicorn.error"):
        logging.getLogger(name).disabled = False
