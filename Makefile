# Northstar — `make run` to try it, `make test` to test it.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
export DJANGO_SETTINGS_MODULE ?= northstar.settings.local

.PHONY: help install install-test run test lint audit audit-strict bench migrate seed clean fault-tests

help:
	@echo "make run    - install, migrate, load demo data, serve http://127.0.0.1:8000"
	@echo "make test   - install test tools and run the whole suite"
	@echo "make fault-tests - only the fault tests (already in make test), with their figures"
	@echo "make lint   - ruff"
	@echo "make audit  - every pinned dependency against the package index (exit 2: unreachable)"
	@echo "make bench  - benchmarks (needs DATABASE_URL and REDIS_URL)"

$(PY):
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

.make-install.stamp: requirements/base.txt | $(PY)
	$(PIP) install --quiet -r requirements/base.txt
	@touch $@

.make-install-test.stamp: requirements/base.txt requirements/test.txt | $(PY)
	$(PIP) install --quiet -r requirements/base.txt -r requirements/test.txt
	@touch $@ .make-install.stamp

install: .make-install.stamp

install-test: .make-install-test.stamp

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

run: seed
	@bash scripts/run-dev.sh

# Two processes (the machines have two cores); PYTEST_ARGS adds options, e.g. -k intake.
PYTEST_WORKERS ?= 2

test: install-test
	DJANGO_SETTINGS_MODULE=northstar.settings.test $(VENV)/bin/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# The fault tests (pytest marker "fault": private PostgreSQL clusters and Redis servers, real
# Celery workers and gunicorn, broken on purpose) are part of `make test`, which CI runs; this
# runs them alone and prints the figures each one measures (docs/SECURITY.md quotes them).
fault-tests: install-test
	DJANGO_SETTINGS_MODULE=northstar.settings.test $(VENV)/bin/pytest -n $(PYTEST_WORKERS) \
		-m fault -rP --show-capture=stdout $(PYTEST_ARGS)

lint: install-test
	$(VENV)/bin/ruff check .

# Advisories, yanked releases and pins behind the newest release (reviewed exceptions:
# requirements/audit-exceptions.toml). Needs https://pypi.org; an unreachable index fails.
audit: install
	$(PY) scripts/dependency_audit.py

# The same, and pins behind the newest release without a current review fail too.
audit-strict: install
	$(PY) scripts/dependency_audit.py --strict

bench: install-test
	DJANGO_SETTINGS_MODULE=northstar.settings.test $(PY) -u -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .make-*.stamp .pytest_cache .ruff_cache staticfiles
