PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test serve lint bench clean chromium migration

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Both run on the built-in development secrets; a real server sets LIVEROOM_BUYER_SECRET and
# LIVEROOM_PAYMENT_SECRET and leaves LIVEROOM_ENV unset (docs/security.md).
demo: $(STAMP)
	LIVEROOM_ENV=development $(BIN)/liveroom demo

# The browser tests use Debian's Chromium (no browser downloads); install it once if missing.
chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }

test: $(STAMP) chromium
	$(BIN)/python -m pytest $(PYTEST_ARGS)

serve: $(STAMP)
	LIVEROOM_ENV=$${LIVEROOM_ENV:-development} $(BIN)/liveroom serve

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m bench.run_all

clean:
	rm -rf $(VENV) var .pytest_cache

# Autogenerate a migration from the table modules: make migration m="add orders"
migration: $(STAMP)
	rm -f var/migration-scratch.db
	$(BIN)/python -c "from liveroom.adapters.db import make_engine, migrate; migrate(make_engine('sqlite:///var/migration-scratch.db'))"
	$(BIN)/python -c "import sys; from alembic import command; from liveroom.adapters.db import alembic_config; command.revision(alembic_config('sqlite:///var/migration-scratch.db'), message=sys.argv[1], autogenerate=True)" "$(m)"
	rm -f var/migration-scratch.db
