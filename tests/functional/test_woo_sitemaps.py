"""What the national Woo-index reads: robots.txt's Sitemap lines, the index per (organisation, category),
the sitemaps with DiWoo metadata; all validated offline (tests/woo_xsd.py), all live from the database."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pikepdf
import pytest
import woo_xsd

from ckanext.openoverheid.woo import sitemap

pytestmark = pytest.mark.usefixtures("portal")

UTRECHT = "https://identifier.overheid.nl/tooi/id/gemeente/gm0344"
WOO_VERZOEKEN = "https://identifier.overheid.nl/tooi/def/thes/kern/c_3baef532"
MOTIVATION = "De namen en adressen van omwonenden in dit document zijn persoonsgegevens van burgers."
SITE = "http://test.ckan.net"
INDEX = f"{SITE}/woo/sitemaps/gemeente-utrecht/sitemapindex-diwoo-infocat014.xml"
OPEN_URL = "https://documenten.example.org/besluit.pdf"
CLOSED_URL = "https://documenten.example.org/bijlage-met-namen.pdf"


def closed(**fields: Any) -> dict[str, Any]:
    return {"access_rights": "niet-publiek", "woo_grounds": ["5.1.2.e"], "woo_motivation": MOTIVATION,
            "review_date": (datetime.date.today() + datetime.timedelta(days=365)).isoformat(), **fields}


def publication(org: dict[str, Any], name: str = "besluit-woo-parkeren", **fields: Any) -> dict[str, Any]:
    return {"name": name, "title": "Besluit op Woo-verzoek parkeervergunningen & <bijlagen>",
            "owner_org": org["id"], "type": "publicatie", "informatiecategorie": WOO_VERZOEKEN,
            "handeling_datum": "2026-11-28", **fields}


def path(url: str) -> str:
    assert url.startswith(SITE), url
    return url.removeprefix(SITE)


def sitemap_lines(app: Any) -> list[str]:
    response = app.get("/robots.txt")
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "Disallow: /api/" in text  # CKAN's own lines stay
    return [line for line in text.splitlines() if line.startswith("Sitemap:")]


def read_sitemap(app: Any) -> Any:
    """The 014 index of gemeente-utrecht, validated, and its one sitemap page, validated."""
    index = app.get(path(INDEX))
    assert index.status_code == 200 and index.mimetype == "application/xml"
    pages = woo_xsd.locs(woo_xsd.assert_valid_index(index.data))
    assert len(pages) == 1
    page = app.get(path(pages[0]))
    assert page.status_code == 200 and page.mimetype == "application/xml"
    return woo_xsd.assert_valid_sitemap(page.data)


def test_the_index_lists_exactly_the_open_documents_and_follows_every_change(api: Any, app: Any) -> None:
    org = api("organization_create", name="gemeente-utrecht", title="Gemeente Utrecht", tooi_identifier=UTRECHT)
    pub = api("package_create", **publication(org, resources=[
        {"name": "Besluit", "url": OPEN_URL, "format": "PDF"},
        {"name": "Bijlage", "url": CLOSED_URL, "format": "PDF", **closed()},
    ]))
    besluit = pub["resources"][0]

    assert sitemap_lines(app) == [f"Sitemap: {INDEX}"]
    root = read_sitemap(app)
    assert woo_xsd.locs(root) == [OPEN_URL]
    title = root.findtext(f".//{{{woo_xsd.DIWOO_NS}}}officieleTitel")
    assert title == "Besluit op Woo-verzoek parkeervergunningen & <bijlagen>"
    lastmod = root.findtext(f"{{{woo_xsd.SITEMAP_NS}}}url/{{{woo_xsd.SITEMAP_NS}}}lastmod")

    etag = app.get(path(INDEX)).headers["ETag"]
    assert app.get(path(INDEX), headers={"If-None-Match": etag}).status_code == 304
    api("resource_patch", id=besluit["id"], description="Met handtekening.")
    assert app.get(path(INDEX), headers={"If-None-Match": etag}).status_code == 200
    changed = read_sitemap(app)
    new_lastmod = changed.findtext(f"{{{woo_xsd.SITEMAP_NS}}}url/{{{woo_xsd.SITEMAP_NS}}}lastmod")
    assert datetime.datetime.fromisoformat(new_lastmod) > datetime.datetime.fromisoformat(lastmod)

    api("resource_patch", id=besluit["id"], **closed())
    assert app.get(path(INDEX)).status_code == 404
    assert app.get("/woo/sitemaps/gemeente-utrecht/sitemap-diwoo-infocat014-1.xml").status_code == 404
    assert sitemap_lines(app) == []


def test_private_publications_and_organisations_without_tooi_identifier_have_no_index(api: Any, app: Any) -> None:
    org = api("organization_create", name="gemeente-utrecht", tooi_identifier=UTRECHT)
    nameless = api("organization_create", name="stichting-zonder-tooi")
    api("package_create", **publication(org, private=True, resources=[{"url": OPEN_URL}]))
    api("package_create", **publication(nameless, name="besluit-zonder-tooi", resources=[{"url": OPEN_URL}]))
    api("package_create", **publication(org, name="alleen-gesloten", resources=[{"url": CLOSED_URL, **closed()}]))

    assert sitemap_lines(app) == []
    assert app.get(path(INDEX)).status_code == 404
    assert app.get("/woo/sitemaps/stichting-zonder-tooi/sitemapindex-diwoo-infocat014.xml").status_code == 404
    assert app.get("/woo/sitemaps/gemeente-utrecht/sitemapindex-diwoo-infocat999.xml").status_code == 404


def a_pdf() -> bytes:
    document = pikepdf.new()
    document.add_blank_page(page_size=(200, 200))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_pages_split_at_page_size_uploads_are_listed_by_download_url_and_deleted_documents_leave(
        api: Any, app: Any, sysadmin: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sitemap, "PAGE_SIZE", 2)
    org = api("organization_create", name="gemeente-utrecht", tooi_identifier=UTRECHT)
    pub = api("package_create", **publication(org, resources=[
        {"name": "Besluit", "url": OPEN_URL}, {"name": "Brief", "url": "https://documenten.example.org/brief.pdf"}]))
    response = app.post("/api/3/action/resource_create", headers={"Authorization": sysadmin["token"]},
                        data={"package_id": pub["id"], "name": "Advies",
                              "upload": (io.BytesIO(a_pdf()), "Advies commissie.pdf")})
    upload = response.get_json()["result"]
    gone = api("package_create", **publication(org, name="ingetrokken", resources=[{"url": CLOSED_URL}]))
    api("package_delete", id=gone["id"])

    index = woo_xsd.assert_valid_index(app.get(path(INDEX)).data)
    pages = [woo_xsd.assert_valid_sitemap(app.get(path(url)).data) for url in woo_xsd.locs(index)]
    assert [len(woo_xsd.locs(page)) for page in pages] == [2, 1], [woo_xsd.locs(page) for page in pages]
    assert woo_xsd.locs(pages[0]) + woo_xsd.locs(pages[1]) == [OPEN_URL, "https://documenten.example.org/brief.pdf",
                                                               upload["url"]]
    assert upload["url"].startswith(f"{SITE}/publicatie/{pub['id']}/resource/{upload['id']}/download/")
    assert app.get("/woo/sitemaps/gemeente-utrecht/sitemap-diwoo-infocat014-3.xml").status_code == 404

    api("resource_delete", id=pub["resources"][1]["id"])
    index = woo_xsd.assert_valid_index(app.get(path(INDEX)).data)
    assert len(woo_xsd.locs(index)) == 1
    assert woo_xsd.locs(woo_xsd.assert_valid_sitemap(app.get(path(woo_xsd.locs(index)[0])).data)) == [
        OPEN_URL, upload["url"]]
