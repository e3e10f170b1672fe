"""Shared fixtures (helpers live in tests/helpers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

# Re-exported while branches written against the old location are merged.
from tests.helpers import HEADER, INVALID, JIFENZHI, JIFENZHI_DATA, ROOT, outcomes_of, scheme_from  # noqa: F401


@pytest.fixture
def root() -> Path:
    return ROOT
