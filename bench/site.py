"""CKAN in this process, on a benchmark sandbox's ini: the app, a request context, the test client.

Import CKAN only through ``open_site`` (it reads the ini first), and only in a process that runs
one site: CKAN's configuration and plugins are global.
"""

from __future__ import annotations

import logging.config
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class Site:
    """A loaded CKAN: ``app`` is the whole WSGI stack, ``flask`` the Flask app inside it."""

    ini: Path
    app: Any
    flask: Any

    def client(self) -> Any:
        """A werkzeug test client over the whole middleware stack, as a browser would see it."""
        from werkzeug.test import Client

        return Client(self.app)


def open_site(ini: Path) -> Site:
    """Load CKAN with ``ini`` and push a request context, as ``ckan`` commands do."""
    logging.config.fileConfig(str(ini), disable_existing_loggers=False)
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(str(ini)))
    # ckanext-harvest logs an ERROR when a dataset of a table source is purged (it looks for a harvest
    # source of that id); the benchmarks purge such datasets, and the noise would hide real errors
    logging.getLogger("ckanext.harvest.plugin").setLevel(logging.CRITICAL)
    flask_app = app._wsgi_app
    flask_app.test_request_context().push()
    return Site(ini=ini, app=app, flask=flask_app)


def site_context() -> dict[str, Any]:
    """An action context of the site user (a sysadmin that ignores auth)."""
    import ckan.plugins.toolkit as tk

    user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": user["name"], "ignore_auth": True}
