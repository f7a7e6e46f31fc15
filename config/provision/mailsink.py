"""A local SMTP server that delivers nowhere: every message is kept as an ``.eml`` file.

``make run`` starts it on 127.0.0.1:8025 unless ``CKAN_SMTP_SERVER`` is set, and config/ckan.ini
points ``smtp.server`` at it, so the mail the portal sends (a handled melding to its reporter, review
reminders to admins) can be read in ``var/mail/`` with any mail program. Development and demo
tooling only: in production ``smtp.server`` is a real relay (docs/deploy.md).

    python config/provision/mailsink.py --dir var/mail [--host 127.0.0.1] [--port 8025]

Runs until SIGTERM or SIGINT. Built on aiosmtpd (its ``Controller`` runs the server in a thread).
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller


class EmlWriter:
    """aiosmtpd handler: writes each message, as received, to ``directory/<time>-<id>.eml``.

    The envelope's recipients go in front as ``X-Envelope-To`` (Bcc recipients are only there).
    A file appears whole or not at all (written aside, then renamed).
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    def store(self, content: bytes, recipients: list[str]) -> Path:
        name = f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}.eml"
        envelope = "".join(f"X-Envelope-To: {recipient}\r\n" for recipient in recipients).encode("utf-8")
        partial = self.directory / f".{name}.part"
        partial.write_bytes(envelope + content)
        return partial.replace(self.directory / name)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        content = envelope.original_content or envelope.content or b""
        if isinstance(content, str):
            content = content.encode("utf-8")
        self.store(content, list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


def serve(directory: Path, host: str = "127.0.0.1", port: int = 8025) -> Controller:
    """Start the sink in a thread; ``stop()`` the returned controller to end it."""
    controller = Controller(EmlWriter(directory), hostname=host, port=port)
    controller.start()
    return controller


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", type=Path, required=True, help="where the .eml files go (e.g. var/mail)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8025)
    args = parser.parse_args(argv)

    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    try:
        controller = serve(args.dir, args.host, args.port)
    except OSError as error:
        print(f"The mail sink could not listen on {args.host}:{args.port}: {error}", file=sys.stderr)
        return 1
    print(f"Mail sink on {args.host}:{args.port}, messages in {args.dir}", flush=True)
    stopping.wait()
    controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
