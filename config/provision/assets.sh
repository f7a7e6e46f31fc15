#!/usr/bin/env bash
# Front-end libraries from npm (package.json, pinned in package-lock.json): Leaflet and
# leaflet.markercluster for the meldingen maps, the NL Design System components (Utrecht's component
# library CSS, EUPL-1.2; its design tokens are Utrecht's proprietary brand, so ours are our own). Copies their dist files into
# ckanext-openoverheid/ckanext/openoverheid/public/vendor/ (git-ignored), where the templates load
# them from. Idempotent and quick when done. The pages work without them (list and typed location).
. "$(dirname "$0")/common.sh"

VENDOR="$ROOT/ckanext-openoverheid/ckanext/openoverheid/public/vendor"
stamp="$VENDOR/.installed"
if [ -f "$stamp" ] && [ "$stamp" -nt "$ROOT/package.json" ] && [ "$stamp" -nt "$ROOT/package-lock.json" ]; then
  exit 0
fi
if ! command -v npm >/dev/null; then
  apt_install nodejs npm
fi
command -v npm >/dev/null || die "npm is not installed" "apt-get install nodejs npm"
say "Front-end libraries from npm (Leaflet, leaflet.markercluster, NL Design System CSS)"
cd "$ROOT"
if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund --silent >"$VAR/log/npm.log" 2>&1 || die "npm ci failed" "see $VAR/log/npm.log"
else
  npm install --no-audit --no-fund --silent >"$VAR/log/npm.log" 2>&1 || die "npm install failed" "see $VAR/log/npm.log"
fi
rm -rf "$VENDOR/leaflet" "$VENDOR/leaflet.markercluster" "$VENDOR/utrecht"
mkdir -p "$VENDOR/leaflet" "$VENDOR/leaflet.markercluster" "$VENDOR/utrecht"
cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images \
  node_modules/leaflet/LICENSE "$VENDOR/leaflet/" || die "Leaflet's dist files are missing" "rm -rf node_modules and run again"
cp node_modules/leaflet.markercluster/dist/leaflet.markercluster.js node_modules/leaflet.markercluster/dist/MarkerCluster.css \
  node_modules/leaflet.markercluster/dist/MarkerCluster.Default.css node_modules/leaflet.markercluster/MIT-LICENCE.txt \
  "$VENDOR/leaflet.markercluster/" || die "leaflet.markercluster's dist files are missing" "rm -rf node_modules and run again"
cp node_modules/@utrecht/component-library-css/dist/index.css "$VENDOR/utrecht/component-library.css" \
  && cp node_modules/@utrecht/component-library-css/LICENSE.md "$VENDOR/utrecht/LICENSE.md" \
  || die "the NL Design System CSS (@utrecht/component-library-css) is missing" "rm -rf node_modules and run again"
touch "$stamp"
