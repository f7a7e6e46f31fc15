#!/usr/bin/env bash
# A private test sandbox on the local services, so that several developers (or agents) can run the
# functional tests at once without emptying each other's database:
#
#   eval "$(bash config/provision/sandbox.sh NAME REDIS_DB)"   # e.g. sandbox.sh anna 5
#   bash config/provision/portal.sh test tests/functional -q
#
# It creates the databases ckan_test_NAME and datastore_test_NAME, the Solr core ckan-test-NAME
# (from the ckan configset) and prints the CKAN_TEST_* variables that point `make test` at them.
. "$(dirname "$0")/common.sh"

name=${1:?usage: sandbox.sh NAME REDIS_DB}
redis_db=${2:?usage: sandbox.sh NAME REDIS_DB}
[[ "$name" =~ ^[a-z0-9_]+$ ]] || die "sandbox name must be lower-case letters, digits or _" "e.g. sandbox.sh anna 5"

ensure_secrets
for db in "ckan_test_$name" "datastore_test_$name"; do
  if ! runuser -u postgres -- psql -X -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
    runuser -u postgres -- psql -X -q -c "CREATE DATABASE $db OWNER ckan_default ENCODING 'UTF8' TEMPLATE template0" >&2
  fi
done
core="ckan-test-$name"
if ! curl -fsS "http://127.0.0.1:$SOLR_PORT/solr/$core/admin/ping?wt=json" >/dev/null 2>&1; then
  curl -fsS "http://127.0.0.1:$SOLR_PORT/solr/admin/cores?action=CREATE&name=$core&configSet=ckan&wt=json" >/dev/null \
    || die "could not create the Solr core $core" "is Solr running? bash config/provision/services.sh start"
fi
pg="127.0.0.1:$PG_PORT"
write="postgresql://ckan_default@$pg/datastore_test_$name"
VENV_CKAN="$VENV/bin/ckan"
CKAN_SQLALCHEMY_URL="postgresql://ckan_default@$pg/ckan_test_$name" CKAN_DATASTORE_WRITE_URL="$write" \
  CKAN_DATASTORE_READ_URL="postgresql://datastore_default@$pg/datastore_test_$name" \
  "$VENV_CKAN" -c "$ROOT/test.ini" db init >/dev/null 2>&1
CKAN_SQLALCHEMY_URL="postgresql://ckan_default@$pg/ckan_test_$name" CKAN_DATASTORE_WRITE_URL="$write" \
  CKAN_DATASTORE_READ_URL="postgresql://datastore_default@$pg/datastore_test_$name" \
  "$VENV_CKAN" -c "$ROOT/test.ini" datastore set-permissions 2>/dev/null \
  | runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -d "datastore_test_$name" >/dev/null
cat <<ENV
export PGPASSFILE="$VAR/pgpass"
export CKAN_TEST_SQLALCHEMY_URL="postgresql://ckan_default@$pg/ckan_test_$name"
export CKAN_TEST_DATASTORE_WRITE_URL="$write"
export CKAN_TEST_DATASTORE_READ_URL="postgresql://datastore_default@$pg/datastore_test_$name"
export CKAN_TEST_SOLR_URL="http://127.0.0.1:$SOLR_PORT/solr/$core"
export CKAN_TEST_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/$redis_db"
ENV
