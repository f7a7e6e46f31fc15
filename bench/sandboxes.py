"""The benchmark's own databases, Solr cores and CKAN configurations, never the portal's or the tests'.

Each sandbox is made by ``config/provision/sandbox.sh NAME`` (databases ``ckan_test_NAME`` and
``datastore_test_NAME``, Solr core ``ckan-test-NAME``) and gets an ini file in ``var/bench/``:

* ``ours``: the plugins and settings of ``test.ini`` (our schema, DCAT profile, harvesters, meldingen);
* ``stock``: CKAN 2.12 as it comes — ``ckan.plugins = activity`` (CKAN's default), its own dataset
  schema, none of our plugins.

The quick run (``--size quick``) uses sandboxes of its own (``benchq_*``), so its small catalogues
never mix with the full run's cached ones; the national run (``--size national``) has its own large
ones (``benchn_*``) and shares the full run's others.
"""

from __future__ import annotations

import configparser
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = Path(os.environ.get("OPENOVERHEID_VAR", ROOT / "var"))
BENCH_VAR = VAR / "bench"
VENV = Path(os.environ.get("OPENOVERHEID_VENV", ROOT / ".venv"))
PYTHON = VENV / "bin" / "python"
PG_PORT = int(os.environ.get("OPENOVERHEID_PG_PORT", "5432"))
REDIS_PORT = int(os.environ.get("OPENOVERHEID_REDIS_PORT", "6379"))
SOLR_PORT = int(os.environ.get("OPENOVERHEID_SOLR_PORT", "8983"))
SITE_URL = "http://bench.openoverheid.localhost"

# The municipality whose area the meldingen and the vergunningen lie in (the sample generator's Utrecht).
MELDINGEN_AREAS = "gemeente-utrecht=4.97,52.02,5.20,52.14"

# Keys of test.ini's [app:main] that belong to our plugins or to the test set-up: stock leaves them out.
_OURS_ONLY_PREFIXES = ("scheming.", "ckanext.", "ckan.harvest.", "ckan.datastore.")
_REPLACED = {"testing", "use", "sqlalchemy.url", "solr_url", "ckan.redis.url", "ckan.site_url", "ckan.site_id",
             "ckan.site_title", "ckan.storage_path", "ckan.datastore.write_url", "ckan.datastore.read_url",
             "ckan.search.solr_commit", "ckan.plugins", "debug"}


@dataclass(frozen=True)
class Sandbox:
    """One benchmark site: a flavour of configuration on its own databases and Solr core."""

    name: str  # sandbox.sh NAME: ckan_test_NAME, datastore_test_NAME, ckan-test-NAME
    flavour: str  # "ours" or "stock"
    redis_db: int

    @property
    def ini(self) -> Path:
        return BENCH_VAR / f"{self.name}.ini"

    @property
    def site_id(self) -> str:
        """``ckan.site_id``: the first part of every Redis key the site writes (``keys.key_prefix``)."""
        return f"openoverheid-{self.name}"

    @property
    def database(self) -> str:
        return f"ckan_test_{self.name}"

    @property
    def datastore(self) -> str:
        return f"datastore_test_{self.name}"

    @property
    def core(self) -> str:
        return f"ckan-test-{self.name}"

    @property
    def database_url(self) -> str:
        return f"postgresql://ckan_default@127.0.0.1:{PG_PORT}/{self.database}"

    @property
    def datastore_read_url(self) -> str:
        return f"postgresql://datastore_default@127.0.0.1:{PG_PORT}/{self.datastore}"


def sandboxes(size: str) -> dict[str, Sandbox]:
    """The sites of a run of ``size`` (bench.sizes): ``ours`` and ``stock`` (the API comparison, same
    data), ``big`` (the large export, the geo tables, the loads) and ``bigstock`` (stock CKAN with the
    same catalogue, for the search under load), ``harvest`` (emptied before each harvest) and ``mid``
    (what the large export is compared with: ``big`` itself, or for ``national`` the full run's ``big``).

    ``national`` has only its own ``big`` and ``bigstock``; its other sites are the full run's."""
    prefix = {"quick": "benchq", "full": "bench", "national": "benchn"}[size]
    common = "benchq" if size == "quick" else "bench"
    base = 8 if size == "quick" else 12
    big = Sandbox(f"{prefix}_big", "ours", {"quick": 10, "full": 14, "national": 6}[size])
    # stock CKAN keeps nothing of its own in Redis beyond rq's queues: the two stock sites share one database
    boxes = {
        "ours": Sandbox(f"{common}_ours", "ours", base),
        "stock": Sandbox(f"{common}_stock", "stock", base + 1),
        "big": big,
        "bigstock": Sandbox(f"{prefix}_bigst", "stock", 5 if size == "national" else base + 1),
        "harvest": Sandbox(f"{common}_harv", "ours", base + 3),
    }
    boxes["mid"] = Sandbox("bench_big", "ours", 14) if size == "national" else big
    return boxes


