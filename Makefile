# nppsim: the two commands. `make run` and `make test` do all set-up on a fresh clone
# with only Python 3.11 and pip.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
SCENARIO ?= steady-state
OUT ?= runs/default

.PHONY: run test lint format install install-test benchmark clean chromium

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

run: install
	$(VENV)/bin/nppsim run $(SCENARIO) --out $(OUT)

lint: install-test
	$(PY) -m ruff check src tests benchmarks
	$(PY) -m ruff format --check src tests benchmarks

format: install-test
	$(PY) -m ruff format src tests benchmarks
	$(PY) -m ruff check --fix src tests benchmarks

# The control room's browser tests drive Debian's Chromium through Playwright (never
# `playwright install`): install it when missing. CI runs as root on a fresh Debian machine;
# elsewhere the tests say they were skipped because /usr/bin/chromium is missing.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "Chromium missing: 'sudo apt-get install -y chromium' runs the browser tests"; fi; \
	fi

# pytest exits 5 when it collects no test: that must fail, not pass silently. The type check of
# the model and engine packages ([tool.mypy] in pyproject.toml) runs after lint.
test: lint chromium
	$(PY) -m mypy
	$(PY) -m pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; exit $$rc

benchmark: install
	$(PY) benchmarks/core.py
	$(PY) benchmarks/plant.py
	$(PY) benchmarks/validation_cases.py
	$(PY) benchmarks/programme.py
	$(PY) benchmarks/server.py
	$(PY) benchmarks/studies.py

clean:
	rm -rf $(VENV) runs .pytest_cache
