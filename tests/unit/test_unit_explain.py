"""Explain of one unit (engine.unit_explain) as Markdown and HTML: the same tree as the JSON
document — each item nested under its section, as deep as the scheme has it."""

from __future__ import annotations

import html.parser
import json

from engine.unit_explain import explain_json, explain_page
from tests.helpers import HEADER, outcomes_of

BODY = """
inputs:
  x: {title: 数值, type: number}
parts:
  - id: work
    title: 工作
    weight: 0.6
    items:
      - id: duty
        title: 履职
        items:
          - {id: a, title: 甲项, max: 10, formula: x * 2}
          - id: inner
            title: 内层
            items:
              - {id: b, title: 乙项, max: 10, formula: x}
      - {id: c, title: 丙项, max: 10, formula: x / 2}
  - id: vote
    title: 测评
    weight: 0.4
    items:
      - {id: d, title: 丁项, max: 10, formula: x}
"""


def _depths(tree: list[dict[str, object]], depth: int = 0) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    for node in tree:
        out.append((str(node["id"]), depth))
        out += _depths(node["children"], depth + 1)  # type: ignore[arg-type]
    return out


class _Lists(html.parser.HTMLParser):
    """The <code> id of each <li> of the trace and how many <ul class="trace"> hold it."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.found: list[tuple[str, int]] = []
        self.in_code = False
        self.li_waiting = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "ul":
            self.open.append(dict(attrs).get("class") or "")
        elif tag == "li" and self.open and self.open[-1] == "trace":
            self.li_waiting = True
        elif tag == "code" and self.li_waiting:
            self.in_code = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "ul":
            self.open.pop()
        elif tag == "code":
            self.in_code = False

    def handle_data(self, data: str) -> None:
        if self.in_code and self.li_waiting:
            self.found.append((data, self.open.count("trace") - 1))
            self.li_waiting = False


def test_markdown_and_html_nest_as_the_json_tree() -> None:
    outcomes = outcomes_of(BODY, {"x": [3.0]})
    tree = json.loads(explain_json(outcomes, 0))["items"]
    expected = _depths(tree)
    # parts work and vote at 0, duty and c under work, a and inner under duty, b under inner
    assert expected == [("work", 0), ("duty", 1), ("a", 2), ("inner", 2), ("b", 3), ("c", 1), ("vote", 0), ("d", 1)]
    page = _Lists()
    page.feed(explain_page(outcomes, 0, "html"))
    assert page.found == expected and page.open == []  # every list closed
    markdown = explain_page(outcomes, 0, "md").splitlines()
    bullets = [(line.split("`")[1], (len(line) - len(line.lstrip())) // 2) for line in markdown if line.lstrip().startswith("- **")]
    assert bullets == expected
    # the expression in a code span, so * is not emphasis (a is on line 17: 5 header lines + 12 of BODY)
    assert "      - 规则（公式，`test.yaml:17`）: `x * 2`" in markdown
    # a = 3 × 2 = 6, b = 3 → duty 9; c = 3 ÷ 2 = 1.5 → work 10.5; d = 3; total 10.5 × 0.6 + 3 × 0.4 = 6.3 + 1.2 = 7.5
    assert "总分 = 10.50 × 0.6 + 3.00 × 0.4 = **7.50**" in markdown
