"""Follow-up with the reporter (issue 20): the confirmation mail and its personal link to add to the
report, "is it solved?" after closing (a "no" reopens it), and "my reports". Real PostgreSQL, Redis and a
real SMTP server; the links are followed from the mails the server received."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import attenderingen_support
import meldingen_support
from attenderingen_support import link, text_of, to_whom
from meldingen_support import create_melding, csrf_token, jpeg_with_gps, submit_form, unique_email

from ckanext.openoverheid.meldingen.model import Melding, MeldingContact, MeldingFeedback, utcnow

municipalities = meldingen_support.municipalities
sink = attenderingen_support.sink

NAME = "Janneke Geheimnaam"


def _form(**extra: Any) -> dict[str, Any]:
    data = {"service_code": "losse-stoeptegel", "description": "Losse tegel voor nummer 7.",
            "lat": str(meldingen_support.IN_TESTDAM[0]), "lon": str(meldingen_support.IN_TESTDAM[1])}
    data.update(extra)
    return data


def _reported(app: Any, sink: Any, email: str) -> tuple[int, Any]:
    """A melding made through the form with ``email`` and a name; its number and confirmation mail."""
    response = submit_form(app, _form(email=email, name=NAME, confirm_new="1"))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    melding_id = int(re.search(r"/meldingen/(\d+)/bevestiging", response.headers["Location"]).group(1))
    [mail] = to_whom(sink.wait_for(1), email)
    return melding_id, mail


def _post_form(app: Any, path: str, data: dict[str, Any], photo: bytes | None = None) -> Any:
    """GET ``path`` for its CSRF token, then POST ``data`` (multipart) to it."""
    page = app.get(path)
    assert page.status_code == 200
    form = {"_csrf_token": csrf_token(page.get_data(as_text=True)), **data}
    if photo is not None:
        form["photo"] = (io.BytesIO(photo), "aanvulling.jpg")
    return app.post(path, data=form, follow_redirects=False, content_type="multipart/form-data")


def _set_status(sysadmin: dict[str, Any], melding_id: int, status: str) -> None:
    import ckan.plugins.toolkit as tk

    tk.get_action("melding_update_create")({"user": sysadmin["name"]}, {"id": melding_id, "status": status})


def test_the_confirmation_mail_links_to_an_addition_with_photo_shown_without_name_or_address(
        app, municipalities, sink):
    from ckan import model

    email = unique_email()
    melding_id, mail = _reported(app, sink, email)
    body = text_of(mail)
    assert str(melding_id) in mail["Subject"] and "Losse of kapotte stoeptegel" in body
    assert f"http://test.ckan.net/meldingen/{melding_id}" in body
    contact = model.Session.get(MeldingContact, melding_id)
    assert (contact.name, contact.language) == (NAME, "nl")

    add_path = link(mail, f"/meldingen/{melding_id}/aanvullen/")
    assert app.get(add_path).status_code == 200  # opening the link changes nothing
    assert _post_form(app, add_path, {"text": ""}).status_code == 400  # neither text nor photo
    added = _post_form(app, add_path, {"text": "Er ligt nu ook een tweede tegel los."}, photo=jpeg_with_gps())
    assert added.status_code == 302

    page = app.get(f"/meldingen/{melding_id}").get_data(as_text=True)
    assert "Aanvulling van de melder" in page and "Er ligt nu ook een tweede tegel los." in page
    [update] = app.get(f"/api/3/action/melding_show?id={melding_id}").get_json()["result"]["updates"]
    assert update["by"] == "reporter" and update["photo_url"].endswith(f"/updates/{update['id']}/foto")
    photo = app.get(update["thumbnail_url"].replace("http://test.ckan.net", ""))
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg" and b"TestPhone" not in photo.data
    for public in (page, app.get(f"/api/3/action/melding_show?id={melding_id}").get_data(as_text=True),
                   app.get(f"/open311/v2/requests/{melding_id}.json").get_data(as_text=True)):
        assert email not in public and NAME not in public


def test_a_report_made_in_english_is_confirmed_in_english(app, municipalities, sink):
    email = unique_email()
    page = app.get("/en/meldingen/nieuw")
    form = {"_csrf_token": csrf_token(page.get_data(as_text=True)), **_form(email=email, confirm_new="1")}
    assert app.post("/en/meldingen/nieuw", data=form, follow_redirects=False).status_code == 302
    [mail] = to_whom(sink.wait_for(1), email)
    assert "has been received" in mail["Subject"] and "/en/meldingen/" in text_of(mail)


def test_a_forged_or_another_reports_link_is_refused_and_stores_nothing(app, municipalities, sink):
    from ckan import model

    from ckanext.openoverheid.meldingen import followup_tokens
    from ckanext.openoverheid.meldingen.followup_tokens import Purpose

    first, mail = _reported(app, sink, unique_email())
    second = create_melding(email=unique_email())["id"]
    token = link(mail, f"/meldingen/{first}/aanvullen/").rsplit("/", 1)[-1]
    for path in (f"/meldingen/{second}/aanvullen/{token}",  # another melding's link
                 f"/meldingen/{first}/aanvullen/{token[:-3]}abc",  # damaged
                 f"/meldingen/{first}/aanvullen/{followup_tokens.for_melding(Purpose.SOLVED, first)}",  # other purpose
                 f"/meldingen/{first}/opgelost/{token}"):
        assert app.get(path).status_code == 403, path
    api = app.post("/api/3/action/melding_reporter_update_create", json={"id": second, "token": token, "text": "x"})
    assert api.status_code == 403
    assert not model.Session.get(Melding, second).updates


def _asked(app: Any, sink: Any, email: str, melding_id: int, count: int) -> str:
    [question] = [m for m in to_whom(sink.wait_for(count), email) if "opgelost" in m["Subject"]][-1:]
    return link(question, f"/meldingen/{melding_id}/opgelost/")


def _closed_days_ago(melding_id: int, days: int) -> None:
    """Move the melding's closing back in time (and an earlier question before it, as it was)."""
    from ckan import model

    melding = model.Session.get(Melding, melding_id)
    melding.closed = utcnow() - dt.timedelta(days=days)
    if melding.solved_question_sent is not None:
        melding.solved_question_sent = melding.closed - dt.timedelta(days=10)
    model.Session.commit()


