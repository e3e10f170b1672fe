"""End-to-end benchmark: ``kaohe run schemes/jifenzhi`` against a hand-written polars script.

What it measures. For each size N it writes a data folder of N members in
the shipped file shapes of schemes/jifenzhi (benchmarks/e2e_data.py: GBK
member list, BOM monthly scores, votes, corrections, rewards — .xlsx up to
100k members, CSV above unless ``--rewards`` says otherwise), then runs, each
in its own fresh process,

  * ``python -m engine run schemes/jifenzhi --data DIR --format csv --out OUT``
    (the kaohe of this interpreter's environment), and
  * ``python benchmarks/baseline_polars.py DIR OUT`` (the same job by hand:
    same reading, corrections, checks, scores, grades, ranks, 评选),

and measures each one's wall time and peak RSS (benchmarks/measure.py).
The two results.csv must be byte-identical before any time is printed for
that size; a mismatch prints the first differing line and the run fails
(exit 1). Both times include interpreter start-up and imports: this is the
time a user waits (the engine's modules are byte-compiled first, as an
installed package's are). The files were just written, so both read from the page
cache.

Then an XLSX reading comparison: a 120,000-row sheet in the monthly-score
shape (written with xlsxwriter's constant-memory mode when installed, else
openpyxl write-only), read (a) by python-calamine into rows and (b) by the
engine's ``read_dataset`` on a folder holding that workbook plus a minimal
member list, votes and rewards; (c) is the same folder with the sheet as
CSV, so (b) − (c) is what the workbook costs over the same data as CSV.
Times are of the read call only (no start-up), each in a fresh process.

    python benchmarks/bench_end_to_end.py                 # 10k, 100k, 1M, then the XLSX comparison
    python benchmarks/bench_end_to_end.py 10k 30k         # chosen sizes (10000, 3e4, 1M … also work)
    python benchmarks/bench_end_to_end.py --sizes 10k --no-xlsx --keep /tmp/bench
    python benchmarks/bench_end_to_end.py --xlsx-only
    python benchmarks/bench_end_to_end.py 1M --timeout 900  # a side slower than this is reported, not waited for

    python benchmarks/bench_end_to_end.py 1M --skip-kaohe   # the baseline alone (≈ 25 s, 3 GiB)

At 1M each side takes ≈ 20–30 s and 3–4 GiB on the 2-core machine (the
README has the latest figures). A side slower than ``--timeout`` (default
1200 s) or bigger than ``--max-rss`` (default 16 GiB) is killed and
reported as such, not waited for. The machine may be shared: each run also prints its
CPU seconds (user + system), which move less than wall time under load,
and ``--repeat K`` keeps the fastest of K runs.
"""

from __future__ import annotations

import argparse
import compileall
import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import polars as pl  # noqa: E402

from benchmarks.e2e_data import MONTHS, SCORE_TITLES, Files, generate, write_xlsx  # noqa: E402

SCHEME = ROOT / "schemes" / "jifenzhi"
BASELINE = ROOT / "benchmarks" / "baseline_polars.py"
MEASURE = ROOT / "benchmarks" / "measure.py"
DEFAULT_SIZES = [10_000, 100_000, 1_000_000]


@dataclasses.dataclass
class Run:
    """One measured process."""

    wall: float
    peak_mib: float
    code: int
    timed_out: bool
    log: Path
    #: user + system CPU seconds: steadier than wall time on a shared machine.
    cpu: float = float("nan")
    #: Killed because its RSS passed --max-rss.
    over_memory: bool = False

    @property
    def ok(self) -> bool:
        return self.code == 0 and not self.timed_out and not self.over_memory

    @property
    def stopped(self) -> bool:
        """Stopped by the benchmark (too slow, too big): a finding, not a broken run."""
        return self.timed_out or self.over_memory

    def status(self) -> str:
        if self.over_memory:
            return f"killed at {self.peak_mib / 1024:.1f} GiB"
        if self.timed_out:
            return f"timed out after {self.wall:.1f} s"
        return f"exit {self.code}" if self.code else "ok"


def parse_size(text: str) -> int:
    """'10k', '1M', '100_000', '3e4' → members.

    >>> [parse_size(s) for s in ("10k", "1M", "100_000", "3e4", "250")]
    [10000, 1000000, 100000, 30000, 250]
    """
    match = re.fullmatch(r"([\d_.e]+)\s*([kKmM]?)", text.strip())
    if match is None:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (e.g. 10000, 10k, 1M)")
    number = float(match.group(1).replace("_", ""))
    number *= {"": 1, "k": 1_000, "m": 1_000_000}[match.group(2).lower()]
    if number < 1 or number != int(number):
        raise argparse.ArgumentTypeError(f"not a whole number of members: {text!r}")
    return int(number)


