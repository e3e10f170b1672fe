"""What a traced unit's inputs read as (engine.input_reads): a value shown for a
person, where it came from, an earlier period's value, a corrected value."""

from __future__ import annotations

import numpy as np

from engine.data import Correction, Dataset, Origin
from engine.data.dataset import Column, Units
from engine.errors import Location
from engine.input_reads import NO_NOTE, InputRead, corrected_text, history_read, origin_text, show
from engine.messages import Text
from engine.model import History, period_name, sought_name


def test_show_renders_a_value_for_a_person() -> None:
    assert show(0.1 + 0.2) == "0.3"  # 0.30000000000000004 snapped to 6 places, zeros dropped
    assert show(8.0) == "8"
    assert show(1 / 3) == "0.333333"
    assert show(np.int64(3)) == "3"
    assert show(float("nan")) == "空"  # an absent number
    assert show(True) == "是" and show(np.bool_(False)) == "否"
    assert show("") == "空" and show("好") == "好"
    # one cell in an array is that cell; several are a list
    assert show(np.array([[7.0]])) == "7"
    assert show(np.array([1.0, 2.5])) == "[1, 2.5]"
    assert show([True, "一般", 0.5]) == "[是, 一般, 0.5]"


def test_origin_text_names_file_sheet_and_rows() -> None:
    assert origin_text([]) is NO_NOTE and NO_NOTE == Text("", "")
    assert origin_text([Origin("名单.csv", None, 2)]) == Text("名单.csv 第 2 行", "名单.csv row 2")
    # rows 3 and 5 of one sheet are two rows, not the span 3–5; then the other file
    origins = [Origin("月评.xlsx", "一月", 5), Origin("名单.csv", None, 2), Origin("月评.xlsx", "一月", 3)]
    assert origin_text(origins) == Text("月评.xlsx[一月] 第 3、5 行；名单.csv 第 2 行",
                                        "月评.xlsx[一月] rows 3, 5; 名单.csv row 2")
    # rows 2, 3, 4 and 9: a run and a row
    run = [Origin("测评.csv", None, r) for r in (9, 2, 4, 3)]
    assert origin_text(run) == Text("测评.csv 第 2–4、9 行", "测评.csv rows 2–4, 9")


def test_corrected_text_gives_old_and_new_values_and_the_correction_row() -> None:
    monthly = Correction("W1", "monthly", "3", 6.0, 7.0, "复核", Origin("更正.xlsx", "更正", 4))
    assert corrected_text([monthly], "月份") == Text(
        "月份 3 已更正 6 → 7 ← 更正表 更正.xlsx[更正] 第 4 行",
        "月份 3 corrected 6 → 7 ← correction table 更正.xlsx[更正] row 4")
    # a per-unit input has no period: no dimension title in front; two corrections joined
    late = Correction("W1", "late", "", 2.0, 0.5, "误记", Origin("更正.csv", None, 2))
    assert corrected_text([late, late], "") == Text(
        "已更正 2 → 0.5 ← 更正表 更正.csv 第 2 行；已更正 2 → 0.5 ← 更正表 更正.csv 第 2 行",
        "corrected 2 → 0.5 ← correction table 更正.csv row 2; corrected 2 → 0.5 ← correction table 更正.csv row 2")


def test_a_corrected_empty_cell_shows_as_empty() -> None:
    filled = Correction("W1", "late", "", None, 1.0, "补录", Origin("更正.csv", None, 2))
    assert corrected_text([filled], "").zh == "已更正 空 → 1 ← 更正表 更正.csv 第 2 行"


ENTRY = History("last_total", "上期总分", "total", 1, "total", Location("t.yaml", 9))


def _data(columns: dict[str, Column]) -> Dataset:
    one = np.asarray(["u0"])
    return Dataset(Units(one, one, np.asarray([""]), np.asarray([""]), np.asarray([""])), columns, {})


def test_history_read_names_the_period_the_value_came_from() -> None:
    data = _data({"last_total": np.array([95.0]), period_name("last_total"): np.array(["2023"])})
    assert history_read(ENTRY, data) == InputRead(
        "last_total", "上期总分", ("95",), None,
        Text("往期结果: total，2023 期", "earlier result: total, period 2023"))


def test_history_read_of_another_scheme_names_it() -> None:
    entry = History("other", "另一方案总分", "total", 1, "number", Location("t.yaml"), scheme="jifenzhi")
    data = _data({"other": np.array([88.5]), period_name("other"): np.array(["2023"])})
    assert history_read(entry, data).origin == Text("往期结果: jifenzhi 的total，2023 期",
                                                    "earlier result: jifenzhi's total, period 2023")


def test_history_read_without_a_record() -> None:
    # the calendar predecessor 2022 was sought and has no record: say which
    sought = _data({"last_total": np.array([np.nan]), period_name("last_total"): np.array([""]),
                    sought_name("last_total"): np.array(["2022"])})
    read = history_read(ENTRY, sought)
    assert read.values == ("无记录",) and read.dim is None
    assert read.origin == Text("往期结果: total，2022 期无记录（按上一期取，不取更早的记录）",
                               "earlier result: total, no record of period 2022 (the period before; older ones are not used)")
    # no column at all (no earlier results): no recorded period
    assert history_read(ENTRY, _data({})).origin == Text("往期结果: total，没有可用的记录期", "earlier result: total, no recorded period")
    # a column but no period and nothing sought: the same
    none = _data({"last_total": np.array([np.nan]), period_name("last_total"): np.array([""])})
    assert history_read(ENTRY, none).values == ("无记录",)
    assert history_read(ENTRY, none).origin.en == "earlier result: total, no recorded period"
