"""The client's own address behind a reverse proxy (nginx, HAProxy, a load balancer).

Rate limits (meldingen, verzoeken, the afvalkalender's on-demand lookups) count per client address.
Behind a proxy every request arrives from the proxy's address, so all residents would share one
limit: after a handful of reports in an hour, everyone would be refused. With
``ckanext.openoverheid.trusted_proxies = N`` the address (and scheme) is taken from the last N
entries of ``X-Forwarded-For`` (``X-Forwarded-Proto``) that those N proxies appended, through
werkzeug's ``ProxyFix``. Only the proxies' own entries are trusted: a client cannot choose its
address by sending the header itself, as long as N is the number of proxies in front.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from werkzeug.middleware.proxy_fix import ProxyFix

OPTION = "ckanext.openoverheid.trusted_proxies"


def trust_forwarded(app: Any, config: Any) -> Any:
    """``app`` (a Flask app) reading the client's address from its trusted proxies, if there are any."""
    hops = tk.asint(config.get(OPTION) or 0)
    if hops < 0:
        raise RuntimeError(f"{OPTION} = {hops}: set it to the number of proxies in front of the portal, or 0")
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    return app
