# Holdspace: `make run` and `make test` are each the only command a fresh machine needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint format clean bench bench-smoke

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/holdspace db upgrade
	$(BIN)/holdspace demo seed --if-empty
	$(BIN)/holdspace serve --host 127.0.0.1 --port 5000

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts

# Benchmarks (docs/performance.md). BENCH_ARGS passes options to bench/run.py, e.g.
# BENCH_ARGS="--targets b --modes eventlet --repeats 1".
BENCH_NODE := bench/node_modules/.installed

$(BENCH_NODE): bench/package.json bench/package-lock.json
	npm ci --prefix bench --no-audit --no-fund
	touch $(BENCH_NODE)

bench: install $(BENCH_NODE)
	ulimit -n 20000 2>/dev/null; $(BIN)/python bench/run.py $(BENCH_ARGS)

bench-smoke: install $(BENCH_NODE)
	ulimit -n 20000 2>/dev/null; $(BIN)/python bench/run.py --profile smoke $(BENCH_ARGS)
