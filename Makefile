# The two commands a new machine needs: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
FLASK := $(VENV)/bin/flask --app wsgi
PORT ?= 8000
WORKERS ?=
VENDOR := app/static/vendor
FRONTEND := node_modules/govuk-frontend/dist/govuk

.PHONY: run test bench static pictures venv dev-venv lint clean

venv: $(VENV)/.run-installed
dev-venv: $(VENV)/.dev-installed

$(VENV)/bin/python:
	python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip

$(VENV)/.run-installed: requirements.txt | $(VENV)/bin/python
	$(PIP) install -q -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PIP) install -q -r requirements-dev.txt
	touch $@ $(VENV)/.run-installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The design system (GOV.UK Frontend, pinned in package.json) compiled without the
# GOV.UK typeface, plus htmx; copied into app/static/vendor (not committed).
static: $(VENDOR)/app.css pictures
$(VENDOR)/app.css: node_modules/.installed app/assets/*.scss
	mkdir -p $(VENDOR)/assets
	npx sass --no-source-map --style=compressed --load-path=node_modules/govuk-frontend/dist \
		app/assets/app.scss $@
	cp $(FRONTEND)/govuk-frontend.min.js $(VENDOR)/
	cp -r $(FRONTEND)/assets/images $(VENDOR)/assets/
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/

# Easy read pictures: OpenMoji's SVGs (CC BY-SA 4.0, pinned in package.json) rendered to PNG
# with resvg (an npm package) into app/static/vendor/easyread (not committed).
pictures: $(VENDOR)/easyread/.rendered
$(VENDOR)/easyread/.rendered: node_modules/.installed app/reports/easyread_pictures.json \
		app/assets/easyread-pictures.mjs
	node app/assets/easyread-pictures.mjs $(VENDOR)/easyread
	touch $@

run: venv static
	$(FLASK) db upgrade
	$(FLASK) seed --demo
	$(VENV)/bin/gunicorn $(if $(WORKERS),--workers $(WORKERS)) --bind 127.0.0.1:$(PORT) --access-logfile - wsgi:app

# The suite in parallel, one worker per core (at most 4: each starts its own PostgreSQL
# cluster and browser); `.venv/bin/pytest tests/x.py` still runs a part in one process.
test: dev-venv static
	$(VENV)/bin/pytest -n auto --maxprocesses=4

# ruff, configured in pyproject.toml; CI runs it before the tests.
lint: dev-venv
	$(VENV)/bin/ruff check .

bench: dev-venv static
	$(PY) bench/bench_costing.py
	$(PY) bench/bench_proportion.py
	$(PY) bench/bench_reports.py
	$(PY) bench/bench_pages.py
	$(PY) bench/bench_editor.py
	$(PY) bench/bench_portfolio.py
	$(PY) bench/bench_network.py
	$(PY) bench/load.py

clean:
	rm -rf $(VENV) node_modules $(VENDOR) .pytest_cache .hypothesis
