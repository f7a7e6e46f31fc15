# Open Overheid: the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
PROVISION := config/provision

.PHONY: run dev test stop venv services configure demo serve lint status help i18n-extract screenshots

help:
	@echo "make run    - install everything, start PostgreSQL/Redis/Solr and the mail sink, load demo data,"
	@echo "              serve on http://127.0.0.1:5000 with gunicorn (OPENOVERHEID_WORKERS to change)"
	@echo "make dev    - the same, served by CKAN's development server with the reloader"
	@echo "make test   - the same services, then the whole test suite (ARGS='-k foo' to select)"
	@echo "make stop   - stop the portal, the harvest workers, the mail sink and the services make run/test started"
	@echo "make lint   - ruff and mypy"
	@echo "make screenshots - PNGs of the main pages at 390x844 and 1280x900 in var/screenshots/ (Chromium, test data, offline)"

run: venv services configure demo serve

# For developers: CKAN's own server, reloading on every code change (never put it online).
dev: venv services configure demo
	@bash $(PROVISION)/portal.sh dev

test: venv services lint
	@bash $(PROVISION)/portal.sh test $(ARGS)

# PNGs of the main pages for review, taken by the browser tests on their own data (no network needed).
screenshots: venv services
	@OPENOVERHEID_SCREENSHOTS="$(CURDIR)/var/screenshots" bash $(PROVISION)/portal.sh test \
	  tests/browser/test_screenshots.py -q -p no:logging
	@echo "Screenshots written to var/screenshots/"

stop:
	@bash $(PROVISION)/services.sh stop

status:
	@bash $(PROVISION)/services.sh status

venv:
	@bash $(PROVISION)/portal.sh venv

services: venv
	@bash $(PROVISION)/services.sh start

configure: services
	@bash $(PROVISION)/portal.sh configure

demo: configure
	@bash $(PROVISION)/portal.sh demo

serve:
	@bash $(PROVISION)/portal.sh serve

lint: venv
	@.venv/bin/ruff check harvesters ckanext-openoverheid tests config/provision
	@.venv/bin/mypy

# Benchmarks against stock CKAN and the physical limit (docs/bench.md); ARGS="--quick" for a smoke run.
# Its own databases and Solr cores (bench_*), never the portal's or the tests'; never part of `make test`.
.PHONY: bench
bench: venv services
	@PGPASSFILE="$(CURDIR)/var/pgpass" .venv/bin/python -m bench.run $(ARGS)

# docs/bench.md's results table, made from the newest committed bench/results/*.json (never typed).
.PHONY: bench-docs
bench-docs: venv
	@.venv/bin/python -m bench.docs $(ARGS)

# Refresh the message catalogue after adding strings (babel.cfg maps Python, templates and JS); then
# translate the new and fuzzy msgids in the nl .po until tests/unit/test_translations.py passes.
# Babel's default keywords cover _, N_, gettext, ngettext and ungettext (also as tk._ / toolkit._).
# The .mo files are compiled by config/provision/portal.sh and never committed.
I18N := ckanext-openoverheid/ckanext/openoverheid/i18n
i18n-extract: venv
	@.venv/bin/pybabel -q extract -F babel.cfg --add-comments=Translators: --project=ckanext-openoverheid \
	  --copyright-holder="Open Overheid" -o $(I18N)/ckanext-openoverheid.pot .
	@.venv/bin/pybabel -q update -i $(I18N)/ckanext-openoverheid.pot -d $(I18N) -D ckanext-openoverheid -l nl \
	  --ignore-obsolete
	@.venv/bin/pybabel compile --statistics -d $(I18N) -D ckanext-openoverheid -l nl
