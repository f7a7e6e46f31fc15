"""`make run` shows Woo publications: each demo municipality publishes a Woo decision with its inventory,
a council proposal and a covenant, whose PDFs went through the upload and lost their author; loading
again changes nothing; every sitemap index and sitemap the demo produces validates, and every document
it points at is served without its author."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import urlparse

import pikepdf
import pytest
import woo_xsd

from ckanext.openoverheid.demo import catalogue, publicaties
from ckanext.openoverheid.valuelists import get

DEMO_ORGANISATIONS = ("gemeente-utrecht", "gemeente-zwolle", "gemeente-groningen")


def category_uris(*codes: str) -> set[str]:
    items = get("woo_informatiecategorieen").items
    return {item["uri"] for item in items if item["code"] in codes}


@pytest.mark.usefixtures("portal")
def test_the_demo_publications_are_uploaded_without_authors_and_load_once(app: Any, api: Any) -> None:
    for organisation in catalogue.demo_content()["organisaties"]:
        api("organization_create", **organisation)
    messages: list[str] = []
    first = publicaties.load(progress=messages.append)
    wanted = publicaties.demo_publications()
    assert first.created == len(wanted) and any("uploaded" in line for line in messages)

    found = api("package_search", _method="GET", fq="dataset_type:publicatie", rows=100,
                include_private=True)["results"]
    by_org: dict[str, set[str]] = {}
    for publication in found:
        by_org.setdefault(publication["organization"]["name"], set()).add(publication["informatiecategorie"])
    assert set(by_org) == set(DEMO_ORGANISATIONS)
    assert all(categories == category_uris("008", "011", "014") for categories in by_org.values())

    decision = api("package_show", _method="GET", id="woo-besluit-parkeervergunningen-binnenstad-utrecht")
    open_, partly, closed = decision["resources"]
    assert open_["access_rights"] == partly["access_rights"] == "publiek"
    assert partly["woo_redaction_grounds"] == ["5.1.2.e"]
    assert closed["access_rights"] == "niet-publiek" and closed["woo_grounds"] == ["5.2"]
    assert closed["review_date"] and closed["woo_motivation"]
    served = app.get(urlparse(open_["url"]).path)
    assert served.status_code == 200 and b"Jansen" not in served.data
    with pikepdf.open(io.BytesIO(served.data)) as pdf:
        assert "/Info" not in pdf.trailer and "/Metadata" not in pdf.Root
    assert app.get(urlparse(closed["url"]).path).status_code in (403, 404)  # uploaded, served to no outsider

    again = publicaties.load()
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(wanted))

    checked = walk_the_sitemaps(app)
    open_documents = [r for p in found for r in api("package_show", _method="GET", id=p["id"])["resources"]
                      if r["access_rights"] == "publiek"]
    assert sorted(checked) == sorted(r["url"] for r in open_documents)


def walk_the_sitemaps(app: Any) -> list[str]:
    """robots.txt -> every index -> every sitemap, each validated; every document served without an author.
    The documents' URLs."""
    robots = app.get("/robots.txt").get_data(as_text=True)
    indexes = [line.split(":", 1)[1].strip() for line in robots.splitlines() if line.startswith("Sitemap:")]
    assert len(indexes) == 3 * 3  # three organisations, three categories each
    documents = []
    for index_url in indexes:
        assert urlparse(index_url).path.rsplit("/", 1)[1].startswith("sitemapindex-diwoo-infocat")
        index = app.get(urlparse(index_url).path)
        for page_url in woo_xsd.locs(woo_xsd.assert_valid_index(index.data)):
            page = woo_xsd.assert_valid_sitemap(app.get(urlparse(page_url).path).data)
            documents += woo_xsd.locs(page)
    for url in documents:
        served = app.get(urlparse(url).path)
        assert served.status_code == 200, url
        with pikepdf.open(io.BytesIO(served.data)) as pdf:
            assert "/Info" not in pdf.trailer and "/Metadata" not in pdf.Root, url
    return documents
