"""The Alembic environment of our plugins' migrations, written once: each plugin's ``env.py`` (CKAN finds
it by plugin name, ``migration/<plugin>/``) calls ``run_migrations`` with its name and the tables it owns.

Each plugin keeps its versions in its own table, ``<plugin>_alembic_version``, and autogenerate looks only
at the tables whose names start with the plugin's prefixes (so one plugin never proposes to drop another's).
"""

from __future__ import annotations

from collections.abc import Sequence
from logging.config import fileConfig
from typing import Any

from alembic import context
from ckan.model.meta import metadata
from sqlalchemy import engine_from_config, pool


def run_migrations(plugin: str, table_prefixes: Sequence[str]) -> None:
    config = context.config
    if config.config_file_name:
        fileConfig(config.config_file_name)

    def include_object(object_: Any, object_name: str, type_: str, reflected: bool, compare_to: Any) -> bool:
        return not (type_ == "table" and not object_name.startswith(tuple(table_prefixes)))

    options = {"target_metadata": metadata, "version_table": f"{plugin}_alembic_version",
               "include_object": include_object}
    if context.is_offline_mode():
        context.configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True, **options)
        with context.begin_transaction():
            context.run_migrations()
        return
    connectable = engine_from_config(config.get_section(config.config_ini_section) or {}, prefix="sqlalchemy.",
                                     poolclass=pool.NullPool)
    with connectable.connect() as connection:
        context.configure(connection=connection, **options)
        with context.begin_transaction():
            context.run_migrations()
