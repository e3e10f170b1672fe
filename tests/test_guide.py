"""The authoring guide's cookbook examples run exactly as printed.

docs/authoring-guide.md holds pairs of fenced YAML blocks: a complete scheme
(starting with ``kaohe: 1``) followed by its test block (starting with
``cases:``). Each pair is extracted, the scheme written to a file, and every
case run through the same scenario runner as ``schemes/*/tests``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from engine.scenarios import run_case
from tests.helpers import ROOT

GUIDE = ROOT / "docs" / "authoring-guide.md"
BLOCK = re.compile(r"```yaml\n(.*?)```", re.S)


def examples() -> list[tuple[str, str, dict]]:
    blocks = [b for b in BLOCK.findall(GUIDE.read_text(encoding="utf-8"))]
    pairs = []
    for scheme, following in zip(blocks, blocks[1:]):
        if scheme.lstrip().startswith(("kaohe: 1", "extends:")) and following.lstrip().startswith("cases:"):
            ident = yaml.safe_load(scheme)["id"]
            pairs.append((ident, scheme, yaml.safe_load(following)))
    return pairs


EXAMPLES = examples()


def test_the_guide_has_its_cookbook() -> None:
    # 减完为止, 不能累计, 同比例, 折算, 一票否决, 达标先进模范, 不超过 x%, 好中差, 以上/以下/超过/不足, 不封顶与扣完为止, 评价换算得分, 达到次数得 0 分, 票数换算等级, 同时属于几类, 自评与核查,
    # 与平均比较与排名, 只有部分单位填写, 无效票, 同一规则的多个项目, 连续两年, 县里删改上级方案, 权重一起试算, 下级的结果计入上级,
    # 一月一评分一月一公示（只算到当前月份）
    assert len(EXAMPLES) == 24
    assert len({ident for ident, _, _ in EXAMPLES}) == len(EXAMPLES), "two cookbook examples share an id"


@pytest.mark.parametrize("ident, scheme, spec", EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_guide_example(ident: str, scheme: str, spec: dict, tmp_path: Path) -> None:
    # Every example in a scheme folder of its own, so one that extends another (../example-x/example-x.yaml) finds it.
    for other, text, _ in EXAMPLES:
        (tmp_path / "schemes" / other).mkdir(parents=True)
        (tmp_path / "schemes" / other / f"{other}.yaml").write_text(text, encoding="utf-8")
    path = tmp_path / "schemes" / ident / f"{ident}.yaml"
    for case in spec["cases"]:
        failures = run_case(path, case, tmp_path)
        assert failures == [], f"{ident} / {case['name']}: " + "; ".join(failures)
