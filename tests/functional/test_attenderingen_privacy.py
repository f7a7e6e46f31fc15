"""Privacy, abuse and authorisation of the alerts, on the real services with a real SMTP server: the
confirmation limits per address and per client (API and form), the daily cap that holds alerts back
without losing them, the purge of unconfirmed subscriptions and of the address with its last
subscription, the tokens (one address's cannot touch another's, one purpose's cannot serve another),
``attendering_send_due`` for sysadmins only, and no address in any log line."""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any

import attenderingen_support
import harvest_jobs
import pytest
from attenderingen_support import link, send_due, to_whom
from meldingen_support import csrf_token

from ckanext.openoverheid.attenderingen import subscriptions, tokens
from ckanext.openoverheid.attenderingen.model import OutgoingMail, Subscriber, Subscription, utcnow

pytestmark = pytest.mark.usefixtures("portal")

sink = attenderingen_support.sink
organization = harvest_jobs.organization

POINT = {"lat": 52.0907, "lon": 5.1214}
LIMITED = "genoeg bevestigingsmails"


def _queued() -> int:
    from ckan import model

    return model.Session.query(OutgoingMail).count()


def _subscribed(app: Any, email: str, straal: int = 500, client: str = "192.0.2.1") -> Any:
    return app.post("/api/3/action/attendering_create", json={"email": email, "soort": "vergunningen",
                                                              "straal": straal, **POINT},
                    environ_base={"REMOTE_ADDR": client})


def _confirmed(app: Any, api: Any, sink: Any, email: str, straal: int = 500) -> str:
    """Subscribe and confirm through the mail; the subscription's id."""
    response = _subscribed(app, email, straal)
    assert response.status_code == 200, response.get_data(as_text=True)
    send_due(api)
    confirmation = to_whom(sink.messages(), email)[-1]
    assert app.get(link(confirmation, "/attenderingen/bevestig/")).status_code == 200
    return response.get_json()["result"]["id"]


def _manage_token(app: Any, api: Any, sink: Any, email: str) -> str:
    sink.clear()
    assert app.post("/api/3/action/attendering_manage_link", json={"email": email},
                    environ_base={"REMOTE_ADDR": "192.0.2.99"}).status_code == 200
    send_due(api)
    [mail] = to_whom(sink.messages(), email)
    return link(mail, "/attenderingen/beheer/").rsplit("/", 1)[-1]


def test_an_address_gets_at_most_three_confirmation_mails_a_day_through_the_api(app, api, sink):
    victim = "slachtoffer@example.org"
    for straal in (300, 400, 500):
        assert _subscribed(app, victim, straal).status_code == 200
    refused = _subscribed(app, victim, 600, client="192.0.2.2")  # another client: the address's limit
    assert refused.status_code == 409
    assert LIMITED in refused.get_json()["error"]["email"][0] and victim not in refused.get_data(as_text=True)
    assert _queued() == 3, "nothing queued for the refused request"
    assert send_due(api)["sent"] == 3
    assert len(to_whom(sink.messages(), victim)) == 3
    # the "my alerts" link is a mail to the address too, and counts
    again = app.post("/api/3/action/attendering_manage_link", json={"email": victim})
    assert again.status_code == 409 and _queued() == 3


def test_the_form_refuses_a_fourth_mail_to_one_address_and_an_eleventh_request_from_one_client_with_429(app, api, sink):
    form = app.get("/attenderingen", environ_base={"REMOTE_ADDR": "198.51.100.7"}).get_data(as_text=True)
    token = csrf_token(form)

    def post(email: str, straal: int) -> Any:
        return app.post("/attenderingen", environ_base={"REMOTE_ADDR": "198.51.100.7"}, data={
            "_csrf_token": token, "email": email, "soort": "vergunningen", "straal": str(straal),
            "lat": str(POINT["lat"]), "lon": str(POINT["lon"])})

    for straal in (300, 400, 500):
        assert post("doelwit@example.org", straal).status_code == 200
    fourth = post("doelwit@example.org", 600)
    assert fourth.status_code == 429 and int(fourth.headers["Retry-After"]) > 0
    assert LIMITED in fourth.get_data(as_text=True)
    for n in range(6):  # the refused request counted for the client too: a client that insists uses up its day
        assert post(f"buur{n}@example.org", 500).status_code == 200
    eleventh = post("nog-een@example.org", 500)
    assert eleventh.status_code == 429 and LIMITED in eleventh.get_data(as_text=True)
    assert _queued() == 9
    assert send_due(api)["sent"] == 9 and to_whom(sink.messages(), "nog-een@example.org") == []


