"""Alembic environment of the plugin openoverheid_participatie (CKAN's layout for plugin migrations)."""

from ckanext.openoverheid.migration.plugin_env import run_migrations

run_migrations("openoverheid_participatie", ("openoverheid_melding", "openoverheid_open311"))
