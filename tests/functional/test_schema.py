"""The DCAT-AP-DONL schema and the "open, tenzij" rules, through the Action API and the web form, on the
real services (schemas/dataset.yaml, logic/validators.py, openheid/logic/validators.py, openheid/policy.py,
valuelists.py)."""

from __future__ import annotations

import datetime
import logging
from typing import Any

import ckanapi
import pytest
from bs4 import BeautifulSoup
from ckan import model
from ckan.tests import factories

pytestmark = pytest.mark.usefixtures("portal")

EU = "http://publications.europa.eu/resource/authority/"
OWMS = "http://standaarden.overheid.nl/owms/terms/"
MOTIVATION = (
    "De dataset bevat de adressen van opvanglocaties voor dak- en thuislozen; openbaarmaking brengt "
    "de veiligheid van bewoners en medewerkers in gevaar."
)


def _in_days(days: int) -> str:
    return (datetime.date.today() + datetime.timedelta(days=days)).isoformat()


def _today() -> str:
    return datetime.date.today().isoformat()


@pytest.fixture
def org(api: Any) -> dict[str, Any]:
    return api("organization_create", name="gemeente-schemadorp", title="Gemeente Schemadorp")


@pytest.fixture
def validator_log(caplog: pytest.LogCaptureFixture):
    """Warnings of our validators. CKAN's test set-up loads test.ini's logging config after our modules
    are imported, which disables their loggers (fileConfig's disable_existing_loggers); re-enable ours."""
    logger = logging.getLogger("ckanext.openoverheid.openheid.logic.validators")
    was_disabled, logger.disabled = logger.disabled, False
    with caplog.at_level(logging.WARNING, logger=logger.name):
        yield caplog
    logger.disabled = was_disabled


@pytest.fixture
def refuse(app: Any, sysadmin: dict[str, Any]):
    """Call an action that must fail validation; returns the error dict of the HTTP 409 answer."""

    def call(action: str, **data: Any) -> dict[str, Any]:
        response = app.post(f"/api/3/action/{action}", json=data, headers={"Authorization": sysadmin["token"]})
        body = response.get_json()
        assert response.status_code == 409 and body["success"] is False, body
        assert body["error"]["__type"] == "Validation Error", body
        return body["error"]

    return call


def _closed(org: dict[str, Any], name: str = "opvanglocaties-schemadorp", **extra: Any) -> dict[str, Any]:
    return dict(
        name=name,
        title="Opvanglocaties Schemadorp",
        notes="Locaties van de nachtopvang en de 24-uursopvang.",
        owner_org=org["id"],
        access_rights="niet-publiek",
        woo_grounds=["5.1.2.h", "5.1.2.e"],
        woo_motivation=MOTIVATION,
        review_date=_in_days(400),
        resources=[{"url": "https://data.schemadorp.nl/geheim/opvang.csv", "format": "csv", "name": "Opvang"}],
        **extra,
    )


# --- the fields and their value lists ----------------------------------------------------------------


def test_a_public_dataset_with_every_field_reads_back_as_sent(api, org):
    sent = dict(
        name="afvalinzameling-schemadorp-2026",
        title="Afvalinzameling Schemadorp 2026",
        notes="Ophaaldagen per straat.",
        owner_org=org["id"],
        identifier="https://data.schemadorp.nl/id/dataset/afvalinzameling-2026",
        tag_string="afval,inzameling",
        contact=[{"name": "Team Open Data", "email": "opendata@schemadorp.nl", "url": "https://schemadorp.nl/open"}],
        license_id="cc-by",
        theme=[OWMS + "Natuur_en_milieu", OWMS + "Bestuur"],
        language=[EU + "language/NLD", EU + "language/FRY"],
        metadata_language=EU + "language/ENG",
        modified="2026-10-01",
        frequency=EU + "frequency/WEEKLY",
        temporal_coverage=[{"start": "2026-01-01", "end": "2026-12-31"}],
        spatial_coverage=[{"text": "Schemadorp", "uri": "https://identifier.overheid.nl/tooi/id/gemeente/gm9999",
                           "bbox": "POLYGON((4.9 52.0, 5.2 52.0, 5.2 52.2, 4.9 52.2, 4.9 52.0))",
                           "centroid": '{"type": "Point", "coordinates": [5.05, 52.1]}'}],
        dataset_status="http://data.overheid.nl/status/in_onderzoek",
        access_rights="publiek",
        resources=[{"url": "https://data.schemadorp.nl/afval.csv", "name": "Ophaaldagen", "description": "Per straat",
                    "format": "text/csv", "license": "cc-zero", "size": 12345, "mimetype": "Text/CSV"}],
    )
    created = api("package_create", **sent)
    shown = api("package_show", _method="GET", id=created["id"])
    for key in ("identifier", "license_id", "metadata_language", "modified", "frequency", "dataset_status",
                "access_rights", "temporal_coverage"):
        assert shown[key] == sent[key], key
    assert shown["contact"] == sent["contact"]
    assert shown["spatial_coverage"] == sent["spatial_coverage"]
    assert shown["theme"] == [OWMS + "Bestuur", OWMS + "Natuur_en_milieu"]  # in value-list order
    assert shown["language"] == sent["language"]
    assert sorted(tag["name"] for tag in shown["tags"]) == ["afval", "inzameling"]
    assert shown["license_title"] == "CC BY 4.0 (naamsvermelding)"  # CKAN's licence register is our list
    assert shown["license_url"] == "http://creativecommons.org/licenses/by/4.0/deed.nl"
    resource = shown["resources"][0]
    assert (resource["format"], resource["license"], resource["size"], resource["mimetype"]) == (
        "CSV", "cc-zero", 12345, "text/csv")
    for key in ("woo_grounds", "woo_motivation", "review_date", "closed_since"):
        assert key not in shown, key


