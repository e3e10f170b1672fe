"""The 党员积分制 scheme written by hand in polars: the yardstick for ``kaohe run``.

Reads a data folder in the shipped shapes (benchmarks/e2e_data.py writes
one of any size; schemes/jifenzhi/data/ is one too), rejects what the engine
would reject — unknown ids, blank or duplicate ids, a month outside 1–12, a
(member, month) row given twice, a score that is not a number or is outside
[0, 10], a scored member without all 12 months or without a vote, a reward
category not in the scheme, 直接评星 not a whole 1–10, a correction whose
member / input / month is unknown, whose new value is out of range or whose
原值 is not the value in the monthly sheet — applies the corrections, scores,
grades and ranks exactly as schemes/jifenzhi/jifenzhi.yaml says, and writes
results.csv byte for byte as ``kaohe run … --format csv`` does.

    python benchmarks/baseline_polars.py DATA_FOLDER OUT_DIR   # writes OUT_DIR/results.csv

It knows the file names and shapes (it is hand-written for this scheme);
what it checks is listed above, and it stops at the first failed check with
a one-line message (exit 1) instead of listing every problem with its row.
Where it is simpler than the engine it refuses rather than guesses: a blank
vote (the engine counts one rater fewer), a cell corrected twice, and
text the engine folds first (full-width Ｄ００１, NFKC) are refused — the
generated data has none of them.
Rounding is the engine's documented 四舍五入 (snap to 6 decimals, then half
away from zero), done with numpy so both sides round the same doubles.
"""

from __future__ import annotations

import sys
import time
import typing as t
from pathlib import Path

import numpy as np
import numpy.typing as npt
import polars as pl

ITEMS = 10
CN = "一二三四五六七八九十"
SCORES = [f"第{CN[i]}项月评分" for i in range(ITEMS)]
VOTES = [f"第{CN[i]}项测评分" for i in range(ITEMS)]
ITEM_TITLES = [f"第{CN[i]}项[item_{i + 1:02d}]" for i in range(ITEMS)]
PRECISION = 2
BASE_WEIGHT, VOTE_WEIGHT = 0.8, 0.2

BONUS = {"国家级表彰": 5, "省部级表彰": 4, "地市级表彰": 3, "县级表彰": 2, "本局表彰": 1}
PENALTY = {"区级处分": -5, "市级处分": -4, "县级处分": -3, "本局处分": -2,
           "区级通报批评": -4, "市级通报批评": -3, "县级通报批评": -2, "本局通报批评": -1}
#: (lower bound, stars, label); the first band a total reaches wins.
STARS = [(95, 10, "十星级"), (90, 9, "九星级"), (80, 8, "八星级"), (70, 7, "七星级"), (60, 6, "六星级"),
         (50, 5, "五星级"), (40, 4, "四星级"), (30, 3, "三星级"), (20, 2, "二星级"), (10, 1, "一星级")]
NO_STAR = "不足一星（原文未规定）"
STAR_LABELS = {value: label for _, value, label in STARS} | {0: NO_STAR}
LEVELS = [(10, "优秀党员"), (8, "合格党员"), (6, "基本合格党员")]
QUARTERS = ["第一季度之星", "第二季度之星", "第三季度之星", "第四季度之星"]
ANNUAL = "年度之星"


class Rejected(Exception):
    """Data the engine would refuse (the baseline names the first problem only)."""


def read_csv(path: Path, schema: dict[str, pl.DataType] | None = None, columns: list[str] | None = None) -> pl.DataFrame:
    """A CSV as the engine decodes it: UTF-16 by BOM, else UTF-8 (BOM or not), else GB18030.

    UTF-8 is read by polars straight from the file (it rejects invalid UTF-8,
    which is how a GBK file is told apart); only a file that fails is
    decoded and transcoded in memory.
    """
    options: dict[str, t.Any] = {"schema_overrides": schema, "infer_schema": False, "columns": columns}
    with path.open("rb") as file:
        start = file.read(2)
    if start in (b"\xff\xfe", b"\xfe\xff"):
        return pl.read_csv(path.read_bytes().decode("utf-16").encode("utf-8"), **options)
    try:
        return pl.read_csv(path, **options)
    except pl.exceptions.ComputeError:
        return pl.read_csv(path.read_bytes().decode("gb18030").encode("utf-8"), **options)


def read_rewards(folder: Path) -> pl.DataFrame:
    """奖惩 as a workbook (python-calamine) or, for big runs, as CSV."""
    if (folder / "奖惩.csv").exists():
        return read_csv(folder / "奖惩.csv")
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(folder / "奖惩.xlsx")).get_sheet_by_index(0).to_python()
    header, body = [str(h).strip() for h in rows[0]], rows[1:]
    return pl.DataFrame({h: [str(r[i]).strip() if i < len(r) else "" for r in body] for i, h in enumerate(header)},
                        schema={h: pl.String for h in header})


