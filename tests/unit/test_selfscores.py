"""Self-assessed and verified values: scoring reads the verified one; sheets, workbook and explain show both."""

from __future__ import annotations

import datetime
import textwrap
from pathlib import Path

import numpy as np
import openpyxl

from engine.context import Context
from engine import selfscores
from engine.compiler import check_scheme
from engine.loader import load_scheme_text
from engine.render import explain_view
from engine.reports import Settings, render_kind, write_workbook
from tests.helpers import HEADER, outcomes_of

SCHEME = """
inputs:
  meetings: {title: 党员大会次数, type: count, range: [0, 12], self_assessed: true}
  rate: {title: 知晓率, type: percentage, self_assessed: 知晓率自评}
items:
  - id: meet
    title: 党员大会
    max: 10
    deductions:
      clauses:
        - {title: 少开一次, per: 2, count: "max(4 - meetings, 0)"}
  - id: aware
    title: 知晓率
    max: 5
    tiers:
      value: rate
      bands: [{ge: 90, points: 5}, {ge: 80, lt: 90, points: 3}, {lt: 80, points: 0}]
  - {id: honest, title: 自评不实扣分, max: 0, min: -2, formula: "where(meetings_self > meetings, -2, 0)"}
"""

# A claims what was verified; B claims 4 meetings (verified 2) and 92 % (verified 85 %);
# C gave no self-assessment at all.
COLUMNS = {
    "meetings": [4.0, 2.0, 3.0], "meetings_self": [4.0, 4.0, np.nan],
    "rate": [95.0, 85.0, 70.0], "rate_self": [95.0, 92.0, np.nan],
}


def outcomes():  # type: ignore[no-untyped-def]
    return outcomes_of(SCHEME, {k: np.asarray(v) for k, v in COLUMNS.items()}, details=True)


def test_scoring_reads_the_verified_value_and_the_claim_is_scored_apart() -> None:
    out = outcomes()
    # Verified: A 10 + 5 + 0 = 15; B 10 − 2 × (4 − 2) = 6, 85 % → 3, claimed 4 > 2 → −2: 7; C 10 − 2 = 8, 70 % → 0: 8.
    assert out.results.total.tolist() == [15.0, 7.0, 8.0]
    own = selfscores.self_results(out.results)
    assert own is not None
    # On the claims: B 4 meetings → 10, 92 % → 5, 4 > 4 is false → 0: 15. C claimed nothing: the verified values stand.
    assert own.total.tolist() == [15.0, 15.0, 8.0]
    assert own.scores["meet"].tolist() == [10.0, 10.0, 8.0]


def test_unit_view_lists_claim_verified_and_difference() -> None:
    out = outcomes()
    own = selfscores.self_results(out.results)
    assert own is not None
    view = selfscores.unit_view(out.results, own, 1)
    assert [(l.title, l.claimed, l.verified, l.difference) for l in view["inputs"]] == [
        ("党员大会次数", "4", "2", "−2"), ("知晓率", "92", "85", "−7")]
    assert (view["items"]["meet"].claimed, view["items"]["meet"].verified, view["items"]["meet"].difference) == ("10.00", "6.00", "−4.00")
    assert (view["total"].claimed, view["total"].verified, view["total"].difference) == ("15.00", "7.00", "−8.00")
    blank = selfscores.unit_view(out.results, own, 2)
    assert [(l.claimed, l.verified, l.changed) for l in blank["inputs"]] == [("—", "3", False), ("—", "70", False)]
    assert selfscores.words(blank) == []


def test_explain_and_sheets_say_what_verification_changed() -> None:
    out = outcomes()
    lines = explain_view(out, 1, Context())["unit"]["self_check"]
    assert "党员大会次数: 自评 4，核查 2，差 −2" in lines and "总分: 自评 15.00，核查 7.00，差 −8.00" in lines
    assert explain_view(out, 0, Context(lang="en"))["unit"]["self_check"] == ["self-assessed and verified values agree"]
    sheets = render_kind(out, "sheets", Settings(context=Context(), date=datetime.date(2024, 1, 1)), "md")
    assert "| 考核内容 | 满分 | 自评 | 核查得分 | 差额 | 扣分说明 |" in sheets
    assert "| 党员大会 | 10 | 10.00 | 6.00 | −4.00 |" in sheets
    assert "| 知晓率 | 92 | 85 | −7 |" in sheets and "| 总分 | 15.00 | 7.00 | −8.00 |" in sheets


