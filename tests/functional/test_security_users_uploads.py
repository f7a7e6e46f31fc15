"""Upload limits end to end (issue 9, item 5): what ``tests/unit/test_meldingen_photos.py`` proves of
``clean_photo`` holds through the web form and Open311's multipart ``media``: a decompression bomb,
a file over the size limit and a file that is not a photo whatever its name (SVG with a script, HTML)
are refused with the channel's own error format, and neither a melding nor a file is stored.
Real PostgreSQL, Solr and Redis.
"""

from __future__ import annotations

import functools
import io
import json
import os
import random
from pathlib import Path
from typing import Any

import meldingen_support
import pytest
from lxml import etree
from meldingen_support import IN_TESTDAM, png, submit_form
from PIL import Image

from ckanext.openoverheid.meldingen import apikeys
from ckanext.openoverheid.meldingen.model import Melding

municipalities = meldingen_support.municipalities

SAFE = etree.XMLParser(resolve_entities=False, no_network=True)


@functools.cache
def bomb() -> bytes:
    """A PNG of under a megabyte that claims 30000 × 30000 pixels (900 million, 110 MB as a bitmap)."""
    out = io.BytesIO()
    Image.new("1", (30000, 30000)).save(out, format="PNG", optimize=True)
    assert len(out.getvalue()) < 1_000_000
    return out.getvalue()


def noise_png(side: int = 700) -> bytes:
    """A PNG that does not compress: about 1.4 MB for 700 × 700."""
    rng = random.Random(9)
    image = Image.frombytes("RGB", (side, side), bytes(rng.getrandbits(8) for _ in range(side * side * 3)))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


SVG_WITH_SCRIPT = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
                   b'<script>alert(document.cookie)</script><rect width="10" height="10"/></svg>')
HTML_PAGE = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def stored_files() -> set[str]:
    import ckan.plugins.toolkit as tk

    root = Path(tk.config.get("ckan.storage_path") or "/nonexistent") / "meldingen"
    return {str(path) for path in root.rglob("*") if path.is_file()} if root.exists() else set()


def _count() -> int:
    from ckan import model

    return model.Session.query(Melding).count()


@pytest.fixture
def key(municipalities) -> str:
    return apikeys.create("upload-app")[1]


@pytest.fixture
def small_limit(ckan_config: Any, monkeypatch: Any) -> None:
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.meldingen.photo_max_size", 1)  # megabyte


def _open311_post(app: Any, fmt: str, key: str, upload: bytes, name: str) -> Any:
    data = {"api_key": key, "service_code": "losse-stoeptegel", "lat": str(IN_TESTDAM[0]),
            "long": str(IN_TESTDAM[1]), "description": "Tegel los, met foto", "media": (io.BytesIO(upload), name)}
    return app.post(f"/open311/v2/requests.{fmt}", data=data, content_type="multipart/form-data")


def _open311_errors(response: Any, fmt: str) -> str:
    """The Open311 error list (JSON array or ``<errors>``), every item with code 400; its text."""
    assert response.status_code == 400, (response.status_code, response.get_data(as_text=True)[:300])
    if fmt == "json":
        assert response.mimetype == "application/json"
        errors = json.loads(response.get_data(as_text=True))
        assert errors and all(list(e) == ["code", "description"] and e["code"] == 400 for e in errors)
        return " ".join(e["description"] for e in errors)
    assert response.mimetype == "text/xml"
    root = etree.fromstring(response.get_data(), SAFE)
    assert root.tag == "errors" and all(e.findtext("code") == "400" for e in root)
    return " ".join(e.findtext("description") or "" for e in root)


NOT_A_PHOTO = "geen JPEG-, PNG- of WebP-foto"  # the Dutch message of PhotoError
REFUSED = [
    pytest.param(bomb, "foto.png", id="decompression-bomb"),
    pytest.param(lambda: SVG_WITH_SCRIPT, "foto.jpg", id="svg-with-script-named-jpg"),
    pytest.param(lambda: HTML_PAGE, "foto.png", id="html-named-png"),
    pytest.param(lambda: png()[:40], "foto.png", id="truncated-png"),
]


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("make, name", REFUSED)
def test_open311_refuses_what_is_no_photo_and_stores_nothing(app, municipalities, key, fmt, make, name):
    before = stored_files()
    text = _open311_errors(_open311_post(app, fmt, key, make(), name), fmt)
    assert text.startswith("media:") and NOT_A_PHOTO in text, text
    assert _count() == 0 and stored_files() == before


@pytest.mark.parametrize("make, name", REFUSED)
def test_the_web_form_refuses_what_is_no_photo_and_stores_nothing(app, municipalities, make, name):
    before = stored_files()
    form = {"service_code": "losse-stoeptegel", "description": "Tegel los, met foto", "lat": str(IN_TESTDAM[0]),
            "lon": str(IN_TESTDAM[1]), "confirm_new": "1"}
    response = submit_form(app, form, photo=make(), photo_name=name)
    assert response.status_code == 400, response.status_code
    html = response.get_data(as_text=True)
    assert NOT_A_PHOTO in html and "Tegel los, met foto" in html  # said why, and kept what was typed
    assert _count() == 0 and stored_files() == before


def test_a_photo_over_the_size_limit_is_refused_in_both_channels(app, municipalities, key, small_limit):
    big = noise_png()
    assert 1024 * 1024 < len(big) < 2 * 1024 * 1024
    before = stored_files()
    for fmt in ("json", "xml"):
        assert "1 MB" in _open311_errors(_open311_post(app, fmt, key, big, "groot.png"), fmt)
    form = {"service_code": "losse-stoeptegel", "description": "Grote foto", "lat": str(IN_TESTDAM[0]),
            "lon": str(IN_TESTDAM[1]), "confirm_new": "1"}
    assert submit_form(app, form, photo=big, photo_name="groot.png").status_code == 400
    assert _count() == 0 and stored_files() == before

    # just under the limit the same channel takes it: the limit, not the channel, refused the others
    accepted = _open311_post(app, "json", key, png((800, 600)), "klein.png")
    assert accepted.status_code == 201, accepted.get_data(as_text=True)[:300]
    assert _count() == 1 and len(stored_files() - before) == 2  # the photo and its thumbnail


def test_a_stored_photo_is_served_as_a_fresh_jpeg_whatever_was_uploaded(app, municipalities, key):
    answer = _open311_post(app, "json", key, png((300, 200)), "pagina.html")
    assert answer.status_code == 201
    request_id = json.loads(answer.get_data(as_text=True))[0]["service_request_id"]
    for suffix in ("foto", "foto/klein"):
        served = app.get(f"/meldingen/{request_id}/{suffix}")
        assert served.status_code == 200
        assert served.mimetype == "image/jpeg" and served.headers["X-Content-Type-Options"] == "nosniff"
        assert Image.open(io.BytesIO(served.data)).format == "JPEG"
    names = {os.path.basename(path) for path in stored_files()}
    assert not any("pagina" in name or name.endswith(".html") for name in names)  # never the uploader's name
