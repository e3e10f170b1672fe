"""Word files → PDF through LibreOffice headless (``soffice --convert-to pdf``).

The PDF is the Word document as an office suite prints it: the same page
setup, page numbers from the footer's PAGE field, header rows repeated, rows
kept whole — nothing a browser would add (no URL, no timestamp). LibreOffice
is found as ``$KAOHE_SOFFICE``, else ``soffice``/``libreoffice`` on the PATH,
else its usual install folders on Windows and macOS. Debian/Ubuntu:
``apt-get install libreoffice-writer-nogui`` (and ``fonts-noto-cjk`` for the
Chinese glyphs).

The fonts the documents name (方正小标宋简体, 仿宋_GB2312, 黑体, 宋体) are rarely
installed on Linux: the conversion runs with a fontconfig file that maps each
to the closest font present, in this order — the Windows/WPS fonts
(仿宋/FangSong, 黑体/SimHei, 宋体/SimSun), then Noto Serif CJK SC (for 仿宋 and
宋体) or Noto Sans CJK SC (for 黑体 and the title). Without this, fontconfig
would hand LibreOffice DejaVu Sans for every unknown name.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import typing as t
from pathlib import Path

from engine.errors import KaoheError, Location, Problem

#: Document font → fonts to use instead, best first.
FALLBACKS: dict[str, tuple[str, ...]] = {
    "方正小标宋简体": ("方正小标宋_GBK", "FZXiaoBiaoSong-B05S", "黑体", "SimHei", "Noto Sans CJK SC", "Source Han Sans SC"),
    "仿宋_GB2312": ("仿宋", "FangSong", "STFangsong", "Noto Serif CJK SC", "Source Han Serif SC"),
    "仿宋": ("FangSong", "STFangsong", "Noto Serif CJK SC", "Source Han Serif SC"),
    "黑体": ("SimHei", "STHeiti", "Noto Sans CJK SC", "Source Han Sans SC"),
    "宋体": ("SimSun", "STSong", "Noto Serif CJK SC", "Source Han Serif SC"),
    "Times New Roman": ("Liberation Serif", "Tinos", "Noto Serif CJK SC", "DejaVu Serif"),
}

#: Most seconds one conversion may take (a few thousand pages of score sheets).
TIMEOUT = 1800

_PLACES = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    "/opt/libreoffice/program/soffice",
)


class OfficeError(KaoheError):
    """LibreOffice is missing or could not convert a document."""


def find_office() -> str | None:
    """The soffice program to run, or ``None`` when LibreOffice is not installed."""
    named = os.environ.get("KAOHE_SOFFICE")
    if named:
        return named if Path(named).exists() else shutil.which(named)
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return next((place for place in _PLACES if Path(place).exists()), None)


def require_office() -> str:
    """soffice, or an error saying what to install (raised before anything is written)."""
    office = find_office()
    if office is None:
        raise OfficeError([Problem.at("document_no_office", Location("--format pdf"))])
    return office


def fontconfig(folder: Path) -> Path:
    """A fonts.conf that is the system's plus the :data:`FALLBACKS` aliases."""
    aliases = "".join(
        f"  <alias binding=\"same\"><family>{name}</family><prefer>{''.join(f'<family>{f}</family>' for f in instead)}</prefer></alias>\n"
        for name, instead in FALLBACKS.items())
    path = folder / "fonts.conf"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
                    '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
                    f"{aliases}</fontconfig>\n", encoding="utf-8")
    return path


def to_pdf(files: t.Sequence[Path], office: str | None = None) -> list[Path]:
    """Convert each .docx in ``files`` to a .pdf beside it (one LibreOffice run for
    all of them); returns the PDFs in the same order."""
    if not files:
        return []
    office = office or require_office()
    with tempfile.TemporaryDirectory(prefix="kaohe-office-") as scratch:
        work = Path(scratch)
        env = dict(os.environ)
        env["FONTCONFIG_FILE"] = str(fontconfig(work))
        # A profile of its own: no first-start dialog, no clash with an office the user has open.
        profile = (work / "profile").resolve().as_uri()
        by_folder: dict[Path, list[Path]] = {}
        for file in files:
            by_folder.setdefault(file.parent, []).append(file)
        for folder, listed in by_folder.items():
            command = [office, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--nolockcheck",
                       "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(folder), *map(str, listed)]
            try:
                done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, env=env, stdin=subprocess.DEVNULL)
            except (OSError, subprocess.TimeoutExpired) as err:
                raise OfficeError([Problem.at("document_convert_failed", Location(str(listed[0])), name=listed[0].name,
                                              reason=str(err))]) from None
            for file in listed:
                if not file.with_suffix(".pdf").exists():
                    reason = (done.stderr or done.stdout).strip().splitlines()[-1:] or [f"exit {done.returncode}"]
                    raise OfficeError([Problem.at("document_convert_failed", Location(str(file)), name=file.name, reason=reason[0])])
    return [file.with_suffix(".pdf") for file in files]
