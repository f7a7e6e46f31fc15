"""The portal a functional test runs on, for tests/conftest.py and for modules that build one portal for
all their tests. A module of its own name: ``from conftest import ...`` in a test module finds whichever
``conftest`` pytest imported first (tests/browser has one too)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

# Plugins whose tables come from their own migrations, which CKAN's clean_db does not create.
PLUGINS_WITH_MIGRATIONS = ("activity", "harvest", "openoverheid_participatie", "openoverheid_attenderingen",
                           "openoverheid_verzoeken")


@contextlib.contextmanager
def module_portal(reset_db: Any, reset_index: Any, migrate_db_for: Any) -> Iterator[Any]:
    """One portal for a whole module whose tests only read: the plugins of test.ini loaded, database
    and index emptied, every plugin's tables migrated; yields a test app. Use it in a module-scoped
    fixture that fills the portal once (building an app per test costs more than most tests)."""
    import ckan.plugins as plugins
    from ckan.tests.helpers import _get_test_app

    plugins.load_all()
    reset_db()
    reset_index()
    for plugin in PLUGINS_WITH_MIGRATIONS:
        migrate_db_for(plugin)
    try:
        yield _get_test_app()
    finally:
        plugins.unload_all()
