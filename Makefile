# Holdspace: `make run` and `make test` are each the only command a fresh machine needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

LOCK := requirements.lock
# pytest-xdist workers: one per core and one more, which works while the others wait on servers,
# paced sends and browsers (2 cores: 83 % busy with 2 workers, 94 % with 3). PYTEST_WORKERS=1
# runs one worker; PYTEST_ARGS="-n 0" runs it in one process. loadgroup: a module marked
# xdist_group runs on one worker, so its module-scoped server is built once.
PYTEST_WORKERS ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) + 1 )))

.PHONY: install run test test-deploy lint format clean audit fuzz bench bench-smoke soak lock model model-check node screenshots

# Exactly the locked versions, each checked against its hash; then the project itself.
$(STAMP): pyproject.toml $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Re-resolve the dependencies of pyproject.toml (within its ranges) into the lock file.
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet "pip-tools>=7.4,<8"
	$(BIN)/pip-compile --quiet --upgrade --generate-hashes --allow-unsafe --extra test \
		--strip-extras --no-emit-index-url --no-emit-trusted-host --no-emit-find-links \
		-o $(LOCK) pyproject.toml

install: $(STAMP)

# axe-core for the accessibility tests (a dev dependency in package.json, never served): npm ci
# when npm exists; without npm those tests are skipped with the reason.
NODE_STAMP := node_modules/.installed

$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		(npm ci --no-audit --no-fund && touch $(NODE_STAMP)) || \
			echo "npm ci failed: the axe-core accessibility tests will be skipped"; \
	else \
		echo "npm not found: the axe-core accessibility tests will be skipped"; \
	fi

node: $(NODE_STAMP)

run: install
	$(BIN)/holdspace db upgrade
	$(BIN)/holdspace demo seed --if-empty
	$(BIN)/holdspace serve --host 127.0.0.1 --port 5000

# compileall first: where PYTHONDONTWRITEBYTECODE is set (as on our CI machines), every test
# server would otherwise compile app/ from source again, about 0.4 s of CPU per start. pytest
# keeps its assertion-rewritten test modules only when bytecode may be written: each worker then
# collects in 4 s instead of 6.
test: install node
	$(BIN)/python -m compileall -q app tests
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

# Every page and every live-room state at 1280 and 390 px, into test-artifacts/screens/.
screenshots: install node
	HOLDSPACE_SCREENSHOTS=1 $(BIN)/python -m pytest -p no:cacheprovider -q \
		tests/browser/test_accessibility.py tests/browser/test_room_accessibility.py \
		tests/browser/test_room_layout.py $(PYTEST_ARGS)

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
	$(BIN)/lint-imports --no-logo

# Supply chain: known-vulnerable dependencies (never passes silently) and bandit's high severity.
audit: install
	$(BIN)/python -m tests.security.audit_report
	$(BIN)/bandit -q -r app -lll && echo 'bandit: no high-severity finding in app/'

# The long hostile-input run: 1,000 examples per form and per socket event.
fuzz: install
	HOLDSPACE_FUZZ_EXAMPLES=1000 $(BIN)/python -m pytest tests/security/test_form_fuzz.py \
		tests/security/test_socket_fuzz.py $(PYTEST_ARGS)

# The risk model (docs/safety.md): trained from tests/safety/data/*.tsv with fixed seeds into
# app/safety/detector_model.json, which is committed. model-check builds it twice and compares,
# then checks the committed copy against a build (up to another CPU's rounding, as the slow tests do).
model: install
	$(BIN)/python -m app.safety.build

model-check: install
	$(BIN)/python -m app.safety.build --output /tmp/holdspace-model-a.json
	$(BIN)/python -m app.safety.build --output /tmp/holdspace-model-b.json
	cmp /tmp/holdspace-model-a.json /tmp/holdspace-model-b.json && echo 'model: reproducible'
	$(BIN)/python -m pytest -q -m slow tests/safety/test_model_build.py

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
