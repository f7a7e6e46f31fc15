"""gunicorn settings of the benchmark servers: those of ``make run`` (config/provision/gunicorn.conf.py,
read as it is), with the address, workers and files of ``bench.server``, and a note per worker once it
has loaded CKAN, so that a measurement starts only when every worker can answer."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

_own_file = __file__
_production = Path(__file__).resolve().parent.parent / "config" / "provision" / "gunicorn.conf.py"
__file__ = str(_production)  # the settings find wsgi.py and var/ from where their file lies
exec(compile(_production.read_text(encoding="utf-8"), str(_production), "exec"))  # noqa: S102 - our own settings
__file__ = _own_file

_production_post_worker_init = post_worker_init  # type: ignore[name-defined]  # noqa: F821 - from the file above


def post_worker_init(worker: Any) -> None:  # noqa: F811 - wraps the production hook
    _production_post_worker_init(worker)
    with open(os.environ["BENCH_READY_FILE"], "a", encoding="utf-8") as ready:
        ready.write(f"{os.getpid()}\n")