def measure(command: list[str], timeout: float, log: Path, max_rss_mib: float = 0) -> Run:
    """Run ``command`` under benchmarks/measure.py (a fresh wrapper per run).

    The command's output goes to ``log``; the wrapper's JSON line comes back
    on stdout. The parent gives the wrapper a minute beyond the timeout, so
    a wedged wrapper cannot hang the benchmark either.
    """
    with log.open("wb") as out:
        done = subprocess.run([sys.executable, str(MEASURE), str(timeout), str(max_rss_mib), "--", *command], stdout=subprocess.PIPE,
                              stderr=out, cwd=ROOT, timeout=timeout + 60, check=False)
    if done.returncode != 0 or not done.stdout.strip():
        return Run(float("nan"), float("nan"), done.returncode or -1, False, log)
    report = json.loads(done.stdout.decode().strip().splitlines()[-1])
    return Run(report["wall"], report["peak_mib"], report["code"], report["timed_out"], log, report["user"] + report["sys"],
               report["over_memory"])


def first_difference(a: bytes, b: bytes) -> str:
    """Where two results files first differ: line number and both lines (line ends shown).

    >>> print(first_difference(b"x\\r\\ny\\r\\n", b"x\\r\\nY\\n"))
    line 2:
      kaohe:  'y\\r\\n'
      polars: 'Y\\n'
    """
    left, right = a.splitlines(keepends=True), b.splitlines(keepends=True)
    for number in range(1, max(len(left), len(right)) + 1):
        x = left[number - 1].decode("utf-8", "replace") if number <= len(left) else "(end of file)"
        y = right[number - 1].decode("utf-8", "replace") if number <= len(right) else "(end of file)"
        if x != y:
            return f"line {number}:\n  kaohe:  {x!r}\n  polars: {y!r}"
    return "nowhere (the files are identical)"


def tail(path: Path, lines: int = 8) -> str:
    text = path.read_text("utf-8", "replace").rstrip().splitlines()
    return "\n".join("    " + line for line in text[-lines:])


@dataclasses.dataclass
class Row:
    n: int
    files: Files
    kaohe: Run | None
    polars: Run
    identical: bool | None


def kaohe_command(folder: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "engine", "run", str(SCHEME), "--data", str(folder), "--format", "csv", "--out", str(out)]


def bench_size(n: int, work: Path, args: argparse.Namespace) -> Row:
    folder = work / f"data-{n}"
    start = time.perf_counter()
    files = generate(n, folder, seed=args.seed, rewards=args.rewards)
    rewards = "xlsx" if (folder / "奖惩.xlsx").exists() else "csv"
    print(f"\nN = {n:,}: wrote {files.bytes / 1e6:,.1f} MB in {time.perf_counter() - start:.1f} s "
          f"({files.monthly_rows:,} monthly rows, {files.vote_rows:,} votes, {files.reward_rows:,} rewards as {rewards}, "
          f"{files.corrections:,} corrections, {files.members - files.scored:,} graded by hand, {files.branches:,} branches)",
          flush=True)
    kaohe_out, polars_out = work / f"kaohe-{n}", work / f"polars-{n}"
    best_kaohe: Run | None = None
    best_polars: Run | None = None
    for _ in range(args.repeat):
        if not args.skip_kaohe:
            run = measure(kaohe_command(folder, kaohe_out), args.timeout, work / f"kaohe-{n}.log", args.max_rss * 1024)
            print(f"  kaohe   {run.status():>24}  {run.wall:8.2f} s  {run.peak_mib:8.0f} MiB  (cpu {run.cpu:.2f} s)", flush=True)
            best_kaohe = _better(best_kaohe, run)
        run = measure([sys.executable, str(BASELINE), str(folder), str(polars_out)], args.timeout, work / f"polars-{n}.log",
                      args.max_rss * 1024)
        print(f"  polars  {run.status():>24}  {run.wall:8.2f} s  {run.peak_mib:8.0f} MiB  (cpu {run.cpu:.2f} s)", flush=True)
        best_polars = _better(best_polars, run)
    assert best_polars is not None
    identical: bool | None = None
    if best_kaohe is not None and not best_kaohe.ok:
        print(f"  kaohe did not finish ({best_kaohe.status()}); last lines of {best_kaohe.log}:\n{tail(best_kaohe.log)}")
    if not best_polars.ok:
        print(f"  the polars baseline did not finish ({best_polars.status()}):\n{tail(best_polars.log)}")
    if best_kaohe is not None and best_kaohe.ok and best_polars.ok:
        mine = (kaohe_out / "results.csv").read_bytes()
        theirs = (polars_out / "results.csv").read_bytes()
        identical = mine == theirs
        members = mine.count(b"\n") - 1
        print(f"  results.csv: {'identical' if identical else 'DIFFERENT'} ({len(mine):,} bytes, {members:,} members)")
        if not identical:
            print(f"  first difference at {first_difference(mine, theirs)}")
    return Row(n, files, best_kaohe, best_polars, identical)


