# One command to run the demo, one to run every test (see README).
VENV ?= .venv
PYTHON ?= python3
BIN = $(VENV)/bin
DATA ?= anju-data
export ANJU_DATABASE_URL ?= sqlite:///./$(DATA)/anju.db
export ANJU_TEST_POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432/test
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[test]"
	touch $@

install: $(BIN)/.installed

## Debian's Chromium for the browser tests (tests/web, issue 12), installed only when it is missing;
## Playwright drives it at /usr/bin/chromium and never downloads a browser of its own. The same step
## installs the CJK fonts the PDF exports embed (WenQuanYi Zen Hei, a TrueType face) and poppler-utils,
## with which the tests read exported PDFs back and render a page to PNG.
CHROMIUM = /usr/bin/chromium
CJK_FONT = /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc
PDFTOTEXT = /usr/bin/pdftotext
SUDO = $(if $(filter 0,$(shell id -u)),,sudo)
$(CHROMIUM) $(CJK_FONT) $(PDFTOTEXT):
	$(SUDO) apt-get update
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y chromium fonts-noto-cjk fonts-wqy-zenhei poppler-utils

## Serve the API with the demo community on embedded SQLite (./anju-data/anju.db).
run: install $(CJK_FONT)
	mkdir -p $(DATA)
	$(BIN)/anju demo
	$(BIN)/anju serve --host $(HOST) --port $(PORT)

## Every test, on SQLite and on PostgreSQL ($$ANJU_TEST_POSTGRES_URL).
test: install $(CHROMIUM) $(CJK_FONT) $(PDFTOTEXT)
	@$(BIN)/python -c "import os, psycopg; psycopg.connect(os.environ['ANJU_TEST_POSTGRES_URL'], connect_timeout=5).close()" \
	  || { echo "PostgreSQL is not reachable at $$ANJU_TEST_POSTGRES_URL: storage tests need it (never skipped)."; exit 1; }
	$(BIN)/python -m pytest

## Benchmarks on the configured store (ANJU_DATABASE_URL); QUICK=1 for a smoke run.
bench: install
	mkdir -p $(DATA)
	$(BIN)/anju bench $(if $(QUICK),--quick,)

clean:
	rm -rf $(DATA) .pytest_cache .hypothesis