def test_the_daily_cap_holds_alerts_back_and_the_next_mail_after_the_window_tells_them(
        app, api, sink, organization, ckan_config, monkeypatch):
    from test_attenderingen_vergunningen import create_source, two_near_one_far
    from vergunningen_sru_server import records_pages, running_sru_server

    from ckanext.openoverheid.attenderingen import delivery, outbox
    from ckanext.openoverheid.demo.sru_sample import sru_page_xml
    from ckanext.openoverheid.harvest.run_now import run_source_now
    from harvesters.vergunningen import parse_response

    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.attenderingen.daily_cap", 1)
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.attenderingen.digest_hours", 0)
    records, point, inside, _ = two_near_one_far()
    near = {"lat": point[0], "lon": point[1]}
    ids = []
    for straal in (500, 600):  # two subscriptions of one address: two alert mails would be due at once
        response = app.post("/api/3/action/attendering_create", json={
            "email": "druk@example.org", "soort": "vergunningen", "straal": straal, **near})
        ids.append(response.get_json()["result"]["id"])
    send_due(api)
    for confirmation in to_whom(sink.messages(), "druk@example.org"):
        assert app.get(link(confirmation, "/attenderingen/bevestig/")).status_code == 200
    sink.clear()
    with running_sru_server() as sru:
        sru.pages = records_pages(records)
        source = create_source(api, organization, sru.url)
        assert run_source_now(source["id"]).status == "Finished"
    first = send_due(api)
    assert (first["mails"], first["capped"], first["sent"]) == (1, 1, 1)
    assert send_due(api)["capped"] == 1, "held back while the window lasts"
    assert len(sink.messages()) == 1
    later = delivery.collect_due(utcnow() + dt.timedelta(hours=24, minutes=1))
    assert (later.mails, later.events, later.capped) == (1, 2, 0)
    assert outbox.send_due().sent == 1
    mails = to_whom(sink.messages(), "druk@example.org")
    assert len(mails) == 2 and {m["Subject"].split(":")[0] for m in mails} == {"2 nieuw"}
    titles = {r.identifier: r.title for r in parse_response(sru_page_xml(records, len(records))).records}
    for mail in mails:  # each subscription told of both permits, neither lost
        body = attenderingen_support.text_of(mail)
        assert all(titles[identifier] in body for identifier in inside)


def test_an_unconfirmed_subscription_and_its_address_are_purged_after_seven_days(app, api, sink):
    from ckan import model

    lonely, mixed = "vergeten@example.org", "half@example.org"
    assert _subscribed(app, lonely).status_code == 200
    _confirmed(app, api, sink, mixed, 300)
    assert _subscribed(app, mixed, 700).status_code == 200
    send_due(api)
    now = utcnow()
    assert subscriptions.purge(now + dt.timedelta(days=6))["unconfirmed"] == 0
    purged = subscriptions.purge(now + dt.timedelta(days=7, minutes=1))
    assert (purged["unconfirmed"], purged["addresses"]) == (2, 1)
    assert model.Session.query(Subscriber).filter_by(email=lonely).count() == 0
    kept = model.Session.query(Subscriber).filter_by(email=mixed).one()
    assert [s.criteria["straal"] for s in subscriptions.subscriptions_of(kept)] == [300]
    # the confirmation link of the purged one: a friendly page, nothing created
    [old] = [m for m in to_whom(sink.messages(), lonely)]
    page = app.get(link(old, "/attenderingen/bevestig/"))
    assert page.status_code == 404 and model.Session.query(Subscriber).filter_by(email=lonely).count() == 0
    # sent mails (which hold the address) are kept 30 days
    assert subscriptions.purge(now + dt.timedelta(days=29))["mails"] == 0
    assert subscriptions.purge(now + dt.timedelta(days=31))["mails"] > 0
    # ending the last subscription deletes the address, and every mail row with it
    token = _manage_token(app, api, sink, mixed)
    assert api("attendering_delete", _token=None, token=token, all=True) == {"ended": 1}
    assert model.Session.query(Subscriber).filter_by(email=mixed).count() == 0
    assert model.Session.query(OutgoingMail).filter(OutgoingMail.message.contains(mixed)).count() == 0