def _better(best: Run | None, run: Run) -> Run:
    """Keep the fastest successful run (its peak RSS goes with it)."""
    if best is None or (run.ok and (not best.ok or run.wall < best.wall)):
        return run
    return best


def fixed_costs(work: Path, args: argparse.Namespace) -> tuple[float, float]:
    """Each side's wall time on the shipped 40-member sample: start-up, imports, the scheme.

    Printed beside the cost per member (wall / N): where N is small the
    fixed cost dominates (at 10k most of the polars script's time), so read
    linearity off the larger sizes. Not subtracted: on a shared machine its
    noise is as large as the polars script's whole run at 10k.
    """
    sample = SCHEME / "data"
    kaohe = polars = float("inf")
    for _ in range(max(args.repeat, 3)):
        if not args.skip_kaohe:
            kaohe = min(kaohe, measure(kaohe_command(sample, work / "kaohe-sample"), 120, work / "kaohe-sample.log").wall)
        polars = min(polars, measure([sys.executable, str(BASELINE), str(sample), str(work / "polars-sample")], 120,
                                     work / "polars-sample.log").wall)
    print(f"fixed cost (the shipped 40-member sample): kaohe {kaohe:.2f} s, polars {polars:.2f} s")
    return (0.0 if args.skip_kaohe else kaohe), polars


def print_table(rows: list[Row], fixed: tuple[float, float]) -> None:
    """The summary; kaohe's figures only for sizes whose outputs were checked identical."""
    print("\n党员积分制 end to end (kaohe run … --format csv vs. benchmarks/baseline_polars.py), "
          f"{time.strftime('%Y-%m-%d %H:%M %Z')}, {os.cpu_count()} cpus, load average now {os.getloadavg()[0]:.1f}")
    print(f"µs/m = wall / N, fixed costs included (kaohe {fixed[0]:.2f} s, polars {fixed[1]:.2f} s on the 40-member sample)")
    head = (f"{'N':>10} {'MB':>6} {'kaohe s':>8} {'polars s':>8} {'ratio':>6} {'cpu ratio':>9} {'kaohe MiB':>9} "
            f"{'polars MiB':>10} {'RSS ratio':>9} {'kaohe µs/m':>10} {'polars µs/m':>11}")
    print(head)
    print("-" * len(head))
    for row in rows:
        k, p = row.kaohe, row.polars
        polars_cost = f"{p.wall / row.n * 1e6:>11.1f}" if p.ok else f"{'':>11}"
        cells = [f"{row.n:>10,}", f"{row.files.bytes / 1e6:>6.0f}"]
        if k is not None and row.identical:
            cells += [f"{k.wall:>8.2f}", f"{p.wall:>8.2f}", f"{k.wall / p.wall:>5.1f}×", f"{k.cpu / p.cpu:>8.1f}×",
                      f"{k.peak_mib:>9.0f}", f"{p.peak_mib:>10.0f}", f"{k.peak_mib / p.peak_mib:>8.1f}×",
                      f"{k.wall / row.n * 1e6:>10.1f}", polars_cost]
        elif k is not None and row.identical is False:
            cells += ["results differ: no times"]
        else:
            # No kaohe run, or it did not finish: the baseline's figures alone.
            shown = "—" if k is None else ("memory" if k.over_memory else "timeout" if k.timed_out else "failed")
            peak = "—" if k is None else f"{k.peak_mib:.0f}"
            cells += [f"{shown:>8}", f"{p.wall:>8.2f}" if p.ok else f"{'failed':>8}", f"{'':>6}", f"{'':>9}",
                      f"{peak:>9}", f"{p.peak_mib:>10.0f}", f"{'':>9}", f"{'':>10}", polars_cost]
            if k is not None:
                cells.append(f"  kaohe: {k.status()}")
        print(" ".join(cells))


