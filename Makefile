# Two commands for a newcomer: `make run` and `make test`. Everything else is set up on the way.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app coalition
STAMP := $(VENV)/.installed

.PHONY: run test test-postgres test-all bench serve setup upgrade clean frontend lint

# Reinstall whenever the lock file or the project metadata changes.
$(STAMP): requirements.lock pyproject.toml
	PYTHON=$(PYTHON) bash scripts/system-deps.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

setup: $(STAMP) frontend

frontend: $(STAMP)
	@if [ -f package-lock.json ]; then \
	  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
	    npm ci --no-audit --no-fund --loglevel=error; fi; fi

upgrade: setup
	$(FLASK) db upgrade

# The web server and a task-queue consumer (background and scheduled jobs); Ctrl-C stops both.
run: upgrade
	bash scripts/with-queue.sh "$(FLASK)" $(FLASK) run --host 127.0.0.1 --port 5000

# The linter first: a shadowed name or an unused import fails the suite like a test does.
lint: setup
	$(BIN)/ruff check .

test: lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The same suite on a throw-away PostgreSQL 15 server (private directory and port).
test-postgres: setup
	PYTHON=$(BIN)/python bash scripts/with-postgres.sh $(BIN)/python -m pytest $(PYTEST_ARGS)

bench: setup
	$(BIN)/python -m coalition.tools.bench
	$(BIN)/python -m coalition.tools.bench_association

clean:
	rm -rf $(VENV) node_modules .pgtest

# Serve with gunicorn on the configured database (COALITION_DATABASE_URL or instance/),
# 2 x cores + 1 workers unless WORKERS= says otherwise.
WORKERS ?= $(shell echo $$(( 2 * $$(nproc 2>/dev/null || echo 1) + 1 )))
BIND ?= 127.0.0.1:8000
serve: upgrade
	bash scripts/with-queue.sh "$(FLASK)" $(BIN)/gunicorn --workers $(WORKERS) --bind $(BIND) --access-logfile - 'coalition:create_app()'

# Load test (not part of `make test`): a 10,000-ally chapter under gunicorn, 8 clients.
# `make loadtest DB=postgres` runs it on a throw-away PostgreSQL server.
DB ?= sqlite
LOADTEST_ARGS ?= --duration 60
loadtest: setup
	@if [ "$(DB)" = postgres ]; then \
	  PGTEST_PORT=$${PGTEST_PORT:-55490} bash scripts/with-postgres.sh $(BIN)/python -m coalition.tools.loadtest $(LOADTEST_ARGS); \
	else $(BIN)/python -m coalition.tools.loadtest $(LOADTEST_ARGS); fi
