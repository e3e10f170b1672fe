"""Collect YAML scenario tests: ``schemes/*/tests/*.yaml`` and ``tests/cases/*.yaml``.

A scenario file names a scheme and lists cases; each case holds inline data
tables (written to CSV files and read by the real reader) and the expected
outcome per unit. See tests/README.md for the format. Two shorthands exist
for writing fixtures compactly — they are test conveniences, not data
features: a closed-dimension cell ``"*"`` stands for every declared value
(one row per month), and a row key ``_repeat: N`` writes the row N times
(N identical raters).
"""

from __future__ import annotations

import typing as t
from pathlib import Path

import pytest

from engine.scenarios import load_scenario, run_case


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.suffix in (".yaml", ".yml") and file_path.parent.name in ("tests", "cases"):
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


class ScenarioFile(pytest.File):
    def collect(self) -> t.Iterator[pytest.Item]:
        scenario = load_scenario(self.path)
        for case in scenario.cases:
            yield ScenarioItem.from_parent(self, name=case["name"], scheme_path=scenario.scheme, case=case)


class ScenarioFailure(Exception):
    pass


class ScenarioItem(pytest.Item):
    def __init__(self, *, scheme_path: Path, case: dict[str, t.Any], **kwargs: t.Any) -> None:
        super().__init__(**kwargs)
        self.scheme_path = scheme_path
        self.case = case

    def runtest(self) -> None:
        failures = run_case(self.scheme_path, self.case, self.path.parent)
        if failures:
            raise ScenarioFailure("\n".join(failures))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: t.Any = None) -> str:
        if isinstance(excinfo.value, ScenarioFailure):
            return f"{self.path}: case '{self.name}'\n{excinfo.value}"
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"scenario: {self.name}"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/ from the current output")
