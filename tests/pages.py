"""Looking at printed pages: a PDF's first page rasterised by pdftoppm, and its rows of ink.

Shared by tests/test_browser.py (HTML printed by chromium) and tests/test_pdf.py
(Word files printed by LibreOffice): a page whose Chinese glyphs are not drawn
has no tall ink rows where its title should be.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

PDFTOPPM = shutil.which("pdftoppm")
#: Resolution the pages are rasterised at (a 2 号 title is ~22 px tall).
DPI = 72


def first_page_gray(pdf: Path, tmp: Path) -> tuple[int, int, bytes]:
    """Page 1 of ``pdf`` as (width, height, 8-bit gray pixels), rasterised by pdftoppm."""
    assert PDFTOPPM is not None, "pdftoppm (poppler-utils) is missing"
    subprocess.run([PDFTOPPM, "-gray", "-r", str(DPI), "-f", "1", "-l", "1", str(pdf), str(tmp / "page")], check=True, timeout=120)
    image = next(tmp.glob("page*.pgm")).read_bytes()
    magic, width, height, _, pixels = image.split(maxsplit=4)
    assert magic == b"P5"
    return int(width), int(height), pixels


def ink_lines(width: int, height: int, pixels: bytes) -> list[tuple[int, int]]:
    """The page's runs of rows holding ink, top to bottom, as (height, dark pixels)."""
    dark = [sum(1 for value in pixels[y * width:(y + 1) * width] if value < 128) for y in range(height)]
    runs: list[tuple[int, int]] = []
    start = None
    for y, count in enumerate(dark + [0]):
        if count and start is None:
            start = y
        elif not count and start is not None:
            runs.append((y - start, sum(dark[start:y])))
            start = None
    return runs
