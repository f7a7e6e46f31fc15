"""The mail sink of `make run` (config/provision/mailsink.py): a real SMTP server on a loopback port
that keeps every message as an .eml file. Started here as `services.sh` starts it, in its own
process, and written to through CKAN's own mailer."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from ckan.tests import factories
from smtp_sink import Sink, running_sink


@pytest.fixture
def sink(tmp_path, ckan_config, monkeypatch) -> Iterator[Sink]:
    with running_sink(tmp_path / "mail") as started:
        monkeypatch.setitem(ckan_config, "smtp.server", started.address)
        yield started


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
    changes = [text for entry in DEMO for _, text in entry[6]]
    expected = len(DEMO) + len(changes)  # a confirmation of each report, a mail for each change
    while len(sink.messages()) < expected and time.monotonic() < deadline:
        time.sleep(0.2)
    messages = sink.messages()
    assert len(messages) == expected
    assert {m["To"] for m in messages} == {DEMO_REPORTER}
    bodies = "\n".join(m.get_content() for m in messages)
    assert all(text in bodies for text in changes if text)
    assert all(m["Subject"].startswith("Uw melding ") for m in messages), "mail in the portal's language, nl"
