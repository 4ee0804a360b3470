# Two commands on a fresh machine: `make run` and `make test`. Each builds .venv when needed.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
EXTRAS ?= test,service,pages-test

.PHONY: run test test-fast lint ci bench data browser clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "matcher needs Python 3.11 or newer; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[$(EXTRAS)]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/matcher demo --out var/demo

# The browser tests drive Debian's chromium (Playwright's own browser download is not reachable);
# without it they skip, saying so.
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	  { if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || \
	      echo "chromium could not be installed: the browser tests will skip"; \
	    else echo "no chromium (apt-get install chromium): the browser tests will skip"; fi; }

test: $(STAMP) browser
	$(BIN)/python -m pytest -q

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

ci: lint test

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

data: $(STAMP)
	$(BIN)/python tools/build_data.py

clean:
	rm -rf $(VENV) var .pytest_cache
