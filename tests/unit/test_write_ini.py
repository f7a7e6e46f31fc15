"""config/provision/write_ini.py: the portal's configuration as `make run` writes it."""

from __future__ import annotations

import configparser
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _write_ini(tmp_path: Path, monkeypatch, **env: str) -> configparser.RawConfigParser:
    for name in ("OPENOVERHEID_ALLOWED_PRIVATE_HOSTS", "CKAN_SMTP_SERVER"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("write_ini", ROOT / "config/provision/write_ini.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    secrets = tmp_path / "secrets.env"
    secrets.write_text("PG_CKAN_PASSWORD=a\nPG_DATASTORE_PASSWORD=b\n")
    output = tmp_path / "ckan.ini"
    assert module.main(["--template", str(ROOT / "config/ckan.ini.template"), "--output", str(output),
                        "--secrets-env", str(secrets), "--storage", str(tmp_path / "storage")]) == 0
    parser = configparser.RawConfigParser(strict=False)
    parser.read(output, encoding="utf-8")
    return parser


def test_the_portal_allows_no_private_hosts_and_mails_to_the_local_sink(tmp_path, monkeypatch):
    ini = _write_ini(tmp_path, monkeypatch)
    assert ini.get("app:main", "ckanext.openoverheid.allowed_private_hosts") == ""
    assert ini.get("app:main", "smtp.server") == "127.0.0.1:8025"


def test_a_real_mail_server_and_own_hosts_come_from_the_environment(tmp_path, monkeypatch):
    ini = _write_ini(tmp_path, monkeypatch, CKAN_SMTP_SERVER="smtp.gemeente.nl:587",
                     OPENOVERHEID_ALLOWED_PRIVATE_HOSTS="10.1.2.0/24 gis.intern:8443")
    assert ini.get("app:main", "smtp.server") == "smtp.gemeente.nl:587"
    assert ini.get("app:main", "ckanext.openoverheid.allowed_private_hosts") == "10.1.2.0/24 gis.intern:8443"
