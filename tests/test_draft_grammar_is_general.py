"""The recogniser is a phrase grammar, not a copy of the seeds (issue 17).

No sentence of a seed document, no title of a hand-written scheme built from
them, and none of their distinctive numbers may appear in engine/draft/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "seeds"  # copies of the source documents (tests/seeds/README.md)
SCHEMES = ("chuangxian-zhengyou-wulumuqi", "chuangxian-zhengyou-factory", "dangfeng-lianzheng")


def _code() -> str:
    from engine.draft.reading import normalise

    return "\n".join(normalise(line) for p in sorted((ROOT / "engine" / "draft").glob("*.py"))
                     for line in p.read_text(encoding="utf-8").splitlines())


def _titles(node: object) -> list[str]:
    found: list[str] = []
    if isinstance(node, dict):
        if isinstance(node.get("title"), str):
            found.append(node["title"])
        for value in node.values():
            found += _titles(value)
    elif isinstance(node, list):
        for value in node:
            found += _titles(value)
    return found


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed documents are not beside this clone")
def test_no_seed_sentence_title_or_number_in_the_recogniser() -> None:
    from engine.draft.reading import normalise

    code = _code()
    pieces: set[str] = set()
    numbers: set[str] = set()
    for seed in SEEDS.glob("*.txt"):
        text = normalise(seed.read_text(encoding="utf-8", errors="replace"))
        pieces.update(p.strip() for p in re.split(r"[。;!?\n,]", text) if len(p.strip()) >= 10)
        numbers.update(n for n in re.findall(r"\d+(?:\.\d+)?", text) if len(n.replace(".", "")) >= 3 and n not in ("100", "1000"))
    for scheme in SCHEMES:
        data = yaml.safe_load((ROOT / "schemes" / scheme / f"{scheme}.yaml").read_text(encoding="utf-8"))
        pieces.update(normalise(t) for t in _titles(data) if len(t) >= 5)
    assert len(pieces) > 500  # the check really has the seeds to look for
    assert [p for p in pieces if p in code] == []
    assert [n for n in numbers if re.search(rf"(?<![\d.]){re.escape(n)}(?![\d.])", code)] == []
