"""Rule-version comparison: structural changes and unit outcomes, worked out by hand."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from engine.compiler import compile_scheme
from engine.data import read_dataset
from engine.diff import diff_outcomes, diff_schemes
from engine.errors import UsageError
from engine.evaluate import evaluate
from engine.grade import decide
from engine.inherit import load_scheme
from engine.overrides import apply_overrides, sweep_values
from tests.helpers import JIFENZHI, ROOT

V1 = ROOT / "schemes" / "zhengjiaochu" / "zhengjiaochu.yaml"
V2 = ROOT / "schemes" / "zhengjiaochu" / "zhengjiaochu-v2.yaml"
MAXES = {1: 5, 2: 5, 3: 5, 4: 4, 5: 5, 6: 3, 7: 4, 8: 4, 9: 15, 10: 10, 11: 5, 12: 5, 13: 5, 14: 5, 15: 5, 16: 5, 17: 5, 18: 5}


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def outcomes(raw, folder: Path):
    scheme, _ = compile_scheme(raw)
    return scheme, decide(evaluate(scheme, read_dataset(scheme, [folder])))


@pytest.fixture
def schools(tmp_path: Path) -> Path:
    # Four schools, full marks except where noted.
    losses = {
        "A": ("中学", {}),
        "B": ("小学", {10: 2, 18: 0, 12: 0}),
        "C": ("中学", {9: 5}),
        "D": ("小学", {5: 2, 6: 1}),
    }
    write_csv(tmp_path / "学校.csv", ["编号", "名称", "类型"], [[k, f"学校{k}", v[0]] for k, v in losses.items()])
    rows = [[k] + [v[1].get(i, MAXES[i]) for i in range(1, 19)] for k, v in losses.items()]
    write_csv(tmp_path / "评分.csv", ["编号"] + [f"score_{i:02d}" for i in range(1, 19)], rows)
    return tmp_path


def test_zhengjiaochu_v1_to_v2(schools: Path) -> None:
    old_scheme, old = outcomes(load_scheme(V1), schools)
    new_scheme, new = outcomes(load_scheme(V2), schools)
    changes = {(c.kind, c.id): (c.old, c.new) for c in diff_schemes(old_scheme, new_scheme)}
    # The four proposals: 5 and 6 merged (5 retitled, 6 removed), 环境卫生 10 → 5, 科技创新 removed,
    # 寄宿生管理 for 中学 only, and the 折算 to 100 that keeps totals comparable.
    assert changes[("removed", "item_06")][1] is None
    assert changes[("removed", "item_18")][1] is None
    assert ("retitled", "item_05") in changes and ("rule", "item_05") in changes
    assert changes[("max", "item_10")] == ("10", "5")
    assert changes[("setting", "item_12")] == ("全部", "中学")
    assert changes[("setting", "rescale")] == (None, "100")
    assert changes[("max", "manage")] == ("20", "17") and changes[("max", "daily")] == ("25", "20")

    diff = {u.id: u for u in diff_outcomes(old, new).units}
    # A: full marks in both → 100 → 100.
    assert not diff["A"].changed
    # B (小学): v1 100 − 8 (环境卫生 2/10) − 5 (科技创新) − 5 (寄宿 0) = 82 → 良好.
    #   v2: 适用满分 100 − 3 − 5 − 5 − 5 = 82；得分 82 − (5 − 2/2) = 78 → 78 × 100 ÷ 82 = 95.12 → 优秀.
    b = diff["B"]
    assert (b.old_total, b.new_total, b.old_grade, b.new_grade) == (82.0, 95.12, "良好", "优秀")
    assert b.rescaled == (None, 82.0)
    # C (中学): v1 100 − 10 (学生行为规范 5/15) = 90 → 优秀.
    #   v2: 适用满分 87；87 − 10 = 77 → 77 × 100 ÷ 87 = 88.505… → 88.51 → 良好（同样丢 10 分，满分变小后分量更重）.
    c = diff["C"]
    assert (c.old_total, c.new_total, c.old_grade, c.new_grade) == (90.0, 88.51, "优秀", "良好")
    # D (小学): v1 100 − 3 − 2 = 95. v2: 合并项 (2 + 1) × 5 ÷ 8 = 1.875 → 1.88；82 − 3.12 = 78.88
    #   → 78.88 × 100 ÷ 82 = 96.195… → 96.20. The merged item is the top item cause (−3.12).
    d = diff["D"]
    assert (d.old_total, d.new_total, d.old_grade, d.new_grade) == (95.0, 96.2, "优秀", "优秀")
    moves = {m.id: (m.old, m.new) for m in d.causes}
    assert moves["item_05"] == (2.0, 1.88) and moves["item_06"] == (1.0, None) and moves["item_10"] == (10.0, 5.0)
    # Ranks: v1 A 100, D 95, C 90, B 82; v2 A 100, D 96.2, B 95.12, C 88.51 → B 4 → 3, C 3 → 4.
    assert (b.old_rank, b.new_rank, c.old_rank, c.new_rank) == (4, 3, 3, 4)
    # Spearman over the totals: ranks B1 C2 D3 A4 → C1 B2 D3 A4, Σd² = 2 → 1 − 6 × 2 ÷ (4 × 15) = 0.8
    assert diff_outcomes(old, new).spearman == 0.8


@pytest.fixture
def members(tmp_path: Path) -> Path:
    # M1: every month 10, votes 8; M2: every month 10, votes 6; M3: months 9, votes 9.
    people = {"M1": (10, 8), "M2": (10, 6), "M3": (9, 9)}
    write_csv(tmp_path / "名单.csv", ["编号", "姓名", "党支部"], [[m, m, "一支部"] for m in people])
    write_csv(tmp_path / "月评分.csv", ["编号", "月份"] + [f"score_{i:02d}" for i in range(1, 11)],
              [[m, month] + [s] * 10 for m, (s, _) in people.items() for month in range(1, 13)])
    write_csv(tmp_path / "测评.csv", ["编号"] + [f"vote_{i:02d}" for i in range(1, 11)], [[m] + [v] * 10 for m, (_, v) in people.items()])
    write_csv(tmp_path / "奖惩.csv", ["编号", "奖惩类别"], [])
    return tmp_path


def test_jifenzhi_80_20_to_70_30(members: Path) -> None:
    raw = load_scheme(JIFENZHI)
    old_scheme, old = outcomes(raw, members)
    new_scheme, new = outcomes(apply_overrides(raw, ["params.base_weight.value=0.7", "params.vote_weight.value=0.3"]), members)
    assert [(c.kind, c.id, c.old, c.new) for c in diff_schemes(old_scheme, new_scheme)] == [
        ("param", "base_weight", "0.8", "0.7"), ("param", "vote_weight", "0.2", "0.3"),
    ]
    diff = {u.id: u for u in diff_outcomes(old, new).units}
    # M1: 80/20 每项 10 × 0.8 + 8 × 0.2 = 9.6 → 96 十星 优秀；70/30 每项 7 + 2.4 = 9.4 → 94 九星 合格
    assert (diff["M1"].old_total, diff["M1"].new_total, diff["M1"].old_grade, diff["M1"].new_grade) == (96.0, 94.0, "优秀党员", "合格党员")
    # M2: 8 + 1.2 = 9.2 → 92；7 + 1.8 = 8.8 → 88（九星 → 八星，格次同为合格）
    assert (diff["M2"].old_total, diff["M2"].new_total, diff["M2"].old_grade, diff["M2"].new_grade) == (92.0, 88.0, "合格党员", "合格党员")
    # M3: 月评分与测评相同（9），权重不影响: 90 → 90；但 M2 降到 88，M3 名次 3 → 2
    m3 = diff["M3"]
    assert (m3.old_total, m3.new_total, m3.delta, m3.causes) == (90.0, 90.0, 0.0, ())
    assert (m3.old_rank, m3.new_rank) == (3, 2)


class TestOverrides:
    def test_a_path_by_id_and_a_list_index(self) -> None:
        raw = load_scheme(JIFENZHI)
        edited = apply_overrides(raw, ["stars.bands[0].ge=94", "item_01.max=12"])
        scheme, _ = compile_scheme(edited)
        assert scheme.grades[0].bands[0].ge == 94
        assert next(i for i in scheme.items() if i.id == "item_01").max == 12
        assert raw.data["grades"][0]["bands"][0]["ge"] == 95  # the original is untouched

    def test_a_bad_path_is_named_with_a_suggestion(self) -> None:
        with pytest.raises(UsageError) as caught:
            apply_overrides(load_scheme(JIFENZHI), ["params.base_weigth.value=0.7"])
        text = caught.value.render()
        assert "--set: params.base_weigth.value: 路径中的 'base_weigth' 不存在" in text and "是否想写 'base_weight'" in text

    def test_a_bad_value_is_a_located_scheme_error(self) -> None:
        from engine.errors import SchemeError

        with pytest.raises(SchemeError) as caught:
            compile_scheme(apply_overrides(load_scheme(JIFENZHI), ["params.base_weight.value=high"]))
        assert "应为数字" in caught.value.render() and "(--set params.base_weight.value=high)" in caught.value.render()

    def test_sweep_steps_exactly(self) -> None:
        assert sweep_values("params.base_weight.value=0.6:0.9:0.1") == ("params.base_weight.value", [0.6, 0.7, 0.8, 0.9])
        with pytest.raises(UsageError):
            sweep_values("x=1:0:0.1")
