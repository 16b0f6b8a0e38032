# Two commands: `make run` opens the workbook, `make test` checks everything.
# Both create .venv and install the project from pyproject.toml first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8501

.PHONY: run setup test lint format demo heavy bench clean chromium

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

node_modules/axe-core/axe.min.js: package.json
	npm install --no-audit --no-fund --silent
	touch $@

# The browser tests and the PDF charts drive Debian's Chromium; the PDF's text uses the
# DejaVu fonts. As root (CI, a fresh container) they are installed here; otherwise the
# message says how, and the tests fail rather than skip.
DEBS := chromium fonts-dejavu-core poppler-utils
chromium:
	@{ test -x /usr/bin/chromium && test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf && test -x /usr/bin/pdftotext; } || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEBS) >/dev/null; \
	  else \
	    echo "Tests need Debian's $(DEBS): sudo apt-get install -y $(DEBS)" >&2; exit 1; \
	  fi; }

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/python -m workbook.ui.serve --server.port $(PORT)

test: $(STAMP) node_modules/axe-core/axe.min.js chromium
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -n 2 --dist worksteal

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

demo: $(STAMP)
	$(BIN)/python -m workbook.demo

heavy: $(STAMP)
	$(BIN)/python -m workbook.demo --heavy

bench: $(STAMP)
	$(BIN)/python benchmarks/rerun.py
	$(BIN)/python benchmarks/figures.py
	$(BIN)/python benchmarks/exports.py
	$(BIN)/python benchmarks/cohort.py

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache
