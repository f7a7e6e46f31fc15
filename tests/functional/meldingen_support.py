"""Shared set-up of the meldingen tests: two municipalities with their areas, their staff, an
outsider, photos made with Pillow (one with GPS EXIF), and small helpers to submit the web form
as a browser would (CSRF token from the page, cookies kept by the test client)."""

from __future__ import annotations

import io
import re
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from PIL import Image

# Box areas: gemeente-testdam around (52.1, 5.1), gemeente-anderdorp around (52.5, 6.1).
AREAS = "gemeente-testdam=5.00,52.00,5.20,52.20 gemeente-anderdorp=6.00,52.40,6.20,52.60"
IN_TESTDAM = (52.09065, 5.12110)
IN_ANDERDORP = (52.51250, 6.09160)
OUTSIDE = (51.44, 5.47)  # Eindhoven: no municipality of the test site

@dataclass
class Municipalities:
    testdam: dict[str, Any]
    anderdorp: dict[str, Any]
    editor: dict[str, Any]  # editor of testdam
    admin: dict[str, Any]  # admin of testdam
    member: dict[str, Any]  # plain member of testdam: may not handle
    other_editor: dict[str, Any]  # editor of anderdorp
    outsider: dict[str, Any]  # logged in, no organisation


@pytest.fixture
def municipalities(portal: None, reset_redis: Any, ckan_config: Any, monkeypatch: Any) -> Municipalities:
    """Two municipalities with areas and staff; the rate-limit counters start at zero."""
    from ckan.tests import factories

    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.meldingen.areas", AREAS)
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.meldingen.rate_limit", 10)
    # The open dataset is kept current on every change; tests of other things skip that work.
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.meldingen.datastore_sync", False)
    reset_redis("*openoverheid:meldingen:rate*")
    editor = factories.UserWithToken()
    admin = factories.UserWithToken()
    member = factories.UserWithToken()
    other_editor = factories.UserWithToken()
    outsider = factories.UserWithToken()
    testdam = factories.Organization(
        name="gemeente-testdam", title="Gemeente Testdam",
        users=[{"name": editor["name"], "capacity": "editor"}, {"name": admin["name"], "capacity": "admin"},
               {"name": member["name"], "capacity": "member"}],
    )
    anderdorp = factories.Organization(
        name="gemeente-anderdorp", title="Gemeente Anderdorp",
        users=[{"name": other_editor["name"], "capacity": "editor"}],
    )
    return Municipalities(testdam, anderdorp, editor, admin, member, other_editor, outsider)


@pytest.fixture
def with_open_data(municipalities: Municipalities, ckan_config: Any, monkeypatch: Any) -> Municipalities:
    """``municipalities``, with the open datasets kept current as in production."""
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.meldingen.datastore_sync", True)
    return municipalities


def jpeg_with_gps(size: tuple[int, int] = (1200, 900)) -> bytes:
    """A JPEG whose EXIF holds a camera model and a GPS position (as phones write them)."""
    image = Image.new("RGB", size, (30, 120, 60))
    exif = Image.Exif()
    exif[0x0110] = "TestPhone 12"  # Model
    exif[0x8825] = {1: "N", 2: (52.0, 5.0, 26.0), 3: "E", 4: (5.0, 7.0, 15.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def png(size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, (200, 0, 0, 128)).save(out, format="PNG")
    return out.getvalue()


def unique_email() -> str:
    return f"melder-{uuid.uuid4().hex[:12]}@voorbeeld.nl"


_CSRF = re.compile(r'name="_csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="_csrf_token"')


def csrf_token(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "the form has no CSRF token"
    return match.group(1) or match.group(2)


def submit_form(app: Any, data: dict[str, Any], photo: bytes | None = None, photo_name: str = "foto.jpg",
                headers: dict[str, str] | None = None, token: str | None = None) -> Any:
    """GET /meldingen/nieuw for a token, then POST the form (multipart when there is a photo)."""
    page = app.get("/meldingen/nieuw", headers=headers or {})
    assert page.status_code == 200
    form = {"_csrf_token": token if token is not None else csrf_token(page.get_data(as_text=True)), **data}
    if photo is not None:
        form["photo"] = (io.BytesIO(photo), photo_name)
    return app.post("/meldingen/nieuw", data=form, headers=headers or {}, follow_redirects=False,
                    content_type="multipart/form-data")


def create_melding(user: str | None = None, **fields: Any) -> dict[str, Any]:
    """A melding through the action (as an anonymous resident unless ``user`` is given)."""
    import ckan.plugins.toolkit as tk

    ip = fields.pop("_ip", None) or f"10.9.{uuid.uuid4().int % 250}.1"
    data = {"service_code": "losse-stoeptegel", "description": "Losse tegel bij de bakker.",
            "lat": IN_TESTDAM[0], "lon": IN_TESTDAM[1]}
    data.update(fields)
    return tk.get_action("melding_create")({"user": user, "reporter_ip": ip}, data)
