"""The outputs of ``kaohe run``, ``explain`` and ``diff``, by the names they always had.

Each stage is its own module; this one only gathers their names, so that
``from engine.render import to_json`` keeps working:

- :mod:`engine.results_table` — the ranked table as CSV and Markdown, and the
  column texts the other writers share (listing order, scores, labels);
- :mod:`engine.results_json` — the JSON document (the contract in design.md);
- :mod:`engine.unit_explain` — one unit's explanation as text, JSON and a view;
- :mod:`engine.diff_pages` — the comparison of two scheme versions;
- :mod:`engine.files` — writing files and folders without leaving half of one;
- :mod:`engine.templating` — the one Jinja environment, built from a Context.
"""

from __future__ import annotations

from engine.diff_pages import comparison_title, diff_document, diff_markdown, grade_order, ordered_counts
from engine.files import replace_atomically, replace_folder_files, write_atomic
from engine.resources import reports_dir
from engine.results_json import to_document, to_json
from engine.results_table import (
    FORMULA_STARTS,
    _award_texts,
    _grade_texts,
    _veto_texts,
    format_score_column,
    guard_formula,
    guard_formula_column,
    order_index,
    to_csv,
    to_markdown,
    unit_order,
)
from engine.templating import escape_markdown_html, markdown_finalize
from engine.unit_explain import explain, explain_json, explain_page, explain_view

#: The shipped templates (engine/resources.py finds them in a clone and in a wheel).
REPORTS_DIR = reports_dir()

__all__ = [
    "FORMULA_STARTS", "REPORTS_DIR", "_award_texts", "_grade_texts", "_veto_texts", "comparison_title", "diff_document",
    "diff_markdown", "escape_markdown_html", "explain", "explain_json", "explain_page", "explain_view", "format_score_column", "grade_order",
    "guard_formula", "guard_formula_column", "markdown_finalize", "order_index", "ordered_counts", "replace_atomically",
    "replace_folder_files", "to_csv", "to_document", "to_json", "to_markdown", "unit_order", "write_atomic",
]
