# nppsim: the two commands. `make run` and `make test` do all set-up on a fresh clone
# with only Python 3.11 and pip.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
SCENARIO ?= steady-state
OUT ?= runs/default

.PHONY: run test lint format install install-test benchmark clean chromium

# One short line per step; pip lists each package it collects and installs (a first install takes a
# few minutes: NumPy, SciPy, CoolProp, Numba, pandas, pyarrow, matplotlib, FastAPI...).
$(VENV)/.installed: pyproject.toml
	@echo "==> [1/3] creating the Python environment in $(VENV)"
	$(PYTHON) -m venv $(VENV)
	@echo "==> [2/3] upgrading pip"
	@$(PY) -m pip install --quiet --upgrade pip
	@echo "==> [3/3] installing nppsim and its dependencies (a few minutes the first time)"
	@$(PY) -m pip install --progress-bar off -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# runs/default is replaced on each `make run` (RUN_ARGS=--overwrite); the first run compiles the
# kernels (1-2 minutes, cached afterwards)
RUN_ARGS ?= --overwrite
run: install
	@echo "==> running scenario $(SCENARIO) into $(OUT) (the first run compiles the kernels: 1-2 minutes)"
	$(VENV)/bin/nppsim run $(SCENARIO) --out $(OUT) $(RUN_ARGS)

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
