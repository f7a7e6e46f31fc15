"""The pure parts of the alert system: back-off, signed links, and the shape of a mail."""

from __future__ import annotations

import datetime as dt

import pytest

from ckanext.openoverheid.attenderingen import compose, outbox, tokens


def test_waits_double_from_one_minute_up_to_six_hours():
    waits = [outbox.wait_after(n) for n in range(1, 12)]
    assert waits[:4] == [dt.timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert all(a <= b for a, b in zip(waits, waits[1:], strict=False))
    assert waits[-1] == dt.timedelta(hours=6)


@pytest.mark.ckan_config("SECRET_KEY", "unit-test-secret")
def test_a_token_opens_only_its_own_purpose():
    token = tokens.make(tokens.Purpose.CONFIRM, "abc")
    assert tokens.read(tokens.Purpose.CONFIRM, token) == "abc"
    with pytest.raises(tokens.TokenInvalid):
        tokens.read(tokens.Purpose.UNSUBSCRIBE, token)
    with pytest.raises(tokens.TokenInvalid):
        tokens.read(tokens.Purpose.CONFIRM, token[:-2] + "xx")
    with pytest.raises(tokens.TokenExpired):
        tokens.read(tokens.Purpose.CONFIRM, token, max_age=dt.timedelta(seconds=-1))


@pytest.mark.ckan_config("smtp.mail_from", "noreply@gemeente.example")
@pytest.mark.ckan_config("ckan.site_title", "Open Overheid")
def test_an_alert_mail_has_both_parts_and_the_one_click_headers():
    envelope = compose.Envelope(to="bewoner@example.org", subject="2 nieuw", locale="nl",
                                unsubscribe_url="https://portaal.example/attenderingen/afmelden/t",
                                manage_url="https://portaal.example/attenderingen/beheer/m")
    message = compose.build(envelope, "tekst <b>", "<p>html</p>", kind="alert", number=7)
    assert message["List-Unsubscribe"] == "<https://portaal.example/attenderingen/afmelden/t>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Content-Language"] == "nl"
    assert message["Message-ID"].startswith("<attendering-alert-7.") and "@gemeente.example>" in message["Message-ID"]
    assert message.get_body(("plain",)).get_content().strip() == "tekst <b>"
    assert message.get_body(("html",)).get_content().strip() == "<p>html</p>"


def test_a_confirmation_mail_has_no_unsubscribe_header():
    envelope = compose.Envelope(to="bewoner@example.org", subject="Bevestig", locale="en")
    message = compose.build(envelope, "text", "<p>html</p>", kind="confirm", number=1)
    assert "List-Unsubscribe" not in message and message["Content-Language"] == "en"
