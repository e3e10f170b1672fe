"""The PDF documents as LibreOffice prints them: `kaohe report --format pdf` on the
factory sample (two units get notices), each PDF rasterised by pdftoppm and
looked at — the Chinese title is drawn with real glyphs, notices and score
sheets print one unit per page, the footer numbers the pages "— 1 —".

Needs LibreOffice (``soffice``; Debian: libreoffice-writer-nogui), poppler-utils
and fonts-noto-cjk; ``.ci/run`` installs them and sets KAOHE_REQUIRE_OFFICE=1,
which turns the skip of a missing LibreOffice or pdftoppm into a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from engine.cli import main
from engine.pdf import find_office
from engine.reports import notice_units
from tests.helpers import JIFENZHI, JIFENZHI_DATA
from tests.pages import first_page_gray, ink_lines
from tests.test_reports import FACTORY
from tests.test_word import factory_data, outcomes_for

REQUIRED = os.environ.get("KAOHE_REQUIRE_OFFICE") == "1"
PDFTOPPM = shutil.which("pdftoppm")
PDFTOTEXT = shutil.which("pdftotext")

if not REQUIRED and (find_office() is None or PDFTOPPM is None or PDFTOTEXT is None):
    pytest.skip("LibreOffice (soffice) or poppler-utils is not installed (CI installs them; KAOHE_REQUIRE_OFFICE=1 makes this a failure)",
                allow_module_level=True)

#: (pages are rasterised at tests/pages.DPI, 72 dpi)
#: Dark pixels per Chinese character of a drawn 22 pt title. Measured on these documents with
#: fonts-noto-cjk: 150–260; an empty box (no CJK font) gives about 20, a missing glyph nothing.
INK_PER_CHARACTER = 60
#: Height in pixels of the title's first line; glyphs of 22 pt are about 20 px at 72 dpi.
TITLE_HEIGHT = 15
CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, int]:
    assert find_office() is not None, "KAOHE_REQUIRE_OFFICE=1 but LibreOffice (soffice) is missing: apt-get install libreoffice-writer-nogui"
    assert PDFTOPPM is not None and PDFTOTEXT is not None, "KAOHE_REQUIRE_OFFICE=1 but pdftoppm/pdftotext (poppler-utils) are missing"
    data = factory_data(tmp_path_factory.mktemp("data"))
    out = tmp_path_factory.mktemp("pdf")
    assert main(["report", str(FACTORY), "--data", str(data), "--out", str(out), "--format", "pdf", "--date", "2024-12-01"]) == 0
    outcomes = outcomes_for(FACTORY, data)
    return out, len(notice_units(outcomes)), len(outcomes.results.data.units)


def pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def page_text(pdf: Path, page: int) -> str:
    assert PDFTOTEXT is not None
    return subprocess.run([PDFTOTEXT, "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True, timeout=120).stdout


@pytest.mark.parametrize("name", ["公示", "评分表", "整改通知书", "汇总"])
def test_the_chinese_title_is_drawn(printed: tuple[Path, int, int], name: str, tmp_path: Path) -> None:
    """The page's first line of ink is the title, and it has the ink of real glyphs —
    without a CJK font every character is blank or an empty box (apt-get install fonts-noto-cjk)."""
    folder, _, _ = printed
    pdf = folder / f"{name}.pdf"
    title = page_text(pdf, 1).strip().splitlines()[0].strip()
    characters = len(CJK.findall(title))
    assert characters >= 4, title
    lines = ink_lines(*first_page_gray(pdf, tmp_path))
    assert lines, f"{name}: the first page is blank"
    height, ink = lines[0]
    assert height >= TITLE_HEIGHT and ink >= INK_PER_CHARACTER * characters, (
        f"{name}: the title's {characters} Chinese characters are not drawn ({height} px high, {ink} dark pixels). "
        "Is a CJK font installed? On Debian/Ubuntu: apt-get install fonts-noto-cjk")


def test_notices_print_one_per_page(printed: tuple[Path, int, int]) -> None:
    folder, notices, _ = printed
    pdf = folder / "整改通知书.pdf"
    assert notices == 2 and pages(pdf) == notices
    for page in range(1, notices + 1):
        text = page_text(pdf, page)
        assert "整改通知书" in text and "存在以下问题" in text and "（盖章）" in text


def test_score_sheets_print_one_unit_per_page(printed: tuple[Path, int, int]) -> None:
    folder, _, units = printed
    pdf = folder / "评分表.pdf"
    assert pages(pdf) == units
    assert all("考核组签字" in page_text(pdf, page) for page in range(1, units + 1))


def test_pages_are_numbered_in_the_footer(printed: tuple[Path, int, int]) -> None:
    folder, _, units = printed
    pdf = folder / "评分表.pdf"
    for page in (1, units):
        assert re.search(rf"—\s*{page}\s*—", page_text(pdf, page)), page


def test_no_browser_header_or_footer(printed: tuple[Path, int, int]) -> None:
    folder, _, _ = printed
    text = page_text(folder / "公示.pdf", 1)
    # pdftotext puts a space between Chinese and figures; the document has none (2024年12月1日).
    assert "file://" not in text and ".docx" not in text and "2024年12月1日" in re.sub(r"\s+", "", text)


def test_a_long_list_repeats_its_header_on_every_page(tmp_path: Path) -> None:
    # The 40 members of the 积分制 sample fill more than one page.
    assert main(["report", str(JIFENZHI), "--data", str(JIFENZHI_DATA), "--out", str(tmp_path), "--format", "pdf", "--kind", "gongshi"]) == 0
    pdf = tmp_path / "公示.pdf"
    assert pages(pdf) > 1
    for page in range(1, pages(pdf) + 1):
        assert re.search(r"排名\s+姓名", page_text(pdf, page)), page
