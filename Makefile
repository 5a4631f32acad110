# Maslikhat: two commands on a fresh machine.
#   make demo   set everything up and serve the product on SQLite (http://127.0.0.1:$(PORT))
#   make test   set everything up and run the whole suite (SQLite, then PostgreSQL if reachable)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
# The suite runs in parallel (pytest-xdist), one worker per core; tests that share an expensive
# module fixture (marked xdist_group) stay on one worker (--dist loadgroup).
TEST_WORKERS ?= auto
PYTEST_XDIST := -n $(TEST_WORKERS) --dist loadgroup
MASLIKHAT := $(BIN)/maslikhat
LOCALE := src/maslikhat/locale

.PHONY: demo test lint messages makemessages setup system-deps bench serve clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP) messages

# Test-only tools from npm (axe-core for the accessibility tests), pinned in package-lock.json.
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

messages: $(STAMP)
	$(BIN)/pybabel compile -d $(LOCALE) -D django

# The demo is served as production serves: gunicorn, DEBUG off (no technical error page), on
# SQLite; PORT reaches the settings, so links in emails point at this port.
demo: setup
	PORT=$(PORT) $(MASLIKHAT) demo-setup --seed 1
	@echo "Serving Maslikhat at http://127.0.0.1:$(PORT)/ (gunicorn; Ctrl+C to stop)"
	PORT=$(PORT) $(MASLIKHAT) demo-serve --port $(PORT)

# Development server for working on the code (DEBUG on, reloads on change).
serve: setup
	PORT=$(PORT) $(MASLIKHAT) runserver 127.0.0.1:$(PORT)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src tests bench

# Browser tests drive Debian's Chromium and the catalogue test runs GNU gettext's xgettext;
# install them from Debian's packages when missing (the machine user is root).
system-deps:
	@{ test -x /usr/bin/chromium && command -v xgettext >/dev/null && test -r /usr/share/hunspell/kk_KZ.dic; } || \
	  { apt-get update -q && apt-get install -y -q chromium gettext hunspell-kk; }
	@if ls /usr/share/postgresql/*/tsearch_data >/dev/null 2>&1; then sh deploy/kazakh-dictionary.sh; fi

# Extract UI strings into the kk and ru catalogues (then translate them and run `make messages`).
makemessages: $(STAMP)
	cd src/maslikhat && ../../$(BIN)/django-admin makemessages -l kk -l ru --no-location --settings=maslikhat.config.settings

# The environment may set PYTHONDONTWRITEBYTECODE: then every pytest worker (and every Python the
# tests start) compiles the whole code base and pytest rewrites the asserts of every test module
# again (~10 s of CPU a process: collection 16 s -> 6.5 s with the cached bytecode). The suite
# writes __pycache__ (ignored by git), so the second run and the subprocesses reuse it.
test: export PYTHONDONTWRITEBYTECODE :=
test: setup
	@# lint (CPU) while npm and apt download (network); -O keeps each one's output together
	$(MAKE) --no-print-directory -j3 -O $(NODE_STAMP) system-deps lint
	@echo "== test suite on SQLite"
	env -u DATABASE_URL $(BIN)/pytest $(PYTEST_XDIST)
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect(sys.argv[1], connect_timeout=3).close()" \
	      "$(TEST_DATABASE_URL)" 2>/dev/null; then \
	  echo "== test suite on PostgreSQL ($(TEST_DATABASE_URL))"; \
	  DATABASE_URL="$(TEST_DATABASE_URL)" $(BIN)/pytest $(PYTEST_XDIST); \
	else echo "== PostgreSQL not reachable at $(TEST_DATABASE_URL): PostgreSQL run not possible here"; fi

# Load and fault scripts (not part of make test): need PostgreSQL and Redis on this machine;
# bench/faults restarts PostgreSQL and stops Redis (and starts both again).
bench: setup
	$(BIN)/python bench/lookup/run.py
	$(BIN)/python bench/appeals/run.py
	$(BIN)/python bench/scorecard/run.py
	$(BIN)/python bench/sqlite/run.py
	$(BIN)/python bench/http/run.py
	$(BIN)/python bench/faults/run.py
	$(BIN)/python bench/search/run.py

clean:
	rm -rf $(VENV) var test-artifacts node_modules
