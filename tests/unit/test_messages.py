"""Every problem the engine can raise has a Chinese and an English text and hint."""

from __future__ import annotations

import re

from engine.messages import MESSAGES, render_message
from tests.helpers import ROOT

CODE = re.compile(r'(?:Problem\.at|self\.problem|self\.error|reader\.error|merge\.fail|self\.fail|fail)\(\s*"([a-z_]+)"')


def used_codes() -> set[str]:
    codes: set[str] = set()
    for path in (ROOT / "engine").rglob("*.py"):
        codes |= set(CODE.findall(path.read_text(encoding="utf-8")))
    return codes


def test_every_code_the_engine_uses_has_a_message() -> None:
    missing = used_codes() - set(MESSAGES)
    assert missing == set()


def test_every_message_has_both_languages_and_renders() -> None:
    for code, entry in MESSAGES.items():
        assert set(entry) == {"zh", "en"}, code
        for lang in ("zh", "en"):
            assert all(entry[lang]), (code, lang)  # a message and a hint
            render_message(code, {}, lang)  # formats without error, even with arguments missing


def test_no_message_is_left_unused() -> None:
    source = "".join(path.read_text(encoding="utf-8") for path in (ROOT / "engine").rglob("*.py") if path.name != "messages.py")
    unused = {code for code in MESSAGES if f'"{code}"' not in source}
    assert unused == set()


def test_a_problem_renders_in_its_context_language() -> None:
    # Problem.message hands the catalogue (render_message) the Context's language; a bare language
    # (where no run exists: an exception's own text) is the default context in that language.
    from engine.context import Context
    from engine.errors import Location, Problem

    problem = Problem.at("missing_key", Location("s.yaml", 3, 1), "warning", key="title")
    assert problem.render(Context(lang="en")) == problem.render("en")
    assert problem.render("en").startswith("s.yaml:3:1: warning: required key 'title' is missing")
    assert problem.render(Context()).startswith("s.yaml:3:1: 警告: ") and problem.render() == problem.render(Context())
    assert Location("").render(Context(lang="en")) == "<command line>" and Location("").render(Context()) == "<命令行>"
