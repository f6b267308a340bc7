# Set-up and everyday commands. Every target installs what it needs first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest-xdist processes for make test and make test-fast: auto is one per core; 0 runs serially.
PYTEST_WORKERS ?= auto

.PHONY: run test test-fast lint fmt migrations-check hooks vendor install install-test browser screenshot clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Stamp files re-run the install whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## make run: set up, migrate, load the demo data and users, serve on http://127.0.0.1:8000
run: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo
	$(PY) manage.py runserver $(HOST):$(PORT)

## make test: install the test tools (and Chromium where possible), run the whole suite
test: install-test browser
	$(PY) -m pytest -n $(PYTEST_WORKERS)

## make test-fast: everything but the slow and browser tests, in parallel (under a minute)
test-fast: install-test
	$(PY) -m pytest -m "not slow and not browser" -n $(PYTEST_WORKERS)

# Debian's Chromium drives the browser tests, and poppler-utils' pdftotext reads back the
# printed report draft; installed with apt-get when root and missing.
browser:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "Installing Chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi
	@if ! command -v pdftotext >/dev/null && [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "Installing poppler-utils for the printed report test"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; \
	fi

## make lint: ruff check and format, and mypy at the level docs/development.md gives
lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

fmt: install-test
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

## make hooks: run lint and the migrations check before each commit (.pre-commit-config.yaml)
hooks: install-test
	$(VENV)/bin/pre-commit install

## make vendor: refresh GOV.UK Frontend and MOJ Frontend from the npm registry (pinned)
vendor:
	bash scripts/vendor.sh

## make screenshot: refresh docs/dashboard.png from the demo dashboard
screenshot: install-test browser
	$(PY) scripts/screenshot.py

clean:
	rm -rf $(VENV) var staticfiles
