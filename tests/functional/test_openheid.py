"""The openheidsregister and the review of expired closures, on the real services."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

pytestmark = pytest.mark.usefixtures("portal")

MOTIVATION = "Het openbaar maken van deze gegevens schaadt de bedrijfsvertrouwelijkheid van de leveranciers."


def _closed(api: Any, name: str, org: dict[str, Any], access_rights: str, days: int) -> dict[str, Any]:
    return api(
        "package_create",
        name=name,
        title=name.replace("-", " ").title(),
        notes="Een dataset die niet openbaar is.",
        owner_org=org["id"],
        access_rights=access_rights,
        woo_grounds=["5.1.1.c"],
        woo_motivation=MOTIVATION,
        review_date=(datetime.date.today() + datetime.timedelta(days=days)).isoformat(),
        contact=[{"name": "Team Data", "email": "data@example.nl"}],
    )


@pytest.fixture
def catalogue(api: Any) -> dict[str, Any]:
    admin = factories.User(email="beheerder@noordstad.nl")
    org = api("organization_create", name="gemeente-noordstad", title="Gemeente Noordstad",
              users=[{"name": admin["name"], "capacity": "admin"}])
    other = api("organization_create", name="gemeente-zuidstad", title="Gemeente Zuidstad")
    for index in range(3):
        api("package_create", name=f"open-data-{index}", title=f"Open data {index}", notes="Openbaar",
            owner_org=org["id"])
    api("package_create", name="open-zuid", title="Open Zuid", notes="Openbaar", owner_org=other["id"])
    soon = _closed(api, "contracten-noordstad", org, "beperkt", days=30)
    later = _closed(api, "inkoop-noordstad", org, "niet-publiek", days=700)
    return {"org": org, "other": other, "soon": soon, "later": later, "admin": admin}


def test_register_lists_closed_datasets_with_grounds_and_shares(app, catalogue):
    result = app.get("/api/3/action/openheid_register").get_json()["result"]
    assert result["count"] == 2
    by_name = {entry["name"]: entry for entry in result["datasets"]}
    assert set(by_name) == {"contracten-noordstad", "inkoop-noordstad"}
    entry = by_name["contracten-noordstad"]
    assert entry["access_rights"] == "beperkt"
    assert entry["woo_grounds"] == ["5.1.1.c"]
    assert entry["woo_motivation"] == MOTIVATION
    assert entry["closed_since"] == datetime.date.today().isoformat()
    assert entry["review_expired"] is False
    assert entry["organization"]["name"] == "gemeente-noordstad"

    shares = {org["name"]: org for org in result["organizations"]}
    assert shares["gemeente-noordstad"]["total"] == 5
    assert shares["gemeente-noordstad"]["closed"] == 2
    assert shares["gemeente-noordstad"]["share_open"] == pytest.approx(0.6)
    assert shares["gemeente-zuidstad"]["share_open"] == 1.0

    only_south = app.get("/api/3/action/openheid_register", query_string={"organization": "gemeente-zuidstad"})
    assert only_south.get_json()["result"]["count"] == 0


def test_register_as_page_and_csv(app, catalogue):
    page = app.get("/openheid")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Contracten Noordstad" in html and "5.1.1.c" in html and "60,0%" in html  # Dutch number format

    response = app.get("/openheid.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert {row["name"] for row in rows} == {"contracten-noordstad", "inkoop-noordstad"}
    assert all(row["woo_motivation"] == MOTIVATION for row in rows)


def test_expired_closure_is_flagged_once_and_admins_mailed(app, catalogue, mail_server):
    from ckanext.openoverheid.openheid import review

    day_after = datetime.date.today() + datetime.timedelta(days=31)
    summary = review.review_closures(today=day_after, mode=review.ExpiredClosure.FLAG)
    assert (summary.expired, summary.flagged, summary.reopened) == (1, 1, 0)
    messages = mail_server.get_smtp_messages()
    recipients = {address for _, _, to, _ in messages for address in to}
    assert "beheerder@noordstad.nl" in recipients  # each admin of the organisation, once
    assert len(messages) == len(recipients) == summary.mails_sent

    again = review.review_closures(today=day_after, mode=review.ExpiredClosure.FLAG)
    assert again.flagged == 1 and again.mails_sent == 0  # told once per review date
    still_closed = call_action("package_show", id="contracten-noordstad")
    assert still_closed["access_rights"] == "beperkt"


def test_expired_closure_reopened_in_open_mode(app, catalogue, mail_server):
    from ckanext.openoverheid.openheid import review

    summary = review.review_closures(
        today=datetime.date.today() + datetime.timedelta(days=31), mode=review.ExpiredClosure.OPEN
    )
    assert summary.reopened == 1 and summary.mails_sent == len(mail_server.get_smtp_messages()) >= 1
    reopened = call_action("package_show", id="contracten-noordstad")
    assert reopened["access_rights"] == "publiek"
    assert not reopened.get("woo_grounds")
    assert call_action("package_show", id="inkoop-noordstad")["access_rights"] == "niet-publiek"
    register = app.get("/api/3/action/openheid_register").get_json()["result"]
    assert [entry["name"] for entry in register["datasets"]] == ["inkoop-noordstad"]


def test_herbeoordeel_command_shows_a_summary(cli, catalogue, mail_server):
    from ckan.cli.cli import ckan

    future = (datetime.date.today() + datetime.timedelta(days=800)).isoformat()
    result = cli.invoke(ckan, ["openoverheid", "herbeoordeel", "--datum", future, "--modus", "flag"])
    assert result.exit_code == 0, result.output
    assert "2 verlopen" in result.output and "2 gemarkeerd" in result.output


def test_access_rights_changes_are_in_the_activity_stream(api, catalogue):
    api("package_patch", id="inkoop-noordstad", access_rights="publiek")
    activities = api("package_activity_list", _method="GET", id="inkoop-noordstad", include_data=True)
    states = [a["data"]["package"].get("access_rights") for a in activities]
    assert states[:2] == ["publiek", "niet-publiek"]
    assert activities[1]["data"]["package"]["woo_grounds"] == ["5.1.1.c"]
    assert all(a["user_id"] for a in activities)


def test_register_as_rss_and_atom_feeds(app, catalogue):
    from lxml import etree

    rss = app.get("/feeds/openheid.rss")
    assert rss.status_code == 200 and rss.mimetype == "application/rss+xml"
    channel = etree.fromstring(rss.get_data()).find("channel")
    items = {item.findtext("title"): item for item in channel.findall("item")}
    assert set(items) == {"Contracten Noordstad", "Inkoop Noordstad"}
    item = items["Contracten Noordstad"]
    assert MOTIVATION in item.findtext("description")
    assert "5.1.1.c" in [category.text for category in item.findall("category")]
    assert item.findtext("link").endswith("/dataset/contracten-noordstad")

    again = app.get("/feeds/openheid.rss", headers={"If-None-Match": rss.headers["ETag"]})
    assert again.status_code == 304

    atom = app.get("/feeds/openheid.atom")
    assert atom.status_code == 200 and atom.mimetype == "application/atom+xml"
    entries = etree.fromstring(atom.get_data()).findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) == 2

    page = app.get("/openheid").get_data(as_text=True)
    assert 'type="application/rss+xml"' in page and "/feeds/openheid.rss" in page


def test_register_is_itself_an_open_dataset(app, cli, catalogue):
    from ckan.cli.cli import ckan

    command = ["openoverheid", "openheidsregister-dataset", "--organisatie"]
    result = cli.invoke(ckan, [*command, "gemeente-noordstad"])
    assert result.exit_code == 0, result.output
    pkg = app.get("/api/3/action/package_show", query_string={"id": "openheidsregister"}).get_json()["result"]
    assert pkg["access_rights"] == "publiek"
    urls = {resource["format"]: resource["url"] for resource in pkg["resources"]}
    assert set(urls) == {"CSV", "JSON", "RSS", "ATOM"}
    assert urls["CSV"].endswith("/openheid.csv")
    # the distribution it points at answers with the register
    path = urls["CSV"].split("test.ckan.net", 1)[1]
    assert "contracten-noordstad" in app.get(path).get_data(as_text=True)
    assert "/dataset/openheidsregister" in app.get("/openheid").get_data(as_text=True)

    # running it again updates, never duplicates
    assert cli.invoke(ckan, [*command, "gemeente-noordstad"]).exit_code == 0
    again = app.get("/api/3/action/package_show", query_string={"id": "openheidsregister"}).get_json()["result"]
    assert [r["id"] for r in again["resources"]] == [r["id"] for r in pkg["resources"]]

    unknown = cli.invoke(ckan, [*command, "bestaat-niet"])
    assert unknown.exit_code != 0 and "bestaat niet" in unknown.output
