# Open Overheid: the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
PROVISION := config/provision

.PHONY: run test stop venv services configure demo serve lint status help i18n-extract

help:
	@echo "make run    - install everything, start PostgreSQL/Redis/Solr, load demo data, serve on http://127.0.0.1:5000"
	@echo "make test   - the same services, then the whole test suite (ARGS='-k foo' to select)"
	@echo "make stop   - stop the services that make run/test started"
	@echo "make lint   - ruff and mypy"

run: venv services configure demo serve

test: venv services lint
	@bash $(PROVISION)/portal.sh test $(ARGS)

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

# Refresh the message catalogue after adding strings; then translate the new msgids in the .po file.
I18N := ckanext-openoverheid/ckanext/openoverheid/i18n
i18n-extract: venv
	@.venv/bin/pybabel extract -F babel.cfg -k _ -k N_ -k ungettext:1,2 --project=ckanext-openoverheid \
	  -o $(I18N)/ckanext-openoverheid.pot .
	@.venv/bin/pybabel update -i $(I18N)/ckanext-openoverheid.pot -d $(I18N) -D ckanext-openoverheid -l nl
