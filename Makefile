# Open Overheid: the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
PROVISION := config/provision

.PHONY: run test stop venv services configure demo serve lint status help

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
