"""The alert pages as a resident uses them, without JavaScript: choose a kind, then only that kind's
fields; errors in the page's language, linked to their fields, with what was typed kept; the mail a real
SMTP server receives; "my alerts" reached through the e-mailed link, a radius changed and an alert
ended there; the "Mail me" link of the permits map. Real PostgreSQL, Redis and SMTP."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs

import attenderingen_support
import pytest
from attenderingen_support import link, send_due, to_whom
from meldingen_support import csrf_token

pytestmark = pytest.mark.usefixtures("portal")

sink = attenderingen_support.sink

RESIDENT = "buurtbewoner@example.org"
POINT = {"lat": "52.0907", "lon": "5.1214"}


def _html(response) -> str:
    return response.get_data(as_text=True)


def _post_form(app, fields: dict, prefix: str = "", page: str = "/attenderingen?soort=vergunningen"):
    """GET the page for its CSRF token, then POST the form as a browser would (repeated fields as lists)."""
    token = csrf_token(_html(app.get(prefix + page)))
    return app.post(prefix + "/attenderingen", data={"_csrf_token": token, **fields}, follow_redirects=False)


def _summary(html: str) -> list[tuple[str, str]]:
    """(link target, text) of each entry of the error summary."""
    summary = re.search(r'<div[^>]*id="foutmeldingen".*?</ul>', html, re.S)
    assert summary, "no error summary"
    return [(target, " ".join(unescape(text).split())) for target, text in
            re.findall(r'<li><a href="#([^"]+)">(.*?)</a></li>', summary.group(0), re.S)]


def test_the_first_choice_is_the_kind_and_then_only_its_fields_are_shown(app):
    start = _html(app.get("/attenderingen"))
    assert 'lang="nl"' in start and "Waarover wilt u bericht krijgen?" in start
    assert 'href="/attenderingen?soort=vergunningen"' in start
    assert 'name="postcode"' not in start and 'name="email"' not in start, "no fields before a kind is chosen"

    chosen = _html(app.get("/attenderingen?soort=vergunningen"))
    assert re.search(r'<a class="attenderingen-kind attenderingen-kind-chosen" href="[^"]*soort=vergunningen"'
                     r' aria-current="true"', chosen)
    assert '<input type="hidden" name="soort" value="vergunningen">' in chosen
    for field in ("postcode", "huisnummer", "straal", "email"):
        assert re.search(rf'<label class="form-label" for="field-{field}">', chosen), field
        assert f'id="field-{field}"' in chosen, field
    assert re.search(r'<fieldset class="mb-3" id="field-soorten"', chosen)
    assert 'name="soorten" id="soorten-kap" value="kap"' in chosen
    assert [int(m) for m in re.findall(r'<option value="(\d+)"', chosen)] == [100, 250, 500, 1000, 2000]
    assert csrf_token(chosen)
    assert 'aria-invalid' not in chosen and 'id="foutmeldingen"' not in chosen


def test_the_form_is_filled_in_from_the_link_of_another_page(app):
    html = _html(app.get("/attenderingen?soort=vergunningen&lat=52.0907&lon=5.1214&straal=250&soorten=kap,bouw"))
    assert '<input type="hidden" name="lat" value="52.0907">' in html
    assert '<input type="hidden" name="lon" value="5.1214">' in html
    assert 'name="postcode"' not in html, "the point replaces the address"
    assert re.search(r'<option value="250" selected>', html)
    assert re.search(r'id="soorten-kap" value="kap" checked', html)
    assert re.search(r'id="soorten-bouw" value="bouw" checked', html)
    assert not re.search(r'id="soorten-sloop" value="sloop" checked', html)
    # another kind keeps the place; "an address instead" drops the point
    assert "lat=52.0907" in re.search(r'href="([^"]*soort=vergunningen[^"]*)"', html).group(1)
    instead = re.search(r'<a href="([^"]+)">Een adres gebruiken</a>', html)
    assert instead and "lat=" not in instead.group(1) and "straal=250" in unescape(instead.group(1))


def test_errors_are_dutch_linked_to_their_fields_and_keep_what_was_typed(app):
    response = _post_form(app, {"soort": "vergunningen", "email": "geen-adres", "postcode": "35",
                                "huisnummer": "twaalf", "straal": "1000", "soorten": ["kap", "sloop"]})
    assert response.status_code == 400
    html = _html(response)
    summary = _summary(html)
    assert [target for target, _ in summary] == ["field-email", "field-postcode", "field-huisnummer"]
    assert "Dit is geen e-mailadres" in summary[0][1]
    assert "vier cijfers en twee letters" in summary[1][1]
    assert re.search(r'id="foutmeldingen"[^>]*autofocus|autofocus[^>]*id="foutmeldingen"', html)
    assert "Verbeter het volgende" in html and "Please correct" not in html
    for field in ("email", "postcode", "huisnummer"):
        assert re.search(rf'id="field-{field}"[^>]*aria-describedby="[^"]*fout-{field}"[^>]*aria-invalid="true"',
                         html), field
        assert f'id="fout-{field}"' in html
    assert 'value="geen-adres"' in html and 'value="35"' in html and 'value="twaalf"' in html
    assert re.search(r'<option value="1000" selected>', html)
    assert re.search(r'id="soorten-kap" value="kap" checked', html)
    assert re.search(r'id="soorten-sloop" value="sloop" checked', html)


def test_errors_are_english_on_the_english_page(app):
    response = _post_form(app, {"soort": "vergunningen", "email": "x", **POINT}, prefix="/en")
    assert response.status_code == 400
    html = _html(response)
    assert 'lang="en"' in html and "Please correct the following" in html
    assert _summary(html) == [("field-email", "This is not an e-mail address. Enter one such as naam@voorbeeld.nl.")]


def test_a_form_without_its_csrf_token_is_refused_and_stores_nothing(app):
    from ckan import model

    from ckanext.openoverheid.attenderingen.model import Subscriber

    response = app.post("/attenderingen", data={"soort": "vergunningen", "email": RESIDENT, **POINT})
    assert response.status_code == 400 and "verlopen" in _html(response)
    assert model.Session.query(Subscriber).count() == 0


def _subscribed(app, api, sink, **fields) -> None:
    response = _post_form(app, {"soort": "vergunningen", "email": RESIDENT, "straal": "250", **POINT, **fields})
    assert response.status_code == 200, _summary(_html(response))
    html = _html(response)
    assert "<h1>Kijk in uw mail</h1>" in html and 'role="status"' in html
    assert "Vergunningen binnen 250 m van 52.09070, 5.12140" in html
    assert RESIDENT not in html
    assert send_due(api)["sent"] == 1


def test_subscribing_shows_check_your_mail_and_sends_the_confirmation(app, api, sink):
    _subscribed(app, api, sink)
    [confirmation] = to_whom(sink.messages(), RESIDENT)
    page = app.get(link(confirmation, "/attenderingen/bevestig/"))
    assert page.status_code == 200 and "Uw attendering staat aan" in _html(page)


def _manage_link(app, api, sink) -> str:
    sink.clear()
    page = _html(app.get("/attenderingen/beheer"))
    response = app.post("/attenderingen/beheer", data={"_csrf_token": csrf_token(page), "email": RESIDENT})
    assert response.status_code == 200 and 'role="status"' in _html(response)
    assert send_due(api)["sent"] == 1
    [mail] = to_whom(sink.messages(), RESIDENT)
    return link(mail, "/attenderingen/beheer/")


def test_my_alerts_through_the_mailed_link_changes_the_radius_and_ends_the_alert(app, api, sink):
    from ckan import model

    from ckanext.openoverheid.attenderingen.model import Subscriber, Subscription

    _subscribed(app, api, sink, soorten=["kap"])
    [confirmation] = to_whom(sink.messages(), RESIDENT)
    app.get(link(confirmation, "/attenderingen/bevestig/"))
    manage = _manage_link(app, api, sink)

    html = _html(app.get(manage))
    assert "Vergunningen binnen 250 m van 52.09070, 5.12140 (kapvergunning)" in html
    assert "Aan: u krijgt deze mails." in html and RESIDENT not in html
    subscription_id = re.search(r'name="id" value="([^"]+)"', html).group(1)
    assert re.search(r'<option value="250" selected>', html)

    changed = app.post(manage, data={"_csrf_token": csrf_token(html), "id": subscription_id, "action": "update",
                                     "straal": "1000", "soorten_shown": "1", "soorten": ["kap", "bouw"]})
    assert changed.status_code == 200
    html = _html(changed)
    assert re.search(r'role="status">De attendering is gewijzigd', html)
    assert "Vergunningen binnen 1000 m van 52.09070, 5.12140 (bouwvergunning, kapvergunning)" in html
    model.Session.expire_all()
    assert model.Session.get(Subscription, subscription_id).criteria["straal"] == 1000

    refused = app.post(manage, data={"_csrf_token": csrf_token(html), "id": subscription_id, "action": "update",
                                     "straal": "5000"})
    assert refused.status_code == 400
    assert [target for target, _ in _summary(_html(refused))] == ["field-straal"]
    assert re.search(r'id="field-straal"[^>]*aria-describedby="fout-straal" aria-invalid="true"', _html(refused))

    ended = app.post(manage, data={"_csrf_token": csrf_token(html), "id": subscription_id, "action": "delete"})
    assert ended.status_code == 200
    assert re.search(r'role="status">De attendering is gestopt', _html(ended))
    model.Session.expire_all()
    assert model.Session.query(Subscription).count() == 0
    assert model.Session.query(Subscriber).count() == 0


def test_ending_every_alert_says_so_on_the_page_and_deletes_the_address(app, api, sink):
    from ckan import model

    from ckanext.openoverheid.attenderingen.model import Subscriber

    _subscribed(app, api, sink)
    manage = _manage_link(app, api, sink)
    html = _html(app.get(manage))
    ended = app.post(manage, data={"_csrf_token": csrf_token(html), "action": "delete_all"})
    assert ended.status_code == 200
    assert re.search(r'role="status">Al uw attenderingen zijn gestopt', _html(ended))
    model.Session.expire_all()
    assert model.Session.query(Subscriber).count() == 0


def test_the_permits_map_offers_mail_me_with_its_point_radius_and_kinds(app):
    html = _html(app.get("/vergunningen?lat=52.0907&lon=5.1214&straal=500&soort=kap&soort=bouw"))
    mail_me = re.search(r'<a class="vergunningen-mail-me" href="([^"]+)">Mail mij</a>', html)
    assert mail_me, "no Mail mij link beside the feeds"
    href = unescape(mail_me.group(1))
    path, _, query = href.partition("?")
    params = parse_qs(query)
    assert path == "/attenderingen" and params["soort"] == ["vergunningen"] and params["straal"] == ["500"]
    assert (float(params["lat"][0]), float(params["lon"][0])) == (52.0907, 5.1214)
    assert sorted(params["soorten"][0].split(",")) == ["bouw", "kap"]

    form = _html(app.get(href))
    assert re.search(r'<input type="hidden" name="lat" value="52\.0907(0*)">', form)
    assert re.search(r'id="soorten-kap" value="kap" checked', form)

    english = _html(app.get("/en/vergunningen?lat=52.0907&lon=5.1214"))
    assert re.search(r'<a class="vergunningen-mail-me" href="/en/attenderingen\?[^"]+">Mail me</a>', english)

