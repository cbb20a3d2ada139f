# Holdspace: `make run` and `make test` are each the only command a fresh machine needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test test-deploy lint format clean audit fuzz bench bench-smoke soak

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

# The shipped topology without Docker: nginx + two apps + PostgreSQL + Redis, driven through
# nginx (tests/deploy; needs nginx, openssl, TEST_DATABASE_URL and TEST_REDIS_URL).
test-deploy: install
	$(BIN)/python -m pytest -m deploy tests/deploy $(PYTEST_ARGS)

# Longer than CI allows: SOAK_MEMBERS (500) members for SOAK_MINUTES (10); see docs/reliability.md.
soak: install
	$(BIN)/python -m tests.reliability.soak

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Supply chain: known-vulnerable dependencies (never passes silently) and bandit's high severity.
audit: install
	$(BIN)/python -m tests.security.audit_report
	$(BIN)/bandit -q -r app -lll && echo 'bandit: no high-severity finding in app/'

# The long hostile-input run: 1,000 examples per form and per socket event.
fuzz: install
	HOLDSPACE_FUZZ_EXAMPLES=1000 $(BIN)/python -m pytest tests/security/test_form_fuzz.py \
		tests/security/test_socket_fuzz.py $(PYTEST_ARGS)

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
