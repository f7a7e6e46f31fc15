"""The metadata quality score on a real portal: a demo dataset's report through the Action API names
every indicator (anyone for a public dataset, members only for a private one), the CLI prints it, the
link check visits the links through the SSRF guard and the score then counts what answered, and an
editor sees the box on the dataset page while a visitor does not, and the organisation's quality page
lists its datasets lowest score first for its editors and admins only."""

from __future__ import annotations

import copy
import datetime
import http.server
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from ckan.cli.cli import ckan

from ckanext.openoverheid.demo.catalogue import demo_content, upload_files

pytestmark = pytest.mark.usefixtures("portal")

INDICATORS = {
    "keyword", "theme", "spatial", "temporal", "access_url_reachable", "download_url", "download_url_reachable",
    "format", "media_type", "format_vocabulary", "non_proprietary", "machine_readable", "dcat_ap_compliance",
    "license", "license_vocabulary", "access_rights", "access_rights_vocabulary", "contact_point", "publisher",
    "rights", "byte_size", "issued", "modified",
}


def demo_dataset(api: Any, name: str, **changes: Any) -> dict[str, Any]:
    """The demo's dataset ``name``, created with its organisation, as ``ckan openoverheid demo`` does."""
    content = demo_content()
    wanted = copy.deepcopy(next(d for d in content["datasets"] if d["name"] == name))
    organisation = next(o for o in content["organisaties"] if o["name"] == wanted["owner_org"])
    api("organization_create", **organisation)
    if "resources" in changes:
        return api("package_create", **{**wanted, **changes})
    files = wanted.pop("resources")
    created = api("package_create", **{**wanted, **changes})
    upload_files(created, files, lambda message: None)
    return api("package_show", id=created["id"])


def indicators(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {i["key"]: i for d in report["dimensions"] for i in d["indicators"]}


def test_the_action_api_reports_every_indicator_of_a_demo_dataset(app, api):
    demo_dataset(api, "afvalinzameling-utrecht-2026")
    report = api("dataset_quality", _method="GET", _token=None, id="afvalinzameling-utrecht-2026")
    found = indicators(report)
    assert set(found) == INDICATORS
    assert report["possible"] == 405 and sum(i["possible"] for i in found.values()) == 405
    assert report["total"] == sum(i["earned"] for i in found.values())
    assert report["band"] in {"excellent", "good", "sufficient", "bad"}
    assert found["access_url_reachable"]["earned"] == 0
    assert found["access_url_reachable"]["missing"].startswith("Nog niet gecontroleerd")
    assert found["keyword"]["earned"] == 30 and found["keyword"]["missing"] is None
    assert found["dcat_ap_compliance"]["earned"] == 30


def test_a_private_dataset_s_score_is_for_its_members_only(app, api):
    demo_dataset(api, "afvalinzameling-utrecht-2026", private=True)
    response = app.get("/api/3/action/dataset_quality", query_string={"id": "afvalinzameling-utrecht-2026"})
    assert response.status_code == 403
    assert api("dataset_quality", _method="GET", id="afvalinzameling-utrecht-2026")["total"] > 0
    assert app.get("/api/3/action/dataset_quality", query_string={"id": "bestaat-niet"}).status_code == 404


def test_the_cli_prints_each_dataset_s_score_and_what_it_misses(cli, api):
    demo_dataset(api, "afvalinzameling-utrecht-2026")
    result = cli.invoke(ckan, ["openoverheid", "quality", "--organization", "gemeente-utrecht"])
    assert result.exit_code == 0, result.output
    assert "afvalinzameling-utrecht-2026: " in result.output and "/405" in result.output
    assert "Nog niet gecontroleerd" in result.output
    rows = cli.invoke(ckan, ["openoverheid", "quality", "--format", "csv"])
    assert rows.exit_code == 0, rows.output
    assert "dataset,total,band,missing" in rows.output and "access_url_reachable (0/50)" in rows.output
    unknown = cli.invoke(ckan, ["openoverheid", "quality", "--organization", "gemeente-nergens"])
    assert unknown.exit_code != 0 and "gemeente-nergens" in unknown.output


class _Links(http.server.BaseHTTPRequestHandler):
    def do_HEAD(self) -> None:  # noqa: N802 - the standard library's name
        self.send_response(200 if self.path.startswith("/ok") else 404)
        self.end_headers()

    def do_GET(self) -> None:  # noqa: N802
        self.do_HEAD()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def link_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Links)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_link_check_keeps_what_answered_and_the_score_counts_it(cli, api, link_server):
    from ckan.lib.redis import connect_to_redis

    from ckanext.openoverheid.keys import key_prefix

    redis = connect_to_redis()
    for key in redis.scan_iter(key_prefix("quality") + "*"):
        redis.delete(key)
    demo_dataset(api, "afvalinzameling-utrecht-2026", resources=[
        {"name": "Werkt", "url": f"{link_server}/ok.csv", "format": "CSV"},
        {"name": "Weg", "url": f"{link_server}/weg.csv", "format": "CSV"},
    ])
    result = cli.invoke(ckan, ["openoverheid", "quality", "check-links"])
    assert result.exit_code == 0, result.output
    assert "Linkcontrole: 1 links antwoordden, 1 niet." in result.output
    found = indicators(api("dataset_quality", _method="GET", id="afvalinzameling-utrecht-2026"))
    assert found["access_url_reachable"]["earned"] == 25
    today = datetime.datetime.now(datetime.UTC).date().isoformat()
    assert found["access_url_reachable"]["missing"] == (
        f"1 van 2 toegangs-URL's antwoordden niet bij de controle op {today}: herstel of vervang de link.")
    # A CSV link is a file: the same URL is its dcat:downloadURL, checked once, reachable for one of two.
    assert found["download_url"]["earned"] == 20
    assert found["download_url_reachable"]["earned"] == 15


