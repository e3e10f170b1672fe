"""The report pages in a real browser: headless Chromium renders them, shows the
expected text, logs no console errors, prints one page per 整改通知书, and the
Chinese of each page's title is drawn — not blank, not empty boxes.

Needs Debian's ``chromium``, ``poppler-utils`` (pdftoppm) and a CJK font
(``fonts-noto-cjk``); ``.ci/run`` installs them. Without chromium or pdftoppm
the tests are skipped — unless KAOHE_REQUIRE_BROWSER=1 (set by CI), when
their absence fails. A missing font is always a failure: that is what the
glyph test is for.
"""

from __future__ import annotations

import datetime
import html
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from engine.reports import Settings, notice_units, write_reports
from tests.pages import first_page_gray, ink_lines
from tests.test_reports import FACTORY, outcomes_of

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
PDFTOPPM = shutil.which("pdftoppm")
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


#: (pages are rasterised at tests/pages.DPI, 72 dpi)
#: Dark pixels per Chinese character of a drawn 20 pt heading. Measured on the factory
#: reports with fonts-noto-cjk: 99–135; without a CJK font Chromium draws empty boxes,
#: 18–20 each, or nothing.
INK_PER_CHARACTER = 50
#: Height in pixels of the title's first line. Measured: 19 with the font, 13 for the boxes.
TITLE_HEIGHT = 16
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


@pytest.mark.skipif(PDFTOPPM is None and os.environ.get("KAOHE_REQUIRE_BROWSER") != "1", reason="pdftoppm is not installed (CI installs poppler-utils)")
@pytest.mark.parametrize("kind", ["gongshi", "sheets", "notices", "summary"])
def test_the_chinese_title_is_drawn_in_the_pdf(pages: tuple[Path, int], kind: str, tmp_path: Path) -> None:
    """Printed to PDF, the title (the page's first line) has the ink of real glyphs.

    Without a CJK font every Chinese character is blank or an empty box while
    the DOM still holds the right text; on Linux install fonts-noto-cjk.
    """
    folder, _ = pages
    pdf = tmp_path / f"{kind}.pdf"
    done = chromium(tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", (folder / f"{kind}.html").as_uri())
    assert pdf.exists(), done.stderr[-2000:]
    heading = re.search(r"<h1>(.*?)</h1>", (folder / f"{kind}.html").read_text(encoding="utf-8"), re.S)
    assert heading is not None
    characters = len(CJK.findall(html.unescape(re.sub(r"<[^>]+>", "", heading.group(1)))))
    assert characters >= 4, heading.group(1)
    lines = ink_lines(*first_page_gray(pdf, tmp_path))
    assert lines, f"{kind}: the first page is blank"
    title_height, title_ink = lines[0]
    assert title_height >= TITLE_HEIGHT and title_ink >= INK_PER_CHARACTER * characters, (
        f"{kind}: the title's {characters} Chinese characters are not drawn (line {title_height} px high, "
        f"{title_ink} dark pixels; glyphs give ≥ {INK_PER_CHARACTER} each). Is a CJK font installed? "
        "On Debian/Ubuntu: apt-get install fonts-noto-cjk")
