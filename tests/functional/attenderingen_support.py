"""Shared by the alert tests: a real SMTP server wired into the portal, subscribing through the Action
API as an anonymous visitor, and following the links of the mails as the subscriber would."""

from __future__ import annotations

import re
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from smtp_sink import Sink, running_sink


@pytest.fixture
def sink(tmp_path, ckan_config, monkeypatch, clean_attenderingen_redis) -> Iterator[Sink]:
    with running_sink(tmp_path / "mail") as started:
        monkeypatch.setitem(ckan_config, "smtp.server", started.address)
        # A job worker's child rebuilds the configuration, where CKAN_SMTP_SERVER (if set) wins.
        monkeypatch.setenv("CKAN_SMTP_SERVER", started.address)
        yield started


def text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None, "every mail has a plain-text part"
    return part.get_content()


def html_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None, "every mail has an HTML part"
    return part.get_content()


def link(message: EmailMessage, path: str) -> str:
    """The first link to ``path`` (e.g. ``/attenderingen/bevestig/``) in the mail's text, as a local path."""
    found = re.search(r"https?://[^\s<>\"]*" + re.escape(path) + r"[^\s<>\"]+", text_of(message))
    assert found, f"no {path} link in the mail"
    return found.group(0).replace(tk.config["ckan.site_url"], "")


def subscribe(app: Any, **fields: Any) -> Any:
    """``attendering_create`` as an anonymous API client; the response (not raised on errors)."""
    return app.post("/api/3/action/attendering_create", json=fields)


def send_due(api: Any) -> dict[str, Any]:
    return api("attendering_send_due")


def to_whom(messages: list[EmailMessage], address: str) -> list[EmailMessage]:
    return [m for m in messages if m["To"] == address]
