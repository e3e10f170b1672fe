"""Test helpers: the repository's paths, a scheme compiled from text, and outcomes of a scheme on inline columns."""

from __future__ import annotations

import textwrap
import typing as t
from pathlib import Path

import numpy as np

from engine.compiler import compile_scheme
from engine.context import Context
from engine.data import dataset_from_columns
from engine.grade import Outcomes
from engine.pipeline import assess
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


HEADER = """
kaohe: 1
id: t
version: 1
title: 测试
"""


def outcomes_of(scheme_text: str, columns: dict, types: list[str] | None = None, groups: list[str] | None = None, details: bool = False) -> Outcomes:
    """Score columns given inline under a scheme body written inline (header added)."""
    scheme = scheme_from(HEADER + scheme_text)
    n = len(next(iter(columns.values())))
    ids = [f"u{i}" for i in range(n)]
    data = dataset_from_columns(scheme, ids, {k: np.asarray(v) for k, v in columns.items()},
                                names=ids, types=types, groups=groups)
    return assess(scheme, data, Context(), details=details)


def shipped_schemes() -> list[Path]:
    """Every shipped scheme that has sample data (schemes/<id>/<id>.yaml beside data/)."""
    return sorted(p for p in (ROOT / "schemes").glob("*/*.yaml") if (p.parent / "data").is_dir() and p.stem == p.parent.name)


def shipped_outcomes(path: Path) -> Outcomes:
    """A shipped scheme scored on its sample data, with details; skips a scheme that reads earlier periods."""
    import pytest

    from engine.pipeline import load

    context = Context()
    scheme = load(path, context)
    if scheme.history:
        pytest.skip("reads earlier periods")
    return assess(scheme, [path.parent / "data"], context, details=True)


def still_open(staged: t.Any) -> bool:
    """Whether this process still holds a staged file (engine.files.Staged) open: by what its
    handle points at, not by the number alone, which the system may have given to another
    file since. Skips where there is no /proc to look in."""
    import os

    import pytest

    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to see open files")
    link = Path(f"/proc/self/fd/{staged.handle}")
    return link.exists() and os.readlink(link) == str(staged.temporary)
