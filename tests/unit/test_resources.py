"""Where the shipped files are (engine.resources): beside the package in a clone,
inside it in an installed wheel."""

from __future__ import annotations

import importlib.resources
from pathlib import Path

import pytest

from engine.resources import SCHEMA_NAME, bundled_scheme, reports_dir, schema_file, serve_folder, shipped
from tests.helpers import ROOT


def test_shipped_files_are_found_in_the_clone() -> None:
    # moved here from tests/test_install.py
    assert schema_file() == ROOT / "schema" / "scheme.schema.json"
    assert SCHEMA_NAME == "scheme.schema.json" and schema_file().is_file()
    assert reports_dir() == ROOT / "reports"
    assert bundled_scheme("jifenzhi") == ROOT / "schemes" / "jifenzhi" / "jifenzhi.yaml"
    assert shipped("schemes").is_dir()


def test_the_workbench_s_files_are_inside_engine_serve() -> None:
    assert serve_folder("templates") == ROOT / "engine" / "serve" / "templates"
    assert serve_folder("static") == ROOT / "engine" / "serve" / "static"


def test_a_wheel_s_folder_inside_the_package_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # an installed wheel: site-packages/engine/schema exists; site-packages/schema would be someone else's
    package = tmp_path / "site-packages" / "engine"
    (package / "schema").mkdir(parents=True)
    (tmp_path / "site-packages" / "reports").mkdir()
    monkeypatch.setattr(importlib.resources, "files", lambda name: package)
    uncached = shipped.__wrapped__  # the cached function would answer for the clone
    assert uncached("schema") == package / "schema"
    # a folder the package does not hold: the sibling (a clone's layout)
    assert uncached("reports") == tmp_path / "site-packages" / "reports"
