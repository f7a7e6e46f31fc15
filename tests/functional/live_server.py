"""A live HTTP server for tests that need a real client over a real socket (an Open311 client
library, a browser): CKAN's Flask app of the test, served by werkzeug on 127.0.0.1 and a free port
in a background thread.

Use it by importing the fixture into a test module::

    import live_server as live

    live_server = live.live_server  # a fixture is found by its name in the test module

    def test_something(live_server):
        requests.get(f"{live_server}/api/3/action/status_show")

The server runs the same app object as the ``app`` fixture (same plugins and configuration); data
must be committed to be seen, as the server handles requests in its own threads and sessions.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from werkzeug.serving import make_server


@pytest.fixture
def live_server(app: Any) -> Iterator[str]:
    """The base URL (``http://127.0.0.1:PORT``) of the running portal."""
    server = make_server("127.0.0.1", 0, app.flask_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
