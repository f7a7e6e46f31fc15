"""Uploaded documents are stored and served without their metadata; a document that cannot be cleaned
is refused with a field error in the user's language, and nothing is stored. Files stored before are
cleaned by `ckan openoverheid woo strip-existing`."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from ckan.cli.cli import ckan
from ckan.lib import uploader

from ckanext.openoverheid.woo import stored

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


def test_strip_existing_cleans_files_stored_before_and_lists_what_it_cannot(api: Any, app: Any, sysadmin: dict,
                                                                           cli: Any) -> None:
    pub = publication(api)
    old, locked = (upload(app, sysadmin["token"], pub["id"], pdf_with_author()).get_json()["result"]
                   for _ in range(2))
    storage = uploader.get_resource_uploader({})
    # As stored before uploads were cleaned: the original bytes, under CKAN's storage path.
    Path(storage.get_path(old["id"])).write_bytes(pdf_with_author())
    Path(storage.get_path(locked["id"])).write_bytes(encrypted := pdf_with_author(encrypted=True))

    result = cli.invoke(ckan, ["openoverheid", "woo", "strip-existing"])
    assert result.exit_code == 0, result.output
    cleaned = Path(storage.get_path(old["id"])).read_bytes()
    assert AUTHOR.encode() not in cleaned and XMP_CREATOR.encode() not in cleaned
    assert api("resource_show", _method="GET", id=old["id"])["size"] == len(cleaned)
    assert locked["id"] in result.output and Path(storage.get_path(locked["id"])).read_bytes() == encrypted

    again = stored.strip_existing()
    assert (again.checked, again.cleaned, [rid for rid, _ in again.refused]) == (2, 0, [locked["id"]])
