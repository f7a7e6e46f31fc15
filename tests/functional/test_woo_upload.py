"""Uploaded documents are stored and served without their metadata; a document that cannot be cleaned
is refused with a field error in the user's language, and nothing is stored."""

from __future__ import annotations

import io
from typing import Any

import pikepdf
import pytest

pytestmark = pytest.mark.usefixtures("portal")

AUTHOR = "Jan Ambtenaar"
XMP_CREATOR = "Petra Beleidsmedewerker"
WOO_VERZOEKEN = "https://identifier.overheid.nl/tooi/def/thes/kern/c_3baef532"


def pdf_with_author(encrypted: bool = False) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    pdf.docinfo["/Author"] = AUTHOR
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:creator"] = [XMP_CREATOR]
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(owner="geheim", user="geheim") if encrypted else None)
    return out.getvalue()


def publication(api: Any) -> dict[str, Any]:
    org = api("organization_create", name="gemeente-utrecht", title="Gemeente Utrecht")
    return api("package_create", name="besluit-woo-parkeren", title="Besluit op Woo-verzoek parkeervergunningen",
               owner_org=org["id"], type="publicatie", informatiecategorie=WOO_VERZOEKEN,
               handeling_datum="2026-11-28")


def upload(app: Any, token: str, package_id: str, data: bytes, prefix: str = "") -> Any:
    return app.post(f"{prefix}/api/3/action/resource_create", headers={"Authorization": token},
                    data={"package_id": package_id, "name": "Besluit",
                          "upload": (io.BytesIO(data), "besluit.pdf")})


def test_an_uploaded_pdf_is_served_without_its_author(api: Any, app: Any, sysadmin: dict) -> None:
    pub = publication(api)
    original = pdf_with_author()
    response = upload(app, sysadmin["token"], pub["id"], original)
    resource = response.get_json()["result"]
    assert resource["url_type"] == "upload" and resource["url"].endswith("/download/besluit.pdf")
    served = app.get(f"/publicatie/{pub['id']}/resource/{resource['id']}/download/besluit.pdf")
    assert served.status_code == 200
    assert AUTHOR.encode() not in served.data and XMP_CREATOR.encode() not in served.data
    assert resource["size"] == len(served.data) != len(original)
    with pikepdf.open(io.BytesIO(served.data)) as pdf:
        assert "/Info" not in pdf.trailer and "/Metadata" not in pdf.Root and len(pdf.pages) == 1


@pytest.mark.parametrize(("prefix", "expected"), [("", "versleuteld"), ("/en", "encrypted")])
def test_an_encrypted_pdf_is_refused_naming_the_field(api: Any, app: Any, sysadmin: dict, prefix: str,
                                                       expected: str) -> None:
    pub = publication(api)
    response = upload(app, sysadmin["token"], pub["id"], pdf_with_author(encrypted=True), prefix)
    body = response.get_json()
    assert response.status_code == 409 and body["success"] is False
    assert expected in body["error"]["url"][0]
    assert api("package_show", _method="GET", id=pub["id"])["resources"] == []
