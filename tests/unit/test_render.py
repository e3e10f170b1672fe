"""Columnar writing: the bulk score formatter writes what the scalar one writes, cell for cell."""

from __future__ import annotations

import numpy as np
import pytest

from engine.context import Context
from engine.numbers import format_score, round_half_up
from engine.render import format_score_column

TRICKY = [
    8.225, 1.005, 2.675, 2.345, -2.345, 0.125, 0.5, 1.5, 2.5, -0.5, -1.5,  # halves, both signs
    0.0, -0.0, -0.001, -0.004, 0.004, 1e-7, -1e-7,  # zero, negative zero, tiny
    0.1 + 0.2, 2 - 3 * 0.2, 1 / 3, 2 / 3, 99.995, 99.994999, 100.0, 85.0,  # float artefacts
    123456789.125, 987654.3215, 4503599627370495.5, 1e12, 1e15, 1e20, -1e20, 9.999999999e11,  # large
    float("nan"),
]


@pytest.mark.parametrize("precision", [0, 1, 2, 3, 4, 6])
def test_bulk_formatting_equals_format_score_on_tricky_values(precision: int) -> None:
    values = np.array(TRICKY)
    expected = ["—" if np.isnan(v) else format_score(v, precision) for v in TRICKY]
    assert format_score_column(values, precision).to_list() == expected


def test_half_up_on_the_shortest_decimal_and_the_sign_of_zero() -> None:
    got = format_score_column(np.array([8.225, -8.225, -0.0, -0.001, 2.5, float("nan")]), 2, missing="").to_list()
    assert got == ["8.23", "-8.23", "-0.00", "-0.00", "2.50", ""]
    assert format_score_column(np.array([0.5, -0.5, 1e20]), 0).to_list() == ["1", "-1", "100000000000000000000"]


@pytest.mark.parametrize("precision", [0, 2, 3])
def test_bulk_formatting_equals_format_score_on_random_columns(precision: int) -> None:
    rng = np.random.default_rng(precision)
    raw = np.concatenate([
        rng.uniform(-200, 200, 4000),  # unrounded
        np.round(rng.uniform(-200, 200, 4000), precision + 1),  # many exact halves
        round_half_up(rng.uniform(0, 100, 4000), precision),  # what the engine hands over
        rng.uniform(-1e12, 1e12, 200),
    ])
    raw[::53] = np.nan
    expected = ["" if np.isnan(v) else format_score(v, precision) for v in raw.tolist()]
    assert format_score_column(raw, precision, missing="").to_list() == expected


def test_values_format_score_cannot_write_still_fail() -> None:
    from decimal import InvalidOperation

    with pytest.raises(InvalidOperation):
        format_score_column(np.array([1.0, float("inf")]), 2)


def test_an_empty_column() -> None:
    assert format_score_column(np.array([], dtype=np.float64), 2).to_list() == []


# ---------------------------------------------------------------------------
# Whole documents: the columnar writers against the row-by-row ones they replaced

import csv  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
from pathlib import Path  # noqa: E402

from engine.compiler import compile_scheme  # noqa: E402
from engine.data import read_dataset  # noqa: E402
from engine.evaluate import evaluate  # noqa: E402
from engine.grade import Outcomes, decide  # noqa: E402
from engine.inherit import load_scheme  # noqa: E402
from engine.render import to_csv, to_document, to_json, unit_order  # noqa: E402
from tests.helpers import ROOT, outcomes_of  # noqa: E402


