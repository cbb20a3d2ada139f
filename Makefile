# Holdspace: `make run` and `make test` are each the only command a fresh machine needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint format clean audit fuzz

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
