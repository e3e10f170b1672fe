# Kaohe — every target creates .venv itself, so a fresh clone needs only `make demo` / `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test fuzz typecheck bench bench-e2e clean

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

# The property-based tests of tests/test_fuzz.py, long and random (15,000 examples per generator, about 35 minutes on 2 cores;
# KAOHE_FUZZ_EXAMPLES=N examples per test changes it). make test runs them bounded and derandomised.
fuzz: $(STAMP)
	KAOHE_FUZZ_PROFILE=long $(BIN)/python -m pytest tests/test_fuzz.py -m fuzz --hypothesis-show-statistics

typecheck: $(STAMP)
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_jifenzhi.py

bench-e2e: $(STAMP)
	$(BIN)/python benchmarks/bench_end_to_end.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache *.egg-info build dist
