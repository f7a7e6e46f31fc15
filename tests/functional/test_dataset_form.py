"""The civil servant's dataset form and the dataset page, as an editor and a visitor read them: the Woo
grounds as a grouped choice with their article text, errors named once, "public" as the default,
"back to draft" explained and never confused with "not public", and a closed dataset without an
open-data badge, its Woo box once and its dates in Dutch."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from bs4 import BeautifulSoup
from ckan import model
from ckan.tests import factories

pytestmark = pytest.mark.usefixtures("portal")

EU = "http://publications.europa.eu/resource/authority/"
MOTIVATION = "De adressen van de opvanglocaties blijven geheim om de veiligheid van de bewoners te beschermen."


def _review_date() -> datetime.date:
    return datetime.date.today() + datetime.timedelta(days=200)


@pytest.fixture
def org(api: Any) -> dict[str, Any]:
    return api("organization_create", name="gemeente-formulierdorp", title="Gemeente Formulierdorp")


@pytest.fixture
def editor(api: Any, org: dict[str, Any], log_in: Any) -> dict[str, Any]:
    """An editor of the organisation, logged in through the login form (a session cookie)."""
    password = "Formulierdorp-2026!"
    user = factories.User(password=password)
    api("organization_member_create", id=org["id"], username=user["name"], role="editor")
    log_in(user["name"], password)
    return user


@pytest.fixture
def closed(api: Any, org: dict[str, Any]) -> dict[str, Any]:
    return api("package_create", name="opvang-formulierdorp", title="Opvanglocaties Formulierdorp",
               notes="Adressen van de opvanglocaties.", owner_org=org["id"], access_rights="niet-publiek",
               woo_grounds=["5.1.2.e"], woo_motivation=MOTIVATION, review_date=_review_date().isoformat(),
               resources=[{"name": "Adressen", "url": "https://formulierdorp.nl/adressen.csv", "format": "CSV"}])


def _page(app: Any, url: str) -> BeautifulSoup:
    response = app.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def _text(element: Any) -> str:
    return " ".join(element.get_text(" ").split())


def test_the_grounds_are_three_groups_of_checkboxes_with_their_article_text(app, editor):
    page = _page(app, "/dataset/new")
    choice = page.select_one("fieldset#field-woo_grounds")
    assert _text(choice.legend) == "Weigeringsgronden (Woo)"
    groups = choice.select("fieldset.openoverheid-woo-group")
    assert [_text(group.legend) for group in groups] == [
        "Absolute gronden (art. 5.1 lid 1)",
        "Relatieve gronden (art. 5.1 lid 2)",
        "Overige gronden (art. 5.1 lid 5 en art. 5.2)",
    ]
    assert [len(group.select("input[type=checkbox]")) for group in groups] == [5, 9, 2]
    privacy = choice.select_one("input[value='5.1.2.e']")
    label = page.select_one(f"label[for='{privacy['id']}']")
    assert _text(label) == "art. 5.1.2.e Persoonlijke levenssfeer"
    summary = page.select_one(f"#{privacy['aria-describedby']}")
    assert _text(summary) == "De eerbiediging van de persoonlijke levenssfeer."
    assert "Alleen als dit belang zwaarder weegt" in _text(groups[1])


def test_a_new_dataset_is_published_by_default_and_says_what_that_means(app, editor):
    page = _page(app, "/dataset/new")
    visibility = page.select_one("select#field-private")
    assert _text(page.select_one("label[for=field-private]")) == "Publicatie"
    assert _text(visibility.select_one("option[selected]")) == "Gepubliceerd: iedereen kan deze dataset vinden"
    help_text = _text(page.select_one(f"#{visibility['aria-describedby']}"))
    assert "Openbaarheid" in help_text and "openheidsregister" in help_text
    assert "Privé" not in _text(visibility)


def test_a_rejected_closure_names_each_field_once_with_a_link_to_it(app, editor, org):
    page = _page(app, "/dataset/new")
    hidden = {field["name"]: field.get("value", "") for field in page.select("form#dataset-edit input[type=hidden]")}
    response = app.post("/dataset/new", data={
        **hidden, "name": "fout-formulierdorp", "title": "Fout Formulierdorp", "notes": "",
        "owner_org": org["id"], "license_id": "cc-zero", "metadata_language": EU + "language/NLD",
        "dataset_status": "http://data.overheid.nl/status/beschikbaar", "access_rights": "niet-publiek",
        "save": "",
    })
    assert response.status_code == 200
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    summary = page.select_one("#form-error-summary")
    assert _text(summary.h2) == "Het formulier is niet opgeslagen. Verbeter deze velden:"
    items = {_text(li.a): " ".join(li.get_text().split()) for li in summary.select("li")}
    assert items["Motivering"].startswith("Motivering: verplicht; leg in een zin uit")
    assert items["Weigeringsgronden (Woo)"].startswith("Weigeringsgronden (Woo): kies minstens één grond")
    assert items["Beschrijving"] == "Beschrijving: Ontbrekende waarde"
    links = {_text(a): a["href"] for a in summary.select("a")}
    assert links["Motivering"] == "#field-woo_motivation" and page.select_one("#field-woo_motivation") is not None
    assert links["Weigeringsgronden (Woo)"] == "#field-woo_grounds"
    motivation_group = page.select_one("#field-woo_motivation").find_parent(class_="form-group")
    under_motivation = _text(motivation_group.select_one(".error-block"))
    assert under_motivation.startswith("Verplicht; leg in een zin uit")
    assert "Motivering: Motivering" not in _text(page) and "Motivering: verplicht" not in under_motivation
    assert model.Package.get("fout-formulierdorp") is None


def test_the_edit_form_explains_back_to_draft_and_names_the_right_licences(app, editor, closed):
    page = _page(app, "/dataset/edit/opvang-formulierdorp")
    buttons = {_text(button): button for button in page.select("form#dataset-edit button[type=submit]")}
    assert "Unpublish" not in buttons and "Update Dataset" not in buttons
    draft = buttons["Terugzetten naar concept"]
    explanation = _text(page.select_one(f"#{draft['aria-describedby']}"))
    assert "verdwijnt van het portaal" in explanation and "openheidsregister" in explanation
    assert 'iets anders dan "niet openbaar"' in explanation
    assert draft["data-module"] == "openoverheid-confirm" and "concept" in draft["data-module-question"]
    assert "Wijzigingen opslaan" in buttons
    notice = _text(page.select_one(".openoverheid-licence-notice"))
    assert "CC0" in notice and "Open Database" not in _text(page.select_one(".form-actions"))


def test_a_closed_dataset_shows_its_woo_box_once_without_an_open_data_badge(app, closed):
    page = _page(app, "/dataset/opvang-formulierdorp")
    assert page.select_one("img.open-data") is None
    licence = _text(page.select_one("section.license"))
    assert "Niet openbaar" in licence and "CC0" not in licence
    assert _text(page).count(MOTIVATION) == 1
    assert _text(page).count("Persoonlijke levenssfeer") == 1
    labels = [_text(th) for th in page.select("th.dataset-label")]
    assert "Herbeoordelingsdatum" not in labels and "Openbaarheid" not in labels
    review = _review_date()
    assert review.isoformat() not in _text(page)  # the dates read as Dutch dates, in the notice
    notice = _text(page.select_one(".openoverheid-closed-notice"))
    assert str(review.year) in notice and review.isoformat() not in notice


def test_an_open_dataset_has_one_status_row_and_its_dates_in_dutch(app, api, editor, org):
    api("package_create", name="bomen-formulierdorp", title="Bomen Formulierdorp", notes="Alle bomen.",
        owner_org=org["id"], modified="2026-03-05")
    page = _page(app, "/dataset/bomen-formulierdorp")  # as the editor, who may change the dataset
    labels = [_text(th) for th in page.select("th.dataset-label")]
    assert labels.count("Status") == 1
    assert "active" not in [_text(td) for td in page.select("td.dataset-details")]
    modified = page.find("th", string="Gegevens laatst gewijzigd").find_next_sibling("td")
    assert _text(modified) == "5 maart 2026"
    assert page.select_one("img.open-data") is not None  # an open dataset keeps its badge



def test_a_draft_is_continued_as_a_new_dataset_not_put_back_again(app, api, editor, org):
    """CKAN opens a draft in the steps of a new dataset: going on through "add data" publishes it."""
    api("package_create", name="concept-formulierdorp", title="Concept Formulierdorp", notes="Nog in concept.",
        owner_org=org["id"], state="draft")
    page = _page(app, "/dataset/edit/concept-formulierdorp")
    buttons = [_text(button) for button in page.select("form#dataset-edit button[type=submit]")]
    assert "Terugzetten naar concept" not in buttons
    assert "Volgende: Data toevoegen" in buttons