def check(ok: bool, message: str) -> None:
    if not ok:
        raise Rejected(message)


def coded(frame: pl.DataFrame, members: pl.Enum, file: str) -> pl.DataFrame:
    """``frame`` with ``u``, each row's member as its index in 名单 (unknown or blank 编号: rejected)."""
    check(frame["编号"].null_count() == 0, f"{file}: 编号 is blank")
    try:
        code = frame["编号"].cast(members).to_physical()
    except pl.exceptions.InvalidOperationError as err:
        raise Rejected(f"{file}: unknown 编号 ({str(err).splitlines()[0]})") from None
    return frame.with_columns(code.alias("u"))


def in_range(frame: pl.DataFrame, columns: list[str], file: str, low: float, high: float) -> None:
    bad = frame.select(pl.any_horizontal([pl.col(c).is_null() | (pl.col(c) < low) | (pl.col(c) > high) for c in columns]).sum()).item()
    check(bad == 0, f"{file}: {bad} rows with a blank value or one outside [{low:g}, {high:g}]")


def round_half_up(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """四舍五入 at PRECISION decimals, the engine's documented algorithm (engine/numbers.py)."""
    scale = 10.0 ** PRECISION
    scaled = np.round(values * scale, 6)
    result: npt.NDArray[np.float64] = np.sign(scaled) * np.floor(np.abs(scaled) + 0.5) / scale + 0.0
    return result


def text2(column: str) -> pl.Expr:
    """A rounded score as text with exactly two decimals ("9.50", "-3.00"); null stays null."""
    cents = (pl.col(column) * 100).round(0).cast(pl.Int64)
    whole = (cents.abs() // 100).cast(pl.String)
    frac = (cents.abs() % 100).cast(pl.String).str.zfill(2)
    return pl.concat_str([pl.when(cents < 0).then(pl.lit("-")).otherwise(pl.lit("")), whole, pl.lit("."), frac])


def score(folder: Path) -> pl.DataFrame:
    """The results table, in kaohe's row order and column layout."""
    units = read_csv(folder / "名单.csv")
    check(units["编号"].null_count() == 0, "名单.csv: 编号 is blank")
    check(units["编号"].is_unique().all(), "名单.csv: an 编号 is listed twice")
    manual_value = units["直接评星"].str.strip_chars().cast(pl.Float64, strict=False)
    check(((manual_value.is_null() == units["直接评星"].is_null())).all(), "名单.csv: 直接评星 is not a number")
    check(manual_value.drop_nulls().is_in([float(v) for v in range(1, 11)]).all(), "名单.csv: 直接评星 is not one of 1–10")
    units = units.with_columns(
        manual_stars=manual_value, manual=manual_value.is_not_null(),
    ).with_columns(pl.col("党支部").fill_null(""))
    # 编号 as an Enum of the listed ids: the cast fails on an unknown id (the
    # known-id check), and its physical code is the member's row in 名单.
    members = pl.Enum(units["编号"])

    month_schema: dict[str, pl.DataType] = {"月份": pl.Int64()} | {c: pl.Float64() for c in SCORES}
    monthly = coded(read_csv(folder / "月评分.csv", month_schema, ["编号", "月份", *SCORES]), members, "月评分.csv")
    check(monthly["月份"].is_between(1, 12).all(), "月评分.csv: 月份 outside 1–12")
    in_range(monthly, SCORES, "月评分.csv", 0, 10)

    # 半年评议: the corrected cells, checked against the monthly sheet, then applied.
    corrections = read_csv(folder / "半年评议更正.csv", {"月份": pl.Int64(), "原值": pl.Float64(), "更正后": pl.Float64()})
    if corrections.height:
        corrections = coded(corrections, members, "半年评议更正.csv")
        check(corrections["输入项"].is_in(SCORES).all(), "半年评议更正.csv: 输入项 is not a monthly score")
        check(corrections["月份"].is_between(1, 12).all(), "半年评议更正.csv: 月份 outside 1–12")
        in_range(corrections, ["更正后"], "半年评议更正.csv", 0, 10)
        check(not corrections.select(pl.struct("u", "月份", "输入项").is_duplicated().any()).item(),
              "半年评议更正.csv: the same cell corrected twice (not supported by this baseline)")
        # A cell is addressed by one integer (member × 16 + month): a small hash
        # lookup per row instead of joining the whole sheet.
        key = pl.col("u").cast(pl.Int64) * 16 + pl.col("月份")
        corrections = corrections.with_columns(key=key)
        monthly = monthly.with_columns(key=key)
        disputed = monthly.filter(pl.col("key").is_in(corrections["key"].implode()))
        check(disputed["key"].is_unique().all(), "月评分.csv: a (编号, 月份) row is given twice")
        long = disputed.select("key", *SCORES).unpivot(index="key", variable_name="输入项", value_name="current")
        matched = corrections.join(long, on=["key", "输入项"], how="left")
        check(matched["current"].null_count() == 0, "半年评议更正.csv: the corrected cell is not in 月评分.csv")
        wrong = matched.filter(pl.col("原值").is_not_null() & ((pl.col("原值") - pl.col("current")).abs() > 1e-9 * pl.col("current").abs().clip(1)))
        check(wrong.height == 0, "半年评议更正.csv: 原值 differs from 月评分.csv")
        monthly = monthly.with_columns(
            pl.col("key").replace_strict(dict(zip(fix["key"], fix["更正后"])), default=pl.col(c), return_dtype=pl.Float64).alias(c)
            for c, fix in ((c, corrections.filter(pl.col("输入项") == c)) for c in SCORES) if fix.height
        )

    # One pass over the sheet per member: the 10 sums, the four quarters' totals
    # (季度之星), and the counts that tell a missing or a repeated month.
    row_total = pl.sum_horizontal(SCORES)
    quarter = (pl.col("月份") - 1) // 3
    per_member = monthly.lazy().group_by("u").agg(
        pl.len().alias("months"),
        pl.col("月份").n_unique().alias("distinct_months"),
        *[pl.col(c).sum().alias(f"s{i}") for i, c in enumerate(SCORES)],
        *[pl.when(quarter == q).then(row_total).otherwise(0.0).sum().alias(f"q{q}") for q in range(4)],
    ).collect()
    del monthly
    check((per_member["months"] == per_member["distinct_months"]).all(), "月评分.csv: a (编号, 月份) row is given twice")

    votes = coded(read_csv(folder / "民主测评.csv", {c: pl.Float64() for c in VOTES}, ["编号", *VOTES]), members, "民主测评.csv")
    in_range(votes, VOTES, "民主测评.csv", 0, 10)  # no blanks either, so every row counts for every item
    per_voter = votes.lazy().group_by("u").agg(
        pl.len().alias("raters"), *[pl.col(c).sum().alias(f"v{i}") for i, c in enumerate(VOTES)],
    ).collect()
    del votes

    rewards = coded(read_rewards(folder), members, "奖惩")
    check(rewards["奖惩类别"].is_in(list(BONUS) + list(PENALTY)).all(), "奖惩: 奖惩类别 not one of the scheme's categories")
    # 以最高为主，不能累计: the highest bonus and the heaviest penalty, each on its own.
    adjust = rewards.group_by("u").agg(
        pl.col("奖惩类别").replace_strict(BONUS, default=0, return_dtype=pl.Float64).max().alias("bonus"),
        pl.col("奖惩类别").replace_strict(PENALTY, default=0, return_dtype=pl.Float64).min().alias("penalty"),
    )

    code = pl.int_range(pl.len(), dtype=pl.UInt32).alias("u")
    data = (units.with_columns(code).join(per_member, on="u", how="left").join(per_voter, on="u", how="left")
            .join(adjust, on="u", how="left").sort("u"))
    scored = ~data["manual"]
    check((data.filter(scored)["months"].fill_null(0) == 12).all(), "月评分.csv: a scored member lacks a month")
    check((data.filter(scored)["raters"].fill_null(0) > 0).all(), "民主测评.csv: a scored member has no vote")

    # Items: Σ12 months / 12 × 0.8 + Σvotes / raters × 0.2, in the scheme's order of operations.
    raw = data.select(
        (pl.col(f"s{i}") / 12 * BASE_WEIGHT + pl.col(f"v{i}") / pl.col("raters") * VOTE_WEIGHT).alias(f"i{i}") for i in range(ITEMS)
    )
    manual = data["manual"].to_numpy()
    items = [round_half_up(np.clip(raw[f"i{i}"].to_numpy(), 0, 10)) for i in range(ITEMS)]
    base = np.zeros(data.height)
    for column in items:  # summed in item order, like the engine (float sums are order-sensitive)
        base += np.nan_to_num(column)
    base = round_half_up(round_half_up(base))  # the part, then the base: both rounded
    bonus = round_half_up(np.clip(data["bonus"].fill_null(0).to_numpy(), 0, 5))
    penalty = round_half_up(np.clip(data["penalty"].fill_null(0).to_numpy(), -5, 0))
    total = round_half_up(base + bonus + penalty)
    for column in (*items, bonus, penalty, total):
        column[manual] = np.nan

    out = data.select("编号", "姓名", "党支部", "manual", "manual_stars", "q0", "q1", "q2", "q3").with_columns(
        *[pl.Series(f"i{i}", items[i]).fill_nan(None) for i in range(ITEMS)],
        pl.Series("bonus", bonus).fill_nan(None), pl.Series("penalty", penalty).fill_nan(None),
        pl.Series("total", total).fill_nan(None),
    )
    stars = pl.lit(0.0)
    for low, value, _ in reversed(STARS):
        stars = pl.when(pl.col("total") >= low).then(pl.lit(float(value))).otherwise(stars)
    out = out.with_columns(stars=pl.when(pl.col("manual")).then(pl.col("manual_stars")).otherwise(stars))
    level = pl.lit("不合格党员")
    for low, name in reversed(LEVELS):
        level = pl.when(pl.col("stars") >= low).then(pl.lit(name)).otherwise(level)

    # Ranks: competition ranking ("1, 2, 2, 4") of scored members, overall and per branch.
    out = out.with_columns(
        level=level,
        rank=pl.col("total").rank("min", descending=True),
        group_rank=pl.col("total").rank("min", descending=True).over("党支部"),
        members=pl.len().over("党支部"),
    )
    # 季度之星: ≤ 5 % of the branch's members (manual ones counted), rounded down but at least
    # one seat (min_seats: 1), none under 10; a tied block at the edge gets it only if it fits
    # whole (ties: exclude).
    seats = pl.when(pl.col("members") >= 10).then(pl.max_horizontal(pl.col("members") // 20, pl.lit(1))).otherwise(0)
    awards = []
    for q, label in enumerate(QUARTERS):
        last_of_block = pl.when(~pl.col("manual")).then(pl.col(f"q{q}")).rank("max", descending=True).over("党支部")
        awards.append(pl.when(~pl.col("manual") & (last_of_block <= seats)).then(pl.lit(label)))
    # 年度之星: ≤ 10 % (floor) of all ten-star members, those given ten stars by hand
    # included (share_of: among); only scored ones compete, by total.
    ten = ~pl.col("manual") & (pl.col("stars") == 10)
    annual_seats = (pl.col("stars") == 10).sum() // 10
    annual_last = pl.when(ten).then(pl.col("total")).rank("max", descending=True)
    awards.append(pl.when(ten & (annual_last <= annual_seats)).then(pl.lit(ANNUAL)))
    out = out.with_columns(awards=pl.concat_str(awards, separator="、", ignore_nulls=True))

    stars_label = pl.col("stars").cast(pl.Int64).replace_strict(STAR_LABELS, return_dtype=pl.String)
    return out.sort(pl.col("rank").fill_null(np.iinfo(np.int64).max), "编号").select(
        pl.col("rank").cast(pl.Int64).alias("排名"),
        pl.col("编号"),
        pl.col("姓名").alias("名称"),
        pl.col("党支部"),
        pl.col("group_rank").cast(pl.Int64).alias("组内排名"),
        pl.when(pl.col("manual")).then(pl.lit("直接评定")).otherwise(text2("total")).alias("总分"),
        stars_label.alias("星级"),
        pl.col("level").alias("格次"),
        *[text2(f"i{i}").alias(ITEM_TITLES[i]) for i in range(ITEMS)],
        text2("bonus").alias("表彰加分[bonus]"),
        text2("penalty").alias("处分与通报批评扣分[penalty]"),
        pl.when(pl.col("awards") != "").then(pl.col("awards")).alias("评选"),
        pl.lit(None, pl.String).alias("一票否决"),
    )


def write_results(results: pl.DataFrame, out: Path) -> Path:
    """results.csv as kaohe writes it: UTF-8 with BOM, CRLF, minimal quoting, blanks empty."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / "results.csv"
    results.write_csv(path, include_bom=True, line_terminator="\r\n")
    return path


def main(argv: list[str]) -> int:
    if argv[:1] in (["-h"], ["--help"]):
        print(__doc__)
        return 0
    if len(argv) != 2:
        print("usage: python benchmarks/baseline_polars.py DATA_FOLDER OUT_DIR  (--help: what it checks)", file=sys.stderr)
        return 2
    start = time.perf_counter()
    try:
        results = score(Path(argv[0]))
    except Rejected as problem:
        print(f"rejected: {problem}", file=sys.stderr)
        return 1
    path = write_results(results, Path(argv[1]))
    print(f"wrote {path} ({results.height} members, {time.perf_counter() - start:.2f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
