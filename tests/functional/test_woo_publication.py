"""The issue's first check, end to end on real services: a publication with one open and one closed PDF,
both uploaded with an author. The open file is served without it, the closed one to nobody outside the
organisation; the category's sitemap lists exactly the open one, with valid DiWoo metadata, and
robots.txt names its index; once the open document is closed too, it leaves the sitemap; the
openheidsregister lists both closures with their grounds."""

from __future__ import annotations

import datetime
import io
import json
from typing import Any
from urllib.parse import urlparse

import pikepdf
import pytest
import woo_xsd
from lxml import etree

pytestmark = pytest.mark.usefixtures("portal")

AUTHOR = "Jan Ambtenaar"
WOO_VERZOEKEN = "https://identifier.overheid.nl/tooi/def/thes/kern/c_3baef532"
UTRECHT = "https://identifier.overheid.nl/tooi/id/gemeente/gm0344"
DIWOO = "{https://standaarden.overheid.nl/diwoo/metadata/}"
MOTIVATION = "De bijlage noemt namen en adressen van omwonenden; dat zijn persoonsgegevens van burgers."


def pdf_by(author: str, title: str) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    pdf.docinfo["/Author"] = author
    pdf.docinfo["/Title"] = title
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def closure(grounds: list[str]) -> dict[str, Any]:
    review = (datetime.date.today() + datetime.timedelta(days=400)).isoformat()
    return {"access_rights": "niet-publiek", "woo_grounds": grounds, "woo_motivation": MOTIVATION,
            "review_date": review}


def upload(app: Any, token: str, package_id: str, name: str, **fields: Any) -> dict[str, Any]:
    data = {"package_id": package_id, "name": name, "upload": (io.BytesIO(pdf_by(AUTHOR, name)), f"{name}.pdf"),
            **{key: value if isinstance(value, str) else json.dumps(value) for key, value in fields.items()}}
    response = app.post("/api/3/action/resource_create", headers={"Authorization": token}, data=data)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["result"]


def sitemap_documents(app: Any) -> list[tuple[str, etree._Element]] | None:
    """(loc, DiWoo element) of every document in the sitemaps robots.txt names; None without any."""
    robots = app.get("/robots.txt").get_data(as_text=True)
    indexes = [line.split(":", 1)[1].strip() for line in robots.splitlines() if line.startswith("Sitemap:")]
    if not indexes:
        return None
    assert [urlparse(url).path.rsplit("/", 1)[1] for url in indexes] == ["sitemapindex-diwoo-infocat014.xml"]
    found = []
    for page_url in woo_xsd.locs(woo_xsd.assert_valid_index(app.get(urlparse(indexes[0]).path).data)):
        page = woo_xsd.assert_valid_sitemap(app.get(urlparse(page_url).path).data)
        for url in page.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}url"):
            found.append((url.findtext("{http://www.sitemaps.org/schemas/sitemap/0.9}loc"),
                          url.find(f"{DIWOO}Document/{DIWOO}DiWoo")))
    return found


def test_one_open_and_one_closed_pdf_from_upload_to_sitemap_and_register(api: Any, app: Any, sysadmin: dict) -> None:
    org = api("organization_create", name="gemeente-utrecht", title="Gemeente Utrecht", tooi_identifier=UTRECHT)
    pub = api("package_create", type="publicatie", name="besluit-woo-parkeren", owner_org=org["id"],
              title="Besluit op Woo-verzoek parkeervergunningen", informatiecategorie=WOO_VERZOEKEN)
    besluit = upload(app, sysadmin["token"], pub["id"], "besluit")
    bijlage = upload(app, sysadmin["token"], pub["id"], "bijlage", **closure(["5.1.2.e"]))

    served = app.get(urlparse(besluit["url"]).path)
    assert served.status_code == 200 and AUTHOR.encode() not in served.data
    with pikepdf.open(io.BytesIO(served.data)) as pdf:
        assert "/Info" not in pdf.trailer
    page = app.get(f"/publicatie/{pub['name']}")
    assert page.status_code == 200 and "bijlage" in page.get_data(as_text=True)
    shown = api("package_show", _method="GET", _token=None, id=pub["id"])["resources"]
    assert shown[1]["url"] == "" and shown[1]["woo_grounds"] == ["5.1.2.e"]
    assert app.get(urlparse(bijlage["url"]).path).status_code == 403

    ((loc, diwoo),) = sitemap_documents(app) or []
    assert loc == besluit["url"]
    assert diwoo.find(f"{DIWOO}publisher").get("resource") == UTRECHT
    assert diwoo.findtext(f"{DIWOO}titelcollectie/{DIWOO}officieleTitel") == pub["title"]
    categorie = diwoo.find(f"{DIWOO}classificatiecollectie/{DIWOO}informatiecategorieen/{DIWOO}informatiecategorie")
    assert categorie.get("resource") == WOO_VERZOEKEN
    handeling = diwoo.find(f"{DIWOO}documenthandelingen/{DIWOO}documenthandeling")
    assert handeling.find(f"{DIWOO}soortHandeling").get("resource").endswith("/c_641ecd76")  # vaststelling
    assert handeling.findtext(f"{DIWOO}atTime").startswith(pub["metadata_created"][:10])  # no date given

    api("resource_patch", id=besluit["id"], **closure(["5.1.1.d"]))
    assert sitemap_documents(app) is None
    assert app.get(urlparse(besluit["url"]).path).status_code == 403

    register = api("openheid_register", _method="GET", _token=None)
    grounds = {entry["name"]: entry["woo_grounds"] for entry in register["documents"]}
    assert grounds == {"besluit": ["5.1.1.d"], "bijlage": ["5.1.2.e"]}
    assert all(entry["woo_motivation"] == MOTIVATION for entry in register["documents"])
