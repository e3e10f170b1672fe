"""Ballot validity (engine.ballots): a check over one rater's ballot across
every unit that rater scored; an invalid ballot is left out of every unit's
values, said in explain and listed in the 汇总 report.

Data goes through the real reader (CSV files). Every expected number is
worked out by hand in the comments.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from engine.compiler import check_scheme
from engine.context import Context
from engine.data import read_dataset
from engine.errors import EvaluationError
from engine.loader import load_scheme_text
from engine.pipeline import score
from engine.render import explain
from engine.reports import _summary
from tests.helpers import HEADER, scheme_from

BODY = """
units: {group: 支部}
dimensions:
  rater: {title: 测评人}
inputs:
  vote: {title: 测评分, type: number, range: [0, 100], per: rater}
  level: {title: 等次, type: category, values: [优秀, 称职, 不称职], per: rater}
ballots:
  - id: democratic
    title: 民主测评票
    per: rater
    invalid:
      - {title: 90 分以上超过 2 人, when: "count_if(vote >= 90) > 2"}
      - {title: 没有评不称职, when: "count_if(level == '不称职') < 1"}
items:
  - {id: score, title: 测评得分, max: 100, formula: "where(count(vote) > 3, trimmed_mean(vote), mean(vote))"}
  - {id: excellent, title: 优秀票数, max: 100, formula: "count_if(level == '优秀')"}