def test_the_link_check_refuses_private_addresses_that_are_not_allowed(api, link_server, ckan_config, monkeypatch):
    from ckanext.openoverheid.quality import report

    monkeypatch.setitem(ckan_config, "ckanext.openoverheid.allowed_private_hosts", "")
    dataset = demo_dataset(api, "afvalinzameling-utrecht-2026", resources=[
        {"name": "Intern", "url": f"{link_server}/ok-intern.csv", "format": "CSV"}])
    [result] = report.check_links(dataset)
    assert not result.reachable and result.status is None
    assert "allowed_private_hosts" in result.error


def test_the_organisation_quality_page_is_for_its_editors_and_admins(app, api, sysadmin):
    from ckan.tests import factories

    demo_dataset(api, "afvalinzameling-utrecht-2026")
    api("package_create", name="kaal", title="Kaal", notes="Zonder veel metadata.", owner_org="gemeente-utrecht")
    editor, member, outsider = (factories.UserWithToken() for _ in range(3))
    for user, role in ((editor, "editor"), (member, "member")):
        api("organization_member_create", id="gemeente-utrecht", username=user["name"], role=role)
    url = "/organization/gemeente-utrecht/kwaliteit"
    page = app.get(url, headers={"Authorization": editor["token"]})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert text.count("<h1") == 1 and "Metadata-kwaliteit" in text
    assert text.index(">Kaal</a>") < text.index(">Afvalinzameling Utrecht 2026</a>")  # lowest score first
    assert "Nog niet gecontroleerd" in text
    assert app.get(url, headers={"Authorization": sysadmin["token"]}).status_code == 200
    for user in (member, outsider):
        assert app.get(url, headers={"Authorization": user["token"]}).status_code == 403
    assert app.get(url).status_code == 403
    assert app.get("/organization/gemeente-nergens/kwaliteit").status_code == 404


def test_editors_see_the_quality_box_and_visitors_do_not(app, api, sysadmin):
    demo_dataset(api, "afvalinzameling-utrecht-2026")
    page = app.get("/dataset/afvalinzameling-utrecht-2026", headers={"Authorization": sysadmin["token"]})
    assert page.status_code == 200
    assert "Metadata-kwaliteit" in page.get_data(as_text=True)
    assert "/organization/gemeente-utrecht/kwaliteit" in page.get_data(as_text=True)
    visitor = app.get("/dataset/afvalinzameling-utrecht-2026").get_data(as_text=True)
    assert "Metadata-kwaliteit" not in visitor


def test_the_compliance_verdict_is_kept_per_graph_and_a_changed_dataset_is_validated_again(
        app, api, monkeypatch, clean_redis):
    from ckanext.openoverheid.quality import compliance

    validated = []
    validate = compliance.validate
    monkeypatch.setattr(compliance, "validate", lambda graph: validated.append(len(graph)) or validate(graph))
    demo_dataset(api, "afvalinzameling-utrecht-2026")

    first = api("dataset_quality", id="afvalinzameling-utrecht-2026")
    again = api("dataset_quality", id="afvalinzameling-utrecht-2026")
    assert len(validated) == 1  # the same graph: SHACL ran once, the verdict came from Redis the second time
    assert indicators(again)["dcat_ap_compliance"] == indicators(first)["dcat_ap_compliance"]
    assert indicators(first)["dcat_ap_compliance"]["earned"] == 30

    api("package_patch", id="afvalinzameling-utrecht-2026", notes="Ophaaldagen, nu met een nieuwe beschrijving.")
    api("dataset_quality", id="afvalinzameling-utrecht-2026")
    assert len(validated) == 2  # another graph: validated afresh
