"""The portal runs on real PostgreSQL, Solr and Redis with our plugins enabled."""

from __future__ import annotations

import uuid

import ckan.plugins.toolkit as tk
import pytest
import redis

pytestmark = pytest.mark.usefixtures("portal")


def test_status_show_lists_our_plugins(app):
    result = app.get("/api/3/action/status_show").get_json()["result"]
    for plugin in ("openoverheid", "scheming_datasets", "dcat", "harvest", "datastore"):
        assert plugin in result["extensions"]
    assert result["ckan_version"] == "2.12.0"
    assert result["locale_default"] == "nl"


def test_dataset_created_through_the_api_is_found_by_solr(api):
    marker = f"zoekmarker{uuid.uuid4().hex[:10]}"
    org = api("organization_create", name="gemeente-testdorp", title="Gemeente Testdorp")
    created = api(
        "package_create",
        name="speeltuinen-testdorp",
        title="Speeltuinen Testdorp",
        notes=f"Alle speeltuinen van Testdorp {marker}",
        owner_org=org["id"],
        resources=[{"url": "https://data.example.nl/speeltuinen.csv", "format": "CSV", "name": "Speeltuinen"}],
    )
    found = api("package_search", _method="GET", q=marker)
    assert found["count"] == 1
    assert found["results"][0]["id"] == created["id"]
    assert found["results"][0]["organization"]["name"] == "gemeente-testdorp"

    # and the Solr core really holds it (not just the database)
    from ckan.lib.search import query_for

    ids = query_for("package").run({"q": marker, "fl": "id"})["results"]
    assert ids == [created["id"]]


def test_dataset_pages_render_in_dutch(app):
    page = app.get("/dataset/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'lang="nl"' in html
    assert "Organisaties" in html


def test_english_is_offered(app):
    html = app.get("/en/dataset/").get_data(as_text=True)
    assert 'lang="en"' in html
    assert "Organizations" in html


def test_datastore_accepts_and_returns_rows(api):
    org = api("organization_create", name="gemeente-rijdorp")
    dataset = api("package_create", name="tellingen-rijdorp", title="Tellingen", notes="Fietstellingen",
                  owner_org=org["id"])
    table = api(
        "datastore_create",
        resource={"package_id": dataset["id"], "name": "Tellingen", "format": "CSV"},
        fields=[{"id": "plek", "type": "text"}, {"id": "fietsers", "type": "int"}],
        records=[{"plek": "Vredenburg", "fietsers": 1200}, {"plek": "Neude", "fietsers": 800}],
        primary_key="plek",
    )
    rows = api("datastore_search", _method="GET", resource_id=table["resource_id"], sort="fietsers desc")
    assert [r["plek"] for r in rows["records"]] == ["Vredenburg", "Neude"]
    sql = api("datastore_search_sql", _method="GET",
              sql=f'SELECT sum(fietsers) AS totaal FROM "{table["resource_id"]}"')
    assert sql["records"][0]["totaal"] == 2000


def test_background_jobs_reach_redis():
    import ckan.lib.jobs as jobs
    from ckan.lib.redis import connect_to_redis

    queue_name = f"openoverheid-test-{uuid.uuid4().hex[:8]}"
    job = jobs.enqueue(print, ["hallo"], queue=queue_name)
    try:
        connection = connect_to_redis()
        assert isinstance(connection, redis.Redis)
        assert connection.ping()
        assert job.id in jobs.get_queue(queue_name).job_ids
    finally:
        job.delete()


def test_harvest_tables_are_migrated():
    from ckan import model

    assert tk.get_action("harvest_source_list")({"ignore_auth": True}, {}) == []
    inspector = __import__("sqlalchemy").inspect(model.Session.get_bind())
    assert inspector.has_table("harvest_source")
    assert inspector.has_table("harvest_object")
