"""Shared set-up of the verzoeken tests: two organisations with their staff, a real SMTP server, and
helpers that ask, support and confirm through the Action API as anonymous visitors, following the
links of the mails the server received."""

from __future__ import annotations

import uuid
from typing import Any

import attenderingen_support
import meldingen_support
import pytest
from attenderingen_support import link, to_whom

municipalities = meldingen_support.municipalities
sink = attenderingen_support.sink


@pytest.fixture
def verzoeken_limits(municipalities: Any, reset_redis: Any, ckan_config: Any, monkeypatch: Any) -> Any:
    """``municipalities`` with the requests' rate-limit counters at zero and room for a test's asking."""
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.verzoeken.rate_limit", 50)
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.verzoeken.address_rate_limit", 50)
    reset_redis("*openoverheid:verzoeken:*")
    return municipalities


def unique_email(who: str = "inwoner") -> str:
    return f"{who}-{uuid.uuid4().hex[:12]}@voorbeeld.nl"


def api(app: Any, action: str, user: dict[str, Any] | None = None, **fields: Any) -> Any:
    """POST ``action`` to the Action API, anonymously or with ``user``'s token; the response."""
    headers = {"Authorization": user["token"]} if user else {}
    return app.post(f"/api/3/action/{action}", json=fields, headers=headers)


def confirm_from_mail(app: Any, sink: Any, email: str, count: int) -> Any:
    """Open the confirmation link of the newest mail to ``email`` (``count`` mails expected in all)."""
    mails = to_whom(sink.wait_for(count), email)
    assert mails, f"no mail to {email}"
    return app.get(link(mails[-1], "/verzoeken/bevestigen/"))


def confirmed_request(app: Any, sink: Any, **fields: Any) -> dict[str, Any]:
    """A request made through the API and confirmed through its mail; its public dict."""
    email = fields.pop("email", None) or unique_email()
    created = api(app, "verzoek_create", email=email, **fields)
    assert created.status_code == 200, created.get_data(as_text=True)
    before = len(sink.messages())
    assert confirm_from_mail(app, sink, email, before).status_code == 200
    return api(app, "verzoek_show", id=created.json["result"]["id"]).json["result"]
