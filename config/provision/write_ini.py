"""Write config/ckan.ini from config/ckan.ini.template.

Secrets are generated on the first run and read back from the existing file afterwards, so
re-running keeps sessions and API tokens valid. Service URLs come from the environment
(CKAN_SQLALCHEMY_URL, ...) or default to the local services that services.sh starts.
"""

from __future__ import annotations

import argparse
import configparser
import os
import secrets
import string
import sys
from pathlib import Path

SECRET_OPTIONS = {
    "secret_key": "SECRET_KEY",
    "csrf_secret": "WTF_CSRF_SECRET_KEY",
    "jwt_secret": "api_token.jwt.encode.secret",
}
DEFAULT_PLUGINS = (
    "openoverheid activity scheming_datasets scheming_organizations dcat harvest openoverheid_harvest "
    "openoverheid_afvalkalender openoverheid_afvalkalender_harvester openoverheid_vergunningen "
    "openoverheid_vergunningen_harvester openoverheid_dcat_harvester openoverheid_ckan_harvester "
    "datastore datatables_view text_view image_view "
    "openoverheid_participatie "
    "openoverheid_woo openoverheid_attenderingen openoverheid_verzoeken"
)


def existing_secrets(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    parser = configparser.RawConfigParser(strict=False)
    parser.read(path, encoding="utf-8")
    found = {}
    for key, option in SECRET_OPTIONS.items():
        value = parser.get("app:main", option, fallback="")
        if value.startswith("string:"):
            value = value[len("string:") :]
        if value:
            found[key] = value
    return found


def local_pg_url(role: str, password: str, database: str) -> str:
    port = os.environ.get("OPENOVERHEID_PG_PORT", "5432")
    return f"postgresql://{role}:{password}@127.0.0.1:{port}/{database}"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--template", type=Path, required=True)
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--secrets-env", type=Path, required=True, help="var/secrets.env from services.sh")
    parser.add_argument("--storage", type=Path, required=True)
    args = parser.parse_args(argv)

    pg = dict(line.split("=", 1) for line in args.secrets_env.read_text().split() if "=" in line)
    kept = existing_secrets(args.output)
    values = {key: kept.get(key) or secrets.token_urlsafe(32) for key in SECRET_OPTIONS}
    env = os.environ
    solr_port = env.get("OPENOVERHEID_SOLR_PORT", "8983")
    redis_port = env.get("OPENOVERHEID_REDIS_PORT", "6379")
    values.update(
        site_url=env.get("CKAN_SITE_URL", "http://127.0.0.1:5000"),
        site_id=env.get("CKAN_SITE_ID", "openoverheid"),
        sqlalchemy_url=env.get("CKAN_SQLALCHEMY_URL")
        or local_pg_url("ckan_default", pg.get("PG_CKAN_PASSWORD", ""), "ckan_default"),
        datastore_write_url=env.get("CKAN_DATASTORE_WRITE_URL")
        or local_pg_url("ckan_default", pg.get("PG_CKAN_PASSWORD", ""), "datastore_default"),
        datastore_read_url=env.get("CKAN_DATASTORE_READ_URL")
        or local_pg_url("datastore_default", pg.get("PG_DATASTORE_PASSWORD", ""), "datastore_default"),
        solr_url=env.get("CKAN_SOLR_URL", f"http://127.0.0.1:{solr_port}/solr/ckan"),
        redis_url=env.get("CKAN_REDIS_URL", f"redis://127.0.0.1:{redis_port}/0"),
        plugins=env.get("OPENOVERHEID_PLUGINS", DEFAULT_PLUGINS),
        allowed_private_hosts=env.get("OPENOVERHEID_ALLOWED_PRIVATE_HOSTS", ""),
        storage_path=str(args.storage),
        smtp_server=env.get("CKAN_SMTP_SERVER", "127.0.0.1:8025"),
        smtp_mail_from=env.get("CKAN_SMTP_MAIL_FROM", "noreply@openoverheid.localhost"),
    )
    text = string.Template(args.template.read_text(encoding="utf-8")).substitute(values)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.storage.mkdir(parents=True, exist_ok=True)
    tmp = args.output.with_suffix(".ini.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.chmod(tmp, 0o600)
    tmp.replace(args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
