"""Synthetic data for the 党员积分制 scheme: the demo files and benchmark columns.

``python benchmarks/jifenzhi_data.py`` rewrites schemes/jifenzhi/data/ (fixed
seed, so the files only change when this script does). The demo files use
the encodings an assessor's Excel/WPS produces: the member list in GBK, the
monthly sheet as UTF-8 with BOM, the votes as plain UTF-8, the rewards in
an .xlsx workbook.
"""

from __future__ import annotations

import csv
import io
import typing as t
from pathlib import Path

import numpy as np
import numpy.typing as npt

ITEMS = 10
MONTHS = 12
CN = "一二三四五六七八九十"
DATA_DIR = Path(__file__).resolve().parent.parent / "schemes" / "jifenzhi" / "data"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["建国", "海燕", "志强", "秀英", "明", "丽", "卫东", "春梅", "国华", "静", "晓东", "桂兰", "军", "红霞", "永胜"]


def columns(n: int, raters: int, seed: int = 7) -> dict[str, npt.NDArray[np.float64]]:
    """Benchmark columns: n members × 12 months × 10 items, ``raters`` votes each."""
    rng = np.random.default_rng(seed)
    quality = rng.uniform(6.0, 10.0, size=(n, 1))
    out: dict[str, npt.NDArray[np.float64]] = {}
    for item in range(1, ITEMS + 1):
        monthly = np.clip(np.round(quality + rng.normal(0, 0.8, size=(n, MONTHS))), 0, 10)
        out[f"score_{item:02d}"] = monthly.astype(np.float64)
        votes = np.clip(np.round(quality + rng.normal(0, 1.0, size=(n, raters))), 0, 10)
        out[f"vote_{item:02d}"] = votes.astype(np.float64)
    # A few records per 100 members: category labels, padded with "" (absent).
    labels = np.array(["", "县级表彰", "本局表彰", "本局通报批评", "地市级表彰"])
    out["reward"] = labels[rng.choice(5, size=(n, 2), p=[0.9, 0.03, 0.04, 0.02, 0.01])]  # type: ignore[assignment]
    out["manual_stars"] = np.full(n, np.nan)
    return out


def write_demo(folder: Path = DATA_DIR, seed: int = 2013) -> None:
    """Write the demo data set: 3 branches, 40 members (2 graded by hand)."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    branches = [("第一党支部", 14), ("第二党支部", 13), ("机关党支部", 13)]
    members: list[tuple[str, str, str, str]] = []
    number = 0
    for branch, size in branches:
        for _ in range(size):
            number += 1
            name = SURNAMES[number % len(SURNAMES)] + GIVEN[(number * 7) % len(GIVEN)]
            members.append((f"D{number:03d}", name, branch, ""))
    # Two elderly members are not scored; their branch rates them directly.
    members[12] = members[12][:3] + ("8",)
    members[30] = members[30][:3] + ("9",)

    header = ["编号", "姓名", "党支部", "直接评星"]
    _write_csv(folder / "名单.csv", header, [list(m) for m in members], "gbk")

    monthly_header = ["编号", "姓名", "月份"] + [f"第{CN[i]}项月评分" for i in range(ITEMS)]
    monthly_rows: list[list[t.Any]] = []
    vote_header = ["编号", "测评人"] + [f"第{CN[i]}项测评分" for i in range(ITEMS)]
    vote_rows: list[list[t.Any]] = []
    for ident, name, branch, manual in members:
        if manual:
            continue
        quality = rng.uniform(6.5, 10.0)
        for month in range(1, MONTHS + 1):
            scores = np.clip(np.round((quality + rng.normal(0, 0.7, ITEMS)) * 2) / 2, 0, 10)
            monthly_rows.append([ident, name, month] + [f"{s:g}" for s in scores])
        size = dict(branches)[branch]
        for rater in range(1, size + 10 + 1):  # the branch's members + 10 mass representatives
            votes = np.clip(np.round(quality + rng.normal(0, 1.0, ITEMS)), 0, 10)
            vote_rows.append([ident, f"票{rater:02d}"] + [f"{v:g}" for v in votes])
    _write_csv(folder / "月评分.csv", monthly_header, monthly_rows, "utf-8-sig")
    _write_csv(folder / "民主测评.csv", vote_header, vote_rows, "utf-8")

    # 半年评议: one member disputed a March score; the branch committee re-scored it.
    _write_csv(folder / "半年评议更正.csv", ["编号", "姓名", "月份", "输入项", "原值", "更正后", "理由"],
               [["D021", "李军", 3, "第一项月评分", "6", "7", "半年评议时提出异议：3 月志愿服务未计入，支委会重新评分"]], "utf-8-sig")

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "奖惩记录"
    sheet.append(["编号", "姓名", "奖惩类别", "文号"])
    names = {m[0]: m[1] for m in members}
    for ident, kind, doc in [
        ("D002", "县级表彰", "县委〔2013〕12号"),
        ("D002", "本局表彰", "局党组〔2013〕3号"),
        ("D007", "地市级表彰", "地委〔2013〕40号"),
        ("D016", "本局通报批评", "局办〔2013〕9号"),
        ("D021", "省部级表彰", "省委〔2013〕7号"),
        ("D021", "本局通报批评", "局办〔2013〕15号"),
        ("D033", "县级处分", "县纪委〔2013〕2号"),
    ]:
        sheet.append([ident, names[ident], kind, doc])
    book.save(folder / "奖惩.xlsx")


def _write_csv(path: Path, header: list[str], rows: list[list[t.Any]], encoding: str) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))


if __name__ == "__main__":
    write_demo()
    print(f"wrote demo data to {DATA_DIR}")
