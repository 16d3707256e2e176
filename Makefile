# Two commands on a fresh machine:
#   make demo   — venv, install, migrate SQLite, load the Ruijin demo, serve on http://127.0.0.1:$(PORT)
#   make test   — the whole suite on SQLite; again on PostgreSQL when TEST_DATABASE_URL is set
PY ?= python3
VENV ?= .venv
PORT ?= 8000
BIN := $(VENV)/bin

.PHONY: venv demo demo-data serve worker test test-sqlite test-postgres lint bench

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

# The demo runs with DEBUG off (friendly error pages, no tracebacks); its keys are generated once in var/. Its static
# files are served as in production: collected into var/static with hashed names and gzip copies (docs/deployment.md).
demo-data: venv
	HONGNIANG_ENV=demo $(BIN)/python manage.py migrate --noinput
	HONGNIANG_ENV=demo $(BIN)/python manage.py reencrypt_fields --wet-run
	HONGNIANG_ENV=demo $(BIN)/python manage.py load_demo --wet-run
	HONGNIANG_ENV=demo $(BIN)/python manage.py collectstatic --noinput -v 0

demo: demo-data
	@echo "红娘 demo: http://127.0.0.1:$(PORT)/   (Ctrl-C to stop)"
	HONGNIANG_ENV=demo BIND=127.0.0.1:$(PORT) $(BIN)/gunicorn hongniang.wsgi -c gunicorn.conf.py

# Production (docs/deployment.md): settings from the environment (HONGNIANG_ENV defaults to production, which
# needs SECRET_KEY and FIELD_KEY; DATABASE_URL, ALLOWED_HOSTS, ...), DEBUG off, gunicorn sync workers from
# gunicorn.conf.py (BIND, WEB_CONCURRENCY), static files by WhiteNoise (gzipped, cached for good). Run `manage.py
# migrate` and `manage.py collectstatic --noinput` on every release before the workers start
# (deploy/hongniang-web.service does).
serve: venv
	env -u DEBUG HONGNIANG_ENV=$${HONGNIANG_ENV:-production} $(BIN)/gunicorn hongniang.wsgi -c gunicorn.conf.py

# The background worker: sends the SMS outbox and runs the other django-tasks (any number, on any machine that
# reaches the database).
worker: venv
	env -u DEBUG HONGNIANG_ENV=$${HONGNIANG_ENV:-production} $(BIN)/python manage.py db_worker

test: venv
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/lint-imports
	$(BIN)/ruff check .
	$(MAKE) test-sqlite
	@if [ -n "$$TEST_DATABASE_URL" ]; then $(MAKE) test-postgres; else echo "TEST_DATABASE_URL not set: PostgreSQL run skipped"; fi

test-sqlite: venv
	env -u DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS)

test-postgres: venv
	DATABASE_URL="$$TEST_DATABASE_URL" $(BIN)/pytest $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/lint-imports
