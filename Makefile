PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: install demo test serve lint bench clean chromium migration i18n

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

# Two workers (pytest-xdist, a test file stays on one worker). The browser tests run in a second
# pass: Playwright's sync API leaves an event loop running in its worker, which would break a
# later test's asyncio.run(). Exit code 5 means "no test selected" (e.g. PYTEST_ARGS=tests/unit).
XDIST := -n $${LIVEROOM_TEST_WORKERS:-2} --dist loadfile
test: $(STAMP) chromium
	$(BIN)/python -m pytest $(XDIST) -m "not e2e" $(PYTEST_ARGS) || [ $$? -eq 5 ]
	$(BIN)/python -m pytest $(XDIST) -m e2e $(PYTEST_ARGS) || [ $$? -eq 5 ]

# make serve PORT=8010 when 8000 is taken
serve: $(STAMP)
	LIVEROOM_ENV=$${LIVEROOM_ENV:-development} $(BIN)/liveroom serve --port $(PORT)

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
	$(BIN)/python -c "from liveroom.adapters.sql.db import make_engine, migrate; migrate(make_engine('sqlite:///var/migration-scratch.db'))"
	$(BIN)/python -c "import sys; from alembic import command; from liveroom.adapters.sql.db import alembic_config; command.revision(alembic_config('sqlite:///var/migration-scratch.db'), message=sys.argv[1], autogenerate=True)" "$(m)"
	rm -f var/migration-scratch.db

# Page text: extract new message ids into the catalogues (web/locale/*/LC_MESSAGES/messages.po)
# and check that every zh_CN message is translated. The server reads the .po files directly.
LOCALES := src/liveroom/web/locale
i18n: $(STAMP)
	mkdir -p var
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k _ --no-location --omit-header -o var/messages.pot .
	$(BIN)/pybabel update -i var/messages.pot -d $(LOCALES) -l zh_CN --no-fuzzy-matching
	$(BIN)/pybabel update -i var/messages.pot -d $(LOCALES) -l en --no-fuzzy-matching
	$(BIN)/pybabel compile -i $(LOCALES)/zh_CN/LC_MESSAGES/messages.po -o var/zh_CN.mo -l zh_CN --statistics
	$(BIN)/python -m liveroom.entrypoints.api.web_i18n
