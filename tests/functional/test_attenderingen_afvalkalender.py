"""Waste-collection reminders by e-mail, end to end on the real services: a calendar harvested from a
local mijnafvalwijzer-style server, a subscription for two waste types through the Action API,
confirmed through the link in a mail a real SMTP server received, and the scheduler's two steps run
at chosen moments: a mail on the evening before each collection of the chosen types, from the
reminder time on, once, and none for the other types."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import attenderingen_support
import pytest
from afvalkalender_server import running_afvalwijzer
from attenderingen_support import html_of, link, send_due, subscribe, text_of, to_whom

from ckanext.openoverheid.harvest.run_now import run_source_now
from harvesters.afvalkalender.base import amsterdam_today
from harvesters.afvalkalender.vocabulary import default_vocabulary

pytestmark = pytest.mark.usefixtures("portal", "clean_afvalkalender_redis")

sink = attenderingen_support.sink

RESIDENT = "bewoner@example.org"
ADDRESS = "3512AH 13"
TODAY = amsterdam_today()
GFT_DAY = TODAY + dt.timedelta(days=2)
RESTAFVAL_DAY = TODAY + dt.timedelta(days=3)  # not chosen
PAPIER_DAY = TODAY + dt.timedelta(days=5)  # with pmd, not chosen
BOTH_DAY = TODAY + dt.timedelta(days=7)  # gft and papier


@pytest.fixture
def calendar(api) -> Iterator[None]:
    """The calendar of ADDRESS harvested for Utrecht, with collections in the coming week; the provider
    keeps answering (an address no table holds is asked on demand, as the afvalkalender page does)."""
    with running_afvalwijzer() as provider:
        provider.answer(ADDRESS, [
            ("gft", "gft", GFT_DAY), ("restafval", "restafval", RESTAFVAL_DAY),
            ("papier", "papier", PAPIER_DAY), ("pmd", "Plastic, metaal en drankkartons", PAPIER_DAY),
            ("gft", "gft", BOTH_DAY), ("papier", "papier", BOTH_DAY),
        ])
        organization = api("organization_create", name="gemeente-utrecht", title="Gemeente Utrecht")
        source = api("harvest_source_create", name="bron-afvalkalender-utrecht", title="Afvalkalender Utrecht",
                     url=provider.url, source_type="afvalkalender", owner_org=organization["id"],
                     config=json.dumps({"gemeente": "Utrecht", "provider": "mijnafvalwijzer", "apikey": "geheim",
                                        "adressen": [ADDRESS], "postcodes": ["3500-3585"], "pause": 0,
                                        "timeout": 3}))
        summary = run_source_now(source["id"])
        assert summary.status == "Finished" and not summary.gather_errors and not summary.object_errors, summary
        yield


def evening_before(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """``hour:minute`` in Amsterdam on the day before ``day``."""
    from zoneinfo import ZoneInfo

    before = day - dt.timedelta(days=1)
    return dt.datetime(before.year, before.month, before.day, hour, minute, tzinfo=ZoneInfo("Europe/Amsterdam"))


def subscribed_and_confirmed(app, api, sink, **fields: Any) -> dict[str, Any]:
    response = subscribe(app, email=RESIDENT, soort="afvalkalender", postcode="3512 ah", huisnummer="13", **fields)
    assert response.status_code == 200, response.get_data(as_text=True)
    result = response.get_json()["result"]
    assert RESIDENT not in json.dumps(result)
    assert send_due(api)["sent"] == 1
    [confirmation] = to_whom(sink.messages(), RESIDENT)
    assert app.get(link(confirmation, "/attenderingen/bevestig/")).status_code == 200
    sink.clear()
    return result


def run_at(now: dt.datetime) -> int:
    """Both steps of the scheduler at ``now``; how many reminder mails were queued."""
    from ckanext.openoverheid.attenderingen import delivery, outbox

    queued = delivery.collect_due(now=now).mails
    outbox.send_due(now=now)
    return queued


def test_reminders_come_the_evening_before_each_collection_of_the_chosen_types_once(app, api, sink, calendar):
    labels = default_vocabulary().labels("nl")
    result = subscribed_and_confirmed(app, api, sink, soorten=["gft", "papier"])
    assert result["criteria"]["soorten"] == ["gft", "papier"]
    assert result["description"] == ("Herinnering aan het ophalen van afval op 3512 AH 13 (gft, papier), "
                                     "de avond ervoor om 19:00")

    assert run_at(evening_before(GFT_DAY, 18, 59)) == 0, "not before the reminder time"
    assert sink.messages() == []

    assert run_at(evening_before(GFT_DAY, 19, 0)) == 1
    [gft] = to_whom(sink.messages(), RESIDENT)
    assert gft["Subject"] == f"Morgen wordt opgehaald: {labels['gft']}"
    body = text_of(gft)
    from ckanext.openoverheid.afvalkalender.serialize import full_date

    assert full_date(GFT_DAY.isoformat(), "nl") in body and "3512 AH 13" in body
    assert "/afvalkalender?postcode=3512AH&huisnummer=13" in body
    assert labels["gft"] in html_of(gft)
    assert gft["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    sink.clear()

    assert run_at(evening_before(GFT_DAY, 22, 30)) == 0, "never twice for one collection"
    assert run_at(evening_before(RESTAFVAL_DAY, 20, 0)) == 0, "restafval was not chosen"
    assert sink.messages() == []

    assert run_at(evening_before(PAPIER_DAY, 19, 30)) == 1
    [papier] = sink.messages()
    assert papier["Subject"] == f"Morgen wordt opgehaald: {labels['papier']}"
    assert labels["pmd"] not in text_of(papier), "pmd on the same day was not chosen"
    sink.clear()

    assert run_at(evening_before(BOTH_DAY, 21, 0)) == 1
    [both] = sink.messages()
    assert both["Subject"].startswith("Herinnering aan het ophalen van afval op 3512 AH 13")
    assert labels["gft"] in text_of(both) and labels["papier"] in text_of(both)
    sink.clear()
    assert run_at(evening_before(BOTH_DAY, 23, 0)) == 0
    assert sink.messages() == []


def test_a_chosen_reminder_time_is_kept(app, api, sink, calendar):
    subscribed_and_confirmed(app, api, sink, soorten="gft", tijd="20:30")
    assert run_at(evening_before(GFT_DAY, 20, 29)) == 0
    assert run_at(evening_before(GFT_DAY, 20, 30)) == 1


def test_no_types_chosen_reminds_of_every_type_in_english_when_subscribed_in_english(app, api, sink, calendar):
    labels = default_vocabulary().labels("en")
    subscribed_and_confirmed(app, api, sink, locale="en")
    assert run_at(evening_before(RESTAFVAL_DAY, 19, 0)) == 1
    [restafval] = sink.messages()
    assert restafval["Subject"] == f"Collected tomorrow: {labels['restafval']}"


# (fields, the field named in the error, a part of the Dutch message): one portal checks them all
BAD_INPUT = [
    ({"postcode": "3512AH", "huisnummer": "999"}, "postcode", "geen afvalkalender"),
    ({"postcode": "9999ZZ", "huisnummer": "1"}, "postcode", "geen afvalkalender"),
    ({"postcode": "35AH", "huisnummer": "13"}, "postcode", "vier cijfers"),
    ({"postcode": "3512AH", "huisnummer": "13", "soorten": "gft,vuurwerk"}, "soorten", "Onbekende afvalsoort"),
    ({"postcode": "3512AH", "huisnummer": "13", "tijd": "morgen"}, "tijd", "UU:MM"),
]


def test_bad_input_is_a_field_error_in_dutch_and_stores_nothing(app, calendar):
    from ckan import model

    from ckanext.openoverheid.attenderingen.model import Subscriber

    for fields, field, message in BAD_INPUT:
        response = subscribe(app, email=RESIDENT, soort="afvalkalender", **fields)
        assert response.status_code == 409, fields
        assert message in " ".join(response.get_json()["error"][field])
        assert model.Session.query(Subscriber).count() == 0


def test_the_afvalkalender_page_offers_the_reminder_by_email_and_the_form_its_fields(app, calendar):
    page = app.get("/afvalkalender", query_string={"postcode": "3512AH", "huisnummer": "13",
                                                   "herinnering": "20:00"}).get_data(as_text=True)
    found = re.search(r'href="(/attenderingen\?[^"]+)"[^>]*>Herinner mij per e-mail<', page)
    assert found, "a link to the subscribe form beside the calendar links"
    query = parse_qs(urlsplit(html.unescape(found.group(1))).query)
    assert query == {"soort": ["afvalkalender"], "postcode": ["3512AH"], "huisnummer": ["13"], "tijd": ["20:00"]}

    form = app.get("/attenderingen", query_string={"soort": "afvalkalender", "postcode": "3512AH",
                                                   "huisnummer": "13", "tijd": "20:00"}).get_data(as_text=True)
    labels = default_vocabulary().labels("nl")
    assert 'name="soorten" id="soorten-gft" value="gft"' in form and labels["gft"] in form
    assert 'id="field-tijd" name="tijd" value="20:00"' in form
    assert form.count('name="tijd"') == 1
    assert 'id="soorten-kap"' not in form, "no permit kinds on the reminder's form"
