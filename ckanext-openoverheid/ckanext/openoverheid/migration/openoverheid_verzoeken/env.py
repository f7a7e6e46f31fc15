"""Alembic environment of the plugin openoverheid_verzoeken (CKAN's layout for plugin migrations)."""

from ckanext.openoverheid.migration.plugin_env import run_migrations

run_migrations("openoverheid_verzoeken", ("openoverheid_verzoek",))
