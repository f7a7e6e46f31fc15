"""A small HTTP server on a loopback address, in a thread, for as long as a block runs.

The demos serve their sample feeds with it (``harvest_source.py``), the tests their fake feeds.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class QuietHandler(BaseHTTPRequestHandler):
    """A request handler that does not log every request to stderr, and answers with one body."""

    def send_body(self, body: bytes, content_type: str, status: int = 200) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout): nobody is left to answer

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's name
        return


@contextmanager
def local_server(
    handler: type[BaseHTTPRequestHandler], path: str = "", name: str = "local-server", host: str = "127.0.0.1"
) -> Iterator[str]:
    """Serve ``handler`` on ``host`` (a free port) while the block runs; yields the URL of ``path``."""
    server = ThreadingHTTPServer((host, 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}{path}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
