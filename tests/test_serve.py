"""``kaohe serve`` through Starlette's test client: every route, its error paths,
the safety rules (traversal, token, host, CSRF, size), and the flows of the
workbench (scheme page, assess, explanation, downloads, record, edit, what-if).

Each test serves a copy of the shipped schemes in a temporary folder, so edits
and saved versions never touch the repository.
"""

from __future__ import annotations

import io
import re
import shutil
import sqlite3
import typing as t
from pathlib import Path

import openpyxl
import pytest
from starlette.testclient import TestClient

from engine.context import Context
from engine.serve.app import create_app
from engine.serve.pages import Config
from engine.serve.safety import Served, Visits

SCHEMES = Path(__file__).resolve().parent.parent / "schemes"
JIFENZHI = "jifenzhi/jifenzhi.yaml"


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    copy = tmp_path / "schemes"
    for name in ("jifenzhi", "zhengjiaochu", "dangfeng-lianzheng", "weisheng-ting"):
        shutil.copytree(SCHEMES / name, copy / name)
    return copy


def make_client(folder: Path, tmp_path: Path, **options: object) -> TestClient:
    # A request waits for its assessment (no progress page) unless a test asks for one with wait=0.
    options.setdefault("wait", 600.0)
    context = Context(lang=t.cast(t.Any, options.pop("lang", "zh")), history=tmp_path / "history.sqlite")
    config = Config(Served.of([folder]), context, **options)  # type: ignore[arg-type]
    return TestClient(create_app(config, Visits(tmp_path / "visits")))


@pytest.fixture()
def client(folder: Path, tmp_path: Path) -> TestClient:
    return make_client(folder, tmp_path)


def csrf(client: TestClient, url: str = "/") -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', client.get(url).text) or re.search(r'data-csrf="([^"]+)"', client.get(url).text)
    assert found, "the page carries no CSRF field"
    return found.group(1)


def assess_sample(client: TestClient, path: str = JIFENZHI) -> None:
    response = client.post(f"/assess/0/{path}", data={"csrf": csrf(client, f"/assess/0/{path}"), "source": "sample"}, follow_redirects=False)
    assert response.status_code == 303, response.text[-2000:]
    assert response.headers["location"].endswith("/results")


# ---------------------------------------------------------------------------
# Schemes and scheme pages


def test_the_schemes_page_lists_each_scheme_with_version_and_whether_it_validates(client: TestClient, folder: Path) -> None:
    (folder / "broken").mkdir()
    (folder / "broken" / "broken.yaml").write_text("kaohe: 1\nid: broken\ntitle: 坏方案\nitems: [\n", encoding="utf-8")
    page = client.get("/")
    assert page.status_code == 200
    for title in ("党员积分制管理考核", "学校政教处工作考核", "党风廉政建设和反腐败工作目标管理考核"):
        assert title in page.text
    assert page.text.count("✓") == 5  # jifenzhi, the two zhengjiaochu versions, dangfeng, weisheng
    assert "✗ 1 个错误" in page.text
    # The scenario files in tests/ and the data folders are no schemes.
    assert "tests/" not in page.text and "jifenzhi/data" not in page.text


def test_the_scheme_page_reads_as_a_scheme_in_plain_words_with_yaml_line_links(client: TestClient, folder: Path) -> None:
    page = client.get(f"/scheme/0/{JIFENZHI}")
    assert page.status_code == 200
    text = page.text
    assert "第一项" in text and "「第一项月评分」" in text  # the input by its title, not score_01
    assert "95 及以上" in text  # a grade band in words (the score sheets' band_words)
    lines = (folder / JIFENZHI).read_text(encoding="utf-8").splitlines()
    links = [int(n) for n in re.findall(r'href="/source/0/jifenzhi/jifenzhi.yaml#L(\d+)"', text)]
    assert len(links) > 20
    assert all(1 <= n <= len(lines) for n in links)
    # The first item's link points at the line where item_01 is written: jifenzhi writes its ten
    # items once ("- for_each: 十项" then "id: item_{n}"), so that is the definition's first line.
    first = re.search(r'第一项</td>.*?#L(\d+)"', text, re.S)
    assert first
    line = int(first.group(1))
    assert "for_each: 十项" in lines[line - 1] and "id: item_{n}" in lines[line]


