"""Shared fixtures: paths and a helper that compiles a scheme from text."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from engine.compiler import compile_scheme
from engine.loader import load_scheme_text
from engine.model import Scheme

ROOT = Path(__file__).resolve().parent.parent
INVALID = Path(__file__).resolve().parent / "schemes" / "invalid"
JIFENZHI = ROOT / "schemes" / "jifenzhi" / "jifenzhi.yaml"
JIFENZHI_DATA = ROOT / "schemes" / "jifenzhi" / "data"


def scheme_from(text: str, name: str = "test.yaml") -> Scheme:
    """Compile a scheme written inline (dedented) in a test."""
    scheme, _ = compile_scheme(load_scheme_text(textwrap.dedent(text), name))
    return scheme


@pytest.fixture
def root() -> Path:
    return ROOT