def test_a_simple_client_needs_only_title_name_notes_and_organisation(api, org):
    created = api("package_create", name="bankjes-schemadorp", title="Bankjes", notes="Alle bankjes.",
                  owner_org=org["id"], resources=[{"url": "https://data.schemadorp.nl/bankjes.geojson"}])
    assert created["license_id"] == "cc-zero" and created["isopen"] is True
    assert created["language"] == [EU + "language/NLD"]
    assert created["metadata_language"] == EU + "language/NLD"
    assert created["dataset_status"] == "http://data.overheid.nl/status/beschikbaar"
    assert created["access_rights"] == "publiek"
    assert "contact" not in created  # the organisation is the contact point (docs/dcat-ap-donl.md)
    assert created["resources"][0]["format"] == "GeoJSON"  # guessed from the URL


@pytest.mark.parametrize(
    ("field", "value", "label"),
    [
        ("theme", [OWMS + "Sport"], "Thema's"),
        ("license_id", "cc-by-nc", "Licentie"),
        ("language", [EU + "language/XXX"], "Taal van de gegevens"),
        ("frequency", "weekly", "Wijzigingsfrequentie"),
        ("dataset_status", "gearchiveerd", "Status"),
        ("metadata_language", "nl", "Taal van de metadata"),
    ],
)
def test_unknown_value_list_codes_are_refused_naming_the_field(refuse, org, field, value, label):
    error = refuse("package_create", name="fout-schemadorp", title="Fout", notes="n", owner_org=org["id"],
                   **{field: value})
    assert set(error) == {"__type", field}
    message = error[field][0]
    unknown = value[0] if isinstance(value, list) else value
    assert message.startswith(f"{label}: '{unknown}'"), message  # the field's Dutch label, the code
    if field == "license_id":
        assert "cc-zero, cc-by" in message  # short lists of codes are spelled out
    if field == "theme":
        assert "scheming_dataset_schema_show" in message  # lists of URIs are pointed to


def test_unknown_resource_format_and_licence_are_refused(refuse, org):
    error = refuse("package_create", name="fout-schemadorp", title="Fout", notes="n", owner_org=org["id"],
                   resources=[{"url": "https://data.schemadorp.nl/a.bin", "format": "BIN", "license": "wtfpl",
                               "mimetype": "geen type", "size": -1}])
    resource_errors = error["resources"][0]
    assert set(resource_errors) == {"format", "license", "mimetype", "size"}
    assert "'BIN'" in resource_errors["format"][0] and "GeoJSON" in resource_errors["format"][0]


def test_a_format_guessed_from_an_unknown_extension_is_left_empty(api, org):
    created = api("package_create", name="raar-schemadorp", title="Raar", notes="n", owner_org=org["id"],
                  resources=[{"url": "https://data.schemadorp.nl/export.qqq"}])
    assert created["resources"][0]["format"] == ""


