#!/usr/bin/env bash
# Starts (or stops) the real services the portal runs on: PostgreSQL 15 and Redis 7 from Debian's
# packages, Solr 9.10.1 from Maven Central through our JettySolrRunner launcher, and a mail sink that
# keeps the portal's mail as .eml files in var/mail/ (config/provision/mailsink.py).
#
#   services.sh start   install what is missing, start what is not running, create roles/databases
#   services.sh stop    stop what this script started
#   services.sh status
#
# A service given by an environment variable is used as it is and never started or stopped here:
#   CKAN_SQLALCHEMY_URL (+ CKAN_DATASTORE_WRITE_URL/_READ_URL), CKAN_REDIS_URL, CKAN_SOLR_URL
# (and CKAN_TEST_* for the test suite), CKAN_SMTP_SERVER (a real mail server: no sink).
# `stop` also stops what `make run` serves: gunicorn, the harvest workers and their scheduler.
. "$(dirname "$0")/common.sh"

uses_local_postgres() { [ -z "${CKAN_SQLALCHEMY_URL:-}${CKAN_TEST_SQLALCHEMY_URL:-}" ]; }
uses_local_redis()    { [ -z "${CKAN_REDIS_URL:-}${CKAN_TEST_REDIS_URL:-}" ]; }
uses_local_solr()     { [ -z "${CKAN_SOLR_URL:-}${CKAN_TEST_SOLR_URL:-}" ]; }

# --- PostgreSQL -------------------------------------------------------------------------------
pg_status() { pg_lsclusters -h 2>/dev/null | awk -v v="$PG_VERSION" '$1 == v && $2 == "main" {print $4}'; }

psql_admin() { runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" "$@"; }

start_postgres() {
  apt_install "postgresql-$PG_VERSION" postgresql-client-common libpq-dev
  if [ -z "$(pg_status)" ]; then
    say "Creating PostgreSQL $PG_VERSION cluster 'main'"
    pg_createcluster "$PG_VERSION" main -p "$PG_PORT" >/dev/null
  fi
  if [ "$(pg_status)" != online ]; then
    if port_in_use "$PG_PORT"; then
      die "port $PG_PORT is taken by another program, so PostgreSQL cannot start" \
          "stop that program (see: ss -ltnp 'sport = :$PG_PORT'), or point CKAN_SQLALCHEMY_URL and" \
          "CKAN_DATASTORE_WRITE_URL/_READ_URL at an existing PostgreSQL"
    fi
    say "Starting PostgreSQL $PG_VERSION"
    pg_ctlcluster "$PG_VERSION" main start \
      || die "PostgreSQL did not start" "see /var/log/postgresql/postgresql-$PG_VERSION-main.log"
    touch "$VAR/run/postgres.started-by-us"
  fi
  ensure_secrets
  psql_admin -d postgres <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ckan_default') THEN
    CREATE ROLE ckan_default LOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'datastore_default') THEN
    CREATE ROLE datastore_default LOGIN;
  END IF;
END
\$\$;
ALTER ROLE ckan_default WITH LOGIN PASSWORD '$PG_CKAN_PASSWORD';
ALTER ROLE datastore_default WITH LOGIN PASSWORD '$PG_DATASTORE_PASSWORD';
SQL
  local db
  for db in ckan_default datastore_default ckan_test datastore_test; do
    if ! psql_admin -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
      note "creating database $db"
      psql_admin -d postgres -c "CREATE DATABASE $db OWNER ckan_default ENCODING 'UTF8' TEMPLATE template0"
    fi
  done
}

# --- Redis ------------------------------------------------------------------------------------
redis_ping() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; }

start_redis() {
  apt_install redis-server redis-tools
  if redis_ping; then return 0; fi
  if port_in_use "$REDIS_PORT"; then
    die "port $REDIS_PORT is taken by a program that is not Redis" \
        "stop it (see: ss -ltnp 'sport = :$REDIS_PORT'), or point CKAN_REDIS_URL at an existing Redis"
  fi
  say "Starting Redis on 127.0.0.1:$REDIS_PORT"
  mkdir -p "$VAR/redis"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes \
    --pidfile "$VAR/run/redis.pid" --dir "$VAR/redis" --logfile "$VAR/log/redis.log" \
    --save 60 1 --appendonly no >/dev/null
  wait_for 15 Redis redis_ping || die "Redis did not start" "see $VAR/log/redis.log"
}