def test_a_manage_token_reaches_only_its_own_address_and_no_token_serves_another_purpose(app, api, sink):
    from ckan import model

    a_id = _confirmed(app, api, sink, "anna@example.org")
    b_id = _confirmed(app, api, sink, "bert@example.org", 800)
    [b_confirmation] = to_whom(sink.messages(), "bert@example.org")
    b_confirm_token = link(b_confirmation, "/attenderingen/bevestig/").rsplit("/", 1)[-1]
    a_token = _manage_token(app, api, sink, "anna@example.org")

    listed = api("attendering_list", _token=None, token=a_token)
    assert listed["address"] == "a…@example.org" and [s["id"] for s in listed["subscriptions"]] == [a_id]
    page = app.get(f"/attenderingen/beheer/{a_token}").get_data(as_text=True)
    assert "a…@example.org" in page and "anna@example.org" not in page and b_id not in page

    def answer(action: str, **data: Any) -> Any:
        return app.post(f"/api/3/action/{action}", json=data)

    own = answer("attendering_update", token=a_token, id=a_id, straal=1000)
    assert own.status_code == 200 and own.get_json()["result"]["criteria"]["straal"] == 1000
    assert answer("attendering_update", token=a_token, id=b_id, straal=2000).status_code == 404
    assert answer("attendering_delete", token=a_token, id=b_id).status_code == 404
    assert model.Session.get(Subscription, b_id).criteria["straal"] == 800

    b_unsubscribe_token = tokens.make(tokens.Purpose.UNSUBSCRIBE, b_id)  # as in B's alert mails
    for token in (b_confirm_token, b_unsubscribe_token):  # neither opens B's "my alerts"
        assert answer("attendering_list", token=token).status_code == 404
        assert answer("attendering_delete", token=token, id=b_id).status_code == 404
    assert answer("attendering_unsubscribe", token=b_confirm_token).get_json()["result"]["outcome"] == "invalid"
    assert answer("attendering_confirm", token=a_token).get_json()["result"]["outcome"] == "invalid"
    assert answer("attendering_confirm", token=b_unsubscribe_token).get_json()["result"]["outcome"] == "invalid"
    forged = a_token[:-3] + ("AAA" if not a_token.endswith("AAA") else "BBB")
    assert answer("attendering_list", token=forged).status_code == 404
    model.Session.expire_all()
    assert model.Session.get(Subscription, b_id) is not None and model.Session.get(Subscription, a_id) is not None


def test_only_sysadmins_may_send_the_due_alerts_at_once(app, api, sink):
    from ckan.tests import factories

    citizen = factories.UserWithToken()
    _subscribed(app, "wacht@example.org")
    for headers in ({}, {"Authorization": citizen["token"]}):
        response = app.post("/api/3/action/attendering_send_due", json={}, headers=headers)
        assert response.status_code == 403
    assert sink.messages() == []
    assert send_due(api)["sent"] == 1


def test_no_log_line_names_a_subscribers_address(app, api, sink, caplog, monkeypatch):
    from ckan.lib import mailer

    # test.ini's logging configuration disables the loggers that existed before it was read
    for name, logger in logging.root.manager.loggerDict.items():
        if isinstance(logger, logging.Logger) and name.startswith("ckan"):
            monkeypatch.setattr(logger, "disabled", False)
    email = "geheim.adres@example.org"
    caplog.set_level(logging.DEBUG)
    subscription_id = _confirmed(app, api, sink, email)
    token = _manage_token(app, api, sink, email)
    app.get(f"/attenderingen/beheer/{token}")
    assert _subscribed(app, email, 900).status_code == 200
    for _ in range(3):
        _subscribed(app, email, 1000)  # refused beyond the limit
    unsubscribe = tokens.make(tokens.Purpose.UNSUBSCRIBE, subscription_id)
    assert app.post(f"/attenderingen/afmelden/{unsubscribe}", data="List-Unsubscribe=One-Click",
                    content_type="application/x-www-form-urlencoded").status_code == 200
    mailer.mail_recipient("", email, "Uw melding", "Tekst")  # how the meldingen mail a reporter
    assert "Uw melding" in [mail["Subject"] for mail in to_whom(sink.messages(), email)]
    names = {record.name for record in caplog.records}
    assert {"ckanext.openoverheid.attenderingen.jobs", "ckan.lib.mailer"} <= names, names
    local = email.split("@")[0]
    for record in caplog.records:
        line = logging.Formatter("%(name)s %(message)s").format(record)
        assert local not in line, line


def test_the_queued_mail_text_is_in_no_answer(app, api, sink):
    """``OutgoingMail.message`` holds the address and the links: no action or page gives it."""
    from ckan import model

    response = _subscribed(app, "postvak@example.org")
    mail = model.Session.query(OutgoingMail).one()
    confirm_token = re.search(r"/attenderingen/bevestig/([^\s\"<>]+)", mail.message)
    assert confirm_token and "postvak@example.org" in mail.message
    for text in (response.get_data(as_text=True), app.get("/attenderingen").get_data(as_text=True),
                 str(send_due(api))):
        assert confirm_token.group(1) not in text and "postvak@example.org" not in text