def test_contact_points_need_name_and_email_and_empty_groups_are_dropped(api, refuse, org):
    error = refuse("package_create", name="contact-schemadorp", title="C", notes="n", owner_org=org["id"],
                   contact=[{"name": "Team Data", "email": ""}, {"name": "", "email": "niet-een-adres"}])
    assert error["contact"][0]["email"] and error["contact"][1]["name"] and error["contact"][1]["email"]
    created = api("package_create", name="contact-schemadorp", title="C", notes="n", owner_org=org["id"],
                  contact=[{"name": "", "email": "", "url": ""}, {"name": "Team Data", "email": "data@schemadorp.nl"}],
                  temporal_coverage=[{"start": "", "end": ""}])
    assert created["contact"] == [{"name": "Team Data", "email": "data@schemadorp.nl"}]
    assert "temporal_coverage" not in created


def test_a_period_must_not_end_before_it_starts_and_areas_need_real_geometries(refuse, org):
    error = refuse("package_create", name="periode-schemadorp", title="P", notes="n", owner_org=org["id"],
                   temporal_coverage=[{"start": "2026-12-31", "end": "2026-01-01"}],
                   spatial_coverage=[{"text": "Schemadorp", "bbox": "ergens in het midden"}])
    assert error["temporal_coverage"][0]["end"][0] in (
        "Temporal coverage: the end lies before the start.", "Periode: de einddatum ligt voor de begindatum.")
    assert error["spatial_coverage"][0]["bbox"]


# --- "open, tenzij" ----------------------------------------------------------------------------------


def test_a_closed_dataset_without_grounds_names_each_missing_field_in_dutch(refuse, org):
    error = refuse("package_create", **{**_closed(org), "woo_grounds": [], "woo_motivation": "  ",
                                        "review_date": ""})
    assert set(error) == {"__type", "woo_grounds", "woo_motivation", "review_date"}
    assert error["woo_grounds"][0].startswith("Weigeringsgrond: kies minstens één grond")
    assert error["woo_motivation"][0].startswith("Motivering: verplicht")
    assert error["review_date"][0].startswith("Herbeoordelingsdatum: verplicht")
    assert model.Package.get("opvanglocaties-schemadorp") is None


@pytest.mark.parametrize(
    ("changes", "field", "needle"),
    [
        ({"woo_grounds": ["5.1.2.e", "5.1.9"]}, "woo_grounds", "onbekende code 5.1.9"),
        ({"woo_motivation": "n.v.t."}, "woo_motivation", "is geen motivering"),
        ({"woo_motivation": "Privacy."}, "woo_motivation", "te kort"),
        ({"review_date": _today()}, "review_date", "moet na vandaag"),
        ({"review_date": "2020-01-01"}, "review_date", "moet na vandaag"),
        ({"review_date": (datetime.date.today() + datetime.timedelta(days=5 * 366 + 2)).isoformat()},
         "review_date", "hoogstens vijf jaar vooruit"),
        ({"review_date": "31-12-2027"}, "review_date", "is geen datum"),
        ({"access_rights": "geheim"}, "access_rights", "Openbaarheid: 'geheim' bestaat niet"),
    ],
)
def test_bad_closures_are_refused_on_the_offending_field(refuse, org, changes, field, needle):
    error = refuse("package_create", **{**_closed(org), **changes})
    assert set(error) == {"__type", field}
    assert needle in error[field][0]


def test_a_closed_dataset_with_grounds_is_created_and_closed_since_today(api, org):
    created = api("package_create", **_closed(org), closed_since="1999-01-01")  # sent by a client: ignored
    assert created["access_rights"] == "niet-publiek"
    assert created["woo_grounds"] == ["5.1.2.e", "5.1.2.h"]
    assert created["woo_motivation"] == MOTIVATION
    assert created["review_date"] == _in_days(400)
    assert created["closed_since"] == _today()


def test_closed_since_is_kept_while_closed_and_removed_with_the_grounds_on_reopening(api, org, validator_log):
    created = api("package_create", **_closed(org))
    stored = model.Package.get(created["id"])
    stored.extras["closed_since"] = "2025-05-01"  # closed a while ago
    model.Session.commit()

    moved = api("package_patch", id=created["id"], access_rights="beperkt")
    assert moved["closed_since"] == "2025-05-01"  # beperkt and niet-publiek are both closed

    reopened = api("package_patch", id=created["id"], access_rights="publiek")
    for key in ("woo_grounds", "woo_motivation", "review_date", "closed_since"):
        assert key not in reopened, key
    assert "not stored" in validator_log.text  # package_patch sent the old grounds back: dropped, logged

    closed_again = api("package_patch", id=created["id"], **{k: v for k, v in _closed(org).items()
                                                            if k.startswith(("access", "woo", "review"))})
    assert closed_again["closed_since"] == _today()


