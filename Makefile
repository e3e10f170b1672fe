# Kaohe — every target creates .venv itself, so a fresh clone needs only `make demo` / `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test typecheck bench bench-e2e clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/kaohe demo

test: $(STAMP)
	$(BIN)/python -m pytest
	$(BIN)/mypy
	$(BIN)/kaohe validate schemes/*/*.yaml

typecheck: $(STAMP)
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_jifenzhi.py

bench-e2e: $(STAMP)
	$(BIN)/python benchmarks/bench_end_to_end.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache *.egg-info build dist
