# Two commands for a fresh machine: `make demo` and `make test`. Both create .venv themselves (`make e2e`: docs/e2e.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test e2e bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/imuhold demo

test: $(STAMP)
	$(BIN)/ruff check imuhold tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/pytest

# The real BLE stack end to end in a small VM (root; debootstrap, qemu-system-x86, e2fsprogs): docs/e2e.md.
e2e: $(STAMP)
	PYTHON=$(abspath $(BIN))/python tests/e2e/e2e.sh

bench: $(STAMP)
	$(BIN)/python benchmarks/pipeline.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache
