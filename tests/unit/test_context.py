"""The context of a run (engine.context): texts chosen by language, template folders, bare languages."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.context import DEFAULT, HISTORY_FILE, Context, of
from engine.messages import Text

BOTH = Text("总分", "Total")


def test_the_default_context_is_chinese_quiet_and_uses_the_default_store() -> None:
    assert DEFAULT == Context()
    assert (DEFAULT.lang, DEFAULT.quiet, DEFAULT.history, DEFAULT.progress, DEFAULT.templates) == \
        ("zh", True, Path("kaohe-history.sqlite"), None, ())
    assert HISTORY_FILE == Path("kaohe-history.sqlite")
    DEFAULT.notify([])  # the default sink takes warnings and does nothing


def test_pick_chooses_the_text_of_the_context_s_language() -> None:
    assert Context().pick(BOTH) == "总分"
    assert Context(lang="en").pick(BOTH) == "Total"


def test_say_chooses_by_language_whatever_the_texts_are() -> None:
    assert Context().say("第 2 行", "row 2") == "第 2 行"
    assert Context(lang="en").say("第 2 行", "row 2") == "row 2"
    # lists (or any pair of values) too: the same object comes back
    zh, en = ["甲", "乙"], ["A", "B"]
    assert Context(lang="en").say(zh, en) is en and Context().say(zh, en) is zh


def test_with_templates_puts_a_scheme_s_folder_first() -> None:
    base = Context(templates=(Path("county"),))
    assert base.with_templates(None) is base
    more = base.with_templates("scheme/templates")
    assert more.templates == (Path("scheme/templates"), Path("county"))
    assert base.templates == (Path("county"),)  # frozen: the original is unchanged
    assert more.lang == base.lang and more.history == base.history


def test_of_turns_a_bare_language_into_a_context() -> None:
    english = Context(lang="en", quiet=False)
    assert of(english) is english  # a context is passed through
    assert of("zh") is DEFAULT
    assert of("en") == Context(lang="en")
    assert of("en").pick(BOTH) == "Total"


def test_a_context_is_frozen() -> None:
    with pytest.raises(AttributeError):
        Context().lang = "en"  # type: ignore[misc]