# --- Solr -------------------------------------------------------------------------------------
solr_ping() { curl -fsS "http://127.0.0.1:$SOLR_PORT/solr/$1/admin/ping?wt=json" 2>/dev/null | grep -q '"OK"'; }

build_solr_launcher() {
  if [ -s "$SOLR_LAUNCHER/target/solr-launcher-1.0.0.jar" ] && [ -d "$SOLR_LAUNCHER/target/lib" ] \
     && [ "$SOLR_LAUNCHER/target/solr-launcher-1.0.0.jar" -nt "$SOLR_LAUNCHER/pom.xml" ]; then
    return 0
  fi
  command -v java >/dev/null || apt_install openjdk-17-jre-headless
  command -v mvn >/dev/null || apt_install maven openjdk-17-jdk-headless
  java -version 2>&1 | grep -Eq 'version "(1[7-9]|2[0-9])' \
    || die "Solr 9 needs Java 17 or newer, and $(java -version 2>&1 | head -1) was found" \
           "install openjdk-17-jre-headless (apt-get install openjdk-17-jre-headless) or put Java 17 first on PATH"
  say "Fetching Solr 9.10.1 from Maven Central and building the launcher (first run only)"
  (cd "$SOLR_LAUNCHER" && mvn -q -B package -Dmaven.test.skip=true) >"$VAR/log/solr-build.log" 2>&1 \
    || die "building the Solr launcher failed" "see $VAR/log/solr-build.log (is Maven Central reachable?)"
}

install_ckan_schema() {
  # CKAN's own schema.xml, taken from the installed CKAN so that index and code always match.
  local schema
  schema="$("$VENV/bin/python" -c 'import ckan, os; print(os.path.join(os.path.dirname(ckan.__file__), "config", "solr", "schema.xml"))')"
  [ -s "$schema" ] || die "CKAN's schema.xml was not found at $schema" "run 'make venv' first"
  cmp -s "$schema" "$SOLR_HOME/configsets/ckan/conf/schema.xml" || cp "$schema" "$SOLR_HOME/configsets/ckan/conf/schema.xml"
}

start_solr() {
  if solr_ping ckan && solr_ping ckan-test; then return 0; fi
  if port_in_use "$SOLR_PORT"; then
    die "port $SOLR_PORT is taken by a program that is not our Solr" \
        "stop it (see: ss -ltnp 'sport = :$SOLR_PORT'), or point CKAN_SOLR_URL at an existing Solr with CKAN's schema"
  fi
  build_solr_launcher
  install_ckan_schema
  say "Starting Solr 9.10.1 on 127.0.0.1:$SOLR_PORT"
  mkdir -p "$VAR/solr"
  nohup java -Xms256m -Xmx${SOLR_HEAP:-1g} \
    -Dhost=127.0.0.1 -Djetty.host=127.0.0.1 \
    -Dlog4j2.configurationFile="$ROOT/config/solr/log4j2.xml" \
    -Dsolr.log.dir="$VAR/log" -Dsolr.data.home="$VAR/solr" \
    -cp "$SOLR_LAUNCHER/target/solr-launcher-1.0.0.jar:$SOLR_LAUNCHER/target/lib/*" \
    nl.openoverheid.solr.Launcher "$SOLR_HOME" "$SOLR_PORT" >"$VAR/log/solr.log" 2>&1 &
  echo $! >"$VAR/run/solr.pid"
  if ! wait_for 90 Solr solr_ping ckan; then
    kill "$(cat "$VAR/run/solr.pid")" 2>/dev/null || true
    rm -f "$VAR/run/solr.pid"
    die "Solr did not answer within 90 s" "see $VAR/log/solr.log"
  fi
  # cores load in parallel: with many sandbox cores ckan-test may come a little after ckan
  wait_for 60 "Solr core ckan-test" solr_ping ckan-test \
    || die "Solr started but the core ckan-test is not available" "see $VAR/log/solr.log"
}

