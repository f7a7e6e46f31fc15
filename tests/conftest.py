"""Shared fixtures. Functional tests run on the real PostgreSQL, Solr and Redis that `make test`
starts; nothing here mocks a service."""

from __future__ import annotations

import functools
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


# The configuration as the last full update left it (``environment.update_config``, which CKAN runs
# whenever plugins are loaded or unloaded): plugins loaded with the same configuration are kept.
_configured: dict[str, Any] | None = None
_kept_loaded = False


@pytest.fixture(scope="session", autouse=True)
def _remember_the_configuration_of_each_update() -> Iterator[None]:
    import ckan.config.environment as environment
    from ckan.common import config

    original = environment.update_config

    def update_config() -> None:
        global _configured
        original()
        _configured = dict(config)

    environment.update_config = update_config
    yield
    environment.update_config = original


@pytest.fixture
def with_plugins(ckan_config: Any, monkeypatch: Any, request: Any) -> Iterator[None]:
    """CKAN's ``with_plugins``, without reloading what is loaded already. CKAN's reloads every plugin
    before and after each test: three full configuration updates, a third of the suite's time. Here the
    plugins are loaded only when the list asked for (test.ini's plus ``with_plugins`` marks) or the
    configuration differs from the last load, and unloaded at the end of the module."""
    global _kept_loaded
    import ckan.plugins as plugins
    from ckan.plugins import core

    names = [name for mark in request.node.iter_markers("with_plugins") for name in mark.args]
    assert all(isinstance(name, str) for name in names), "with_plugins marks take plugin names here"
    current = ckan_config["ckan.plugins"]
    if isinstance(current, str):
        current = current.split()
    monkeypatch.setitem(ckan_config, "ckan.plugins", current + names)
    if core._PLUGINS != current + names or _configured != dict(ckan_config):
        plugins.load_all()
    _kept_loaded = True
    yield


_built_app: Any = None
_built_with: dict[str, Any] | None = None


@pytest.fixture
def make_app(ckan_config: Any) -> Any:
    """CKAN's ``make_app``, building the web application again only when the configuration changed
    since the last one was built (building it runs a full configuration update: half of a test's
    set-up). Each test still gets its own client, so no cookie or session passes between tests."""
    from ckan.lib.app_globals import _CONFIG_CACHE
    from ckan.tests.helpers import CKANTestApp, _get_test_app

    _CONFIG_CACHE.clear()

    def factory() -> Any:
        global _built_app, _built_with
        if _built_app is not None and _built_with is _configured and _configured == dict(ckan_config):
            return CKANTestApp(_built_app.app)
        _built_app = _get_test_app()
        _built_with = _configured
        return _built_app

    return factory


@pytest.fixture(scope="module", autouse=True)
def _plugins_unloaded_after_each_module() -> Iterator[None]:
    """As CKAN's ``with_plugins`` leaves it: the next module's tests start without plugins."""
    global _kept_loaded
    yield
    if _kept_loaded:
        import ckan.plugins as plugins

        plugins.unload_all()
        _kept_loaded = False


@pytest.fixture
def portal(clean_db: Any, clean_index: Any, with_plugins: Any, migrate_db_for: Any, clean_datastore_db: None) -> None:
    """A clean portal with the plugins of test.ini loaded and all their tables migrated."""
    for plugin in PLUGINS_WITH_MIGRATIONS:
        if not _migrated(plugin):
            migrate_db_for(plugin)


@functools.cache
def _newest_migration(plugin: str) -> str | None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from ckan.cli.db import _resolve_alembic_config

    return ScriptDirectory.from_config(Config(_resolve_alembic_config(plugin))).get_current_head()


def _migrated(plugin: str) -> bool:
    """Whether ``plugin``'s tables are at its newest migration: ``clean_db`` deletes the rows and keeps
    the tables, so after the first test they usually are, and running alembic again costs a quarter of
    a test's set-up."""
    import sqlalchemy as sa
    from ckan.model import ensure_engine

    try:
        with ensure_engine().connect() as connection:
            current = connection.execute(sa.text(f'SELECT version_num FROM "{plugin}_alembic_version"')).scalar()
    except sa.exc.ProgrammingError:  # no such table: the database was dropped and created again
        return False
    return current is not None and current == _newest_migration(plugin)


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
