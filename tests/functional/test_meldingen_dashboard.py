"""The municipality's dashboard (``melding_statistics``, ``/meldingen/dashboard`` and its CSV exports):
counts that match the reports made here, times to solve computed right, no personal data, and only
for the staff of that municipality. Real PostgreSQL, Solr and Redis."""

from __future__ import annotations

import csv
import datetime
import io
import re

import meldingen_support
from meldingen_support import IN_ANDERDORP, IN_TESTDAM, create_melding, unique_email

from ckanext.openoverheid.meldingen.model import Melding, MeldingContact, MeldingFeedback
from ckanext.openoverheid.meldingen.period import percentile

municipalities = meldingen_support.municipalities

UTC = datetime.UTC


def _auth(user):
    return {"Authorization": user["token"]}


def _update(user, melding_id, status, text=None):
    import ckan.plugins.toolkit as tk

    data = {"id": melding_id, "status": status}
    if text:
        data["text"] = text
    return tk.get_action("melding_update_create")({"user": user["name"]}, data)


def _rows(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8"))))


def test_the_csv_exports_count_the_reports_made_here_and_hold_no_personal_data(app, municipalities):
    from ckan import model

    editor = municipalities.editor
    emails = [unique_email() for _ in range(5)]
    ips = [f"10.77.{n}.9" for n in range(5)]
    tiles = [create_melding(email=emails[n], _ip=ips[n], description=f"Tegel los nummer {n}",
                            address=f"Kerkstraat {n + 1}, Testdam") for n in range(3)]
    lights = [create_melding(service_code="straatverlichting", email=emails[3 + n], _ip=ips[3 + n],
                             description=f"Lamp kapot nummer {n}", address=f"Dorpsweg {n + 1}, Testdam")
              for n in range(2)]
    elsewhere = create_melding(lat=IN_ANDERDORP[0], lon=IN_ANDERDORP[1], description="Anderdorp")
    names = [f"Reporter Naam{n}" for n in range(5)]
    for melding, name in zip(tiles + lights, names, strict=True):
        model.Session.get(MeldingContact, melding["id"]).name = name
    model.Session.commit()
    _update(editor, tiles[0]["id"], "in_behandeling")
    _update(editor, tiles[1]["id"], "opgelost", "Tegel is vastgezet.")
    _update(municipalities.admin, lights[0]["id"], "afgewezen", "Dit is geen lamp van de gemeente.")
    import ckan.plugins.toolkit as tk

    tk.get_action("melding_hide")({"user": editor["name"]}, {"id": lights[1]["id"], "reason": "naam in tekst"})

    query = {"organisatie": "gemeente-testdam"}
    figures_response = app.get("/meldingen/dashboard.csv", query_string=dict(query, soort="cijfers"),
                               headers=_auth(editor))
    assert re.match(r'attachment; filename="meldingen-cijfers-gemeente-testdam-\d{4}-\d\d-\d\d-\d{4}-\d\d-\d\d\.csv"',
                    figures_response.headers["Content-Disposition"])
    figures = {row["service_code"]: row for row in _rows(figures_response)}
    assert set(figures) == {"losse-stoeptegel", "straatverlichting", ""}
    tile_row, light_row, overall = figures["losse-stoeptegel"], figures["straatverlichting"], figures[""]
    assert (tile_row["reported"], tile_row["closed"], tile_row["status_nieuw"], tile_row["status_in_behandeling"],
            tile_row["status_opgelost"]) == ("3", "1", "1", "1", "1")
    assert (light_row["reported"], light_row["closed"], light_row["status_afgewezen"], light_row["status_nieuw"]) == (
        "2", "1", "1", "1")
    assert (overall["reported"], overall["closed"], overall["category"]) == ("5", "2", "Alle categorieën")
    assert tile_row["category"] == "Losse of kapotte stoeptegel"

    reports_response = app.get("/meldingen/dashboard.csv", query_string=dict(query, soort="meldingen"),
                               headers=_auth(editor))
    reports = {int(row["id"]): row for row in _rows(reports_response)}
    assert set(reports) == {m["id"] for m in tiles + lights} and elsewhere["id"] not in reports
    assert list(_rows(reports_response)[0]) == ["id", "service_code", "category", "status", "requested", "closed",
                                                "due", "within_target", "days_to_solve", "lat", "lon", "address",
                                                "hidden"]
    assert reports[tiles[1]["id"]]["status"] == "opgelost" and reports[tiles[1]["id"]]["closed"]
    assert reports[tiles[1]["id"]]["days_to_solve"] and reports[tiles[0]["id"]]["days_to_solve"] == ""
    first = reports[tiles[0]["id"]]
    assert first["address"] == "Kerkstraat 1, Testdam" and first["hidden"] == "false"
    hidden = reports[lights[1]["id"]]
    assert hidden["hidden"] == "true" and hidden["address"] == ""
    assert float(reports[tiles[0]["id"]]["lat"]) == IN_TESTDAM[0]

    text = figures_response.get_data(as_text=True) + reports_response.get_data(as_text=True)
    user_names = [municipalities.editor["name"], municipalities.admin["name"]]
    for personal in (*emails, *ips, *names, *user_names, "Tegel los", "Lamp kapot", "Dorpsweg 2",
                     "vastgezet", "naam in tekst"):
        assert personal not in text, personal


def test_the_median_p90_target_share_and_answers_are_computed_right(app, municipalities):
    import ckan.plugins.toolkit as tk
    from ckan import model

    made = [create_melding() for _ in range(7)]
    start = datetime.datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
    days_to_solve = [1.0, 2.0, 3.0, 4.0, 10.0]
    for melding, days in zip(made, days_to_solve, strict=False):
        row = model.Session.get(Melding, melding["id"])
        row.requested, row.closed, row.status = start, start + datetime.timedelta(days=days), "opgelost"
    targets = {0: 2.0, 1: 2.0, 4: 5.0}  # closed after 1 and 2 days: in time; after 10: late; the others none
    for index in range(len(days_to_solve)):
        days = targets.get(index)
        model.Session.get(Melding, made[index]["id"]).due = start + datetime.timedelta(days=days) if days else None
    # The period is days in Amsterdam: 23:30 UTC on 9 March is 00:30 on the 10th there, 22:30 is the 9th.
    inside, outside = (model.Session.get(Melding, made[n]["id"]) for n in (5, 6))
    inside.requested = datetime.datetime(2026, 3, 9, 23, 30, tzinfo=UTC)
    outside.requested = datetime.datetime(2026, 3, 9, 22, 30, tzinfo=UTC)
    for melding, solved in ((made[0], True), (made[1], True), (made[4], False)):
        model.Session.add(MeldingFeedback(melding_id=melding["id"], service_code="losse-stoeptegel", solved=solved))
    model.Session.commit()

    result = tk.get_action("melding_statistics")(
        {"user": municipalities.editor["name"]},
        {"organization": "gemeente-testdam", "start_date": "2026-03-10", "end_date": "2026-03-31"})
    overall = result["overall"]
    assert overall["reported"] == 6 and overall["closed"] == 5
    assert overall["median_days_to_solve"] == percentile(days_to_solve, 0.5) == 3.0
    assert overall["p90_days_to_solve"] == round(percentile(days_to_solve, 0.9), 2) == 7.6
    assert (overall["closed_with_target"], overall["closed_within_target"]) == (3, 2)
    assert overall["share_within_target"] == round(2 / 3, 4)
    assert (overall["solved_yes"], overall["solved_no"]) == (2, 1)
    assert [row["service_code"] for row in result["categories"]] == ["losse-stoeptegel"]
    assert result["categories"][0]["p90_days_to_solve"] == 7.6
    assert sum(cell["count"] for cell in result["cells"]) == 6
    assert "reports" not in result

    page = app.get("/meldingen/dashboard", query_string={"van": "2026-03-10", "tot": "2026-03-31"},
                   headers=_auth(municipalities.editor)).get_data(as_text=True)
    assert "<th scope=\"col\">Mediaan dagen tot oplossing</th>" in page
    assert re.search(r'<th scope="row">Losse of kapotte stoeptegel</th>\s*<td>6</td>\s*<td>5</td>\s*<td>3,0</td>'
                     r'\s*<td>7,6</td>\s*<td>67% \(2/3\)</td>\s*<td>2</td>\s*<td>1</td>', page)
    assert 'data-meldingen-heat="' in page and "/vendor/leaflet/leaflet.js" in page
    assert 'href="/meldingen/dashboard.csv?soort=meldingen&amp;organisatie=gemeente-testdam&amp;van=2026-03-10' \
           '&amp;tot=2026-03-31"' in page


def test_only_the_staff_of_the_municipality_see_its_dashboard(app, municipalities, sysadmin):
    create_melding()
    create_melding(lat=IN_ANDERDORP[0], lon=IN_ANDERDORP[1])
    testdam = {"organisatie": "gemeente-testdam"}
    for url in ("/meldingen/dashboard", "/meldingen/dashboard.csv"):
        anonymous = app.get(url, query_string=testdam, follow_redirects=False)
        assert anonymous.status_code == 302 and "/user/login" in anonymous.headers["Location"], url
        for role in ("outsider", "member", "other_editor"):
            response = app.get(url, query_string=testdam, headers=_auth(getattr(municipalities, role)))
            assert response.status_code == 403, (url, role)
        for user in (municipalities.editor, municipalities.admin, sysadmin):
            assert app.get(url, query_string=testdam, headers=_auth(user)).status_code == 200, url
    # without a choice, an editor sees their own municipality
    own = app.get("/meldingen/dashboard", headers=_auth(municipalities.other_editor)).get_data(as_text=True)
    assert "Gemeente Anderdorp" in own
    for user in (municipalities.other_editor, municipalities.outsider):
        api = app.get("/api/3/action/melding_statistics", query_string={"organization": "gemeente-testdam"},
                      headers=_auth(user))
        assert api.status_code == 403
    # staff find it from the queue and from their organisation's page
    queue = app.get("/meldingen/beheer", query_string=testdam, headers=_auth(municipalities.editor))
    assert 'href="/meldingen/dashboard?organisatie=gemeente-testdam"' in queue.get_data(as_text=True)
    organization = app.get("/organization/gemeente-testdam", headers=_auth(municipalities.editor))
    assert 'href="/meldingen/dashboard?organisatie=gemeente-testdam"' in organization.get_data(as_text=True)
    other = app.get("/organization/gemeente-testdam", headers=_auth(municipalities.other_editor))
    assert "/meldingen/dashboard" not in other.get_data(as_text=True)


def test_bad_dates_give_a_clear_error_and_keep_what_was_typed(app, municipalities):
    editor = _auth(municipalities.editor)
    cases = [
        ({"van": "31-03-2026"}, "field-start_date", "Vul een datum in als JJJJ-MM-DD"),
        ({"tot": "2026-02-30"}, "field-end_date", "Vul een datum in als JJJJ-MM-DD"),
        ({"van": "0001-01-01"}, "field-start_date", "tussen 1900 en 2999"),
        ({"van": "2026-03-10", "tot": "2026-03-01"}, "field-end_date", "De einddatum ligt voor de begindatum"),
        ({"van": "2024-01-01", "tot": "2026-01-01"}, "field-end_date", "hoogstens 366 dagen"),
        ({"organisatie": "gemeente-onbekend\x00"}, "field-organization", "Onbekende organisatie"),
    ]
    for args, field, message in cases:
        response = app.get("/meldingen/dashboard", query_string=args, headers=editor)
        html = response.get_data(as_text=True)
        if field == "field-organization":  # an editor may not ask for an unknown municipality
            assert response.status_code == 403, args
            continue
        assert response.status_code == 400, args
        assert message in html, (args, html[:2000])
        assert f'href="#{field}"' in html and re.search(rf'id="{field}"[^>]*aria-invalid="true"', html), args
        for value in args.values():
            assert f'value="{value}"' in html, args
        exported = app.get("/meldingen/dashboard.csv", query_string=dict(args, soort="cijfers"), headers=editor)
        assert exported.status_code == 400 and message in exported.get_data(as_text=True), args
    assert app.get("/meldingen/dashboard.csv", query_string={"soort": "alles"}, headers=editor).status_code == 400
    english = app.get("/en/meldingen/dashboard", query_string={"van": "morgen"}, headers=editor)
    assert english.status_code == 400 and "Enter a date as YYYY-MM-DD" in english.get_data(as_text=True)