"""
UNITS = "编号,姓名,支部\nA,张三,一支部\nB,李四,一支部\nC,王五,一支部\n"
# R01 gives 90+ to three people: invalid (first check). R02 rates nobody 不称职: invalid (second check).
# R03, R04, R05 are valid.
VOTES = """编号,测评人,测评分,等次
A,R01,95,优秀
B,R01,92,优秀
C,R01,90,不称职
A,R02,80,称职
B,R02,70,称职
C,R02,60,称职
A,R03,85,优秀
B,R03,75,称职
C,R03,91,不称职
A,R04,70,称职
B,R04,80,优秀
C,R04,90,不称职
A,R05,60,不称职
B,R05,85,优秀
C,R05,88,称职
"""


def _run(tmp_path: Path, body: str = BODY, units: str = UNITS, votes: str = VOTES):  # type: ignore[no-untyped-def]
    scheme = scheme_from(HEADER + body)
    (tmp_path / "名单.csv").write_text(units, encoding="utf-8")
    (tmp_path / "测评.csv").write_text(votes, encoding="utf-8")
    data = read_dataset(scheme, [tmp_path / "名单.csv", tmp_path / "测评.csv"])
    return score(scheme, data, Context(), details=True)


def test_invalid_ballots_are_left_out_of_every_unit(tmp_path: Path) -> None:
    outcomes = _run(tmp_path)
    results = outcomes.results
    assert [(b.rater, b.check.title) for b in results.invalid_ballots] == [("R01", "90 分以上超过 2 人"), ("R02", "没有评不称职")]
    # valid ballots R03, R04, R05 only: 3 votes each, so no trimming (count 3 is not > 3)
    # A: (85 + 70 + 60) ÷ 3 = 71.67; B: (75 + 80 + 85) ÷ 3 = 80; C: (91 + 90 + 88) ÷ 3 = 89.67
    assert results.scores["score"].tolist() == [71.67, 80, 89.67]
    # 优秀 on valid ballots: A R03 → 1; B R04, R05 → 2; C none → 0 (R01's 优秀 for A and B are left out)
    assert results.scores["excellent"].tolist() == [1, 2, 0]


def test_trimming_counts_valid_ballots_only(tmp_path: Path) -> None:
    # without the second check, R02 is valid: four ballots, so the highest and lowest are dropped
    body = BODY.replace("      - {title: 没有评不称职, when: \"count_if(level == '不称职') < 1\"}\n", "")
    results = _run(tmp_path, body).results
    assert [b.rater for b in results.invalid_ballots] == ["R01"]
    # A: 80, 85, 70, 60 → drop 85 and 60 → (80 + 70) ÷ 2 = 75; B: 70, 75, 80, 85 → (75 + 80) ÷ 2 = 77.5;
    # C: 60, 91, 90, 88 → drop 91 and 60 → (90 + 88) ÷ 2 = 89
    assert results.scores["score"].tolist() == [75, 77.5, 89]


def test_explain_and_the_summary_say_which_ballots(tmp_path: Path) -> None:
    outcomes = _run(tmp_path)
    text = explain(outcomes, 0)
    assert "不计入的无效票（民主测评票）：给 3 人的测评分不低于 90（90 分以上超过 2 人） = R01" in text
    assert "不计入的无效票（民主测评票）：给 0 人的等次为 “不称职”（没有评不称职） = R02" in text
    # the values read are the valid ballots' only
    assert "= 85, 70, 60" in text
    table = _summary(outcomes, Context())["invalid_ballots"]
    assert table[0] == {"ballot": "民主测评票", "rater": "R01", "check": "90 分以上超过 2 人", "found": "给 3 人的测评分不低于 90", "units": 3}
    assert _summary(outcomes, Context(lang="en"))["invalid_ballots"][0]["found"] == "3 given 测评分 at least 90"


def test_per_group_ballots(tmp_path: Path) -> None:
    # R01 of 一支部 and R01 of 二支部 are two people: each ballot gives 90+ to 2 people, within the limit;
    # taken as one ballot (no per_group) it gives 90+ to 4 and is invalid
    units = "编号,姓名,支部\nA,甲,一支部\nB,乙,一支部\nC,丙,二支部\nD,丁,二支部\n"
    votes = "编号,测评人,测评分,等次\n" + "".join(f"{u},R01,95,不称职\n{u},R02,80,称职\n" for u in "ABCD")
    one = _run(tmp_path, BODY.replace("- {title: 没有评不称职, when: \"count_if(level == '不称职') < 1\"}", "- {title: x, when: 'count(vote) > 9'}"),
               units, votes).results
    assert [b.rater for b in one.invalid_ballots] == ["R01"]
    assert one.scores["score"].tolist() == [80, 80, 80, 80]  # R02's 80 alone
    grouped = BODY.replace("    per: rater\n    invalid:", "    per: rater\n    per_group: true\n    invalid:").replace(
        "- {title: 没有评不称职, when: \"count_if(level == '不称职') < 1\"}", "- {title: x, when: 'count(vote) > 9'}")
    two = _run(tmp_path, grouped, units, votes).results
    assert two.invalid_ballots == ()
    assert two.scores["score"].tolist() == [87.5, 87.5, 87.5, 87.5]  # (95 + 80) ÷ 2


def test_a_ballot_table_without_raters_is_a_located_error(tmp_path: Path) -> None:
    votes = "编号,测评分,等次\nA,90,优秀\nB,80,称职\nC,70,不称职\n"
    with pytest.raises(EvaluationError) as caught:
        _run(tmp_path, votes=votes)
    problem = caught.value.problems[0]
    # the ballot rule is on line 14 (5 lines of header, a blank line, then the body)
    assert (problem.code, problem.location.line, Path(dict(problem.args)["file"]).name) == ("ballot_no_raters", 14, "测评.csv")


def _problems(body: str) -> list[tuple[str, int | None]]:
    _, problems = check_scheme(load_scheme_text(textwrap.dedent(HEADER + body), "s.yaml"))
    return [(p.code, p.location.line) for p in problems if p.severity == "error"]


def test_ballot_rules_are_checked_when_validating() -> None:
    # lines 1–5 header, 6 blank: the rule's per is on line 16, its first check on 18.
    # A per naming no open dimension: its checks are not compiled (the undeclared 'limit' is not reported too)
    body = BODY.replace("    per: rater\n", "    per: raters\n").replace("count_if(vote >= 90) > 2", "count_if(vote >= 90) > limit")
    assert _problems(body) == [("ballot_dimension", 16)]
    assert _problems(BODY.replace("count_if(vote >= 90) > 2", "vote >= 90")) == [("expr_not_aggregated", 18)]
    assert _problems(BODY.replace("count_if(vote >= 90) > 2", "count_if(votes >= 90) > 2")) == [("expr_unknown_name", 18)]
    # a per-unit input is declared, but not on the ballot
    with_rate = BODY.replace("  level:", "  rate: {title: 完成率, type: percentage}\n  level:")
    assert _problems(with_rate.replace("count_if(vote >= 90) > 2", "count_if(vote >= 90) > rate")) == [("ballot_not_on_ballot", 19)]


def test_trimmed_mean_over_a_condition() -> None:
    from tests.helpers import outcomes_of
    import numpy as np

    outcomes = outcomes_of("""
dimensions:
  rater: {title: 测评人}