def test_is_it_solved_is_asked_once_after_the_delay_no_reopens_and_yes_is_counted(
        app, municipalities, sink, sysadmin):
    from ckan import model

    from ckanext.openoverheid.meldingen.jobs import run_maintenance

    email = unique_email()
    melding_id, _ = _reported(app, sink, email)
    _set_status(sysadmin, melding_id, "opgelost")  # mails the status change
    _closed_days_ago(melding_id, 2)
    assert run_maintenance(utcnow())["solved_questions"] == 0  # not yet: 3 days after closing
    _closed_days_ago(melding_id, 30)
    assert run_maintenance(utcnow())["solved_questions"] == 0  # too late to ask
    _closed_days_ago(melding_id, 4)
    assert run_maintenance(utcnow())["solved_questions"] == 1
    assert run_maintenance(utcnow())["solved_questions"] == 0  # once per closing
    answer_path = _asked(app, sink, email, melding_id, 3)

    question = app.get(answer_path)  # a mail scanner's visit answers nothing
    assert question.status_code == 200 and "Is uw melding" in question.get_data(as_text=True)
    model.Session.expire_all()
    assert model.Session.get(Melding, melding_id).status == "opgelost"
    refused = _post_form(app, answer_path, {"solved": "false"})
    assert refused.status_code == 400 and 'id="fout-comment"' in refused.get_data(as_text=True)
    assert _post_form(app, answer_path, {"solved": "false", "comment": "De tegel ligt er nog."}).status_code == 302

    model.Session.expire_all()
    melding = model.Session.get(Melding, melding_id)
    assert (melding.status, melding.closed) == ("in_behandeling", None)
    page = app.get(f"/meldingen/{melding_id}").get_data(as_text=True)
    assert "Heropend door de melder" in page and "De tegel ligt er nog." in page and email not in page
    again = app.get(answer_path).get_data(as_text=True)
    assert "al beantwoord" in again and 'name="solved"' not in again

    _set_status(sysadmin, melding_id, "opgelost")
    _closed_days_ago(melding_id, 3)
    assert run_maintenance(utcnow())["solved_questions"] == 1  # asked again, for this closing
    api = app.post("/api/3/action/melding_solved_answer",
                   json={"id": melding_id, "token": answer_path.rsplit("/", 1)[-1], "solved": True})
    assert api.status_code == 200 and api.get_json()["result"]["status"] == "opgelost"
    twice = app.post("/api/3/action/melding_solved_answer",
                     json={"id": melding_id, "token": answer_path.rsplit("/", 1)[-1], "solved": True})
    assert twice.status_code == 409 and "al beantwoord" in twice.get_data(as_text=True)
    answers = model.Session.query(MeldingFeedback).filter_by(melding_id=melding_id).order_by(MeldingFeedback.id)
    assert [(a.service_code, a.solved) for a in answers] == [("losse-stoeptegel", False), ("losse-stoeptegel", True)]


def test_my_reports_mails_a_link_listing_that_addresss_reports_only(app, municipalities, sink, sysadmin,
                                                                     reset_redis):
    import ckan.plugins.toolkit as tk

    reset_redis("*openoverheid:meldingen:my-reports*")
    email, other = unique_email(), unique_email()
    mine = create_melding(email=email, description="Mijn eerste melding.")["id"]
    hidden = create_melding(email=email.upper(), description="Verborgen tekst van mij.")["id"]
    tk.get_action("melding_hide")({"user": sysadmin["name"]}, {"id": hidden, "reason": "test"})
    theirs = create_melding(email=other, description="Iemand anders zijn melding.")["id"]
    sink.clear()

    answers = [_post_form(app, "/meldingen/mijn-meldingen", {"email": address}).get_data(as_text=True)
               for address in (email, unique_email())]  # known and unknown: the same answer
    message = "hebben we er een link naartoe gestuurd"
    assert all(message in answer for answer in answers)
    [mail] = sink.wait_for(1)
    assert mail["To"] == email
    listing = app.get(link(mail, "/meldingen/mijn-meldingen/"))
    assert listing.status_code == 200
    page = listing.get_data(as_text=True)
    assert f"/meldingen/{mine}" in page and "Niet openbaar" in page and f">{hidden}<" in page
    assert "Verborgen tekst" not in page and f"/meldingen/{theirs}" not in page and email not in page
    assert app.get("/meldingen/mijn-meldingen/nep-token").status_code == 403


def test_asking_for_my_reports_is_limited_per_address(app, municipalities, sink, reset_redis, ckan_config,
                                                      monkeypatch):
    reset_redis("*openoverheid:meldingen:my-reports*")
    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.meldingen.my_reports_rate_limit", 2)
    email = unique_email()
    statuses = [app.post("/api/3/action/melding_my_reports_request", json={"email": email},
                         environ_base={"REMOTE_ADDR": f"10.20.30.{n}"}).status_code for n in range(3)]
    assert statuses == [200, 200, 409]
    bad = _post_form(app, "/meldingen/mijn-meldingen", {"email": "geen-adres"})
    assert bad.status_code == 400 and 'id="fout-email"' in bad.get_data(as_text=True)
