# vilco — the two commands: `make run` (the app on demo data) and `make test` (everything CI runs).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test check lint typecheck bench browser proxy deploy-local stop-local clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime $@

## run: install, migrate, load the demo when the database is empty, serve on http://localhost:8501
run: $(VENV)/.runtime
	VILCO_DEMO=1 $(BIN)/python -m vilco_core demo load
	@echo "vilco on http://localhost:$(PORT) — demo staff login: admin / vilco-demo-2026"
	VILCO_DEMO=1 $(BIN)/streamlit run serve.py --server.port $(PORT) --server.address 127.0.0.1

## browser: Debian's chromium, chromium-driver, zbar-tools, poppler-utils (QR checks of posters)
## and fonts-dejavu-core (the posters' Unicode font) for the browser and poster tests
browser:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v zbarimg >/dev/null 2>&1 \
		|| ! command -v pdftoppm >/dev/null 2>&1 || [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver zbar-tools \
			poppler-utils fonts-dejavu-core >/dev/null; \
	fi

## proxy: Debian's caddy, the reverse proxy in front of the replicas (deploy/, make deploy-local)
proxy:
	@if ! command -v caddy >/dev/null 2>&1; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq caddy openssl >/dev/null; \
	fi

## deploy-local: PostgreSQL database vilco_local (created on 127.0.0.1:5432), migrations once,
## REPLICAS app replicas and Caddy on https://127.0.0.1:8443 (self-signed), demo data; stop-local
## stops exactly what it started (deploy/local.py, state in var/deploy-local)
REPLICAS ?= 2
PROXY_PORT ?= 8443
FIRST_REPLICA_PORT ?= 8601
deploy-local: $(VENV)/.runtime proxy
	$(BIN)/python deploy/local.py up --replicas $(REPLICAS) --port $(PROXY_PORT) \
		--first-replica-port $(FIRST_REPLICA_PORT) --demo

stop-local:
	$(BIN)/python deploy/local.py down

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.dev
	$(BIN)/mypy

## test: lint, types, then the whole suite (unit, integration on SQLite and PostgreSQL, app, e2e)
## in parallel, one pytest-xdist worker per core; the browser tests share one worker
## (tests/conftest.py puts them in one xdist_group). `make test WORKERS=0` runs it serially.
WORKERS ?= auto
test: $(VENV)/.dev browser proxy lint typecheck
	$(BIN)/pytest -n $(WORKERS) --dist loadgroup

check: lint typecheck

## bench: the benchmarks (not part of the tests)
bench: $(VENV)/.dev
	@for b in benchmarks/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) var test-artifacts .pytest_cache .mypy_cache .ruff_cache
