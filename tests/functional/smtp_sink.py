"""A real SMTP server for tests: config/provision/mailsink.py (aiosmtpd) in its own process on a free
loopback port, keeping every message as an .eml file. Shared by the mail sink's and the alerts' tests."""

from __future__ import annotations

import email
import email.policy
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Sink:
    address: str
    directory: Path

    def messages(self) -> list[EmailMessage]:
        return [email.message_from_bytes(path.read_bytes(), policy=email.policy.default)  # type: ignore[misc]
                for path in sorted(self.directory.glob("*.eml"))]

    def wait_for(self, count: int, seconds: float = 10) -> list[EmailMessage]:
        deadline = time.monotonic() + seconds
        while len(self.messages()) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        return self.messages()

    def clear(self) -> None:
        for path in self.directory.glob("*.eml"):
            path.unlink()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_sink(directory: Path, port: int | None = None) -> Iterator[Sink]:
    port = port or free_port()
    process = subprocess.Popen([sys.executable, str(ROOT / "config/provision/mailsink.py"), "--dir", str(directory),
                                "--host", "127.0.0.1", "--port", str(port)], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None and "Mail sink on" in process.stdout.readline()
        yield Sink(f"127.0.0.1:{port}", directory)
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
