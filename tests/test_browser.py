"""The report pages in a real browser: headless Chromium renders them, shows the
expected text, logs no console errors, and prints one page per 整改通知书.

Needs Debian's ``chromium`` (``.ci/run`` installs it). Without it the test is
skipped — unless KAOHE_REQUIRE_BROWSER=1 (set by CI), when a missing browser fails.
"""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from engine.reports import Settings, notice_units, write_reports
from tests.test_reports import FACTORY, outcomes_of

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--enable-logging=stderr", "--v=0"]

if BROWSER is None and os.environ.get("KAOHE_REQUIRE_BROWSER") != "1":
    pytest.skip("chromium is not installed (CI installs it)", allow_module_level=True)


def chromium(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert BROWSER is not None, "KAOHE_REQUIRE_BROWSER=1 but chromium is missing"
    return subprocess.run([BROWSER, *FLAGS, f"--user-data-dir={tmp / 'profile'}", *args],
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    folder = tmp_path_factory.mktemp("reports")
    # The sample data with a second unit below 达标, so that two notices must print on two pages:
    # 后勤党支部 (H) at 40 on 经营责任制 loses 30 × (88 − 40) ÷ 100 = 14.4 more points → 93.4 − 14.4 = 79.
    data = tmp_path_factory.mktemp("data")
    for file in (FACTORY.parent / "data").iterdir():
        (data / file.name).write_bytes(file.read_bytes())
    sheet = data / "企管部经营责任制.csv"
    sheet.write_bytes(sheet.read_bytes().decode("utf-8-sig").replace("H,88,", "H,40,").encode("utf-8-sig"))
    outcomes = outcomes_of(FACTORY, data)
    assert float(outcomes.results.total[outcomes.results.data.units.index()["H"]]) == 79.0
    write_reports(outcomes, folder, ("gongshi", "sheets", "notices", "summary"), Settings(datetime.date(2024, 12, 20), "2024"))
    return folder, len(notice_units(outcomes))


@pytest.mark.parametrize("kind, text", [
    ("gongshi", "三车间党支部"),
    ("sheets", "经营责任制及各项行政管理工作"),
    ("notices", "整改通知书"),
    ("summary", "总分分布"),
])
def test_pages_render_with_their_text_and_no_console_errors(pages: tuple[Path, int], kind: str, text: str) -> None:
    folder, _ = pages
    done = chromium(folder, "--dump-dom", (folder / f"{kind}.html").as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    assert text in done.stdout
    console = [line for line in done.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert console == []


def test_notices_print_one_per_page(pages: tuple[Path, int], tmp_path: Path) -> None:
    from pypdf import PdfReader

    folder, notices = pages
    pdf = tmp_path / "notices.pdf"
    done = chromium(tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", (folder / "notices.html").as_uri())
    assert pdf.exists(), done.stderr[-2000:]
    assert notices == 2
    assert len(PdfReader(pdf).pages) == notices
