"""Generate a 党员积分制 data folder of N members in the shipped file shapes.

The files mirror schemes/jifenzhi/data/ (see benchmarks/jifenzhi_data.py,
which writes the 40-member demo): the member list in GBK, the monthly
scores as UTF-8 with BOM, the votes as plain UTF-8, the 半年评议 corrections
as UTF-8 with BOM, the rewards as an .xlsx workbook; every CSV with CRLF
line ends, as Excel/WPS save them. For large N the rewards may be written as
CSV instead (``rewards="csv"``): the engine recognises a table by its header,
not by its file name or format, so 奖惩.csv is read exactly like 奖惩.xlsx.

Generation is columnar (numpy draws, polars writes, a chunk of members at a
time so 1M members stay within a few hundred MB) and deterministic: the same
``n`` and ``seed`` always give the same bytes.

    python benchmarks/e2e_data.py 10000 /tmp/jifenzhi-10k
"""

from __future__ import annotations

import csv
import dataclasses
import io
import sys
import typing as t
from pathlib import Path

import numpy as np
import numpy.typing as npt
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.jifenzhi_data import CN, GIVEN, ITEMS, MONTHS, SURNAMES  # noqa: E402

__all__ = ["BOM", "CN", "Files", "HALF_TEXT", "ITEMS", "MONTHS", "RATERS", "SCORE_TITLES", "VOTE_TITLES", "generate", "write_xlsx"]

#: Votes per member (年底测评: the branch's members plus mass representatives; a
#: fixed 10 keeps file sizes comparable between runs — 1M members ≈ 1 GB of CSV).
RATERS = 10
#: Members generated per chunk: bounds memory while the big files are written.
CHUNK = 100_000
#: Share of members graded by hand (年老体弱、长期生病): no scores, 直接评星 given.
MANUAL_SHARE = 0.005
#: One correction per this many members (at least one).
CORRECTION_EVERY = 1_000

SCORE_TITLES = [f"第{CN[i]}项月评分" for i in range(ITEMS)]
VOTE_TITLES = [f"第{CN[i]}项测评分" for i in range(ITEMS)]
#: Monthly scores are in half points: code k is k/2 written as Excel shows it.
HALF_TEXT = [f"{k / 2:g}" for k in range(21)]
WHOLE_TEXT = [str(k) for k in range(11)]
#: Reward categories of the scheme, with how often each occurs among records.
REWARDS = {
    "国家级表彰": 0.002, "省部级表彰": 0.01, "地市级表彰": 0.05, "县级表彰": 0.15, "本局表彰": 0.35,
    "区级处分": 0.002, "市级处分": 0.005, "县级处分": 0.01, "本局处分": 0.02,
    "区级通报批评": 0.005, "市级通报批评": 0.02, "县级通报批评": 0.076, "本局通报批评": 0.3,
}

BOM = b"\xef\xbb\xbf"


@dataclasses.dataclass(frozen=True)
class Files:
    """What was written, for the benchmark's table."""

    folder: Path
    members: int
    scored: int
    branches: int
    monthly_rows: int
    vote_rows: int
    reward_rows: int
    corrections: int
    bytes: int


def _members(n: int, rng: np.random.Generator) -> pl.DataFrame:
    """编号, 姓名, 党支部, 直接评星 (null unless graded by hand), and a quality per member."""
    # Branches of 5–45 members: some under 10 (no 季度之星), seats 0–2 per quarter.
    sizes = rng.integers(5, 46, size=n // 5 + 2)
    branch = np.repeat(np.arange(sizes.size), sizes)[:n]
    names = pl.Series([s + g for s in SURNAMES for g in GIVEN])
    name_code = rng.integers(0, len(SURNAMES), n) * len(GIVEN) + rng.integers(0, len(GIVEN), n)
    manual = rng.random(n) < MANUAL_SHARE
    if n >= 20:
        manual[n // 3] = True  # even a small run exercises the 直接评定 path
    stars = rng.integers(1, 11, n)  # 直接评星 is 1–10 (range [1, 10], one of the band values)
    quality = rng.uniform(6.0, 10.0, n)
    return pl.DataFrame({
        "编号": pl.select(pl.lit("D") + pl.int_range(1, n + 1, eager=True).cast(pl.String).str.zfill(7)).to_series(),
        "姓名": names.gather(name_code),
        "党支部": pl.Series(np.char.add(np.char.add("第", np.char.zfill((branch + 1).astype(str), 5)), "党支部")),
        "直接评星": pl.select(pl.when(pl.Series(manual)).then(pl.Series(stars).cast(pl.String))).to_series(),
        "_quality": quality,
        "_manual": manual,
    })


def _write_chunked(path: Path, bom: bool, frames: t.Iterator[pl.DataFrame]) -> int:
    """Write CSV chunks to one file (header once, CRLF); returns the rows written."""
    rows = 0
    with path.open("wb") as out:
        if bom:
            out.write(BOM)
        for index, frame in enumerate(frames):
            frame.write_csv(out, include_header=index == 0, line_terminator="\r\n")
            rows += frame.height
    return rows


def _chunks(members: pl.DataFrame, seed: int, salt: int) -> t.Iterator[tuple[pl.DataFrame, np.random.Generator]]:
    """Scored members a chunk at a time, each chunk with its own seeded generator
    (so the output does not depend on anything but n and seed)."""
    scored = members.filter(~pl.col("_manual"))
    for start in range(0, scored.height, CHUNK):
        yield scored.slice(start, CHUNK), np.random.default_rng([seed, salt, start])


def _monthly(members: pl.DataFrame, seed: int, keep: list[pl.DataFrame]) -> t.Iterator[pl.DataFrame]:
    """月评分: 12 rows per scored member, 10 half-point scores each."""
    text = pl.Series(HALF_TEXT)
    for chunk, rng in _chunks(members, seed, 1):
        m = chunk.height
        quality = chunk["_quality"].to_numpy()
        drawn = np.clip(np.round((quality[:, None, None] + rng.normal(0, 0.7, (m, MONTHS, ITEMS))) * 2), 0, 20)
        codes = drawn.astype(np.uint8).reshape(m * MONTHS, ITEMS)
        frame = pl.DataFrame({
            "编号": chunk["编号"].gather(np.repeat(np.arange(m), MONTHS)),
            "姓名": chunk["姓名"].gather(np.repeat(np.arange(m), MONTHS)),
            "月份": np.tile(np.arange(1, MONTHS + 1, dtype=np.int8), m),
            **{title: text.gather(codes[:, i]) for i, title in enumerate(SCORE_TITLES)},
        })
        keep.append(_pick_corrections(frame, codes, rng))
        yield frame


def _pick_corrections(frame: pl.DataFrame, codes: npt.NDArray[np.uint8], rng: np.random.Generator) -> pl.DataFrame:
    """半年评议: a few disputed monthly cells, re-scored half a point up (down at 10)."""
    members = frame.height // MONTHS
    count = max(1, members // CORRECTION_EVERY)
    chosen = np.sort(rng.choice(members, size=min(count, members), replace=False))
    month = rng.integers(0, MONTHS, chosen.size)
    item = rng.integers(0, ITEMS, chosen.size)
    row = chosen * MONTHS + month
    old = codes[row, item].astype(np.int64)
    new = np.where(old < 20, old + 1, old - 1)
    return pl.DataFrame({
        "编号": frame["编号"].gather(row),
        "姓名": frame["姓名"].gather(row),
        "月份": month + 1,
        "输入项": pl.Series(SCORE_TITLES).gather(item),
        "原值": pl.Series(HALF_TEXT).gather(old),
        "更正后": pl.Series(HALF_TEXT).gather(new),
    })


def _votes(members: pl.DataFrame, seed: int) -> t.Iterator[pl.DataFrame]:
    """民主测评: RATERS rows per scored member, whole-point votes 0–10."""
    text = pl.Series(WHOLE_TEXT)
    raters = pl.Series([f"票{r:02d}" for r in range(1, RATERS + 1)])
    for chunk, rng in _chunks(members, seed, 2):
        m = chunk.height
        quality = chunk["_quality"].to_numpy()
        drawn = np.clip(np.round(quality[:, None, None] + rng.normal(0, 1.0, (m, RATERS, ITEMS))), 0, 10)
        codes = drawn.astype(np.uint8).reshape(m * RATERS, ITEMS)
        yield pl.DataFrame({
            "编号": chunk["编号"].gather(np.repeat(np.arange(m), RATERS)),
            "测评人": raters.gather(np.tile(np.arange(RATERS), m)),
            **{title: text.gather(codes[:, i]) for i, title in enumerate(VOTE_TITLES)},
        })


def _rewards(members: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    """奖惩记录: about 6 records per 100 members (some have two), any member."""
    n = members.height
    draw = rng.random(n)
    count = (draw < 0.05).astype(np.int64) + (draw < 0.01)
    who = np.repeat(np.arange(n), count)
    labels = list(REWARDS)
    weights = np.array(list(REWARDS.values()))
    kind = rng.choice(len(labels), size=who.size, p=weights / weights.sum())
    number = rng.integers(1, 200, who.size)
    return pl.DataFrame({
        "编号": members["编号"].gather(who),
        "姓名": members["姓名"].gather(who),
        "奖惩类别": pl.Series(labels).gather(kind),
        "文号": pl.Series([f"局党组〔2013〕{k}号" for k in number]),
    })


def write_xlsx(path: Path, sheet: str, frame: pl.DataFrame, numeric: t.Collection[str] = ()) -> None:
    """One sheet, header in row 1, with a streaming writer.

    xlsxwriter in constant-memory mode when installed (pip install xlsxwriter),
    else openpyxl's write-only mode (a dependency of the engine anyway).
    ``numeric`` columns are written as number cells, the rest as text.
    """
    columns = frame.columns
    numeric_index = {i for i, c in enumerate(columns) if c in numeric}
    data = [frame[c].cast(pl.Float64).to_list() if i in numeric_index else frame[c].to_list() for i, c in enumerate(columns)]
    try:
        import xlsxwriter
    except ImportError:
        import openpyxl

        book = openpyxl.Workbook(write_only=True)
        out = book.create_sheet(sheet)
        out.append(columns)
        for row in zip(*data):
            out.append(list(row))
        book.save(path)
        return
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    worksheet = workbook.add_worksheet(sheet)
    worksheet.write_row(0, 0, columns)
    for r, row in enumerate(zip(*data), start=1):
        for c, value in enumerate(row):
            if value is None:
                continue
            if c in numeric_index:
                worksheet.write_number(r, c, value)
            else:
                worksheet.write_string(r, c, value)
    workbook.close()


def generate(n: int, folder: Path, seed: int = 2013, rewards: str = "auto") -> Files:
    """Write the five jifenzhi files for ``n`` members into ``folder``.

    Args:
        rewards: "xlsx" (the shipped shape), "csv", or "auto": xlsx up to
            100k members, CSV above (a workbook of ~60k rows would make the
            1M run measure openpyxl rather than the reader as a whole).
    """
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng([seed, 0])
    members = _members(n, rng)

    listing = members.select("编号", "姓名", "党支部", "直接评星").write_csv(line_terminator="\r\n")
    (folder / "名单.csv").write_bytes(listing.encode("gbk"))

    picked: list[pl.DataFrame] = []
    monthly_rows = _write_chunked(folder / "月评分.csv", True, _monthly(members, seed, picked))
    vote_rows = _write_chunked(folder / "民主测评.csv", False, _votes(members, seed))

    corrections = pl.concat(picked) if picked else pl.DataFrame()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["编号", "姓名", "月份", "输入项", "原值", "更正后", "理由"])
    for row in corrections.iter_rows():
        writer.writerow([*row, "半年评议时提出异议，支委会重新评分"])
    (folder / "半年评议更正.csv").write_bytes(BOM + buffer.getvalue().encode("utf-8"))

    records = _rewards(members, rng)
    for stale in ("奖惩.xlsx", "奖惩.csv"):
        (folder / stale).unlink(missing_ok=True)
    if rewards == "xlsx" or (rewards == "auto" and n <= 100_000):
        write_xlsx(folder / "奖惩.xlsx", "奖惩记录", records)
    else:
        (folder / "奖惩.csv").write_bytes(BOM + records.write_csv(line_terminator="\r\n").encode("utf-8"))

    size = sum(p.stat().st_size for p in folder.iterdir() if p.is_file())
    scored = int((~members["_manual"]).sum())
    return Files(folder, n, scored, int(members["党支部"].n_unique()), monthly_rows, vote_rows,
                 records.height, corrections.height, size)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python benchmarks/e2e_data.py N FOLDER")
    print(generate(int(sys.argv[1]), Path(sys.argv[2])))