def test_grounds_sent_with_a_public_dataset_are_not_stored(api, org, validator_log):
    created = api("package_create", name="open-schemadorp", title="Open", notes="n", owner_org=org["id"],
                  access_rights="publiek", woo_grounds=["5.1.2.e"], woo_motivation="n.v.t.",
                  review_date="2020-01-01")
    assert "woo_grounds" not in created and "review_date" not in created and "woo_motivation" not in created
    assert "open-schemadorp" in validator_log.text and "not stored" in validator_log.text
    assert set(model.Package.get(created["id"]).extras) >= {"access_rights"}
    assert not {"woo_grounds", "woo_motivation", "review_date"} & set(model.Package.get(created["id"]).extras)


def test_patching_another_field_of_a_closed_dataset_keeps_working_even_after_its_review_date(api, org):
    created = api("package_create", **_closed(org))
    patched = api("package_patch", id=created["id"], title="Opvanglocaties (bijgewerkt)")
    assert patched["title"] == "Opvanglocaties (bijgewerkt)"
    assert patched["access_rights"] == "niet-publiek" and patched["woo_grounds"] == ["5.1.2.e", "5.1.2.h"]

    stored = model.Package.get(created["id"])
    stored.extras["review_date"] = "2026-01-01"  # the review is overdue
    model.Session.commit()
    patched = api("package_patch", id=created["id"], notes="Nieuwe beschrijving.")
    assert patched["review_date"] == "2026-01-01" and patched["notes"] == "Nieuwe beschrijving."
    resource = api("resource_create", package_id=created["id"], url="https://data.schemadorp.nl/geheim/2.csv")
    assert resource["format"] == "CSV"


def test_an_update_that_leaves_out_access_rights_does_not_open_a_closed_dataset(api, org):
    created = api("package_create", **_closed(org))
    updated = api("package_update", id=created["id"], name=created["name"], title="Alleen titel",
                  notes="Een client die de nieuwe velden niet kent.", owner_org=org["id"])
    assert updated["access_rights"] == "niet-publiek"
    assert updated["woo_grounds"] == ["5.1.2.e", "5.1.2.h"] and updated["review_date"] == _in_days(400)


def test_ckanapi_as_a_client_sees_the_field_named(app, sysadmin, org):
    client = ckanapi.TestAppCKAN(app, apikey=sysadmin["token"])
    with pytest.raises(ckanapi.ValidationError) as refused:
        client.action.package_create(**{**_closed(org), "woo_grounds": []})
    assert "woo_grounds" in refused.value.error_dict
    created = client.action.package_create(**_closed(org))
    assert created["woo_grounds"] == ["5.1.2.e", "5.1.2.h"]


# --- the web form ------------------------------------------------------------------------------------


def _form(app: Any, url: str) -> tuple[dict[str, str], BeautifulSoup]:
    """The hidden inputs (CKAN's CSRF token, the form stage) and the parsed page of a dataset form."""
    response = app.get(url)
    assert response.status_code == 200, url
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    form = page.select_one("form#dataset-edit")
    assert form is not None
    hidden = {field["name"]: field.get("value", "") for field in form.select("input[type=hidden]") if field.get("name")}
    return hidden, page


@pytest.fixture
def editor(api: Any, org: dict[str, Any], log_in: Any) -> dict[str, Any]:
    """An editor of the organisation, logged in through the login form as a browser would be (a session
    cookie, so CKAN checks the CSRF token of every form it posts)."""
    password = "Schemadorp-2026!"
    user = factories.User(password=password)
    api("organization_member_create", id=org["id"], username=user["name"], role="editor")
    log_in(user["name"], password)
    return user


def test_the_form_groups_the_woo_fields_in_a_fieldset_the_access_rights_control(app, editor):
    _, page = _form(app, "/dataset/new")
    select = page.select_one("select#field-access_rights")
    assert select["aria-controls"] == "openoverheid-woo-fields" and select["data-module"] == "openoverheid-woo"
    fieldset = page.select_one("fieldset#openoverheid-woo-fields")
    assert fieldset.legend.get_text(strip=True)
    assert not fieldset.has_attr("hidden")  # without JavaScript every field is shown
    assert fieldset.select("input[type=checkbox][name=woo_grounds]")
    assert fieldset.select_one("textarea[name=woo_motivation]") is not None
    assert fieldset.select_one("input[type=date][name=review_date]") is not None
    assert page.select_one("[name=closed_since]") is None  # set by the portal, never typed
    assert "openoverheid-woo" in page.decode()  # the JS module is on the page


