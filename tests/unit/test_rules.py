"""The rule registry: a kind defined here, in the test, goes through validate,
run, explain, diff and a score sheet without a line of the engine knowing it.

The toy kind is ``each:`` — "每件 N 分" — the score is ``points`` × a count:
the commonest shape of a bonus, written as a kind of its own.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import typing as t
from pathlib import Path

import numpy as np
import pytest

from engine import rules
from engine.cli import main
from engine.expressions import NUMBER, Expression
from engine.messages import Text
from engine.numbers import format_number
from engine.rules import Compiling, Evaluating, Explaining, Kind

if t.TYPE_CHECKING:
    from engine.loader import YamlPath
    from engine.model import Item


@dataclasses.dataclass(frozen=True)
class EachRule:
    count: Expression
    points: float

    def expressions(self) -> tuple[Expression, ...]:
        return (self.count,)

    def source(self) -> str:
        return f"'{self.count.source}'"

    def evaluate(self, ev: Evaluating, item: Item) -> np.ndarray:
        count = np.asarray(ev.column(self.count), dtype=np.float64)
        ev.note(item, "count", count)
        ev.trace.step(Text(f"每件 {self.points:g} 分 × {self.count.source}", f"{self.points:g} each × {self.count.source}"), self.points * count)
        result: np.ndarray = self.points * count
        return result

    def describe(self) -> str:
        return f"每件 {self.points:g} 分: {self.count.source}"

    def words(self, item: Item) -> Text:
        return Text(f"每件 {self.points:g} 分", f"{self.points:g} each")

    def explain(self, item: Item, unit: Explaining) -> list[Text]:
        count = format_number(unit.detail("count") or 0.0)
        words = unit.words(self.count.source)
        name = words.zh if words else self.count.source
        return [Text(f"{name} {count} 件，每件 {self.points:g} 分", f"{count} × {self.points:g}")]


def compile_each(c: Compiling, body: t.Any, path: YamlPath, what: Text, high: float) -> EachRule | None:
    count = c.expression(path + ("count",), NUMBER, what)
    return EachRule(count, float(body["points"])) if count else None


EACH = Kind("each", Text("按件计分", "per piece"), compile_each, schema={
    "type": "object", "additionalProperties": False, "required": ["count", "points"],
    "properties": {"count": {"type": "string"}, "points": {"type": "number"}},
})


@pytest.fixture
def each_kind() -> t.Iterator[Kind]:
    rules.register(EACH)
    try:
        yield EACH
    finally:
        rules.unregister("each")


SCHEME = """\
kaohe: 1
id: toy
version: "{version}"
title: 按件计分试验
precision: 2
inputs:
  papers: {{title: 发表文章数, type: count, range: [0, 20]}}
items:
  - id: base
    title: 基础分
    max: 90
    formula: "90"
  - id: papers_item
    title: 发表文章
    max: 10
    each: {{count: papers, points: {points}}}
"""


def _folder(tmp_path: Path) -> tuple[Path, Path, Path]:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "名单.csv").write_text("编号,名称,papers\nA,甲单位,3\nB,乙单位,7\n", encoding="utf-8")
    v1, v2 = tmp_path / "toy.yaml", tmp_path / "toy-v2.yaml"
    v1.write_text(SCHEME.format(version="1", points=2), encoding="utf-8")
    v2.write_text(SCHEME.format(version="2", points=1), encoding="utf-8")
    return v1, v2, tmp_path / "data"


def _kaohe(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--quiet", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_without_its_registration_the_key_is_unknown(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    v1, _, _ = _folder(tmp_path)
    code, _, err = _kaohe(capsys, "validate", str(v1))
    assert code == 1 and "未知的键 'each'" in err


def test_a_kind_defined_in_the_test_runs_through_every_command(each_kind: Kind, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    v1, v2, data = _folder(tmp_path)
    # validate: the kind's own schema checks its body.
    code, out, err = _kaohe(capsys, "validate", str(v1))
    assert code == 0, err
    bad = tmp_path / "bad.yaml"
    bad.write_text(SCHEME.format(version="1", points="两分"), encoding="utf-8")
    code, _, err = _kaohe(capsys, "validate", str(bad))
    assert code == 1 and "bad.yaml:16:" in err and "$.items[1].each.points" in err

    # run: 甲 3 papers × 2 = 6 → 96; 乙 7 × 2 = 14, capped at the item's max 10 → 100.
    code, out, err = _kaohe(capsys, "run", str(v1), "--data", str(data), "--format", "csv")
    assert code == 0, err
    rows = {row["编号"]: row for row in csv.DictReader(io.StringIO(out))}
    assert {k: (r["总分"], r["发表文章[papers_item]"]) for k, r in rows.items()} == {"A": ("96.00", "6.00"), "B": ("100.00", "10.00")}

    # explain: the step the rule traced, its kind's title and its words.
    code, out, err = _kaohe(capsys, "explain", str(v1), "--data", str(data), "--unit", "A")
    assert code == 0, err
    assert "每件 2 分 × papers = 6" in out and "按件计分" in out

    # diff: the rule's canonical text, before and after.
    code, out, err = _kaohe(capsys, "diff", str(v1), str(v2), "--data", str(data))
    assert code == 0, err
    assert "每件 2 分: papers" in out and "每件 1 分: papers" in out

    # a score sheet: the rule's explanation in plain words.
    code, out, err = _kaohe(capsys, "report", str(v1), "--data", str(data), "--kind", "sheets", "--out", str(tmp_path / "报表"))
    assert code == 0, err
    sheets = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "报表").rglob("*.html"))
    assert "发表文章数 3 件，每件 2 分" in sheets


def test_the_registry_is_the_one_list_of_kinds() -> None:
    # Every shipped kind has a module here and a body in the shipped JSON Schema (where editors read it).
    import json

    from engine.resources import schema_file

    node = json.loads(schema_file().read_text(encoding="utf-8"))["$defs"]["node"]["properties"]
    assert rules.keys() == ("formula", "condition", "deductions", "tiers", "proportional", "levels", "scale")
    assert all(key in node for key in rules.keys())
    with pytest.raises(ValueError):
        rules.register(rules.kind("tiers"))
