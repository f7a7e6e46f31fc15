"""Shared fixtures. Functional tests run on the real PostgreSQL, Solr and Redis that `make test`
starts; nothing here mocks a service."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from portal_support import PLUGINS_WITH_MIGRATIONS


@pytest.fixture
def clean_afvalkalender_redis() -> Iterator[None]:
    """Rate-limit counters and remembered unknown addresses of the afvalkalender from earlier tests
    would leak in."""
    from ckan.lib.redis import connect_to_redis

    redis = connect_to_redis()

    def clear() -> None:
        for key in redis.scan_iter(match="*afvalkalender*"):
            redis.delete(key)

    clear()
    yield
    clear()


@pytest.fixture
def clean_attenderingen_redis() -> Iterator[None]:
    """The alerts' confirmation limits count per address and client for a day: earlier tests' counts
    would refuse this test's subscriptions."""
    from ckan.lib.redis import connect_to_redis

    from ckanext.openoverheid.keys import key_prefix

    redis = connect_to_redis()

    def clear() -> None:
        for key in redis.scan_iter(match=key_prefix("attenderingen") + "*"):
            redis.delete(key)

    clear()
    yield
    clear()


@pytest.fixture
def clean_datastore_db() -> Iterator[None]:
    """Drop every DataStore table, so each test starts with an empty DataStore."""
    from ckanext.datastore.tests import helpers as datastore_helpers

    engine = datastore_helpers.db.get_write_engine()
    datastore_helpers.rebuild_all_dbs(
        datastore_helpers.orm.scoped_session(datastore_helpers.orm.sessionmaker(bind=engine))
    )
    yield


@pytest.fixture
def portal(clean_db: Any, clean_index: Any, with_plugins: Any, migrate_db_for: Any, clean_datastore_db: None) -> None:
    """A clean portal with the plugins of test.ini loaded and all their tables migrated."""
    for plugin in PLUGINS_WITH_MIGRATIONS:
        migrate_db_for(plugin)


@pytest.fixture
def sysadmin(portal: None) -> dict[str, Any]:
    from ckan.tests import factories

    user = factories.SysadminWithToken()
    return user


@pytest.fixture
def api(app: Any, sysadmin: dict[str, Any]):
    """Call the Action API over HTTP as the sysadmin: `api("package_create", name=...)`."""

    def call(action: str, _method: str = "POST", _token: str | None = sysadmin["token"], **data: Any) -> Any:
        headers = {"Authorization": _token} if _token else {}
        if _method == "GET":
            response = app.get(f"/api/3/action/{action}", query_string=data, headers=headers)
        else:
            response = app.post(f"/api/3/action/{action}", json=data, headers=headers)
        body = response.get_json(silent=True)
        if not isinstance(body, dict) or not body.get("success"):
            shown = body or response.get_data(as_text=True)[:500]
            raise AssertionError(f"{action} failed ({response.status_code}): {shown}")
        return body["result"]

    return call


@pytest.fixture
def log_in(app: Any) -> Any:
    """Log a user in through the login form as a browser would be: a session cookie, so CKAN checks the
    CSRF token of every form the test posts after it. Call with the user's name and password."""
    from bs4 import BeautifulSoup

    def log_in_as(name: str, password: str) -> None:
        login = BeautifulSoup(app.get("/user/login").get_data(as_text=True), "html.parser")
        token = login.select_one("input[name=_csrf_token]")["value"]
        response = app.post("/user/login", data={"login": name, "password": password, "_csrf_token": token})
        assert response.status_code == 200

    return log_in_as
