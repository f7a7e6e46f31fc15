"""The WSGI application of the portal, for gunicorn (``make run``) or any other WSGI server.

This is the ``wsgi.py`` CKAN keeps at the root of its source tree (not in the wheel): the
configuration file comes from ``CKAN_INI`` (``CKANConfigLoader`` also sets up logging from it), and
``make_app`` loads the environment and the plugins. Each gunicorn worker imports it for itself (no ``preload_app``), so
no database connection or Redis pool is shared between processes.
"""

from __future__ import annotations

import os

from ckan.cli import CKANConfigLoader
from ckan.config.middleware import make_app

config_path = os.environ.get("CKAN_INI", "")
if not config_path or not os.path.exists(config_path):
    raise RuntimeError(f"CKAN config file not found: {config_path!r}; set CKAN_INI to the portal's ckan.ini")

application = make_app(CKANConfigLoader(config_path).get_config())
