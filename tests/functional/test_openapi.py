"""The OpenAPI document: valid, served with our conventions, and in step with the routes.

Every GET of the document is called on a populated portal and must answer as documented; every route
of our blueprints must be in the document. Adding a path or a route without the other fails here.
One portal and one app for the module (``populated``): the tests only read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from api_catalogue import populate
from openapi_spec_validator import validate
from portal_support import module_portal

from ckanext.openoverheid.api import conventions, document

# Values for path parameters that the populated portal below has data for (by parameter name). Other path
# parameters use their enum, else their documented example, and then any documented status will do.
PATH_VALUES = {"name": "gemeente-utrecht", "theme": "natuur-en-milieu", "tag": "bomen",
               "service_code": "losse-stoeptegel", "publicatie": "besluit-woo-parkeren", "categorie": "014",
               "bestand": "sitemapindex-diwoo-infocat014.xml"}  # service_request_id: set by `populated`
WOO_VERZOEKEN = "https://identifier.overheid.nl/tooi/def/thes/kern/c_3baef532"  # category 014


@pytest.fixture(scope="module")
def populated(reset_db: Any, reset_index: Any, migrate_db_for: Any) -> Iterator[Any]:
    """The module's portal, populated; its app."""
    from ckan.tests import factories

    with module_portal(reset_db, reset_index, migrate_db_for) as app:
        yield _populate(app, factories.SysadminWithToken()["token"])


def _populate(app: Any, token: str) -> Any:
    def api(action: str, **data: Any) -> Any:
        body = app.post(f"/api/3/action/{action}", json=data, headers={"Authorization": token}).get_json()
        assert body["success"], (action, body)
        return body["result"]

    # a melding, for /open311/v2/requests/{service_request_id} (test.ini gives gemeente-utrecht its area);
    # its number depends on the tests before (clean_db empties tables, sequences go on)
    portal = populate(api)
    PATH_VALUES["service_request_id"] = str(portal["melding"]["id"])
    # a Woo decision with a public document, for its inventory, the publication feeds and the sitemap
    org = api("organization_patch", id=portal["organization"]["id"],
              tooi_identifier="https://identifier.overheid.nl/tooi/id/gemeente/gm0344")
    api("package_create", name=PATH_VALUES["publicatie"], title="Besluit op Woo-verzoek parkeren",
        owner_org=org["id"], type="publicatie", informatiecategorie=WOO_VERZOEKEN,
        resources=[{"url": "https://documenten.example.org/besluit.pdf", "name": "Besluit"}])
    return app


def test_the_document_is_valid_openapi():
    validate(document.load())


def test_the_served_document_is_valid_and_names_this_portal(populated):
    app = populated
    response = app.get("/api/openoverheid/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    served = json.loads(response.get_data(as_text=True))
    validate(served)
    assert served["servers"][0]["url"] == "http://test.ckan.net"
    assert served["paths"] == document.load()["paths"]
    assert response.headers["API-Version"] == served["info"]["version"] == document.api_version()
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    again = app.get("/api/openoverheid/openapi.json", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def _calls(operation: document.Operation) -> tuple[list[str], bool]:
    """Concrete URLs for an operation, and whether they must succeed: each enum value of a path
    parameter, else its PATH_VALUES entry; else its example (the portal may not know that one)."""
    urls, must_succeed = [operation.path], True
    for parameter in operation.path_parameters:
        values = list(parameter.enum) or ([PATH_VALUES[parameter.name]] if parameter.name in PATH_VALUES else [])
        if not values and parameter.example is not None:
            values, must_succeed = [parameter.example], False
        assert values, f"{operation.path}: give path parameter '{parameter.name}' an example or an enum"
        urls = [url.replace("{" + parameter.name + "}", str(value)) for url in urls for value in values]
    return urls, must_succeed


GET_OPERATIONS = [op for op in document.operations() if op.method == "GET"]


@pytest.mark.parametrize("operation", GET_OPERATIONS, ids=[op.path for op in GET_OPERATIONS])
def test_every_documented_get_answers_as_documented(populated, operation):
    """Paths without path parameters (or with values the portal has data for) answer 2xx; the others
    a documented status. Always with a documented media type and ``API-Version`` — which also proves
    that the route is ours and not a 404 of the router."""
    documented = {reply.status: reply for reply in operation.responses}
    urls, must_succeed = _calls(operation)
    for url in urls:
        response = populated.get(url)
        status = str(response.status_code)
        assert response.headers.get("API-Version") == document.api_version(), (
            f"GET {url} answered {status} without API-Version: no route of ours serves this documented path")
        assert status in documented, f"GET {url} answered {status}, documented: {sorted(documented)}"
        if must_succeed:
            assert 200 <= response.status_code < 300, f"GET {url} answered {status} on a populated portal"
        media_types = documented[status].media_types
        assert not media_types or response.mimetype in media_types, (url, response.mimetype, media_types)


def test_every_route_of_ours_is_documented(populated):
    app = populated
    documented = {document.path_shape(path) for path in document.load()["paths"]}
    ours = conventions.governed_blueprints()
    assert {"openoverheid_feeds", "openoverheid_api", "woo_pages", "woo_sitemaps"} <= ours
    missing = sorted(
        rule.rule
        for rule in app.flask_app.url_map.iter_rules()
        if rule.endpoint.split(".")[0] in ours and "GET" in (rule.methods or ())
        and document.path_shape(rule.rule) not in documented
    )
    assert not missing, f"routes missing from openapi.yaml: {missing}"


def test_our_action_gets_the_conventions_and_ckans_do_not(populated):
    app = populated
    ours = app.get("/api/3/action/openheid_register")
    assert ours.status_code == 200
    assert ours.headers["API-Version"] == document.api_version()
    assert ours.headers["Access-Control-Allow-Origin"] == "*"
    ckans = app.get("/api/3/action/package_list")
    assert "API-Version" not in ckans.headers


def test_errors_are_problem_json_with_the_documented_schema(populated):
    app = populated
    schema = document.load()["components"]["schemas"]["Problem"]
    for url, status in (("/feeds/search.atom?limit=1000", 400), ("/feeds/organization/bestaat-niet.rss", 404),
                        ("/export/datasets.xlsx", 406), ("/feeds/publicaties/organization/bestaat-niet.rss", 404),
                        ("/feeds/publicaties/category/999.atom", 404),
                        ("/publicaties/bestaat-niet/inventaris.csv", 404),
                        ("/woo/sitemaps/gemeente-utrecht/sitemapindex-diwoo-infocat001.xml", 404)):
        response = app.get(url)
        assert response.status_code == status
        assert response.mimetype == "application/problem+json"
        body = response.get_json(force=True)
        assert set(schema["required"]) <= set(body)
        assert set(body) - {"supported"} <= set(schema["properties"])
        assert response.headers["API-Version"] == document.api_version()


def test_the_human_page_lists_every_path(populated):
    app = populated
    response = app.get("/api/openoverheid/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'lang="nl"' in html
    for operation in document.operations():
        assert f"{operation.method} {operation.path}" in html
    assert "Nieuwe en gewijzigde datasets (RSS)" in html  # the document's own Dutch text
    assert "<caption>" in html and 'scope="col"' in html
    assert "cdn" not in html.lower() and "swagger" not in html.lower()