def clean_env() -> dict[str, str]:
    """This process's environment without CKAN's own variables (CKAN_SQLALCHEMY_URL and the like
    override an ini file, and would point a benchmark at someone else's database)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("CKAN_")}
    env["PGPASSFILE"] = str(VAR / "pgpass")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("PYTHONHASHSEED", "0")
    return env


def run_in_site(box: Sandbox, code: str, *args: str) -> str:
    """Run ``code`` in a child process with the sandbox's CKAN loaded (``bench.site.open_site``), so
    that the calling process never loads CKAN; ``sys.argv[2:]`` are ``args``. Its standard output."""
    script = f"import sys; from bench.site import open_site; open_site(sys.argv[1]); {code}"
    done = subprocess.run([str(PYTHON), "-c", script, str(box.ini), *args], env=clean_env(), capture_output=True,
                          text=True, check=True, cwd=ROOT)
    return done.stdout


def _test_ini_app_main() -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keep the keys' case
    parser.read(ROOT / "test.ini", encoding="utf-8")
    return dict(parser["app:main"])


def ini_text(box: Sandbox) -> str:
    """The ini file of ``box``: test.ini's settings for ``ours``, CKAN's defaults for ``stock``,
    pointed at the sandbox's databases, core and Redis db."""
    settings = {k: v for k, v in _test_ini_app_main().items() if k not in _REPLACED}
    if box.flavour == "stock":
        settings = {k: v for k, v in settings.items() if not k.startswith(_OURS_ONLY_PREFIXES)}
        plugins = "activity"
    else:
        plugins = _test_ini_app_main()["ckan.plugins"]
        settings.update({
            "ckan.datastore.write_url": f"postgresql://ckan_default@127.0.0.1:{PG_PORT}/{box.datastore}",
            "ckan.datastore.read_url": box.datastore_read_url,
            "ckan.datastore.sqlsearch.enabled": "true",
            "ckanext.openoverheid.meldingen.areas": MELDINGEN_AREAS,
            # the load runs thousands of reports from one client: rate limits are not what it measures
            "ckanext.openoverheid.meldingen.rate_limit": "100000000",
            "ckanext.openoverheid.open311.rate_limit": "100000000",
            "ckanext.dcat.base_uri": SITE_URL,
        })
    lines = [
        f"# Written by bench/sandboxes.py for the benchmark site {box.name} ({box.flavour}); do not edit.",
        "[app:main]",
        "use = egg:ckan",
        f"ckan.site_url = {SITE_URL}",
        f"ckan.site_id = {box.site_id}",
        f"ckan.site_title = Open Overheid ({box.name})",
        f"sqlalchemy.url = {box.database_url}",
        f"solr_url = http://127.0.0.1:{SOLR_PORT}/solr/{box.core}",
        f"ckan.redis.url = redis://127.0.0.1:{REDIS_PORT}/{box.redis_db}",
        f"ckan.storage_path = {BENCH_VAR / 'storage' / box.name}",
        # Solr commits on its own every second (autoSoftCommit): no commit per dataset while loading
        "ckan.search.solr_commit = false",
        f"ckan.plugins = {plugins}",
    ]
    lines += [f"{key} = {value}" for key, value in settings.items()]
    lines += [
        "",
        "[loggers]", "keys = root", "",
        "[handlers]", "keys = console", "",
        "[formatters]", "keys = generic", "",
        "[logger_root]", "level = WARN", "handlers = console", "",
        "[handler_console]", "class = StreamHandler", "args = (sys.stderr,)", "level = NOTSET",
        "formatter = generic", "",
        "[formatter_generic]", "format = %(asctime)s %(levelname)-5.5s [%(name)s] %(message)s", "",
    ]
    return "\n".join(lines)


def prepare(box: Sandbox) -> None:
    """Databases, core and migrations (sandbox.sh, idempotent), then the ini file."""
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    (BENCH_VAR / "storage" / box.name).mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["bash", str(ROOT / "config/provision/sandbox.sh"), box.name, str(box.redis_db)],
        env=clean_env(), capture_output=True, text=True, check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"config/provision/sandbox.sh {box.name} failed:\n{done.stderr.strip()}")
    text = ini_text(box)
    if not box.ini.exists() or box.ini.read_text(encoding="utf-8") != text:
        box.ini.write_text(text, encoding="utf-8")
