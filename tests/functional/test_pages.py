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
