"""The mail queue against a real SMTP server (aiosmtpd, in this process) that refuses one recipient for
good: that mail fails alone, at once, and the others are sent in the same run."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from attenderingen_support import subscribe
from smtp_sink import free_port

pytestmark = pytest.mark.usefixtures("portal", "clean_attenderingen_redis")

REFUSED = "bestaat-niet@example.org"


class RefusesOneRecipient:
    def __init__(self) -> None:
        self.delivered: list[list[str]] = []

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:  # noqa: N802
        if address == REFUSED:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.delivered.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


@pytest.fixture
def refusing_server(ckan_config, monkeypatch) -> Iterator[RefusesOneRecipient]:
    handler = RefusesOneRecipient()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(ckan_config, "smtp.server", f"127.0.0.1:{port}")
    try:
        yield handler
    finally:
        controller.stop()


def test_a_refused_recipient_fails_its_mail_alone_and_the_others_are_sent(app, refusing_server):
    from ckan import model

    from ckanext.openoverheid.attenderingen import outbox
    from ckanext.openoverheid.attenderingen.model import MailStatus, OutgoingMail

    for address in (REFUSED, "buur@example.org", "overbuur@example.org"):
        assert subscribe(app, email=address, soort="vergunningen", lat=52.09, lon=5.12).status_code == 200

    summary = outbox.send_due()
    assert (summary.sent, summary.failed, summary.postponed) == (2, 1, 0)
    assert sorted(r[0] for r in refusing_server.delivered) == ["buur@example.org", "overbuur@example.org"]
    statuses = sorted(mail.status for mail in model.Session.query(OutgoingMail))
    assert statuses == sorted([MailStatus.FAILED, MailStatus.SENT, MailStatus.SENT])
    assert outbox.send_due().sent == 0, "a failed mail is not tried again"