def test_the_workbook_has_a_self_and_verified_sheet(tmp_path: Path) -> None:
    out = outcomes()
    path = write_workbook(out, tmp_path / "r.xlsx")
    sheet = openpyxl.load_workbook(path)["自评与核查"]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    by_id = {row[0]: dict(zip(header, row)) for row in rows[1:]}
    b = by_id["u1"]
    assert (b["党员大会次数（自评值）"], b["党员大会次数（核查值）"], b["党员大会次数（差）"]) == (4, 2, -2)
    assert (b["总分（自评分）"], b["总分（核查分）"], b["总分（差额）"]) == (15, 7, -8)
    assert by_id["u2"]["知晓率（自评值）"] is None and by_id["u2"]["知晓率（核查值）"] == 70


def test_a_scheme_without_self_assessment_has_no_such_sheet(tmp_path: Path) -> None:
    out = outcomes_of("""
inputs:
  x: {title: 得分, type: number}
items:
  - {id: a, title: 甲, max: 100, formula: x}
""", {"x": np.array([90.0])})
    assert selfscores.self_results(out.results) is None
    assert "自评与核查" not in openpyxl.load_workbook(write_workbook(out, tmp_path / "r.xlsx")).sheetnames


def test_per_month_claims_are_summed_in_the_workbook(tmp_path: Path) -> None:
    out = outcomes_of("""
dimensions:
  month: {title: 月份, values: [1, 2, 3]}
inputs:
  visits: {title: 走访次数, type: count, per: month, self_assessed: true}
items:
  - {id: v, title: 走访, max: 6, formula: sum(visits)}
""", {"visits": np.array([[1.0, 2.0, 1.0]]), "visits_self": np.array([[2.0, 2.0, 2.0]])})
    # Verified 1 + 2 + 1 = 4; claimed 2 + 2 + 2 = 6.
    assert out.results.total.tolist() == [4.0]
    rows = list(openpyxl.load_workbook(write_workbook(out, tmp_path / "r.xlsx"))["自评与核查"].iter_rows(values_only=True))
    record = dict(zip(rows[0], rows[1]))
    assert (record["走访次数（自评值）"], record["走访次数（核查值）"], record["走访次数（差）"]) == (6, 4, -2)
    assert (record["走访（自评分）"], record["走访（核查分）"]) == (6, 4)


def errors(body: str) -> list:
    _, found = check_scheme(load_scheme_text(textwrap.dedent(HEADER + body), "s.yaml"))
    return [p for p in found if p.severity == "error"]


def test_a_companion_id_or_title_already_taken_is_a_located_error() -> None:
    found = errors("""
inputs:
  x: {title: 得分, type: number, self_assessed: true}
  x_self: {title: 另一项, type: number}
items:
  - {id: a, title: 甲, max: 100, formula: x}
""")
    assert [p.code for p in found] == ["self_id_taken"]
    assert found[0].location.line == 8 and found[0].location.path == "$.inputs.x.self_assessed"
    assert "x_self" in found[0].render("zh") and "already has" in found[0].render("en")
    found = errors("""
inputs:
  x: {title: 得分, type: number, self_assessed: 自评得分}
  y: {title: 自评得分, type: number}
items:
  - {id: a, title: 甲, max: 100, formula: x + y}
""")
    assert [p.code for p in found] == ["self_title_taken"] and "'自评得分'" in found[0].render("zh")


def test_a_yes_no_input_cannot_be_self_assessed() -> None:
    # A blank 是/否 cell reads as 否: "not self-assessed" would silently become "claimed 否".
    found = errors("""
inputs:
  has: {title: 有制度, type: boolean, self_assessed: true}
items:
  - {id: a, title: 甲, max: 2, condition: {when: has}}
""")
    assert [p.code for p in found] == ["self_boolean"] and found[0].location.path == "$.inputs.has.self_assessed"
    assert "type: category, values: [是, 否]" in found[0].render("zh")


def test_a_category_claim_left_blank_keeps_the_verified_value() -> None:
    out = outcomes_of("""
inputs:
  kind: {title: 类别, type: category, values: [甲, 乙], self_assessed: true}
items:
  - {id: k, title: 类别, max: 2, formula: "where(kind == '甲', 2, 0)"}
""", {"kind": np.array(["乙", "乙"]), "kind_self": np.array(["", "甲"])})
    own = selfscores.self_results(out.results)
    assert own is not None
    # u0 claimed nothing → 乙 → 0 either way; u1 claimed 甲 → 2 on its claim, 0 verified.
    assert own.total.tolist() == [0.0, 2.0] and out.results.total.tolist() == [0.0, 0.0]
    line = selfscores.unit_view(out.results, own, 1)["inputs"][0]
    assert (line.claimed, line.verified, line.difference, line.changed) == ("甲", "乙", "—", True)