inputs:
  vote: {title: 测评分, type: number, per: rater}
  kind: {title: 测评人类别, type: category, values: [干部, 群众], per: rater}
items:
  - {id: masses, title: 群众测评, max: 100, formula: "trimmed_mean_if(vote, kind == '群众', 1)"}
  - {id: cadres, title: 干部测评, max: 100, formula: "trimmed_mean_if(vote, kind == '干部', 0)"}
""", {"vote": np.array([[90.0, 60.0, 80.0, 70.0, 100.0]]), "kind": np.array([["群众", "群众", "群众", "干部", "群众"]])})
    # 群众: 90, 60, 80, 100 → drop 100 and 60 → (90 + 80) ÷ 2 = 85; 干部: 70 alone, nothing dropped → 70
    assert outcomes.results.scores["masses"].tolist() == [85]
    assert outcomes.results.scores["cadres"].tolist() == [70]


def test_a_changed_ballot_rule_is_a_listed_change() -> None:
    from engine.diff import diff_schemes

    old = scheme_from(HEADER + BODY)
    new = scheme_from(HEADER + BODY.replace("count_if(vote >= 90) > 2", "count_if(vote >= 90) > 3"))
    changes = [c for c in diff_schemes(old, new) if c.id == "ballots"]
    assert len(changes) == 1 and "count_if(vote >= 90) > 2" in str(changes[0].old) and "> 3" in str(changes[0].new)
    assert not [c for c in diff_schemes(old, old) if c.id == "ballots"]


def test_the_command_line_names_ballots_and_fails_cleanly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from engine.cli import main

    scheme = tmp_path / "s.yaml"
    scheme.write_text(textwrap.dedent(HEADER + BODY), encoding="utf-8")
    (tmp_path / "名单.csv").write_text(UNITS, encoding="utf-8")
    (tmp_path / "测评.csv").write_text(VOTES, encoding="utf-8")
    assert main(["explain", str(scheme), "--data", str(tmp_path / "名单.csv"), str(tmp_path / "测评.csv"), "--unit", "B", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "invalid ballot left out (民主测评票): 3 given 测评分 at least 90 (90 分以上超过 2 人) = R01" in out
    # without the 测评人 column: exit 1, a located message, no traceback
    (tmp_path / "测评.csv").write_text("编号,测评分,等次\nA,90,优秀\n", encoding="utf-8")
    assert main(["run", str(scheme), "--data", str(tmp_path / "名单.csv"), str(tmp_path / "测评.csv"), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "s.yaml:14" in err and "has no 测评人 column" in err and "Traceback" not in err


def test_the_json_document_and_the_workbook_list_invalid_ballots(tmp_path: Path) -> None:
    import json
    import zipfile

    from engine.results_json import to_document, to_json
    from engine.xlsx import write_workbook

    outcomes = _run(tmp_path)
    # R01 gave 95, 92, 90: three people at 90 or more (> 2); R02 rated nobody 不称职 (0 < 1). Both ballots hold A, B, C.
    expected = [
        {"ballot": "democratic", "title": "民主测评票", "rater": "R01", "group": None, "check": "90 分以上超过 2 人",
         "found": "给 3 人的测评分不低于 90", "units": ["A", "B", "C"]},
        {"ballot": "democratic", "title": "民主测评票", "rater": "R02", "group": None, "check": "没有评不称职",
         "found": "给 0 人的等次为 “不称职”", "units": ["A", "B", "C"]},
    ]
    assert to_document(outcomes)["invalid_ballots"] == expected
    assert json.loads(to_json(outcomes)) == to_document(outcomes)  # the fast writer says the same
    book = write_workbook(outcomes, tmp_path / "结果.xlsx")
    with zipfile.ZipFile(book) as z:
        listed = z.read("xl/workbook.xml").decode()
        sheet = z.read("xl/worksheets/sheet4.xml").decode()
    assert 'name="无效票"' in listed
    assert sheet.count("<row ") == 3  # the header and the two ballots
    assert "R01" in sheet and "R02" in sheet and "90 分以上超过 2 人" in sheet


def test_a_scheme_without_ballot_rules_has_no_ballot_list(tmp_path: Path) -> None:
    from engine.results_json import to_document

    body = BODY.split("ballots:")[0] + "items:" + BODY.split("items:")[1]
    assert "invalid_ballots" not in to_document(_run(tmp_path, body))