def test_the_scheme_page_of_an_extending_scheme_marks_what_it_changes(client: TestClient, folder: Path) -> None:
    (folder / "jifenzhi" / "county.yaml").write_text(
        "extends: jifenzhi.yaml\nversion: county\noverride:\n  item_01: {max: 12}\n", encoding="utf-8")
    page = client.get("/scheme/0/jifenzhi/county.yaml")
    assert page.status_code == 200
    assert "相对于上级方案的改动" in page.text and "继承自" in page.text
    assert re.search(r'class="item d0 changed".*?第一项', page.text, re.S)


def test_the_page_of_an_invalid_scheme_is_its_located_errors(client: TestClient, folder: Path) -> None:
    (folder / "broken.yaml").write_text("kaohe: 1\nid: broken\ntitle: 坏方案\nitems:\n  - {id: a, title: A, max: 5, fromula: x}\n", encoding="utf-8")
    for url in ("/scheme/0/broken.yaml", "/whatif/0/broken.yaml", "/template/0/broken.yaml"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert "schemes/broken.yaml:5" in response.text and "fromula" in response.text
    token = csrf(client, "/assess/0/broken.yaml")
    response = client.post("/assess/0/broken.yaml", data={"csrf": token, "source": "upload"},
                           files=[("files", ("a.csv", "编号,名称\nA,甲\n".encode(), "text/csv"))])
    assert response.status_code == 422 and "fromula" in response.text


def test_the_source_page_numbers_every_line_and_escapes_markup(client: TestClient, folder: Path) -> None:
    scheme = folder / "jifenzhi" / "jifenzhi.yaml"
    scheme.write_text(scheme.read_text(encoding="utf-8").replace("title: 党员积分制管理考核", "title: <script>alert(1)</script>", 1), encoding="utf-8")
    source = client.get(f"/source/0/{JIFENZHI}")
    assert source.status_code == 200
    assert 'id="L1"' in source.text and f'id="L{len(scheme.read_text(encoding="utf-8").splitlines())}"' in source.text
    assert "<script>alert" not in source.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in source.text
    assert "<script>alert" not in client.get("/").text
    assert "<script>alert" not in client.get(f"/scheme/0/{JIFENZHI}").text


# ---------------------------------------------------------------------------
# Safety


@pytest.mark.parametrize("url", [
    "/scheme/0/../../etc/passwd",
    "/scheme/0/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/source/0/..%2f..%2fpyproject.toml",
    "/source/0/jifenzhi/../../../pyproject.toml",
    "/source/0/%2Fetc%2Fpasswd",
    "/source/0//etc/hostname",
    "/edit/0/..%5c..%5cpyproject.toml",
    "/source/7/jifenzhi/jifenzhi.yaml",
    "/source/0/jifenzhi/data/名单.csv",
    "/source/0/jifenzhi/%00.yaml",
    "/static/../pyproject.toml",
    "/static/%2e%2e/app.py",
])
def test_no_route_reads_outside_the_served_folders(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code in (400, 404)
    assert "[build-system]" not in response.text and "root:" not in response.text and "def create_app" not in response.text
    assert "Traceback" not in response.text


def test_a_link_inside_a_served_folder_leading_outside_is_refused(client: TestClient, folder: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("kaohe: 1\nid: secret\ntitle: 机密\n", encoding="utf-8")
    (folder / "jifenzhi" / "linked.yaml").symlink_to(secret)
    for url in ("/source/0/jifenzhi/linked.yaml", "/scheme/0/jifenzhi/linked.yaml", "/edit/0/jifenzhi/linked.yaml"):
        response = client.get(url)
        assert response.status_code == 404 and "机密" not in response.text
        assert "不在所提供的方案文件夹内" in response.text
    assert "机密" not in client.get("/").text


def test_a_post_cannot_write_outside_the_served_folders(client: TestClient, tmp_path: Path) -> None:
    token = csrf(client)
    target = tmp_path / "outside.yaml"
    target.write_text("kaohe: 1\n", encoding="utf-8")
    response = client.post("/edit/0/..%2foutside.yaml", data={"csrf": token, "text": "kaohe: 2\n", "fingerprint": "", "action": "overwrite"})
    assert response.status_code == 404
    assert target.read_text(encoding="utf-8") == "kaohe: 1\n"
    assert not (tmp_path / "outside.yaml.draft").exists()


def test_another_host_needs_the_token_printed_in_the_url(folder: Path, tmp_path: Path) -> None:
    client = make_client(folder, tmp_path, host="0.0.0.0", token="s3cret")
    refused = client.get("/")
    assert refused.status_code == 403 and "访问令牌" in refused.text
    assert client.get("/?token=wrong").status_code == 403
    assert client.get("/?token=s3cret").status_code == 200
    assert client.get("/").status_code == 200  # the token is kept in a cookie after the first visit
    other = make_client(folder, tmp_path, host="0.0.0.0", token="s3cret")
    assert other.get(f"/scheme/0/{JIFENZHI}").status_code == 403


def test_serve_makes_a_token_for_any_host_but_this_machine(monkeypatch: pytest.MonkeyPatch, folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import uvicorn

    from engine.serve.server import serve

    seen: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: seen.update(app=app, **options))
    import socket

    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    assert serve([folder], host="0.0.0.0", port=port) == 0
    token = seen["app"].state.config.token  # type: ignore[attr-defined]
    assert token and f"http://0.0.0.0:{port}/?token={token}" in capsys.readouterr().err
    serve([folder], host="127.0.0.1", port=port)
    assert seen["app"].state.config.token is None  # type: ignore[attr-defined]
    assert f"http://127.0.0.1:{port}/\n" in capsys.readouterr().err


def test_a_page_on_this_machine_answers_only_to_its_own_host_names(client: TestClient) -> None:
    # A page of another site reaching 127.0.0.1 through a rebound DNS name carries that name.
    assert client.get("/", headers={"host": "evil.example"}).status_code == 400
    assert client.get("/", headers={"host": "localhost:8000"}).status_code == 200


def test_a_post_without_the_visits_csrf_secret_is_refused(client: TestClient) -> None:
    fresh = client.post(f"/assess/0/{JIFENZHI}", data={"source": "sample"})
    assert fresh.status_code == 403 and "不是由本工作台的页面提交的" in fresh.text
    client.get("/")
    wrong = client.post(f"/assess/0/{JIFENZHI}", data={"source": "sample", "csrf": "guess"})
    assert wrong.status_code == 400 and "不是由本工作台的页面提交的" in wrong.text
    token = csrf(client)
    foreign = client.post(f"/assess/0/{JIFENZHI}", data={"source": "sample", "csrf": token}, headers={"origin": "http://evil.example"})
    assert foreign.status_code == 403
    assert client.get("/results").status_code == 400  # nothing was assessed


def test_an_upload_over_the_size_limit_is_refused_with_the_limit(folder: Path, tmp_path: Path) -> None:
    client = make_client(folder, tmp_path, max_upload=2 * 1024 * 1024)
    token = csrf(client)
    big = ("编号,姓名\n" + "D001,某某\n" * 300_000).encode("utf-8")
    response = client.post(f"/assess/0/{JIFENZHI}", data={"csrf": token, "source": "upload"}, files=[("files", ("名单.csv", big, "text/csv"))])
    assert response.status_code == 413 and "超过 2 MB" in response.text
    assert not list((tmp_path / "visits").glob("*/upload-*"))


def test_responses_forbid_framing_and_foreign_scripts(client: TestClient) -> None:
    headers = client.get("/").headers
    assert headers["x-frame-options"] == "DENY"
    assert "default-src 'self'" in headers["content-security-policy"]
    cookie = headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie


def test_visits_get_their_own_folders_deleted_when_the_server_stops(tmp_path: Path) -> None:
    visits = Visits(tmp_path / "visits")
    one, two = visits.new(), visits.new()
    assert one.folder != two.folder and one.csrf != two.csrf
    assert not one.folder.exists()  # a page view costs no folder; the first upload makes it
    one.folder.mkdir(parents=True)
    (one.folder / "upload.csv").write_text("x", encoding="utf-8")
    visits.sweep(idle=-1)  # every visit counts as idle
    assert not one.folder.exists() and visits.get(one.id) is None
    three = visits.new()
    three.folder.mkdir(parents=True)
    visits.close()
    assert not three.folder.exists() and not (tmp_path / "visits").exists()


def test_stopping_the_app_deletes_the_visits_folders(folder: Path, tmp_path: Path) -> None:
    visits = Visits(tmp_path / "visits")
    with TestClient(create_app(Config(Served.of([folder]), wait=600.0), visits)) as client:  # runs the app's lifespan
        assess_sample(client)
        assert list((tmp_path / "visits").glob("*/run-*"))
    assert not (tmp_path / "visits").exists()


def test_an_unknown_page_is_a_message_not_a_traceback(client: TestClient) -> None:
    response = client.get("/nowhere")
    assert response.status_code == 404 and "没有这个页面或文件" in response.text
    assert client.get("/results/unit/abc").status_code == 404


# ---------------------------------------------------------------------------
# Assess, results, explanation, downloads, record


def test_the_sample_data_are_assessed_into_a_results_table(client: TestClient) -> None:
    assess_sample(client)
    page = client.get("/results")
    assert page.status_code == 200
    assert page.text.count('href="/results/unit/') == 40  # 名单.csv lists 40 members
    assert "张永胜" in page.text and "优秀党员" in page.text
    assert 'id="group-filter"' in page.text and "第一党支部" in page.text


def test_a_units_explanation_shows_how_each_item_was_scored(client: TestClient) -> None:
    assess_sample(client)
    index = re.search(r'href="/results/unit/(\d+)">张永胜<', client.get("/results").text)
    assert index
    page = client.get(f"/results/unit/{index.group(1)}")
    assert page.status_code == 200
    # 第一项 of D002: the 12 monthly scores in 月评分.csv sum to 9+9.5+9.5+10+8+9.5+10+9.5+8.5+9+9.5+9 = 111,
    # their mean 111 ÷ 12 = 9.25; the 24 votes in 民主测评.csv to 233: 9.25 × 0.8 + 233 ÷ 24 × 0.2 = 7.4 + 1.941667 = 9.341667 → 9.34.
    assert "mean(score_01) = 9.25" in page.text and "sum(vote_01) = 233" in page.text
    assert re.search(r"第一项</td><td class=\"num\">9.34<", page.text)
    # The rule in words, linked to the line of the scheme where it is written.
    assert "mean(「第一项月评分」) × 「基础积分（月评分平均）权重」" in page.text
    line = re.search(r'第一项</td>.*?href="/source/0/jifenzhi/jifenzhi.yaml#L(\d+)"', page.text, re.S)
    scheme_lines = (SCHEMES / JIFENZHI).read_text(encoding="utf-8").splitlines()
    # item_01 is one of ten written once with for_each: its line is the definition's.
    assert line and "for_each: 十项" in scheme_lines[int(line.group(1)) - 1] and "id: item_{n}" in scheme_lines[int(line.group(1))]
    # Files are named as the user knows them, never by the server's absolute paths.
    assert "jifenzhi/data/月评分.csv" in page.text and str(SCHEMES) not in page.text and "/tmp/" not in page.text
    assert client.get("/results/unit/40").status_code == 400


def test_pages_after_results_need_an_assessment_first(client: TestClient) -> None:
    for url in ("/results", "/results/unit/0", "/results/download/results.xlsx"):
        response = client.get(url)
        assert response.status_code == 400 and "还没有计算结果" in response.text


def test_every_download_of_an_assessment_is_served(client: TestClient) -> None:
    assess_sample(client)
    page = client.get("/results").text
    names = re.findall(r'href="/results/download/([^"]+)"', page)
    assert {"results.xlsx", "results.csv", "gongshi.html", "sheets.html", "summary.html", "gongshi.docx", "template.xlsx"} <= set(names)
    assert "notices.html" not in names  # 党员积分制 has no reports.notices
    for name in names:
        response = client.get(f"/results/download/{name}")
        assert response.status_code == 200, name
        assert f'filename="jifenzhi-{name}"' in response.headers["content-disposition"]
        if name.endswith(".xlsx"):
            openpyxl.load_workbook(io.BytesIO(response.content))
        if name in ("gongshi.docx", "sheets.docx"):
            import docx

            assert "张永胜" in "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs) + "".join(
                c.text for table in docx.Document(io.BytesIO(response.content)).tables for row in table.rows for c in row.cells)
    raw = client.get("/results/download/results.csv").content
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM of kaohe run's CSV, for Excel
    csv = raw.decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("排名,编号,名称") and "D002" in csv
    assert "张永胜" in client.get("/results/download/gongshi.html").text
    assert client.get("/results/download/secrets.txt").status_code == 404
    assert client.get("/results/download/..%2f..%2fpyproject.toml").status_code == 404


def test_the_data_entry_template_downloads_before_any_data(client: TestClient) -> None:
    response = client.get(f"/template/0/{JIFENZHI}")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert "说明" in book.sheetnames


def upload(client: TestClient, files: list[tuple[str, bytes]], path: str = JIFENZHI, **fields: str) -> object:
    token = csrf(client, f"/assess/0/{path}")
    return client.post(f"/assess/0/{path}", data={"csrf": token, "source": "upload", **fields},
                       files=[("files", (name, body, "application/octet-stream")) for name, body in files], follow_redirects=False)


def test_uploaded_files_are_assessed_like_the_sample_data(client: TestClient, folder: Path) -> None:
    data = folder / "jifenzhi" / "data"
    response = upload(client, [(f.name, f.read_bytes()) for f in sorted(data.iterdir())])
    assert response.status_code == 303  # type: ignore[attr-defined]
    page = client.get("/results").text
    assert page.count('href="/results/unit/') == 40 and "月评分.csv" in page


def test_a_data_error_names_the_uploaded_file_row_column_and_cell(client: TestClient, folder: Path) -> None:
    data = folder / "jifenzhi" / "data"
    files = [(f.name, f.read_bytes()) for f in sorted(data.iterdir())]
    monthly = (data / "月评分.csv").read_text(encoding="utf-8-sig").replace("D002,张永胜,1,9,", "D002,张永胜,1,九,", 1)
    files = [(name, monthly.encode("utf-8") if name == "月评分.csv" else body) for name, body in files]
    response = upload(client, files)
    assert response.status_code == 422  # type: ignore[attr-defined]
    text = response.text  # type: ignore[attr-defined]
    assert "没有计算" in text
    # D002's January row: the header is row 1 and D001's 12 months rows 2–13, so it is row 14.
    assert re.search(r"月评分\.csv:14: \[第一项月评分\]", text), re.findall(r'class="where">([^<]*)', text)
    assert "九" in text and "/tmp/" not in text and "upload-" not in text


@pytest.mark.parametrize("files, message", [
    ([], "没有数据文件"),
    ([("virus.exe", b"MZ")], "不能读取这种文件"),
    ([("a.csv", b"x"), ("a.csv", b"y")], "同名文件上传了两次"),
])
def test_a_bad_upload_is_a_located_message(client: TestClient, files: list[tuple[str, bytes]], message: str) -> None:
    response = upload(client, files)
    assert response.status_code == 422 and message in response.text  # type: ignore[attr-defined]


def test_an_uploaded_name_cannot_place_a_file_outside_the_visit(client: TestClient, tmp_path: Path) -> None:
    response = upload(client, [("../../../escaped.csv", "编号,姓名\nD001,某\n".encode())])
    assert response.status_code == 422  # type: ignore[attr-defined]
    found = list(tmp_path.rglob("escaped.csv"))
    # Kept under its last name inside the visit's upload folder, and nowhere else.
    assert len(found) == 1 and found[0].parent.name.startswith("upload-") and tmp_path / "visits" in found[0].parents


def _follow_job(client: TestClient, location: str) -> object:
    """Reload the progress page, as it reloads itself, until the job is done (bounded, no timing asserted)."""
    import time

    for _ in range(6000):
        response = client.get(location, follow_redirects=False)
        if response.status_code != 200 or 'id="progress"' not in response.text:
            return response
        assert 'http-equiv="refresh"' in response.text
        time.sleep(0.05)
    raise AssertionError("the assessment did not finish")


def test_large_work_shows_a_progress_page_that_leads_to_the_results(folder: Path, tmp_path: Path) -> None:
    client = make_client(folder, tmp_path, wait=0.0)
    response = client.post(f"/assess/0/{JIFENZHI}", data={"csrf": csrf(client, f"/assess/0/{JIFENZHI}"), "source": "sample"}, follow_redirects=False)
    assert response.status_code == 303
    location = response.headers["location"]
    if "/jobs/" in location:
        done = _follow_job(client, location)
        assert done.status_code == 303 and done.headers["location"].endswith("/results")  # type: ignore[attr-defined]
    assert client.get("/results").text.count('href="/results/unit/') == 40
    assert client.get(location).status_code in (303, 404)  # a finished job is gone once shown


def test_a_data_error_found_in_the_background_is_shown_on_the_assess_page(folder: Path, tmp_path: Path) -> None:
    client = make_client(folder, tmp_path, wait=0.0)
    response = upload(client, [("名单.csv", "编号,姓名\nD001,某\nD001,某\n".encode())])
    assert response.status_code == 303  # type: ignore[attr-defined]
    done = _follow_job(client, response.headers["location"])  # type: ignore[attr-defined]
    assert done.status_code == 422 and "名单.csv" in done.text and "D001" in done.text  # type: ignore[attr-defined]


def test_progress_lines_go_to_the_contexts_sink(folder: Path) -> None:
    from engine.context import Context
    from engine.pipeline import assess, load

    lines: list[str] = []
    context = Context(progress=lines.append)
    assess(load(folder / JIFENZHI, context), [folder / "jifenzhi" / "data"], context)
    assert any(line.startswith("正在读取 名单.csv") for line in lines)
    assert any(line.startswith("正在计算 40 个单位的得分") for line in lines)


def test_recording_asks_for_confirmation_then_stores_the_period(client: TestClient, tmp_path: Path) -> None:
    assess_sample(client)
    token = csrf(client, "/results")
    ask = client.post("/results/record", data={"csrf": token, "period": "2024"})
    assert ask.status_code == 200 and "确认记录" in ask.text
    store = tmp_path / "history.sqlite"
    assert not store.exists()  # nothing recorded before the confirmation
    done = client.post("/results/record", data={"csrf": token, "period": "2024", "confirm": "yes"})
    assert done.status_code == 200 and "40 个单位" in done.text
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT count(*) FROM outcomes WHERE scheme = 'jifenzhi' AND period = '2024'").fetchone() == (40,)
    again = client.post("/results/record", data={"csrf": token, "period": "2024"})
    assert "记录过" in again.text and 'name="replace"' in again.text
    refused = client.post("/results/record", data={"csrf": token, "period": "2024", "confirm": "yes"})
    assert refused.status_code == 400 and "2024" in refused.text
    assert client.post("/results/record", data={"csrf": token, "period": " "}).status_code == 400


# ---------------------------------------------------------------------------
# Edit


def edit_form(client: TestClient) -> tuple[str, str, str]:
    page = client.get(f"/edit/0/{JIFENZHI}").text
    token = re.search(r'name="csrf" value="([^"]+)"', page)
    fingerprint = re.search(r'name="fingerprint" value="([^"]*)"', page)
    text = re.search(r'<textarea name="text" id="text" spellcheck="false" wrap="off">(.*?)</textarea>', page, re.S)
    assert token and fingerprint and text
    import html

    return token.group(1), fingerprint.group(1), html.unescape(text.group(1))


def test_an_invalid_save_lists_errors_at_their_lines_and_keeps_a_draft(client: TestClient, folder: Path) -> None:
    file = folder / JIFENZHI
    original = file.read_text(encoding="utf-8")
    token, fingerprint, text = edit_form(client)
    assert text == original
    # jifenzhi writes its ten items once (for_each): the misspelt key is on the definition's line.
    broken = text.replace("\n    formula: mean(score_{n})", "\n    fromula: mean(score_{n})", 1)
    line = broken.splitlines().index("    fromula: mean(score_{n}) * base_weight + sum(vote_{n}) / count(vote_{n}) * vote_weight") + 1
    response = client.post(f"/edit/0/{JIFENZHI}", data={"csrf": token, "fingerprint": fingerprint, "text": broken.replace("\n", "\r\n"), "action": "save"})
    assert response.status_code == 422
    assert f'data-line="{line}"' in response.text or f'data-line="{line - 2}"' in response.text
    assert "fromula" in response.text
    assert file.read_text(encoding="utf-8") == original  # the valid file is kept
    draft = folder / (JIFENZHI + ".draft")
    assert draft.read_text(encoding="utf-8") == broken  # nothing typed is lost (line ends as on disk)
    reopened = client.get(f"/edit/0/{JIFENZHI}")
    assert "fromula" in reopened.text and "草稿" in reopened.text
    assert "有草稿" in client.get("/").text


def test_a_valid_save_writes_the_file_drops_the_draft_and_previews_the_results(client: TestClient, folder: Path) -> None:
    file = folder / JIFENZHI
    token, fingerprint, text = edit_form(client)
    (folder / (JIFENZHI + ".draft")).write_text("old draft", encoding="utf-8")
    changed = text.replace("title: 党员积分制管理考核", "title: 党员积分制管理考核（修订）", 1)
    response = client.post(f"/edit/0/{JIFENZHI}", data={"csrf": token, "fingerprint": fingerprint, "text": changed, "action": "save"})
    assert response.status_code == 200 and "已校验并保存" in response.text
    assert file.read_text(encoding="utf-8") == changed
    assert not (folder / (JIFENZHI + ".draft")).exists()
    assert "示例数据上的结果" in response.text and "张永胜" in response.text
    assert "党员积分制管理考核（修订）" in client.get("/").text


def test_a_file_changed_on_disk_is_not_overwritten_without_asking(client: TestClient, folder: Path) -> None:
    file = folder / JIFENZHI
    token, fingerprint, text = edit_form(client)
    on_disk = text.replace("version: \"2013\"", "version: \"2014\"", 1)
    file.write_text(on_disk, encoding="utf-8")  # someone else saved meanwhile
    mine = text.replace("title: 党员积分制管理考核", "title: 我的修改", 1)
    conflict = client.post(f"/edit/0/{JIFENZHI}", data={"csrf": token, "fingerprint": fingerprint, "text": mine, "action": "save"})
    assert conflict.status_code == 409 and "已在磁盘上被修改" in conflict.text and 'value="overwrite"' in conflict.text
    assert file.read_text(encoding="utf-8") == on_disk
    assert (folder / (JIFENZHI + ".draft")).read_text(encoding="utf-8") == mine
    forced = client.post(f"/edit/0/{JIFENZHI}", data={"csrf": token, "fingerprint": fingerprint, "text": mine, "action": "overwrite"})
    assert forced.status_code == 200 and file.read_text(encoding="utf-8") == mine


def test_discarding_the_draft_shows_the_file_again(client: TestClient, folder: Path) -> None:
    token, fingerprint, _ = edit_form(client)
    (folder / (JIFENZHI + ".draft")).write_text("kaohe: [\n", encoding="utf-8")
    assert "kaohe: [" in client.get(f"/edit/0/{JIFENZHI}").text
    client.post(f"/edit/0/{JIFENZHI}", data={"csrf": token, "fingerprint": fingerprint, "text": "", "action": "discard"})
    assert not (folder / (JIFENZHI + ".draft")).exists()
    assert "kaohe: [" not in client.get(f"/edit/0/{JIFENZHI}").text


def test_a_yaml_syntax_error_is_located_not_a_500(client: TestClient) -> None:
    token, fingerprint, _ = edit_form(client)
    response = client.post(f"/edit/0/{JIFENZHI}", data={"csrf": token, "fingerprint": fingerprint, "text": "kaohe: 1\nid: [x\n", "action": "save"})
    assert response.status_code == 422 and "jifenzhi/jifenzhi.yaml:" in response.text


# ---------------------------------------------------------------------------
# What-if


def test_a_what_if_shows_the_outcome_diff_with_its_causes(client: TestClient) -> None:
    token = csrf(client, f"/whatif/0/{JIFENZHI}")
    form = client.get(f"/whatif/0/{JIFENZHI}").text
    assert 'name="param.base_weight"' in form and 'data-linked="params"' in form
    response = client.post(f"/whatif/0/{JIFENZHI}", data={"csrf": token, "param.base_weight": "0.7", "param.vote_weight": "0.3", "action": "try"})
    assert response.status_code == 200 and 'id="diff"' in response.text
    assert "基础积分（月评分平均）权重：0.8 → 0.7" in response.text


def test_the_what_if_diff_has_the_items_that_moved_each_unit(folder: Path, tmp_path: Path) -> None:
    from engine.serve.whatif import compare

    document = compare(folder / JIFENZHI, folder / "jifenzhi" / "data", ["params.base_weight.value=0.7", "params.vote_weight.value=0.3"],
                       Context(history=tmp_path / "h.sqlite"))
    d002 = next(u for u in document["units"] if u["id"] == "D002")
    # 第一项 of D002: monthly sum 111, votes 233 over 24 (see the explanation test):
    # before 111/12 × 0.8 + 233/24 × 0.2 = 9.341667 → 9.34; after 9.25 × 0.7 + 9.708333 × 0.3 = 6.475 + 2.9125 = 9.3875 → 9.39.
    first = next(c for c in d002["causes"] if c["id"] == "item_01")
    assert (first["old"], first["new"], first["delta_text"]) == (9.34, 9.39, "+0.05")


@pytest.mark.parametrize("value", ["abc", "nan", "inf", ""])
def test_a_what_if_value_that_is_no_number_is_named_by_its_field(client: TestClient, value: str) -> None:
    token = csrf(client, f"/whatif/0/{JIFENZHI}")
    response = client.post(f"/whatif/0/{JIFENZHI}", data={"csrf": token, "param.base_weight": value, "param.vote_weight": "0.2", "action": "try"})
    assert response.status_code == 422 and "基础积分（月评分平均）权重" in response.text and "不是数字" in response.text


def test_weights_that_no_longer_sum_to_one_are_the_compilers_located_message(client: TestClient) -> None:
    path = "dangfeng-lianzheng/dangfeng-lianzheng.yaml"
    token = csrf(client, f"/whatif/0/{path}")
    assert 'data-linked="parts"' in client.get(f"/whatif/0/{path}").text
    response = client.post(f"/whatif/0/{path}", data={"csrf": token, "weight.part_a": "0.5", "weight.part_b": "0.6", "action": "try"})
    # 0.5 + 0.6 = 1.1: the compiler's own message, located at the parts, instead of a diff.
    assert response.status_code == 422 and "各部分权重之和为 1.1，应为 1" in response.text
    assert 'id="diff"' not in response.text


def test_saving_a_version_writes_a_child_scheme_the_cli_can_compare(client: TestClient, folder: Path, tmp_path: Path) -> None:
    token = csrf(client, f"/whatif/0/{JIFENZHI}")
    response = client.post(f"/whatif/0/{JIFENZHI}", data={"csrf": token, "param.base_weight": "0.7", "param.vote_weight": "0.3",
                                                          "action": "save", "name": "七三开"})
    assert response.status_code == 200 and "已另存为版本" in response.text
    child = folder / "jifenzhi" / "jifenzhi-七三开.yaml"
    assert "extends: jifenzhi.yaml" in child.read_text(encoding="utf-8")
    page = client.get("/scheme/0/jifenzhi/jifenzhi-七三开.yaml")
    assert page.status_code == 200 and "相对于上级方案的改动" in page.text
    from engine.cli import main

    assert main(["diff", str(folder / JIFENZHI), str(child), "--data", str(folder / "jifenzhi" / "data"), "--out", str(tmp_path / "d.md")]) == 0
    again = client.post(f"/whatif/0/{JIFENZHI}", data={"csrf": token, "param.base_weight": "0.7", "param.vote_weight": "0.3",
                                                       "action": "save", "name": "七三开"})
    assert again.status_code == 422 and "已经存在" in again.text
    for name, message in (("../x", "版本名称"), ("", "版本名称")):
        bad = client.post(f"/whatif/0/{JIFENZHI}", data={"csrf": token, "param.base_weight": "0.7", "param.vote_weight": "0.3",
                                                         "action": "save", "name": name})
        assert bad.status_code == 422 and message in bad.text
    unchanged = client.post(f"/whatif/0/{JIFENZHI}", data={"csrf": token, "action": "save", "name": "same"})
    assert unchanged.status_code == 422 and "没有改动任何数值" in unchanged.text


# ---------------------------------------------------------------------------
# Language and command line


def test_pages_are_in_english_with_lang_en(folder: Path, tmp_path: Path) -> None:
    client = make_client(folder, tmp_path, lang="en")
    assert "Schemes" in client.get("/").text
    response = client.get("/source/0/%2e%2e/%2e%2e/x.yaml")
    assert "outside the served folders" in response.text


def test_kaohe_serve_refuses_a_missing_folder_and_a_bad_port(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from engine.cli import main

    assert main(["serve", str(tmp_path / "missing")]) == 1
    assert "方案文件夹不存在" in capsys.readouterr().err
    assert main(["serve", str(tmp_path), "--port", "70000"]) == 1
    assert "端口 70000 不可用" in capsys.readouterr().err
    assert main(["serve", "--port", "x"]) == 2
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        capsys.readouterr()
        assert main(["serve", str(tmp_path), "--port", str(port)]) == 1
        assert f"无法在 127.0.0.1:{port} 上启动" in capsys.readouterr().err


def test_a_what_if_after_an_upload_scores_the_uploaded_data(client: TestClient, folder: Path) -> None:
    data = folder / "jifenzhi" / "data"
    monthly = (data / "月评分.csv").read_text(encoding="utf-8-sig").replace("D002,张永胜,1,9,", "D002,张永胜,1,5,", 1)
    files = [(f.name, monthly.encode("utf-8") if f.name == "月评分.csv" else f.read_bytes()) for f in sorted(data.iterdir())]
    assert upload(client, files).status_code == 303  # type: ignore[attr-defined]
    token = csrf(client, f"/whatif/0/{JIFENZHI}")
    response = client.post(f"/whatif/0/{JIFENZHI}", data={"csrf": token, "param.base_weight": "0.7", "param.vote_weight": "0.3", "action": "try"})
    # D002's 第一项 with January at 5 instead of 9: (111 − 4) ÷ 12 × 0.8 + 233 ÷ 24 × 0.2 = 7.133333 + 1.941667 = 9.075 → 9.08,
    # 0.26 below the sample's 9.34, so the saved scheme's total is 97.64 − 0.26 = 97.38 (items are rounded, then summed).
    assert re.search(r"<td>张永胜</td><td class=\"num\">97.38</td>", response.text)
