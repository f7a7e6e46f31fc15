"""Alerts for new and changed datasets, end to end on the real services: an organisation's public
datasets, read from the mails a real SMTP server received; a private one is never mentioned."""

from __future__ import annotations

import re
from urllib.parse import unquote

import attenderingen_support
import pytest
from attenderingen_support import link, send_due, subscribe, text_of, to_whom

pytestmark = pytest.mark.usefixtures("portal")

sink = attenderingen_support.sink

RESIDENT = "datavolger@example.org"
NATUUR = "http://standaarden.overheid.nl/owms/terms/Natuur_en_milieu"


@pytest.fixture
def every_run(ckan_config, monkeypatch):
    """No digest wait: every run sends what is new, so "sends nothing" means nothing was new."""
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.attenderingen.digest_hours", 0)


@pytest.fixture
def organizations(api):
    return (api("organization_create", name="gemeente-utrecht", title="Gemeente Utrecht"),
            api("organization_create", name="gemeente-zeist", title="Gemeente Zeist"))


def dataset(api, name: str, organization, **fields):
    return api("package_create", name=name, title=name.replace("-", " ").capitalize(), owner_org=organization["id"],
               notes=f"Beschrijving van {name}.", **fields)


def confirmed(app, api, sink, **fields) -> None:
    response = subscribe(app, email=RESIDENT, soort="datasets", **fields)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert send_due(api)["sent"] == 1
    [confirmation] = to_whom(sink.messages(), RESIDENT)
    assert app.get(link(confirmation, "/attenderingen/bevestig/")).status_code == 200
    sink.clear()


def told_datasets(message) -> set[str]:
    return set(re.findall(r"/dataset/([a-z0-9_-]+)", text_of(message)))


def test_an_organisation_alert_names_exactly_its_new_public_datasets_and_a_change_again(
        app, api, sink, organizations, every_run):
    utrecht, zeist = organizations
    existing = dataset(api, "bestaand-utrecht", utrecht)
    confirmed(app, api, sink, organization="gemeente-utrecht")

    dataset(api, "bomen-utrecht", utrecht, theme=[NATUUR])
    dataset(api, "bomen-zeist", zeist)
    dataset(api, "prive-utrecht", utrecht, private=True)

    summary = send_due(api)
    assert (summary["mails"], summary["events"], summary["sent"]) == (1, 1, 1)
    [alert] = to_whom(sink.messages(), RESIDENT)
    assert told_datasets(alert) == {"bomen-utrecht"}
    body = text_of(alert)
    assert "Bomen utrecht" in body and "Nieuw · Gemeente Utrecht" in body
    assert "Prive utrecht" not in body
    assert alert["Subject"] == "1 nieuw: Nieuwe en gewijzigde datasets van Gemeente Utrecht"

    sink.clear()
    assert send_due(api)["mails"] == 0, "told once"

    api("package_patch", id=existing["id"], notes="Bijgewerkt.")
    api("package_patch", id="prive-utrecht", notes="Nog steeds privé.")
    summary = send_due(api)
    assert (summary["mails"], summary["events"]) == (1, 1)
    [changed] = to_whom(sink.messages(), RESIDENT)
    assert told_datasets(changed) == {"bestaand-utrecht"}
    assert "Gewijzigd · Gemeente Utrecht" in text_of(changed)


def test_a_theme_and_search_words_alert_follows_only_matching_datasets(app, api, sink, organizations, every_run):
    utrecht, zeist = organizations
    confirmed(app, api, sink, theme="natuur-en-milieu", q="bomen")
    dataset(api, "bomen-zeist", zeist, theme=[NATUUR])
    dataset(api, "bomen-utrecht", utrecht)  # no theme
    dataset(api, "vijvers-utrecht", utrecht, theme=[NATUUR])  # other words

    assert send_due(api)["mails"] == 1
    [alert] = to_whom(sink.messages(), RESIDENT)
    assert told_datasets(alert) == {"bomen-zeist"}
    assert "over Natuur en milieu" in alert["Subject"] and "bomen" in alert["Subject"]


# (fields, the field named in the error, a part of the Dutch message): one portal checks them all
BAD_CRITERIA = [
    ({"organization": "gemeente-nergens"}, "organization", "Er is hier geen organisatie gemeente-nergens"),
    ({"theme": "ruimtevaart"}, "theme", "Onbekend thema"),
    ({"q": "woord " * 50}, "q", "hoogstens 200 tekens"),
]


def test_bad_criteria_are_a_field_error_in_dutch_and_store_nothing(app, sink, organizations):
    from ckan import model

    from ckanext.openoverheid.attenderingen.model import Subscriber

    for fields, field, message in BAD_CRITERIA:
        response = subscribe(app, email=RESIDENT, soort="datasets", **fields)
        assert response.status_code == 409, fields
        assert message in " ".join(response.get_json()["error"][field])
        assert model.Session.query(Subscriber).count() == 0


def test_the_search_and_organisation_pages_offer_mail_me(app, organizations):
    search = app.get("/dataset", query_string={"q": "bomen", "organization": "gemeente-utrecht"})
    found = re.search(r'href="(/attenderingen\?[^"]*soort=datasets[^"]*)"', search.get_data(as_text=True))
    assert found
    assert set(unquote(found.group(1).replace("&amp;", "&")).split("?")[1].split("&")) == {
        "soort=datasets", "q=bomen", "organization=gemeente-utrecht"}

    with_tags = app.get("/dataset", query_string={"tags": "bomen"}).get_data(as_text=True)
    assert "soort=datasets" not in with_tags, "an alert cannot follow a tag: no link that would promise it"

    organization_page = app.get("/organization/gemeente-zeist").get_data(as_text=True)
    assert re.search(r'href="/attenderingen\?[^"]*organization=gemeente-zeist', organization_page)

    form = app.get("/attenderingen", query_string={"soort": "datasets", "organization": "gemeente-zeist"})
    assert "U meldt zich aan voor: Nieuwe en gewijzigde datasets van Gemeente Zeist" in form.get_data(as_text=True)
    html = form.get_data(as_text=True)
    assert '<select class="form-select" id="field-organization" name="organization"' in html
    assert re.search(r'<option value="gemeente-zeist"\s+selected>Gemeente Zeist</option>', html)
    assert re.search(r'<option value="natuur-en-milieu"\s*>Natuur en milieu</option>', html), "themes by name"
