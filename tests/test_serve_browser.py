"""``kaohe serve`` in a real browser: a uvicorn server on a free port over a copy of
the shipped schemes, driven by Playwright in Debian's headless ``chromium``
(``executable_path``; Playwright's own browser download is never used).

Each flow of issue 16 — open a scheme page; edit, see an error at its line, fix
it; assess the sample data; open a unit's explanation; change a weight and see
the diff; download a report — with a screenshot of each page kept under
``out/test-artefacts/serve/`` (``KAOHE_ARTEFACTS`` moves it). Without chromium
or Playwright the tests are skipped, saying why — unless KAOHE_REQUIRE_BROWSER=1
(set by CI), when their absence fails.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
import typing as t
from pathlib import Path

import pytest

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
REQUIRED = os.environ.get("KAOHE_REQUIRE_BROWSER") == "1"
try:
    from playwright.sync_api import Page, sync_playwright
except ImportError:  # pragma: no cover - the dev extra installs it
    sync_playwright = None  # type: ignore[assignment]

if not REQUIRED and BROWSER is None:
    pytest.skip("chromium is not installed (Debian: apt-get install chromium; CI installs it)", allow_module_level=True)
if not REQUIRED and sync_playwright is None:
    pytest.skip("playwright is not installed (pip install -e '.[dev]')", allow_module_level=True)

ROOT = Path(__file__).resolve().parent.parent
ARTEFACTS = Path(os.environ.get("KAOHE_ARTEFACTS", ROOT / "out" / "test-artefacts")) / "serve"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> t.Iterator[tuple[str, Path]]:
    import uvicorn

    from engine.context import Context
    from engine.serve.app import create_app
    from engine.serve.pages import Config
    from engine.serve.safety import Served, Visits

    folder = tmp_path_factory.mktemp("served") / "schemes"
    for name in ("jifenzhi", "dangfeng-lianzheng"):
        shutil.copytree(ROOT / "schemes" / name, folder / name)
    port = _free_port()
    visits = Visits(tmp_path_factory.mktemp("visits") / "v")
    app = create_app(Config(Served.of([folder]), Context(history=folder.parent / "h.sqlite"), port=port), visits)
    running = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not running.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", folder
    running.should_exit = True
    thread.join(10)
    visits.close()


@pytest.fixture(scope="module")
def browser() -> t.Iterator[t.Any]:
    assert BROWSER is not None, "KAOHE_REQUIRE_BROWSER=1 but chromium is missing"
    assert sync_playwright is not None, "KAOHE_REQUIRE_BROWSER=1 but playwright is missing"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=BROWSER, args=["--no-sandbox", "--disable-gpu"])
        yield launched
        launched.close()


@pytest.fixture()
def page(browser: t.Any) -> t.Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    opened = context.new_page()
    errors: list[str] = []
    # A located-message page comes with its status (409 conflict, 422 invalid); chromium logs those statuses.
    expected = ("status of 409", "status of 422")
    opened.on("console", lambda message: errors.append(message.text)
              if message.type == "error" and not any(s in message.text for s in expected) else None)
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    # No page of the workbench may log a script error or a blocked resource (the CSP allows only its own files).
    assert errors == []


def shot(page: Page, name: str) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)


def test_open_a_scheme_page(server: tuple[str, Path], page: Page) -> None:
    base, _ = server
    page.goto(base + "/")
    shot(page, "01-schemes")
    page.click("text=党员积分制管理考核")
    page.wait_for_url("**/scheme/0/jifenzhi/jifenzhi.yaml")
    assert page.locator("h1").inner_text() == "党员积分制管理考核"
    assert page.locator("text=95 及以上").count() >= 1
    shot(page, "02-scheme")
    page.locator("a.yaml").first.click()
    page.wait_for_url("**/source/0/jifenzhi/jifenzhi.yaml#L*")
    line = page.url.rsplit("#L", 1)[1]
    assert page.locator(f"#L{line}").is_visible()
    shot(page, "03-source")


def test_edit_see_an_error_at_its_line_and_fix_it(server: tuple[str, Path], page: Page) -> None:
    base, folder = server
    file = folder / "jifenzhi" / "jifenzhi.yaml"
    original = file.read_text(encoding="utf-8")
    page.goto(base + "/edit/0/jifenzhi/jifenzhi.yaml")
    area = page.locator("#text")
    area.fill(original.replace("    formula: mean(score_{n})", "    fromula: mean(score_{n})", 1))
    page.click("#save")
    page.wait_for_selector("#invalid")
    assert "fromula" in page.locator("ul.problems").inner_text()
    line = int(page.locator("a.jump").first.get_attribute("data-line") or 0)
    assert line > 0 and page.locator(".editor .gutter .bad").count() >= 1
    # Clicking the message selects its line in the editor.
    page.locator("a.jump").first.click()
    selected = page.evaluate("() => { const a = document.getElementById('text'); return a.value.slice(a.selectionStart, a.selectionEnd); }")
    assert selected == original.replace("    formula: mean(score_{n})", "    fromula: mean(score_{n})", 1).splitlines()[line - 1]
    shot(page, "04-edit-error")
    assert file.read_text(encoding="utf-8") == original
    area.fill(original.replace("title: 党员积分制管理考核", "title: 党员积分制管理考核（修订）", 1))
    page.click("#save")
    page.wait_for_selector("#saved")
    assert "示例数据上的结果" in page.content()
    shot(page, "05-edit-saved")
    assert "（修订）" in file.read_text(encoding="utf-8")
    file.write_text(original, encoding="utf-8")


def test_assess_the_sample_data_and_open_a_units_explanation(server: tuple[str, Path], page: Page) -> None:
    base, _ = server
    page.goto(base + "/assess/0/jifenzhi/jifenzhi.yaml")
    shot(page, "06-assess")
    page.click("#sample")
    page.wait_for_url("**/results")
    rows = page.locator("#results tbody tr")
    assert rows.count() == 40
    page.select_option("#group-filter", "第一党支部")
    visible = page.locator("#results tbody tr:visible").count()
    assert 0 < visible < 40
    page.select_option("#group-filter", "")
    page.click("#results th:nth-child(5)")  # 总分: ascending
    first = page.locator("#results tbody tr").first.locator("td").nth(4).inner_text()
    page.click("#results th:nth-child(5)")
    top = page.locator("#results tbody tr").first.locator("td").nth(4).inner_text()
    assert float(first) < float(top) == 97.64
    shot(page, "07-results")
    page.click("text=张永胜")
    page.wait_for_url("**/results/unit/*")
    assert page.locator("#total").inner_text() == "97.64"
    shot(page, "08-unit")


def test_upload_data_files_by_the_file_field(server: tuple[str, Path], page: Page) -> None:
    base, folder = server
    page.goto(base + "/assess/0/jifenzhi/jifenzhi.yaml")
    data = sorted(str(p) for p in (folder / "jifenzhi" / "data").iterdir())
    page.set_input_files("#files", data)
    assert "名单.csv" in page.locator("#chosen").inner_text()
    page.click("#upload")
    page.wait_for_url("**/results")
    assert page.locator("#results tbody tr").count() == 40


def test_change_a_weight_and_see_the_diff(server: tuple[str, Path], page: Page) -> None:
    base, _ = server
    page.goto(base + "/whatif/0/dangfeng-lianzheng/dangfeng-lianzheng.yaml")
    page.fill("#weight\\.part_a", "0.5")
    page.dispatch_event("#weight\\.part_a", "change")
    page.wait_for_selector("#diff")
    # The linked weight followed: 0.4/0.6 became 0.5/0.5, so the scheme still validates.
    assert page.input_value("#weight\\.part_b") == "0.5"
    assert "0.4 → 0.5" in page.locator("#diff").inner_text()
    shot(page, "09-whatif")


def test_download_a_report(server: tuple[str, Path], page: Page) -> None:
    base, _ = server
    page.goto(base + "/assess/0/jifenzhi/jifenzhi.yaml")
    page.click("#sample")
    page.wait_for_url("**/results")
    with page.expect_download() as download:
        page.click("a[href='/results/download/gongshi.html']")
    saved = Path(download.value.path())
    assert download.value.suggested_filename == "jifenzhi-gongshi.html"
    assert "张永胜" in saved.read_text(encoding="utf-8")
    with page.expect_download() as workbook:
        page.click("a[href='/results/download/results.xlsx']")
    assert Path(workbook.value.path()).read_bytes()[:2] == b"PK"
