#!/usr/bin/env bash
# The portal's set-up steps, called by the Makefile. Each step is idempotent and quick when done.
#
#   portal.sh venv        virtualenv with CKAN 2.12 and every pinned dependency
#   portal.sh configure   config/ckan.ini, database, DataStore permissions, migrations, sysadmin
#   portal.sh demo        Dutch demo content
#   portal.sh serve       CKAN under gunicorn on http://127.0.0.1:5000, in the foreground (docs/deploy.md)
#   portal.sh dev         CKAN's development server with the reloader, for developers
#   portal.sh test [ARGS] the whole test suite against the real services (test database, ckan-test core)
. "$(dirname "$0")/common.sh"

CKAN_INI="$ROOT/config/ckan.ini"
PY_WANTED=3.11

find_python() {
  local candidate
  for candidate in "${PYTHON:-}" python3.11 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
      echo "$candidate"; return 0
    fi
  done
  return 1
}

step_venv() {
  local stamp="$VENV/.openoverheid-installed"
  if [ -f "$stamp" ] && [ "$stamp" -nt "$ROOT/setup.py" ] && [ "$stamp" -nt "$ROOT/constraints.txt" ] \
     && [ "$stamp" -nt "$ROOT/requirements.txt" ]; then
    return 0
  fi
  apt_install libpq-dev libmagic1 gcc python3-dev gettext
  local python
  python=$(find_python) || {
    apt_install python3.11 python3.11-venv python3.11-dev
    python=$(find_python) || die "Python $PY_WANTED was not found" "install python3.11 or set PYTHON=/path/to/python3.11"
  }
  if [ ! -x "$VENV/bin/python" ]; then
    say "Creating the virtualenv in $VENV ($($python --version))"
    "$python" -m venv "$VENV" || die "could not create a virtualenv" "apt-get install python3.11-venv, or set PYTHON"
  fi
  say "Installing CKAN 2.12.0, its extensions and our packages (pinned in constraints.txt)"
  "$VENV/bin/pip" install -q --upgrade pip==26.3 setuptools==84.2.1 wheel==0.48.0 >"$VAR/log/pip.log" 2>&1 \
    || die "pip could not upgrade itself" "see $VAR/log/pip.log"
  "$VENV/bin/pip" install -q -c "$ROOT/constraints.txt" -r "$ROOT/requirements.txt" >>"$VAR/log/pip.log" 2>&1 \
    || die "installing the Python dependencies failed" "see $VAR/log/pip.log"
  "$VENV/bin/pip" install -q --no-deps -e "$ROOT" >>"$VAR/log/pip.log" 2>&1 \
    || die "installing ckanext-openoverheid failed" "see $VAR/log/pip.log"
  compile_translations
  touch "$stamp"
}

