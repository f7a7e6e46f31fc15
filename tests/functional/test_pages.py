"""The pages residents start from, in Dutch and in English."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.usefixtures("portal")


def test_front_page_leads_to_the_tasks_people_come_for(app):
    html = app.get("/").get_data(as_text=True)
    assert 'lang="nl"' in html
    assert 'href="/dataset/"' in html
    assert 'href="/openheid"' in html
    assert "Openheidsregister" in html
    # the four things people come for, each a link to its page
    for href, title in (("/dataset/", "Datasets zoeken"), ("/vergunningen", "Vergunningen bij mij in de buurt"),
                        ("/afvalkalender", "Mijn afvalkalender"), ("/meldingen/nieuw", "Probleem melden")):
        assert f'href="{href}"' in html and title in html, title


def test_front_page_in_english(app):
    html = app.get("/en/").get_data(as_text=True)
    assert 'lang="en"' in html
    assert "Openness register" in html


def test_openness_register_page_renders(app):
    page = app.get("/openheid")
    assert page.status_code == 200
    assert "Openheidsregister" in page.get_data(as_text=True)


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("", ["Datasets", "Vergunningen", "Afvalkalender", "Meldingen", "Verzoeken", "Attenderingen", "Publicaties",
              "Organisaties", "Groepen", "Over"]),
        ("/en", ["Datasets", "Permits", "Waste calendar", "Reports", "Requests", "E-mail alerts", "Publications",
                 "Organizations", "Groups", "About"]),
    ],
)
def test_main_menu_leads_to_every_feature_and_marks_the_current_one(app, prefix, expected):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(app.get(prefix + "/meldingen").get_data(as_text=True), "html.parser")
    menu = soup.find("nav", class_="openoverheid-nav")
    assert [link.get_text(strip=True) for link in menu.find_all("a")] == expected
    current = [item.get_text(strip=True) for item in menu.find_all("li", class_="active")]
    assert current == [expected[3]]
    assert menu.find("a", string=expected[1])["href"] == prefix + "/vergunningen"