def test_a_rejected_form_keeps_what_was_typed_and_shows_the_dutch_error(app, editor, org):
    hidden, _ = _form(app, "/dataset/new")
    assert hidden.get("_csrf_token"), "the form carries CKAN's CSRF token"
    typed = "Dit is wat de ambtenaar typte; het moet na de fout nog in het formulier staan."
    response = app.post("/dataset/new", data={
        **hidden,
        "name": "formulier-schemadorp",
        "title": "Formulier Schemadorp",
        "notes": "Een dataset uit het webformulier.",
        "owner_org": org["id"],
        "license_id": "cc-zero",
        "metadata_language": EU + "language/NLD",
        "dataset_status": "http://data.overheid.nl/status/beschikbaar",
        "access_rights": "beperkt",
        "woo_motivation": typed,
        "review_date": _in_days(100),
        "save": "",
    })
    assert response.status_code == 200
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert page.select_one("textarea[name=woo_motivation]").get_text() == typed
    assert page.select_one("input[name=review_date]")["value"] == _in_days(100)
    assert page.select_one("select#field-access_rights option[selected]")["value"] == "beperkt"
    # the error summary names the field once; the message under the field leaves the name out
    assert "Weigeringsgronden (Woo): kies minstens één grond" in page.get_text()
    assert page.select_one("#field-woo_grounds-error").get_text(strip=True).startswith("Kies minstens één grond")
    assert model.Package.get("formulier-schemadorp") is None

    response = app.post("/dataset/new", data={
        **hidden, "name": "formulier-schemadorp", "title": "Formulier Schemadorp", "notes": "Uit het formulier.",
        "owner_org": org["id"], "license_id": "cc-zero", "metadata_language": EU + "language/NLD",
        "dataset_status": "http://data.overheid.nl/status/beschikbaar", "access_rights": "beperkt",
        "woo_grounds": ["5.1.2.e", "5.1.1.d"], "woo_motivation": typed, "review_date": _in_days(100), "save": "",
    })
    assert response.status_code == 200
    stored = model.Package.get("formulier-schemadorp")
    assert stored is not None and stored.extras["access_rights"] == "beperkt"
    assert stored.extras["closed_since"] == _today()
    # the next stage is the resource form: its format field suggests the formats of the value list
    resource_form = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert resource_form.select_one("input#field-format")["list"] == "field-format-choices"
    assert resource_form.select_one("datalist#field-format-choices option[value=GeoJSON]") is not None


def test_the_dataset_page_links_each_ground_to_the_law(app, api, org):
    api("package_create", **_closed(org))
    html = app.get("/dataset/opvanglocaties-schemadorp").get_data(as_text=True)
    assert "https://wetten.overheid.nl/jci1.3:c:BWBR0045754&amp;artikel=5.1&amp;lid=2&amp;onderdeel=e" in html
    public = factories.Dataset(owner_org=org["id"])
    page = BeautifulSoup(app.get(f"/dataset/{public['name']}").get_data(as_text=True), "html.parser")
    labels = [th.get_text(strip=True) for th in page.select("th.dataset-label")]
    assert "Weigeringsgronden (Woo)" not in labels and "Herbeoordelingsdatum" not in labels


@pytest.mark.parametrize(
    ("prefix", "shown", "not_shown"),
    [
        ("/en", "Legal grounds (Woo): choose at least one ground", "Weigeringsgrond"),
        ("", "Weigeringsgronden (Woo): kies minstens één grond", "Legal grounds"),
    ],
)
def test_a_refused_closure_speaks_the_language_of_the_page(app, editor, org, prefix, shown, not_shown):
    hidden, _ = _form(app, f"{prefix}/dataset/new")
    response = app.post(f"{prefix}/dataset/new", data={
        **hidden, "name": "taal-schemadorp", "title": "Taal Schemadorp", "notes": "Een dataset uit het formulier.",
        "owner_org": org["id"], "license_id": "cc-zero", "metadata_language": EU + "language/NLD",
        "dataset_status": "http://data.overheid.nl/status/beschikbaar", "access_rights": "beperkt",
        "woo_motivation": "n.v.t.", "review_date": "2020-01-01", "save": "",
    })
    assert response.status_code == 200
    text = BeautifulSoup(response.get_data(as_text=True), "html.parser").get_text()
    assert shown in text
    assert not_shown not in text
    english = prefix == "/en"
    assert ("Motivation: 'n.v.t.' is not a motivation" in text) is english
    assert ("Motivering: 'n.v.t.' is geen motivering" in text) is not english
    assert ("Review date: must be after today" in text) is english
    assert ("Herbeoordelingsdatum: moet na vandaag" in text) is not english
    assert model.Package.get("taal-schemadorp") is None