compile_translations() {
  local po
  for po in "$ROOT"/ckanext-openoverheid/ckanext/openoverheid/i18n/*/LC_MESSAGES/*.po; do
    [ -f "$po" ] || continue
    "$VENV/bin/pybabel" compile -i "$po" -o "${po%.po}.mo" >/dev/null 2>&1 || die "compiling $po failed" "fix the .po file"
  done
}

ckan() { "$VENV/bin/ckan" -c "$1" "${@:2}"; }

# DataStore permissions: CKAN prints the SQL, a superuser runs it (only for a local PostgreSQL).
datastore_permissions() {
  local ini=$1 db=$2
  if [ -n "${CKAN_DATASTORE_WRITE_URL:-}" ]; then
    note "DataStore: given by CKAN_DATASTORE_WRITE_URL; run 'ckan datastore set-permissions' there as a superuser"
    return 0
  fi
  ckan "$ini" datastore set-permissions 2>/dev/null \
    | runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -d "$db" >/dev/null \
    || die "setting DataStore permissions on $db failed" "see the SQL of 'ckan -c $ini datastore set-permissions'"
}

step_configure() {
  bash "$ROOT/config/provision/assets.sh"
  compile_translations
  ensure_secrets
  "$VENV/bin/python" "$ROOT/config/provision/write_ini.py" --template "$ROOT/config/ckan.ini.template" \
    --output "$CKAN_INI" --secrets-env "$VAR/secrets.env" --storage "$VAR/storage"
  say "Database: migrations of CKAN and its plugins"
  ckan "$CKAN_INI" db init >"$VAR/log/db.log" 2>&1 || die "ckan db init failed" "see $VAR/log/db.log"
  ckan "$CKAN_INI" db upgrade >>"$VAR/log/db.log" 2>&1 || die "ckan db upgrade failed" "see $VAR/log/db.log"
  datastore_permissions "$CKAN_INI" datastore_default
  ensure_sysadmin
  # Solr may have lost (or never had) what the database holds: index what is missing.
  ckan "$CKAN_INI" search-index rebuild --only-missing --quiet >>"$VAR/log/db.log" 2>&1 \
    || die "re-indexing in Solr failed" "see $VAR/log/db.log"
}

ensure_sysadmin() {
  if ckan "$CKAN_INI" user show admin 2>/dev/null | grep -q "name=admin"; then
    return 0
  fi
  local password="${CKAN_ADMIN_PASSWORD:-}"
  local printed=0
  if [ -z "$password" ]; then
    password="$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
    printed=1
  fi
  ckan "$CKAN_INI" user add admin email=admin@openoverheid.localhost password="$password" >>"$VAR/log/db.log" 2>&1 \
    || die "creating the sysadmin 'admin' failed" "see $VAR/log/db.log (CKAN_ADMIN_PASSWORD must be 8+ characters)"
  ckan "$CKAN_INI" sysadmin add admin >>"$VAR/log/db.log" 2>&1 || die "making 'admin' a sysadmin failed" "see $VAR/log/db.log"
  if [ "$printed" = 1 ]; then
    umask 077; echo "$password" >"$VAR/admin-password"; umask 022
    say "Sysadmin 'admin' created with password: $password (also in var/admin-password)"
  else
    say "Sysadmin 'admin' created with the password from CKAN_ADMIN_PASSWORD"
  fi
}

step_demo() {
  say "Demo content"
  ckan "$CKAN_INI" openoverheid demo 2> >(grep -v ' INFO ' >&2) || die "loading the demo content failed" "see the error above"
}

# Background work beside the web server: ckanext-harvest's gather and fetch consumers (rq on Redis) and a
# scheduler that starts due jobs (`ckan harvester run`, every OPENOVERHEID_HARVEST_INTERVAL seconds) and
# re-indexes what was saved while Solr was down (`ckan openoverheid reindex`); CKAN's job worker (`ckan jobs
# worker`: alert mails, meldingen maintenance), the schedulers of alerts (every minute) and meldingen (hourly),
# and the metadata quality's link check (daily).
start_harvest_workers() {
  mkdir -p "$VAR/run" "$VAR/log"
  "$VENV/bin/ckan" -c "$CKAN_INI" jobs worker >>"$VAR/log/jobs-worker.log" 2>&1 &
  echo $! >"$VAR/run/harvest-jobs-worker.pid"
  if grep -Eq '^ckan\.plugins *=.*(^| )openoverheid_attenderingen( |$)' "$CKAN_INI"; then
    "$VENV/bin/ckan" -c "$CKAN_INI" openoverheid attenderingen scheduler >>"$VAR/log/alerts-scheduler.log" 2>&1 &
    echo $! >"$VAR/run/harvest-alerts-scheduler.pid"
  fi
  if grep -Eq '^ckan\.plugins *=.*(^| )openoverheid_participatie( |$)' "$CKAN_INI"; then
    "$VENV/bin/ckan" -c "$CKAN_INI" openoverheid meldingen scheduler >>"$VAR/log/meldingen-scheduler.log" 2>&1 &
    echo $! >"$VAR/run/harvest-meldingen-scheduler.pid"
  fi
  local consumer harvest=0
  # A portal configured without ckanext-harvest (OPENOVERHEID_PLUGINS) only serves: no harvest workers.
  grep -Eq '^ckan\.plugins *=.*(^| )harvest( |$)' "$CKAN_INI" && harvest=1
  if [ "$harvest" = 1 ]; then
    for consumer in gather-consumer fetch-consumer; do
      "$VENV/bin/ckan" -c "$CKAN_INI" harvester "$consumer" >>"$VAR/log/harvest-$consumer.log" 2>&1 &
      echo $! >"$VAR/run/harvest-$consumer.pid"
    done
  fi
  # The metadata quality's link check (issue 22): once the portal answers, then every
  # OPENOVERHEID_LINK_CHECK_INTERVAL seconds (a day); the results are kept with their date.
  (
    for _ in $(seq 1 120); do
      curl -fsS -o /dev/null "http://${OPENOVERHEID_BIND:-127.0.0.1:5000}/api/3/action/status_show" 2>/dev/null && break
      sleep 1
    done
    while true; do
      "$VENV/bin/ckan" -c "$CKAN_INI" openoverheid quality check-links >>"$VAR/log/link-check.log" 2>&1
      sleep "${OPENOVERHEID_LINK_CHECK_INTERVAL:-86400}"
    done
  ) &
  echo $! >"$VAR/run/harvest-link-check.pid"
  (
    while sleep "${OPENOVERHEID_HARVEST_INTERVAL:-300}"; do
      if [ "$harvest" = 1 ]; then
        "$VENV/bin/ckan" -c "$CKAN_INI" harvester run >>"$VAR/log/harvest-run.log" 2>&1
      fi
      # datasets saved while Solr was unreachable are indexed once it answers again
      "$VENV/bin/ckan" -c "$CKAN_INI" openoverheid reindex >>"$VAR/log/reindex.log" 2>&1
    done
  ) &
  echo $! >"$VAR/run/harvest-scheduler.pid"
  if [ "$harvest" = 1 ]; then
    note "harvest workers, job worker and schedulers started (logs: var/log/harvest-*.log, jobs-worker.log, alerts-scheduler.log)"
  else
    note "no 'harvest' in ckan.plugins: serving only, no harvest workers (re-indexing still scheduled)"
  fi
}

stop_harvest_workers() {
  local name pid
  for name in gather-consumer fetch-consumer scheduler jobs-worker alerts-scheduler meldingen-scheduler link-check; do
    [ -f "$VAR/run/harvest-$name.pid" ] || continue
    pid=$(cat "$VAR/run/harvest-$name.pid")
    kill "$pid" 2>/dev/null || true
    rm -f "$VAR/run/harvest-$name.pid"
  done
}

# The production server: gunicorn with the settings of config/provision/gunicorn.conf.py (workers
# and threads from the number of cores, OPENOVERHEID_WORKERS/OPENOVERHEID_THREADS to change, access
# log var/log/access.log, pid file var/run/gunicorn.pid). In the foreground: Ctrl-C stops it at once,
# `make stop` (SIGTERM) lets the requests in flight finish first.
step_serve() {
  if [ -f "$VAR/run/gunicorn.pid" ] && kill -0 "$(cat "$VAR/run/gunicorn.pid")" 2>/dev/null; then
    die "the portal is already running (gunicorn pid $(cat "$VAR/run/gunicorn.pid"))" "stop it first: make stop"
  fi
  if port_in_use 5000; then
    die "port 5000 is taken by another program, so the portal cannot start" \
        "stop that program (see: ss -ltnp 'sport = :5000'), or set OPENOVERHEID_BIND=127.0.0.1:PORT"
  fi
  # Build the CSS/JS bundles once, before any request: otherwise the first requests of a worker's
  # threads build them at the same time, and one may answer 500 (webassets' "Cannot find version").
  ckan "$CKAN_INI" asset build >"$VAR/log/assets.log" 2>&1 || die "building the web assets failed" "see $VAR/log/assets.log"
  stop_harvest_workers
  start_harvest_workers
  trap stop_harvest_workers EXIT INT TERM
  say "Open Overheid runs on http://${OPENOVERHEID_BIND:-127.0.0.1:5000} (gunicorn; stop with Ctrl-C or 'make stop')"
  note "access log: var/log/access.log; mail the portal sends: var/mail/*.eml"
  CKAN_INI="$CKAN_INI" "$VENV/bin/gunicorn" --config "$ROOT/config/provision/gunicorn.conf.py"
}

# For developers: CKAN's own server, restarted on every code change (never put this online).
step_dev() {
  stop_harvest_workers
  start_harvest_workers
  trap stop_harvest_workers EXIT INT TERM
  say "Open Overheid (development server, reloads on changes) on http://127.0.0.1:5000 (stop with Ctrl-C)"
  "$VENV/bin/ckan" -c "$CKAN_INI" run -H 127.0.0.1 -p 5000
}

# The test suite uses its own database, DataStore, Solr core and Redis db, never those of `make run`.
step_test() {
  ensure_secrets
  export PGPASSFILE="$VAR/pgpass"
  export CKAN_SQLALCHEMY_URL="${CKAN_TEST_SQLALCHEMY_URL:-}"
  export CKAN_DATASTORE_WRITE_URL="${CKAN_TEST_DATASTORE_WRITE_URL:-}"
  export CKAN_DATASTORE_READ_URL="${CKAN_TEST_DATASTORE_READ_URL:-}"
  export CKAN_SOLR_URL="${CKAN_TEST_SOLR_URL:-}"
  export CKAN_REDIS_URL="${CKAN_TEST_REDIS_URL:-}"
  for v in CKAN_SQLALCHEMY_URL CKAN_DATASTORE_WRITE_URL CKAN_DATASTORE_READ_URL CKAN_SOLR_URL CKAN_REDIS_URL; do
    [ -n "${!v}" ] || unset "$v"
  done
  local ini="$ROOT/test.ini"
  bash "$ROOT/config/provision/assets.sh"
  apt_install chromium fonts-dejavu-core  # browser tests drive Debian's Chromium, never a downloaded one
  compile_translations
  mkdir -p "$VAR/test-storage"
  say "Test database: migrations and DataStore permissions"
  ckan "$ini" db init >"$VAR/log/test-db.log" 2>&1 || die "ckan db init on the test database failed" "see $VAR/log/test-db.log"
  ckan "$ini" db upgrade >>"$VAR/log/test-db.log" 2>&1 || die "ckan db upgrade on the test database failed" "see $VAR/log/test-db.log"
  datastore_permissions "$ini" datastore_test
  say "Running the test suite"
  cd "$ROOT"
  "$VENV/bin/python" -m pytest --ckan-ini="$ini" "$@"
}

case "${1:-}" in
  venv) step_venv ;;
  configure) step_configure ;;
  demo) step_demo ;;
  serve) step_serve ;;
  dev) step_dev ;;
  test) shift; step_test "$@" ;;
  *) die "usage: portal.sh venv|configure|demo|serve|dev|test" ;;
esac