# --- mail sink --------------------------------------------------------------------------------
MAIL_PORT=8025
mail_sink_running() { [ -f "$VAR/run/mailsink.pid" ] && kill -0 "$(cat "$VAR/run/mailsink.pid")" 2>/dev/null; }

start_mail_sink() {
  if mail_sink_running; then return 0; fi
  if port_in_use "$MAIL_PORT"; then
    die "port $MAIL_PORT is taken by another program, so the mail sink cannot start" \
        "stop it (see: ss -ltnp 'sport = :$MAIL_PORT'), or set CKAN_SMTP_SERVER to a real mail server"
  fi
  mkdir -p "$VAR/mail"
  nohup "$VENV/bin/python" "$ROOT/config/provision/mailsink.py" --dir "$VAR/mail" --host 127.0.0.1 \
    --port "$MAIL_PORT" >>"$VAR/log/mailsink.log" 2>&1 &
  echo $! >"$VAR/run/mailsink.pid"
  wait_for 15 "mail sink" port_in_use "$MAIL_PORT" || die "the mail sink did not start" "see $VAR/log/mailsink.log"
  note "mail sink on 127.0.0.1:$MAIL_PORT: the portal's mail is kept in var/mail/*.eml"
}

stop_pidfile() {
  local name=$1 file=$2
  [ -f "$file" ] || return 0
  local pid; pid=$(cat "$file")
  if kill -0 "$pid" 2>/dev/null; then
    say "Stopping $name (pid $pid)"
    kill "$pid"
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

case "${1:-}" in
  start)
    uses_local_postgres && start_postgres || note "PostgreSQL: using the one given by CKAN_*SQLALCHEMY_URL"
    uses_local_redis && start_redis || note "Redis: using the one given by CKAN_*REDIS_URL"
    uses_local_solr && start_solr || note "Solr: using the one given by CKAN_*SOLR_URL"
    [ -z "${CKAN_SMTP_SERVER:-}" ] && start_mail_sink || note "Mail: sent to CKAN_SMTP_SERVER ($CKAN_SMTP_SERVER)"
    ensure_secrets
    ;;
  stop)
    # gunicorn first: SIGTERM lets the requests in flight finish (graceful_timeout in gunicorn.conf.py)
    stop_pidfile "the portal (gunicorn)" "$VAR/run/gunicorn.pid"
    for worker in gather-consumer fetch-consumer scheduler jobs-worker alerts-scheduler meldingen-scheduler; do
      stop_pidfile "harvest $worker" "$VAR/run/harvest-$worker.pid"
    done
    stop_pidfile "mail sink" "$VAR/run/mailsink.pid"
    stop_pidfile Solr "$VAR/run/solr.pid"
    if [ -f "$VAR/run/redis.pid" ]; then
      say "Stopping Redis"; redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || stop_pidfile Redis "$VAR/run/redis.pid"
      rm -f "$VAR/run/redis.pid"
    fi
    if [ -f "$VAR/run/postgres.started-by-us" ]; then
      say "Stopping PostgreSQL"; pg_ctlcluster "$PG_VERSION" main stop || true
      rm -f "$VAR/run/postgres.started-by-us"
    fi
    ;;
  status)
    echo "postgresql: $(pg_status || true)"
    redis_ping && echo "redis: online" || echo "redis: down"
    solr_ping ckan && echo "solr: online" || echo "solr: down"
    mail_sink_running && echo "mail sink: online (var/mail)" || echo "mail sink: down"
    [ -f "$VAR/run/gunicorn.pid" ] && kill -0 "$(cat "$VAR/run/gunicorn.pid")" 2>/dev/null \
      && echo "portal: online (gunicorn pid $(cat "$VAR/run/gunicorn.pid"))" || echo "portal: down"
    ;;
  *) die "usage: services.sh start|stop|status" ;;
esac