def csv_row_by_row(outcomes: Outcomes, lang: str = "zh") -> str:
    """``to_csv`` as it was written before it went columnar: csv.writer, one format_score per cell."""
    results = outcomes.results
    scheme = results.scheme
    units = results.data.units
    nodes = list(scheme.nodes())
    en = lang == "en"
    header = (["rank", "id", "name", "group", "group rank", "total"] if en else ["排名", "编号", "名称", scheme.group_title, "组内排名", "总分"])
    header += [g.title for g in scheme.grades] + [p.title for p in scheme.parts if p.explicit]
    header += [f"{n.title}[{n.id}]" for n in nodes] + ["awards" if en else "评选", "vetoes" if en else "一票否决"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    p = scheme.precision
    for i in unit_order(outcomes):
        row = [outcomes.rank[i] or "", units.ids[i], units.names[i], units.groups[i], outcomes.group_rank[i] or "",
               format_score(results.total[i], p) if not results.manual[i] else ("by hand" if en else "直接评定")]
        row += [outcomes.grade_label(g, i) or "" for g in scheme.grades]
        row += [format_score(results.parts[part.id][i], p) for part in scheme.parts if part.explicit]
        row += [format_score(results.scores[n.id][i], p) if not math.isnan(results.scores[n.id][i]) else "" for n in nodes]
        row += ["、".join(outcomes.labels(i)), "、".join(v.title for v in scheme.vetoes if results.vetoes[v.id][i])]
        writer.writerow(row)
    return buffer.getvalue()


def assert_same_documents(outcomes: Outcomes) -> None:
    assert to_json(outcomes) == json.dumps(to_document(outcomes), ensure_ascii=False, indent=2) + "\n"
    for lang in ("zh", "en"):
        assert to_csv(outcomes, Context(lang=lang)) == csv_row_by_row(outcomes, lang)


SAMPLES = sorted(p for p in (ROOT / "schemes").glob("*/*.yaml"))


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_every_sample_scheme_writes_what_the_row_by_row_writers_wrote(path: Path) -> None:
    scheme, _ = compile_scheme(load_scheme(path))
    from engine.context import Context
    from engine.pipeline import score  # scores a tree of units bottom-up too (engine.bottom_up)

    assert_same_documents(score(scheme, read_dataset(scheme, [path.parent / "data"]), Context()))


AWKWARD = """
inputs:
  x: {title: 得分, type: number}
  bad: {title: 违纪, type: boolean}
parts:
  - {id: p1, title: "第一部分, 工作", weight: 1, items: [{id: a, title: "甲 \\"引号\\"", max: 100, formula: x}]}
grades:
  - id: level
    title: 等次
    of: total
    bands:
      - {ge: 90, value: 优秀}
      - {ge: 60, value: 合格}
    otherwise: 不合格
vetoes:
  - {id: discipline, title: 违法违纪, when: bad}
rankings:
  - id: star
    title: 之星
    tiers: [{label: 之星, count: 1}]
"""


def test_awkward_names_and_values_are_written_as_before() -> None:
    names = ["逗号,名称", '引"号', "换\n行", "回\r车", "", " 空格 ", "普通", "{大括号}"]
    scores = [95.5, -0.0, 0.004, 8.225, 60.0, -12.345, 1e9, 90.0]
    outcomes = outcomes_of(AWKWARD, {"x": scores, "bad": [False, True, False, False, True, False, False, False]},
                           groups=["甲组", "乙,组", "", "甲组", "乙,组", "", "甲组", "丙"])
    object.__setattr__(outcomes.results.data.units, "names", np.array(names))
    assert_same_documents(outcomes)


def test_no_units_at_all() -> None:
    outcomes = outcomes_of(AWKWARD, {"x": np.array([], dtype=np.float64), "bad": np.array([], dtype=bool)})
    assert_same_documents(outcomes)


def test_the_streamed_workbook_keeps_the_layout(tmp_path: Path) -> None:
    """Three sheets, bold frozen headers, every score cell (empty ones too) at the scheme's precision,
    widths twice the longest text within 10–40, one row per (unit, veto)."""
    import openpyxl

    from engine.reports import write_workbook

    path = ROOT / "schemes" / "chuangxian-zhengyou-wulumuqi" / "chuangxian-zhengyou-wulumuqi.yaml"
    scheme, _ = compile_scheme(load_scheme(path))
    outcomes = decide(evaluate(scheme, read_dataset(scheme, [path.parent / "data"])))
    book = openpyxl.load_workbook(write_workbook(outcomes, tmp_path / "r.xlsx"))
    assert book.sheetnames == ["结果", "得分明细", "一票否决"]
    n = len(outcomes.results.data.units)
    for ws in book.worksheets:
        assert ws.freeze_panes == "A2" and all(c.font.b for c in ws[1])
        widths = {d.width for d in ws.column_dimensions.values()}
        assert widths and all(10 <= w <= 40 for w in widths)
    results, detail = book["结果"], book["得分明细"]
    assert results.max_row == detail.max_row == n + 1
    assert {results.cell(row=r, column=5).number_format for r in range(2, n + 2)} == {"0.00"}
    scores = [detail.cell(row=r, column=c) for r in range(2, n + 2) for c in range(3, detail.max_column + 1)]
    assert {c.number_format for c in scores} == {"0.00"} and any(c.value is None for c in scores)
    order = unit_order(outcomes)
    assert [r[1] for r in results.iter_rows(min_row=2, values_only=True)] == [str(outcomes.results.data.units.ids[i]) for i in order]
    vetoed = sum(int(outcomes.results.vetoes[v.id].sum()) for v in scheme.vetoes)
    assert book["一票否决"].max_row == 1 + vetoed
