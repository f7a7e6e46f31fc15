"""One closed dataset, every channel: its data (a unique marker in the resource URL, the resource
description and the DataStore rows) must reach nobody outside its organisation.

New channels join this file as they are built (feeds, exports, DCAT, register)."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import live_server as live
import pytest
from ckan.tests import factories

pytestmark = pytest.mark.usefixtures("portal")

live_server = live.live_server

MOTIVATION = (
    "Openbaarmaking van de exacte locaties brengt de veiligheid van de bewoners in gevaar; "
    "daarom wordt alleen het bestaan van deze dataset gemeld."
)


def _review_date() -> str:
    return (datetime.date.today() + datetime.timedelta(days=400)).isoformat()


@pytest.fixture
def closed(api: Any) -> dict[str, Any]:
    """A niet-publiek dataset with a resource, an upload-free URL and a DataStore table, all marked."""
    # letters only: Solr's word splitting would cut a mixed marker into tokens found elsewhere
    marker = "geheim" + uuid.uuid4().hex[:12].translate(str.maketrans("0123456789", "ghijklmnop"))
    org = api("organization_create", name="gemeente-geheimstad", title="Gemeente Geheimstad")
    dataset = api(
        "package_create",
        name="opvanglocaties-geheimstad",
        title="Opvanglocaties Geheimstad",
        notes="Adressen van de opvanglocaties in Geheimstad.",
        owner_org=org["id"],
        access_rights="niet-publiek",
        woo_grounds=["5.1.2.e", "5.1.1.d"],
        woo_motivation=MOTIVATION,
        review_date=_review_date(),
        contact=[{"name": "Team Open Data", "email": "opendata@geheimstad.nl"}],
        tags=[{"name": "opvang"}],
        theme=["http://standaarden.overheid.nl/owms/terms/Zorg_en_gezondheid"],
        resources=[
            {
                "name": "Locaties",
                "url": f"https://data.geheimstad.nl/{marker}/locaties.csv",
                "description": f"Bestand {marker}",
                "format": "CSV",
            }
        ],
    )
    resource = dataset["resources"][0]
    api(
        "datastore_create",
        resource_id=resource["id"],
        fields=[{"id": "adres", "type": "text"}],
        records=[{"adres": f"Kerkstraat 1 {marker}"}],
        force=True,
    )
    return {"marker": marker, "org": org, "dataset": dataset, "resource": resource}


def _anonymous(app: Any, url: str, **kwargs: Any) -> Any:
    return app.get(url, **kwargs)


def assert_no_marker(marker: str, response: Any) -> str:
    text = response.get_data(as_text=True)
    assert marker not in text, f"{response.request.path} leaks the closed data"
    return text


def test_metadata_is_public_but_data_is_not_in_the_action_api(app, closed):
    marker = closed["marker"]
    dataset = closed["dataset"]

    shown = app.get("/api/3/action/package_show", query_string={"id": dataset["name"]})
    assert_no_marker(marker, shown)
    result = shown.get_json()["result"]
    assert result["title"] == "Opvanglocaties Geheimstad"
    assert result["access_rights"] == "niet-publiek"
    assert set(result["woo_grounds"]) == {"5.1.2.e", "5.1.1.d"}
    assert result["woo_motivation"] == MOTIVATION
    assert result["resources"] == [] and result["num_resources"] == 0

    found = app.get("/api/3/action/package_search", query_string={"q": "Opvanglocaties"})
    assert_no_marker(marker, found)
    assert found.get_json()["result"]["count"] == 1

    for params in (
        {"q": marker},
        {"q": f"res_url:*{marker}*"},
        {"q": f"urls:{marker}"},
        {"q": f"res_description:{marker}"},
        {"fq": f"res_url:*{marker}*"},
        {"q": "*:*", "fl": "id,res_url,urls,res_description,data_dict,validated_data_dict"},
    ):
        response = app.get("/api/3/action/package_search", query_string=params)
        assert_no_marker(marker, response)
        if "fl" not in params:
            assert response.get_json()["result"]["count"] == 0, params

    resource_id = closed["resource"]["id"]
    for action, params in (
        ("resource_show", {"id": resource_id}),
        ("resource_view_list", {"id": resource_id}),
        ("datastore_search", {"resource_id": resource_id}),
        ("datastore_info", {"id": resource_id}),
        ("datastore_search_sql", {"sql": f'SELECT * FROM "{resource_id}"'}),
    ):
        response = app.get(f"/api/3/action/{action}", query_string=params)
        assert_no_marker(marker, response)
        assert response.status_code == 403, (action, response.status_code)

    for action, params in (
        ("resource_search", {"query": "name:Locaties"}),
        ("current_package_list_with_resources", {}),
        ("package_activity_list", {"id": dataset["id"]}),
        ("organization_activity_list", {"id": closed["org"]["id"]}),
        ("recently_changed_packages_activity_list", {}),
    ):
        response = app.get(f"/api/3/action/{action}", query_string=params)
        assert response.status_code == 200, (action, response.get_data(as_text=True)[:300])
        assert_no_marker(marker, response)

    detailed = app.get("/api/3/action/package_activity_list", query_string={"id": dataset["id"], "include_data": True})
    assert detailed.status_code in (200, 403)
    assert_no_marker(marker, detailed)
    activities = app.get("/api/3/action/package_activity_list", query_string={"id": dataset["id"]}).get_json()
    for activity in activities["result"]:
        for action in ("activity_show", "activity_data_show"):
            response = app.get(f"/api/3/action/{action}", query_string={"id": activity["id"]})
            assert_no_marker(marker, response)
        diff = app.get("/api/3/action/activity_diff", query_string={"id": activity["id"], "object_type": "package"})
        assert_no_marker(marker, diff)


def test_html_pages_show_grounds_and_no_data(app, closed):
    # (a search for the marker itself would echo it back: the API test checks those searches find nothing)
    marker = closed["marker"]
    dataset, resource = closed["dataset"], closed["resource"]
    page = app.get(f"/dataset/{dataset['name']}")
    html = assert_no_marker(marker, page)
    assert page.status_code == 200
    assert "Opvanglocaties Geheimstad" in html
    assert "5.1.2" in html  # the legal ground is shown

    for url in (
        f"/dataset/{dataset['id']}/resource/{resource['id']}",
        f"/dataset/{dataset['id']}/resource/{resource['id']}/download",
        f"/dataset/{dataset['id']}/resource/{resource['id']}/download/locaties.csv",
        f"/datastore/dump/{resource['id']}",
        f"/dataset/activity/{dataset['name']}",
        "/dataset/",
        f"/organization/{closed['org']['name']}",
        "/dataset/?q=Kerkstraat",
    ):
        response = app.get(url)
        assert_no_marker(marker, response)
        assert response.status_code in (200, 403, 404), (url, response.status_code)


def test_open_formats_carry_metadata_but_no_data(app, closed):
    """DCAT (every serialisation, content negotiation), the feeds, the full exports, the register."""
    marker = closed["marker"]
    dataset = closed["dataset"]
    org = closed["org"]["name"]
    urls = [
        "/catalog.xml", "/catalog.ttl", "/catalog.jsonld", "/catalog.rdf",
        f"/dataset/{dataset['name']}.rdf", f"/dataset/{dataset['name']}.ttl", f"/dataset/{dataset['name']}.jsonld",
        f"/dataset/{dataset['id']}.xml",
        "/export/datasets.rdf", "/export/datasets.csv", "/export/datasets.jsonl",
        "/openheid", "/openheid.csv", "/api/3/action/openheid_register",
    ]
    for kind in ("rss", "atom"):
        urls += [
            f"/feeds/dataset.{kind}", f"/feeds/organization/{org}.{kind}", f"/feeds/tag/opvang.{kind}",
            f"/feeds/theme/zorg-en-gezondheid.{kind}", f"/feeds/search.{kind}?q=Opvanglocaties",
            f"/feeds/openheid.{kind}",
        ]
    for url in urls:
        response = app.get(url)
        assert response.status_code == 200, (url, response.status_code)
        text = assert_no_marker(marker, response)
        assert "Opvanglocaties Geheimstad" in text or dataset["id"] in text, f"{url} does not list the dataset"

    for accept in ("application/rdf+xml", "text/turtle", "application/ld+json"):
        response = app.get(f"/dataset/{dataset['name']}", headers={"Accept": accept})
        assert response.status_code == 200 and accept in response.headers["Content-Type"], accept
        assert_no_marker(marker, response)
        assert "NON_PUBLIC" in response.get_data(as_text=True)


def test_ckanapi_as_a_client_over_http(live_server):
    """What a user of the API sees, through ckanapi and a real socket."""
    import ckanapi

    editor = factories.UserWithToken()
    org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    marker = "geheim" + uuid.uuid4().hex[:10].translate(str.maketrans("0123456789", "ghijklmnop"))
    civil_servant = ckanapi.RemoteCKAN(live_server, apikey=editor["token"])
    dataset = {
        "name": "camerabeelden-stadhuis", "title": "Camerabeelden stadhuis", "notes": "Beelden van de ingang.",
        "owner_org": org["id"], "access_rights": "beperkt",
        "resources": [{"name": "Beelden", "url": f"https://data.example.nl/{marker}.zip", "format": "ZIP"}],
    }
    with pytest.raises(ckanapi.ValidationError) as refused:
        civil_servant.action.package_create(**dataset)
    assert {"woo_grounds", "woo_motivation", "review_date"} <= set(refused.value.error_dict)

    created = civil_servant.action.package_create(
        **dataset, woo_grounds=["5.1.2.i"], woo_motivation=MOTIVATION, review_date=_review_date())
    assert created["resources"][0]["url"].endswith(f"{marker}.zip")

    citizen = ckanapi.RemoteCKAN(live_server)
    shown = citizen.action.package_show(id="camerabeelden-stadhuis")
    assert shown["access_rights"] == "beperkt" and shown["woo_grounds"] == ["5.1.2.i"]
    assert shown["resources"] == [] and marker not in str(shown)
    with pytest.raises(ckanapi.NotAuthorized):
        citizen.action.resource_show(id=created["resources"][0]["id"])


def test_members_of_the_organisation_see_the_data(app, closed):
    marker = closed["marker"]
    editor = factories.UserWithToken()
    member = factories.UserWithToken()
    from ckan.tests.helpers import call_action

    call_action("organization_member_create", id=closed["org"]["id"], username=editor["name"], role="editor")
    call_action("organization_member_create", id=closed["org"]["id"], username=member["name"], role="member")
    for user in (editor, member):
        headers = {"Authorization": user["token"]}
        shown = app.get("/api/3/action/package_show", query_string={"id": closed["dataset"]["id"]}, headers=headers)
        assert marker in shown.get_data(as_text=True)
        rows = app.get(
            "/api/3/action/datastore_search", query_string={"resource_id": closed["resource"]["id"]}, headers=headers
        )
        assert rows.status_code == 200 and marker in rows.get_data(as_text=True)

    outsider = factories.UserWithToken()
    shown = app.get(
        "/api/3/action/package_show",
        query_string={"id": closed["dataset"]["id"]},
        headers={"Authorization": outsider["token"]},
    )
    assert_no_marker(marker, shown)


def test_member_adding_a_resource_keeps_the_existing_ones(app, api, closed):
    """package_show must not serve Solr's stripped copy to the read-modify-write of resource_create."""
    editor = factories.UserWithToken()
    from ckan.tests.helpers import call_action

    call_action("organization_member_create", id=closed["org"]["id"], username=editor["name"], role="editor")
    response = app.post(
        "/api/3/action/resource_create",
        json={"package_id": closed["dataset"]["id"], "url": "https://data.geheimstad.nl/tweede.csv", "name": "Tweede"},
        headers={"Authorization": editor["token"]},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    full = api("package_show", _method="GET", id=closed["dataset"]["id"])
    assert [r["name"] for r in full["resources"]] == ["Locaties", "Tweede"]


def test_reopening_publishes_the_data(api, app, closed):
    api("package_patch", id=closed["dataset"]["id"], access_rights="publiek")
    shown = app.get("/api/3/action/package_show", query_string={"id": closed["dataset"]["id"]})
    result = shown.get_json()["result"]
    assert closed["marker"] in result["resources"][0]["url"]
    assert not result.get("woo_grounds")
    found = app.get("/api/3/action/package_search", query_string={"q": closed["marker"]}).get_json()["result"]
    assert found["count"] == 1
