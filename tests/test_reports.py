"""Reports: golden pages on the sample data, escaping, and the Excel workbook read back."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import openpyxl
import pytest

from engine.cli import main
from engine.context import Context
from engine.pipeline import assess, load
from engine.reports import KINDS, Settings, render_kind
from tests.helpers import JIFENZHI, JIFENZHI_DATA, ROOT

FACTORY = ROOT / "schemes" / "chuangxian-zhengyou-factory" / "chuangxian-zhengyou-factory.yaml"
GOLDEN = Path(__file__).parent / "golden" / "reports"
DAY = datetime.date(2024, 12, 20)


def outcomes_of(scheme_file: Path, data: Path):
    context = Context()
    return assess(load(scheme_file, context), [data], context, details=True)


def normalise(html: str) -> str:
    """Golden comparison ignores indentation and blank lines, nothing else."""
    return "\n".join(line.strip() for line in html.splitlines() if line.strip()) + "\n"


@pytest.mark.parametrize("kind", KINDS)
def test_golden_pages_of_the_factory_sample(kind: str, request: pytest.FixtureRequest) -> None:
    # A snapshot of each page on the sample data. The numbers in it are the ones the
    # hand-worked scenarios check (schemes/chuangxian-zhengyou-factory/tests); this test
    # catches unintended changes to wording and layout. Refresh with --update-golden.
    html = normalise(render_kind(outcomes_of(FACTORY, FACTORY.parent / "data"), kind, Settings(DAY, "2024")))
    golden = GOLDEN / f"factory-{kind}.html"
    if request.config.getoption("--update-golden"):
        golden.write_text(html, encoding="utf-8")
    assert golden.exists(), f"{golden} is missing: run pytest --update-golden once and review the file"
    assert html == golden.read_text(encoding="utf-8")


def test_the_notice_explains_lost_points_in_words() -> None:
    html = render_kind(outcomes_of(FACTORY, FACTORY.parent / "data"), "notices", Settings(DAY, "2024"))
    # C (三车间党支部) is the only unit below 85 in the sample: 71 points (see the scheme's tests).
    assert html.count("<h1>") == 1 and "三车间党支部：" in html and "71.00（未达标）" in html
    assert "方案、检查、考核、典型、总结每缺一项：2 次，每次扣 2 分，扣 4 分" in html
    assert "经营责任制考核得分 80，按比例计分：30 × 80 ÷ 100 = 24" in html
    assert "减完为止" in html and "于2025年1月19日前" in html  # 30 days after 2024-12-20


@pytest.mark.parametrize("kind", KINDS)
def test_chinese_pages_print_chinese_punctuation(kind: str) -> None:
    # The factory scheme's title and an item title are typed with ASCII quotes
    # (工厂党（总）支部"创先争优"活动…, 坚持"三会一课"制度); a page meant for posting
    # prints “ ”, and its dates without spaces (2024年12月20日, GB/T 9704).
    html = render_kind(outcomes_of(FACTORY, FACTORY.parent / "data"), kind, Settings(DAY, "2024"))
    assert "“创先争优”" in html and "&#34;" not in html and '"创先争优"' not in html
    assert " 年 " not in html
    if kind == "sheets":
        assert "坚持“三会一课”制度" in html


def test_names_are_escaped(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for file in (JIFENZHI_DATA).iterdir():
        (data / file.name).write_bytes(file.read_bytes())
    members = (data / "名单.csv").read_bytes().decode("gbk").replace("张永胜", "<script>alert(1)</script>")
    (data / "名单.csv").write_bytes(members.encode("gbk"))
    outcomes = outcomes_of(JIFENZHI, data)
    for kind in ("gongshi", "sheets", "summary"):
        html = render_kind(outcomes, kind, Settings(DAY))
        assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in render_kind(outcomes, "gongshi", Settings(DAY))


def test_the_workbook_holds_the_json_results(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(JIFENZHI), "--data", str(JIFENZHI_DATA), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert main(["run", str(JIFENZHI), "--data", str(JIFENZHI_DATA), "--format", "xlsx", "--out", str(tmp_path)]) == 0
    book = openpyxl.load_workbook(tmp_path / "results.xlsx")
    results = book["结果"]
    header = [c.value for c in results[1]]
    assert header[:5] == ["排名", "编号", "名称", "党支部", "总分"] and results.freeze_panes == "A2"
    rows = {row[1]: row for row in results.iter_rows(min_row=2, values_only=True)}
    for unit in document["units"]:
        row = rows[unit["id"]]
        assert row[4] == unit["total"] and row[0] == unit["rank"]
        assert row[header.index("格次")] == unit["grade"]
    # Every row of scores carries the scheme's precision, down to the last, and nothing below it.
    last = 1 + len(document["units"])
    assert results.cell(row=2, column=5).number_format == results.cell(row=last, column=5).number_format == "0.00"
    assert results.max_row == last
    detail = book["得分明细"]
    assert detail.cell(row=last, column=3).number_format == "0.00" and detail.max_row == last
    scores = {row[0]: row for row in detail.iter_rows(min_row=2, values_only=True)}
    first = document["units"][0]
    assert scores[first["id"]][2] == first["items"]["item_01"]["score"]


def test_report_command_writes_every_kind(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["report", str(FACTORY), "--data", str(FACTORY.parent / "data"), "--out", str(tmp_path),
                 "--period", "2024", "--history", str(tmp_path / "h.sqlite"), "--date", "2024-12-20"])
    assert code == 0
    names = sorted(p.name for p in tmp_path.iterdir() if p.suffix in (".html", ".xlsx"))
    assert names == ["gongshi.html", "notices.html", "results.xlsx", "sheets.html", "summary.html"]
    summary = (tmp_path / "summary.html").read_text(encoding="utf-8")
    assert summary.count("<svg") == 3 and "<script" not in summary and "http://" not in summary.replace("http://www.w3.org/2000/svg", "")
    assert main(["report", str(JIFENZHI), "--data", str(JIFENZHI_DATA), "--out", str(tmp_path / "md"), "--format", "md"]) == 0
    assert sorted(p.name for p in (tmp_path / "md").iterdir()) == ["gongshi.md", "sheets.md"]
    assert main(["report", str(JIFENZHI), "--data", str(JIFENZHI_DATA), "--out", str(tmp_path), "--date", "2024-13-01"]) == 2
    assert re.search(r"无法识别的日期", capsys.readouterr().err)


def test_a_scheme_can_override_one_block_of_a_template(tmp_path: Path) -> None:
    # A county puts its own seal line on the notice without copying the whole template.
    schemes = tmp_path / "schemes"
    import shutil

    shutil.copytree(FACTORY.parent, schemes / FACTORY.parent.name)
    own = schemes / "county"
    (own / "templates").mkdir(parents=True)
    (own / "templates" / "notices.html.j2").write_text(
        '{% extends "base/notices.html.j2" %}{% block sign scoped %}<p>某县委组织部（印）</p><p>{{ date }}</p>{% endblock %}',
        encoding="utf-8")
    (own / "county.yaml").write_text(
        f"extends: ../{FACTORY.parent.name}/{FACTORY.name}\nid: county\ntitle: 某县考核\n"
        "reports: {notices: rectification, templates: ./templates, deadline_days: 15}\n", encoding="utf-8")
    html = render_kind(outcomes_of(own / "county.yaml", FACTORY.parent / "data"), "notices", Settings(DAY))
    assert "某县委组织部（印）" in html and "中共××厂委员会" not in html
    assert "于2025年1月4日前" in html  # 15 days after 2024-12-20


def test_no_english_output_calls_a_hand_graded_unit_直接评定() -> None:
    # The bug class of issue 13: a text chosen by a language picker that was not handed the run's
    # language. The 党员积分制 sample grades some members by hand (manual: manual_stars); with
    # --lang en every output says "by hand", none the Chinese 直接评定 — and in Chinese they do.
    from engine.documents import documents, plain_text
    from engine.render import explain, explain_json, to_csv, to_json, to_markdown

    outcomes = outcomes_of(JIFENZHI, JIFENZHI_DATA)
    hand = [int(i) for i in outcomes.results.manual.nonzero()[0]]
    assert hand  # the comparison is not vacuous
    for lang, word in (("en", "by hand"), ("zh", "直接评定")):
        context = Context(lang=lang)  # type: ignore[arg-type]
        settings = Settings(DAY, context=context)
        texts = {"md": to_markdown(outcomes, context), "csv": to_csv(outcomes, context), "json": to_json(outcomes, context),
                 "explain": explain(outcomes, hand[0], context), "explain.json": explain_json(outcomes, hand[0], context)}
        texts |= {f"{kind}.html": render_kind(outcomes, kind, settings) for kind in KINDS}
        texts |= {f"{kind}.md": render_kind(outcomes, kind, settings, "md") for kind in ("gongshi", "sheets")}
        texts |= {f"{d.name}.docx": plain_text(d) for d in documents(outcomes, KINDS, settings)}
        said = sorted(name for name, text in texts.items() if word in text)
        assert {"md", "csv", "explain", "gongshi.html", "sheets.html", "gongshi.docx", "sheets.docx"} <= set(said), (lang, said)
        if lang == "en":
            assert [name for name, text in texts.items() if "直接评定" in text] == []


def test_json_warnings_are_in_the_language_asked_for(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A column the scheme does not read is a warning (data_unknown_columns) kept in the JSON document.
    scheme = tmp_path / "s.yaml"
    scheme.write_text('kaohe: 1\nid: s\nversion: "1"\ntitle: 小方案\ninputs:\n  x: {title: 得分, type: number}\n'
                      "items:\n  - {id: a, title: 得分, max: 100, formula: x}\n", encoding="utf-8")
    data = tmp_path / "d.csv"
    data.write_text("编号,名称,得分,颜色\nA,甲,90,红\n", encoding="utf-8")
    warnings = {}
    for lang in ("zh", "en"):
        assert main(["run", str(scheme), "--data", str(data), "--format", "json", "--lang", lang]) == 0
        warnings[lang] = json.loads(capsys.readouterr().out)["warnings"]
    assert len(warnings["zh"]) == len(warnings["en"]) == 1
    assert "警告: 以下列未被方案使用，已忽略: 颜色" in warnings["zh"][0]
    assert "warning: these columns are not used by the scheme and were ignored: 颜色" in warnings["en"][0]
    assert not re.search(r"[警告以下列未被方案使用忽略]", warnings["en"][0].replace("颜色", ""))


def test_one_sandboxed_environment_per_language_and_template_folders(tmp_path: Path) -> None:
    # engine/templating.py: every template goes through one factory, built from the Context.
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from engine.templating import environment

    zh = environment(Context())
    assert environment(Context(quiet=False, history=tmp_path / "h.sqlite")) is zh  # options other than language and folders: the same one
    en = environment(Context(lang="en"))
    assert en is not zh and (zh.globals["lang"], en.globals["lang"]) == ("zh", "en")
    assert en.from_string('{{ t("中", "en") }}').render() == "en" and zh.from_string('{{ t("中", "en") }}').render() == "中"
    for env in (zh, en, environment(Context(), "pages")):
        assert isinstance(env, ImmutableSandboxedEnvironment)
    # HTML templates escape, Markdown ones neutralise markup instead, the pages escape everything.
    assert zh.autoescape("sheets.html.j2") is True and zh.autoescape("ranking.md.j2") is False
    assert environment(Context(), "pages").autoescape is True
    # A scheme's template folder comes first; "base/…" still names the shipped template.
    (tmp_path / "split.md.j2").write_text("{{ t('自己的', 'own') }}\n", encoding="utf-8")
    own = environment(Context().with_templates(tmp_path))
    assert own.get_template("split.md.j2").render() == "自己的\n"
    assert own.get_template("base/split.md.j2").filename == zh.get_template("split.md.j2").filename
