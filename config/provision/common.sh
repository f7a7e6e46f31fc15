# Shared helpers for the provisioning scripts. Sourced, never run.
# Every failure names its cause and the fix, and leaves nothing half-initialised behind.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VAR="${OPENOVERHEID_VAR:-$ROOT/var}"
VENV="${OPENOVERHEID_VENV:-$ROOT/.venv}"
mkdir -p "$VAR/run" "$VAR/log"

PG_VERSION=15
PG_PORT="${OPENOVERHEID_PG_PORT:-5432}"
REDIS_PORT="${OPENOVERHEID_REDIS_PORT:-6379}"
SOLR_PORT="${OPENOVERHEID_SOLR_PORT:-8983}"
SOLR_HOME="$ROOT/config/solr/home"
SOLR_LAUNCHER="$ROOT/config/solr/launcher"

say()  { printf '\033[1m==> %s\033[0m\n' "$*"; }
note() { printf '    %s\n' "$*"; }
die()  { printf '\033[31mERROR: %s\033[0m\n' "$1" >&2; shift; for line in "$@"; do printf '       %s\n' "$line" >&2; done; exit 1; }

need_root() {
  [ "$(id -u)" = 0 ] || die "installing $1 needs root" "run this command as root, or install $1 yourself and set the matching CKAN_* variable (see README)"
}

APT_UPDATED=0
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  need_root "${missing[*]}"
  say "Installing Debian packages: ${missing[*]}"
  if [ "$APT_UPDATED" = 0 ]; then
    apt-get update -qq >"$VAR/log/apt.log" 2>&1 || die "apt-get update failed" "see $VAR/log/apt.log"
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$VAR/log/apt.log" 2>&1 \
    || die "apt-get install ${missing[*]} failed" "see $VAR/log/apt.log"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...
  local seconds=$1 what=$2; shift 2
  local i
  for ((i = 0; i < seconds * 2; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  return 1
}

# Passwords for the local PostgreSQL roles: generated once and handed to libpq through a pgpass file,
# so that no password is ever written into a committed file. The cluster is the machine's, so the
# passwords are too: kept in $OPENOVERHEID_PG_SECRETS (default /var/lib/openoverheid/pg-secrets.env),
# with a copy in var/ for this checkout; two clones on one machine then agree on them.
PG_SECRETS="${OPENOVERHEID_PG_SECRETS:-/var/lib/openoverheid/pg-secrets.env}"
ensure_secrets() {
  local f="$VAR/secrets.env"
  umask 077
  if [ ! -s "$PG_SECRETS" ] && mkdir -p "$(dirname "$PG_SECRETS")" 2>/dev/null && [ -w "$(dirname "$PG_SECRETS")" ]; then
    if [ -s "$f" ]; then
      cp "$f" "$PG_SECRETS"
    else
      {
        echo "PG_CKAN_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
        echo "PG_DATASTORE_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
      } >"$PG_SECRETS"
    fi
  fi
  if [ -s "$PG_SECRETS" ]; then
    cmp -s "$PG_SECRETS" "$f" || cp "$PG_SECRETS" "$f"
  elif [ ! -s "$f" ]; then
    {
      echo "PG_CKAN_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
      echo "PG_DATASTORE_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
    } >"$f"
  fi
  umask 022
  # shellcheck disable=SC1090
  . "$f"
  umask 077
  cat >"$VAR/pgpass" <<PGPASS
127.0.0.1:$PG_PORT:*:ckan_default:$PG_CKAN_PASSWORD
localhost:$PG_PORT:*:ckan_default:$PG_CKAN_PASSWORD
127.0.0.1:$PG_PORT:*:datastore_default:$PG_DATASTORE_PASSWORD
localhost:$PG_PORT:*:datastore_default:$PG_DATASTORE_PASSWORD
PGPASS
  umask 022
  export PGPASSFILE="$VAR/pgpass"
}
