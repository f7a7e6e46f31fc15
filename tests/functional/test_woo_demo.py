"""`make run` shows Woo publications: each demo municipality publishes a Woo decision with its inventory,
a council proposal and a covenant, whose PDFs went through the upload and lost their author; loading
again changes nothing."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import urlparse

import pikepdf
import pytest
from ckan.tests import factories

from ckanext.openoverheid.demo import publicaties
from ckanext.openoverheid.valuelists import get

DEMO_ORGANISATIONS = ("gemeente-utrecht", "gemeente-zwolle", "gemeente-groningen")


def category_uris(*codes: str) -> set[str]:
    items = get("woo_informatiecategorieen").items
    return {item["uri"] for item in items if item["code"] in codes}


@pytest.mark.usefixtures("portal")
def test_the_demo_publications_are_uploaded_without_authors_and_load_once(app: Any, api: Any) -> None:
    for name in DEMO_ORGANISATIONS:
        factories.Organization(name=name)
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