# ---------------------------------------------------------------------------
# XLSX reading

CALAMINE_READ = """
import sys, time
from python_calamine import CalamineWorkbook
start, cpu = time.perf_counter(), time.process_time()
rows = CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0).to_python()
print(f"READ {time.perf_counter() - start:.6f} {time.process_time() - cpu:.6f} {len(rows)}")
"""

ENGINE_READ = """
import sys, time
from engine.compiler import compile_scheme
from engine.data import read_dataset
from engine.loader import load_scheme
scheme, _ = compile_scheme(load_scheme(sys.argv[1]))
start, cpu = time.perf_counter(), time.process_time()
data = read_dataset(scheme, [sys.argv[2]])
print(f"READ {time.perf_counter() - start:.6f} {time.process_time() - cpu:.6f} {len(data.units)}")
"""


def timed_read(code: str, arguments: list[str], args: argparse.Namespace, log: Path) -> tuple[float, float, Run]:
    """Run a reading snippet in fresh processes, best of ``--repeat``.

    Returns the read call's wall and CPU seconds (start-up and imports
    excluded) and that process's run (for its peak RSS).
    """
    best: tuple[float, float, Run] | None = None
    for _ in range(args.repeat):
        run = measure([sys.executable, "-c", code, *arguments], args.timeout, log, args.max_rss * 1024)
        found = re.findall(r"^READ ([\d.]+) ([\d.]+) (\d+)$", log.read_text("utf-8", "replace"), re.MULTILINE) if run.ok else []
        wall, cpu = (float(found[-1][0]), float(found[-1][1])) if found else (float("nan"), float("nan"))
        if best is None or wall < best[0] or (best[0] != best[0] and wall == wall):
            best = (wall, cpu, run)
        if not run.ok:
            break
    assert best is not None
    return best


def bench_xlsx(rows: int, work: Path, args: argparse.Namespace) -> bool:
    """python-calamine vs the engine's reader on one monthly-score sheet of ``rows`` rows."""
    # Whole members only (12 rows each), a few spare because some are graded by hand.
    wanted = max(1, rows // MONTHS)
    source = work / "xlsx-source"
    generate(wanted + wanted // 50 + 10, source, seed=args.seed, rewards="csv")
    monthly = pl.read_csv(source / "月评分.csv", infer_schema=False).head(wanted * MONTHS)
    ids = monthly.select("编号").unique()
    listing = pl.read_csv((source / "名单.csv").read_bytes().decode("gbk").encode(), infer_schema=False)
    listing = listing.join(ids, on="编号", how="semi")
    # The rest of the data kept minimal (one vote per member, no corrections),
    # so the folder's reading time is mostly the sheet's.
    votes = pl.read_csv(source / "民主测评.csv", infer_schema=False).filter(pl.col("测评人") == "票01").join(ids, on="编号", how="semi")
    rewards = pl.read_csv(source / "奖惩.csv", infer_schema=False).join(ids, on="编号", how="semi")
    sheet_csv, sheet_xlsx = work / "xlsx-csv", work / "xlsx-xlsx"
    for folder in (sheet_csv, sheet_xlsx):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "名单.csv").write_bytes(listing.write_csv(line_terminator="\r\n").encode("gbk"))
        (folder / "民主测评.csv").write_bytes(votes.write_csv(line_terminator="\r\n").encode())
        (folder / "奖惩.csv").write_bytes(rewards.write_csv(line_terminator="\r\n").encode())
    (sheet_csv / "月评分.csv").write_bytes(b"\xef\xbb\xbf" + monthly.write_csv(line_terminator="\r\n").encode())
    start = time.perf_counter()
    book = sheet_xlsx / "月评分.xlsx"
    write_xlsx(book, "月评分", monthly, numeric=["月份", *SCORE_TITLES])
    try:
        import xlsxwriter  # noqa: F401

        writer = "xlsxwriter constant_memory"
    except ImportError:
        writer = "openpyxl write-only"
    print(f"\nXLSX reading: {monthly.height:,} rows × {monthly.width} columns, {book.stat().st_size / 1e6:.1f} MB, "
          f"written with {writer} in {time.perf_counter() - start:.1f} s", flush=True)
    calamine, calamine_cpu, c_run = timed_read(CALAMINE_READ, [str(book)], args, work / "xlsx-calamine.log")
    engine_xlsx, xlsx_cpu, x_run = timed_read(ENGINE_READ, [str(SCHEME), str(sheet_xlsx)], args, work / "xlsx-engine.log")
    engine_csv, csv_cpu, v_run = timed_read(ENGINE_READ, [str(SCHEME), str(sheet_csv)], args, work / "xlsx-engine-csv.log")
    ok = True
    for name, run in (("python-calamine", c_run), ("engine (xlsx)", x_run), ("engine (csv)", v_run)):
        if not run.ok:
            ok = False
            print(f"  {name} did not finish ({run.status()}):\n{tail(run.log)}")
    print(f"{'reader':<56} {'read s':>8} {'cpu s':>7} {'peak MiB':>9}")
    print(f"{'(a) python-calamine: the sheet into rows':<56} {calamine:>8.2f} {calamine_cpu:>7.2f} {c_run.peak_mib:>9.0f}")
    print(f"{'(b) engine read_dataset: folder with the sheet, .xlsx':<56} {engine_xlsx:>8.2f} {xlsx_cpu:>7.2f} {x_run.peak_mib:>9.0f}")
    print(f"{'(c) engine read_dataset: the same folder, sheet as .csv':<56} {engine_csv:>8.2f} {csv_cpu:>7.2f} {v_run.peak_mib:>9.0f}")
    if ok:
        print(f"ratio (b)/(a): {engine_xlsx / calamine:.1f}× (cpu {xlsx_cpu / calamine_cpu:.1f}×); (b) − (c) = {engine_xlsx - engine_csv:.2f} s is what the "
              f"sheet costs the engine as .xlsx rather than .csv")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="kaohe run schemes/jifenzhi end to end vs. a hand-written polars script, plus XLSX reading.",
        epilog="Sizes accept 10000, 10k, 1M, 3e4. Outputs must be byte-identical before times are shown.",
    )
    parser.add_argument("sizes", nargs="*", type=parse_size, help="members per run (default: 10k 100k 1M)")
    parser.add_argument("--sizes", dest="size_list", nargs="+", type=parse_size, metavar="N", help="the same, as an option")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="generate into DIR and keep data, outputs and logs")
    parser.add_argument("--timeout", type=float, default=1200, metavar="S", help="per process; a slower side is reported as timed out (default 1200)")
    parser.add_argument("--max-rss", type=float, default=16, metavar="GIB",
                        help="kill a side whose RSS passes this, reported as such (default 16; 0: no limit)")
    parser.add_argument("--repeat", type=int, default=1, metavar="K", help="runs per side, the fastest kept (default 1)")
    parser.add_argument("--seed", type=int, default=2013, help="data seed (default 2013)")
    parser.add_argument("--rewards", choices=("auto", "xlsx", "csv"), default="auto", help="奖惩 as xlsx (≤ 100k: auto) or csv")
    parser.add_argument("--skip-kaohe", action="store_true", help="time the polars baseline only (no identity check)")
    parser.add_argument("--no-xlsx", action="store_true", help="skip the XLSX reading comparison")
    parser.add_argument("--xlsx-only", action="store_true", help="only the XLSX reading comparison")
    parser.add_argument("--xlsx-rows", type=parse_size, default=120_000, metavar="R", help="rows of the XLSX sheet (default 120k)")
    args = parser.parse_args(argv)
    sizes = (args.sizes or []) + (args.size_list or []) or DEFAULT_SIZES

    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)
        work = args.keep
    else:
        work = Path(tempfile.mkdtemp(prefix="kaohe-bench-"))
    print(f"python {sys.version.split()[0]}, polars {pl.__version__}; working in {work}")
    # An installed kaohe has its modules byte-compiled (pip does it); an editable checkout run
    # with PYTHONDONTWRITEBYTECODE (as some sandboxes set) would compile ~15,000 lines on every run.
    compileall.compile_dir(str(ROOT / "engine"), quiet=1)
    failed = False
    try:
        if not args.xlsx_only:
            fixed = fixed_costs(work, args)
            rows = []
            for n in sizes:
                row = bench_size(n, work, args)
                rows.append(row)
                # A timeout is a finding about the engine, not a broken benchmark; an error exit is.
                kaohe_error = row.kaohe is not None and not row.kaohe.ok and not row.kaohe.stopped
                failed |= row.identical is False or not row.polars.ok or kaohe_error
            print_table(rows, fixed)
            if any(row.identical is False for row in rows):
                print("FAILED: kaohe's results.csv and the baseline's differ (see above).")
        if not args.no_xlsx:
            failed |= not bench_xlsx(args.xlsx_rows, work, args)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
