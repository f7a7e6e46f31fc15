"""The civil servant's journey: an editor of a municipality publishes a dataset that is not public,
with its Woo grounds, in a real browser, on a desktop and on a phone; asserted on what they see."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from ckan.tests import factories
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.ckan_config("ckan.dataset.create_on_ui_requires_resources", "false")]

PASSWORD = "Ambtenaar-Testerdam-2026!"
MOTIVATION = "De adressen van de opvanglocaties blijven geheim om de veiligheid van de bewoners te beschermen."
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def civil_servant(api: Any) -> dict[str, Any]:
    org = api("organization_create", name="gemeente-testerdam", title="Gemeente Testerdam")
    user = factories.User(password=PASSWORD, fullname="Anna Ambtenaar")
    api("organization_member_create", id=org["id"], username=user["name"], role="editor")
    return user


def _log_in(page: Any, user: dict[str, Any]) -> None:
    page.goto("/user/login")
    page.locator("#field-login").fill(user["name"])
    page.locator("#field-password").fill(PASSWORD)
    page.locator("#field-password").press("Enter")
    page.wait_for_url("**/dashboard/**")


# what sticks out on the right, for the failure message
WIDE = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 8)
  .map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + Math.round(e.getBoundingClientRect().right))"""


def _fits_the_screen(page: Any) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_publish_a_dataset_that_is_not_public(page, civil_servant, assert_accessible):
    _log_in(page, civil_servant)
    page.goto("/dataset/new")

    # public by default, in words that are not the words of "Openbaarheid"
    publication = page.get_by_label("Publicatie")
    published = "Gepubliceerd: iedereen kan deze dataset vinden"
    assert publication.locator("option:checked").inner_text() == published
    assert page.get_by_text("Of de gegevens openbaar zijn, kiest u hieronder bij Openbaarheid").is_visible()
    # a label is a name, without a stray colon after it
    assert page.evaluate(
        "() => getComputedStyle(document.querySelector('label[for=field-title]'), '::after').content"
    ) in ("none", "normal")
    assert_accessible(page)

    page.locator("#field-title").fill("Opvanglocaties Testerdam")
    page.locator("#field-notes").fill("Adressen van de opvanglocaties in Testerdam.")
    page.get_by_label("Openbaarheid").select_option(label="Niet openbaar")

    # the grounds: three groups, each ground with its article and what it protects
    absolute = page.get_by_role("group", name="Absolute gronden (art. 5.1 lid 1)")
    relative = page.get_by_role("group", name="Relatieve gronden (art. 5.1 lid 2)")
    assert absolute.is_visible() and relative.is_visible()
    assert page.get_by_role("group", name="Overige gronden (art. 5.1 lid 5 en art. 5.2)").is_visible()
    privacy = relative.get_by_role("checkbox", name="art. 5.1.2.e Persoonlijke levenssfeer")
    assert relative.get_by_text("De eerbiediging van de persoonlijke levenssfeer.").is_visible()
    box = privacy.bounding_box()
    assert box["width"] >= 16 and box["height"] >= 16, box  # a checkbox one can see, not a 2 px line
    privacy.check()
    assert privacy.is_checked()
    assert absolute.get_by_role("checkbox", checked=True).count() == 0

    # sent without a motivation or a review date: the focus lands on the summary, each message once
    page.get_by_role("button", name="Volgende: Data toevoegen").click()
    page.wait_for_load_state()
    summary = page.locator("#form-error-summary")
    # the page's script moves the focus once it has loaded: wait for it rather than race it
    expect(summary).to_be_focused()
    assert "Het formulier is niet opgeslagen" in summary.inner_text()
    assert "Motivering: verplicht; leg in een zin uit" in summary.inner_text()
    assert "Motivering: Motivering" not in page.locator("body").inner_text()
    under_motivation = page.locator(".form-group:has(#field-woo_motivation) .error-block")
    assert under_motivation.inner_text().startswith("Verplicht; leg in een zin uit")
    # and a screen reader on the field hears the same message, with the field marked invalid
    motivation = page.get_by_label("Motivering")
    assert motivation.get_attribute("aria-invalid") == "true"
    described = " ".join(page.locator(f"[id='{ref}']").inner_text() for ref in motivation.get_attribute(
        "aria-describedby").split())
    assert "Verplicht; leg in een zin uit" in described
    assert page.get_by_role("checkbox", name="art. 5.1.2.e Persoonlijke levenssfeer").is_checked()  # kept
    assert_accessible(page)
    summary.get_by_role("link", name="Motivering").click()
    expect(page.locator("#field-woo_motivation")).to_be_focused()

    page.get_by_label("Motivering").fill(MOTIVATION)
    review = datetime.date.today() + datetime.timedelta(days=365)
    page.get_by_label("Herbeoordelingsdatum").fill(review.isoformat())
    page.get_by_role("button", name="Volgende: Data toevoegen").click()
    # (a dataset without files is allowed here: its data is not public anyway)
    page.wait_for_url("**/dataset/opvanglocaties-testerdam")

    # the dataset page: the grounds once, no licence or open-data badge, the review date in Dutch
    assert page.get_by_role("heading", level=1, name="Opvanglocaties Testerdam").is_visible()
    notice = page.locator(".openoverheid-closed-notice")
    assert "Persoonlijke levenssfeer" in notice.inner_text() and MOTIVATION in notice.inner_text()
    assert page.get_by_text(MOTIVATION).count() == 1
    assert page.get_by_text("Persoonlijke levenssfeer").count() == 1
    assert page.locator("img.open-data").count() == 0
    assert "Niet openbaar" in page.locator("section.license").inner_text()
    assert review.isoformat() not in page.locator("[role=main], main").first.inner_text()
    assert_accessible(page)

    # and the openheidsregister lists it
    page.goto("/openheid")
    assert page.get_by_role("link", name="Opvanglocaties Testerdam").is_visible()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_form_and_the_page_fit_and_pass_axe(page, api, civil_servant, assert_accessible, viewport):
    org = api("organization_show", id="gemeente-testerdam")
    api("package_create", name="opvang-testerdam", title="Opvanglocaties Testerdam", notes="Adressen.",
        owner_org=org["id"], access_rights="niet-publiek", woo_grounds=["5.1.2.e", "5.1.2.h"],
        woo_motivation=MOTIVATION, review_date=(datetime.date.today() + datetime.timedelta(days=365)).isoformat())
    page.set_viewport_size(viewport)
    _log_in(page, civil_servant)
    for path in ("/dataset/new", "/dataset/edit/opvang-testerdam", "/dataset/opvang-testerdam"):
        page.goto(path)
        assert _fits_the_screen(page), (path, viewport, page.evaluate(WIDE))
        assert_accessible(page)
    # on the edit form the draft button explains itself and asks first
    page.goto("/dataset/edit/opvang-testerdam")
    draft = page.get_by_role("button", name="Terugzetten naar concept")
    assert draft.is_visible()
    assert page.get_by_text('Dat is iets anders dan "niet openbaar"').is_visible()
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    draft.click()
    for _ in range(50):  # the dialog event arrives through Playwright's event loop
        if questions:
            break
        page.wait_for_timeout(100)
    assert questions and "concept" in questions[0]
    assert page.url.endswith("/dataset/edit/opvang-testerdam")  # dismissed: nothing happened
