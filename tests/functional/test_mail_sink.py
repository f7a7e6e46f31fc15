"""The mail sink of `make run` (config/provision/mailsink.py): a real SMTP server on a loopback port
that keeps every message as an .eml file. Started here as `services.sh` starts it, in its own
process, and written to through CKAN's own mailer."""

from __future__ import annotations

import email
import email.policy
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from ckan.tests import factories

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Sink:
    address: str
    directory: Path

    def messages(self) -> list[email.message.EmailMessage]:
        return [email.message_from_bytes(path.read_bytes(), policy=email.policy.default)  # type: ignore[misc]
                for path in sorted(self.directory.glob("*.eml"))]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def sink(tmp_path, ckan_config, monkeypatch) -> Iterator[Sink]:
    port = _free_port()
    directory = tmp_path / "mail"
    process = subprocess.Popen([sys.executable, str(ROOT / "config/provision/mailsink.py"), "--dir", str(directory),
                                "--host", "127.0.0.1", "--port", str(port)], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None and "Mail sink on" in process.stdout.readline()
        monkeypatch.setitem(ckan_config, "smtp.server", f"127.0.0.1:{port}")
        yield Sink(f"127.0.0.1:{port}", directory)
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0


def test_ckan_mailer_writes_an_eml_file(sink):
    from ckan.lib.mailer import mail_recipient

    mail_recipient("Inwoner", "inwoner@example.org", "Uw melding 12: opgelost", "De tegel ligt weer vast.")
    [message] = sink.messages()
    assert message["To"] == "Inwoner <inwoner@example.org>"
    assert message["Subject"] == "Uw melding 12: opgelost"
    assert message["X-Envelope-To"] == "inwoner@example.org"
    assert "De tegel ligt weer vast." in message.get_content()


@pytest.mark.usefixtures("portal")
def test_every_handled_demo_melding_mails_its_reporter(sink, ckan_config, monkeypatch):
    from ckanext.openoverheid.demo.meldingen import DEMO, DEMO_REPORTER, load_demo_meldingen

    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.meldingen.areas",
                        "gemeente-utrecht=4.97,52.02,5.20,52.14 gemeente-zwolle=5.98,52.46,6.22,52.58 "
                        "gemeente-groningen=6.45,53.15,6.75,53.28")
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.meldingen.datastore_sync", False)
    for name in ("gemeente-utrecht", "gemeente-zwolle", "gemeente-groningen"):
        factories.Organization(name=name)
    assert load_demo_meldingen() == len(DEMO)

    deadline = time.monotonic() + 10
    changes = [text for *_, updates in DEMO for _, text in updates]
    while len(sink.messages()) < len(changes) and time.monotonic() < deadline:
        time.sleep(0.2)
    messages = sink.messages()
    assert len(messages) == len(changes)
    assert {m["To"] for m in messages} == {DEMO_REPORTER}
    bodies = "\n".join(m.get_content() for m in messages)
    assert all(text in bodies for text in changes if text)
    assert all(m["Subject"].startswith("Uw melding ") for m in messages), "mail in the portal's language, nl"
