"""A portal configured as before issue 16 (``harvest`` with ``openoverheid_vergunningen`` and
``openoverheid_afvalkalender``, which then also harvested) does not start: CKAN stops while loading
the plugins, with a message naming the plugins to add. Run as a real ``ckan`` command on test.ini."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CKAN = Path(sys.executable).with_name("ckan")
OLD_PLUGINS = ("openoverheid activity scheming_datasets dcat harvest openoverheid_afvalkalender "
               "openoverheid_vergunningen datastore")


def _ckan_with(plugins: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    ini = tmp_path / "plugins.ini"
    ini.write_text(f"[app:main]\nuse = config:{ROOT / 'test.ini'}\nckan.plugins = {plugins}\n", encoding="utf-8")
    return subprocess.run([str(CKAN), "-c", str(ini), "openoverheid", "--help"], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_the_configuration_of_before_stops_ckan_and_names_the_plugins_to_add(tmp_path: Path) -> None:
    result = _ckan_with(OLD_PLUGINS, tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output[-2000:]
    for plugin in ("openoverheid_harvest", "openoverheid_vergunningen_harvester",
                   "openoverheid_afvalkalender_harvester"):
        assert f"add {plugin}" in output or f"without {plugin}: add it" in output, output[-2000:]


def test_the_complete_configuration_starts(tmp_path: Path) -> None:
    plugins = OLD_PLUGINS + (" openoverheid_harvest openoverheid_vergunningen_harvester"
                             " openoverheid_afvalkalender_harvester")
    result = _ckan_with(plugins, tmp_path)
    assert result.returncode == 0, (result.stdout + result.stderr)[-2000:]
    assert "harvest-now" in result.stdout
