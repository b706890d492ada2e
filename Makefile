# `make run` serves the demo on http://127.0.0.1:8000 (with the task worker that sends e-mails);
# `make test` runs every test.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# The first interpreter >= 3.12 found: .python-version makes pyenv's python3 resolve to 3.12.
PYTHON ?= $(shell for p in python3.13 python3.12 python3 python; do \
	  if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	    command -v $$p; break; fi; done)

.PHONY: run worker test venv migrate demo lint messages clean bench bench-cluster backup restore verify-backup

$(VENV)/.installed: requirements.txt
	@if [ -z "$(PYTHON)" ]; then \
	  echo "Maklumat needs Python 3.12 or newer (Django 6); none was found on PATH." >&2; \
	  echo "Install python3.12 (or set PYTHON=/path/to/python3.12) and try again." >&2; exit 1; fi
	@if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then \
	  rm -rf $(VENV); $(PYTHON) -m venv $(VENV); fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

venv: $(VENV)/.installed

migrate: venv
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

# While the worker polls SQLite, a transaction that reads before it writes (a citizen's case)
# would fail at once with "database is locked"; IMMEDIATE transactions wait for the lock instead.
# Links in e-mails point at this server. Both only when not set already (e.g. PostgreSQL).
# backup, restore and verify-backup use the same database as run (docs/operations.md).
run worker backup restore verify-backup: export DATABASE_URL ?= sqlite:///$(CURDIR)/db.sqlite3?transaction_mode=IMMEDIATE
run worker: export SITE_URL ?= http://$(HOST):$(PORT)

# The worker sends the queued e-mails (printed here, by the console backend, in development).
# Both run in the background of one shell that waits for the server: Ctrl+C, a kill of make or
# the server stopping on its own stops the worker too. Restart after changing feedback/tasks.py.
run: demo
	@trap 'kill $$server $$worker 2>/dev/null; wait; exit 130' INT TERM HUP; \
	$(PY) manage.py db_worker --no-reload & worker=$$!; \
	$(PY) manage.py runserver $(HOST):$(PORT) & server=$$!; \
	wait $$server; status=$$?; \
	kill $$worker 2>/dev/null; wait $$worker; \
	exit $$status

# The worker alone, e.g. beside a server started another way.
worker: migrate
	$(PY) manage.py db_worker

test: venv
	$(PY) -m pytest $(PYTEST_ARGS)

# The production configuration under load (DEBUG=0, PostgreSQL, Redis, gunicorn, wrk) beside a
# bare Django view and nginx in the same run; prints a table and writes bench/results.json.
bench: venv
	$(PY) bench/load.py $(BENCH_ARGS)

# Two app nodes behind nginx sharing PostgreSQL and Redis: limits, sessions and a new version hold.
bench-cluster: venv
	$(PY) bench/cluster.py

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Needs GNU gettext; the compiled .mo files are committed so a fresh clone needs nothing extra.
messages: venv
	$(PY) manage.py makemessages -l id --no-location --no-wrap --ignore=.venv --ignore=node_modules
	$(PY) manage.py compilemessages --ignore=.venv

# Rebuilds static/css/bootstrap.purged.min.css (committed): the rules of the pinned Bootstrap that
# our templates, our Python and crispy-forms' Bootstrap 5 pack name. Needs Node and npm, and is
# only for after a template change brings in a Bootstrap class no page used before.
.PHONY: css
css: venv
	cd tools/css && npm ci --no-audit --no-fund && \
	SITE_PACKAGES="$$($(CURDIR)/$(PY) -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')" \
	npx --no-install purgecss --config purgecss.config.cjs

# One archive of the database and the uploaded files (docs/operations.md): backups/maklumat-<date>-<time>.tar.gz,
# or DIR=<directory>, or FILE=<path>. `make restore FILE=…` brings one back into an empty database and
# an empty MEDIA_ROOT; `make verify-backup FILE=…` checks one without touching the database.
backup: venv
	$(PY) manage.py backup $(if $(FILE),--file "$(FILE)",$(if $(DIR),--dir "$(DIR)"))

restore verify-backup: venv
	@if [ -z "$(FILE)" ]; then echo "Name the archive: make $@ FILE=backups/maklumat-….tar.gz" >&2; exit 2; fi
	$(PY) manage.py $(if $(filter restore,$@),restore,verify_backup) "$(FILE)"

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles test-artifacts
