"""The one Jinja environment (engine.templating): sandboxed, strict, by language, a
scheme's template folder before the shipped one, ``base/…`` always the shipped one."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from jinja2.exceptions import SecurityError

from engine.context import Context
from engine.resources import reports_dir
from engine.templating import environment, escape_markdown_html


def test_t_and_lang_follow_the_context_s_language() -> None:
    source = "{{ lang }}: {{ t('总分', 'Total') }}"
    assert environment(Context()).from_string(source).render() == "zh: 总分"
    assert environment(Context(lang="en")).from_string(source).render() == "en: Total"
    assert environment(Context(lang="en"), "pages").from_string(source).render() == "en: Total"


def test_one_environment_per_language_and_search_path() -> None:
    assert environment(Context()) is environment(Context(quiet=False))  # quiet does not matter
    assert environment(Context()) is not environment(Context(lang="en"))
    assert environment(Context()) is not environment(Context(), "pages")


@pytest.mark.parametrize("templates", ["reports", "pages"])
def test_the_sandbox_refuses_python_internals_and_changes(templates: str) -> None:
    env = environment(Context(), "pages" if templates == "pages" else "reports")
    with pytest.raises(SecurityError):
        env.from_string("{{ ''.__class__ }}").render()
    with pytest.raises(SecurityError):
        env.from_string("{{ x.__init__.__globals__ }}").render(x=Context())
    # immutable: a template may read a list it is given, not append to it
    values = [1]
    with pytest.raises(SecurityError):
        env.from_string("{{ values.append(2) }}").render(values=values)
    assert values == [1]
    assert env.from_string("{{ values[0] + 1 }}").render(values=values) == "2"


def test_an_undefined_name_fails_loudly() -> None:
    with pytest.raises(jinja2.UndefinedError):
        environment(Context()).from_string("总分 {{ totl }}").render(total=1)


def test_a_scheme_s_template_folder_wins_and_base_names_the_shipped_one(tmp_path: Path) -> None:
    (tmp_path / "explain.txt.j2").write_text("本县的说明模板", encoding="utf-8")
    env = environment(Context().with_templates(tmp_path))
    own = env.get_template("explain.txt.j2")
    assert own.filename == str(tmp_path / "explain.txt.j2") and own.render() == "本县的说明模板"
    # base/… is the shipped file of that name, though the scheme folder has one
    shipped = env.get_template("base/explain.txt.j2")
    assert Path(shipped.filename or "") == reports_dir() / "explain.txt.j2"
    # a name the scheme folder lacks is the shipped one
    assert Path(env.get_template("ranking.md.j2").filename or "") == reports_dir() / "ranking.md.j2"
    # without the folder, the shipped one
    assert Path(environment(Context()).get_template("explain.txt.j2").filename or "") == reports_dir() / "explain.txt.j2"


def test_an_override_can_extend_the_shipped_template_of_its_own_name(tmp_path: Path) -> None:
    # base.html.j2 replaced by the scheme's own, which extends the shipped one through base/
    (tmp_path / "base.html.j2").write_text('{% extends "base/base.html.j2" %}{% block title %}本县：{{ heading }}{% endblock %}',
                                           encoding="utf-8")
    html = environment(Context().with_templates(tmp_path)).get_template("base.html.j2").render(heading="考核")
    assert "<title>本县：考核</title>" in html and '<html lang="zh-CN">' in html
    # the shipped one alone: its own title block prints the heading
    shipped = environment(Context(lang="en")).get_template("base.html.j2").render(heading="考核")
    assert "<title>考核</title>" in shipped and '<html lang="en">' in shipped


def test_html_is_escaped_in_html_templates_only_and_pages_always(tmp_path: Path) -> None:
    (tmp_path / "x.html.j2").write_text("{{ name }}", encoding="utf-8")
    (tmp_path / "x.txt.j2").write_text("{{ name }}", encoding="utf-8")
    (tmp_path / "x.md.j2").write_text("{{ name }}", encoding="utf-8")
    env = environment(Context(templates=(tmp_path,)))
    name = "<b>甲&乙</b> &amp;"
    assert env.get_template("x.html.j2").render(name=name) == "&lt;b&gt;甲&amp;乙&lt;/b&gt; &amp;amp;"
    assert env.get_template("x.txt.j2").render(name=name) == name
    # Markdown: "<" and an entity's "&" escaped, the plain "&" and ">" kept
    assert env.get_template("x.md.j2").render(name=name) == "&lt;b>甲&乙&lt;/b> &amp;amp;"
    # a string template of the reports is not escaped; the workbench's pages escape every string
    assert env.from_string("{{ name }}").render(name=name) == name
    assert environment(Context(), "pages").from_string("{{ name }}").render(name=name) == "&lt;b&gt;甲&amp;乙&lt;/b&gt; &amp;amp;"


def test_escape_markdown_html_changes_only_what_reads_as_markup() -> None:
    assert escape_markdown_html("<script>甲</script>") == "&lt;script>甲&lt;/script>"
    assert escape_markdown_html("A&B rate >= 100") == "A&B rate >= 100"  # no entity, no tag
    assert escape_markdown_html("&lt; &#60; &x") == "&amp;lt; &amp;#60; &x"
