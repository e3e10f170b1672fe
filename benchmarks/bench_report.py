"""Report benchmark: ``kaohe report`` against ``kaohe run`` on the same 党员积分制 data.

What it measures. For each size N it writes a data folder of N members in
the shipped file shapes of schemes/jifenzhi (benchmarks/e2e_data.py, as the
end-to-end benchmark does), then runs, each in its own fresh process under
benchmarks/measure.py (wall time, CPU time, peak RSS),

  * ``python -m engine run schemes/jifenzhi --data DIR --format csv --out OUT``
    (what the end-to-end benchmark times: read, check, score, grade, write), and
  * ``python -m engine report schemes/jifenzhi --data DIR --out OUT`` (the
    whole HTML set: 公示, score sheets, summary and results.xlsx; the sample
    scheme writes no 整改通知书), or with ``--format docx`` the Word set,

prints both times and their ratio (the target: report ≤ 2× run), and lists
the files the report wrote with the largest one's size, so a report that
writes one enormous file shows up here too. Both include interpreter
start-up and imports (the engine byte-compiled first, as an installed
package is).

    python benchmarks/bench_report.py                  # 10k and 100k, HTML
    python benchmarks/bench_report.py 100k --repeat 2  # the faster of two runs per side
    python benchmarks/bench_report.py 10k --format docx --by 党支部
    python benchmarks/bench_report.py 100k --profile /tmp/report.prof   # also one cProfile run of report

The machine may be shared: CPU seconds move less than wall time under load,
and the ratio of CPU times is printed beside the ratio of wall times.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_end_to_end import SCHEME, Run, measure, parse_size  # noqa: E402
from benchmarks.e2e_data import generate  # noqa: E402

DEFAULT_SIZES = [10_000, 100_000]


def run_command(folder: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "engine", "run", str(SCHEME), "--data", str(folder), "--format", "csv", "--out", str(out)]


def report_command(folder: Path, out: Path, args: argparse.Namespace) -> list[str]:
    command = [sys.executable, "-m", "engine", "report", str(SCHEME), "--data", str(folder), "--out", str(out),
               "--format", args.format, "--date", "2024-12-01"]
    return command + (["--by", args.by] if args.by else [])


def best_of(command: list[str], args: argparse.Namespace, log: Path, out: Path, name: str) -> Run:
    best: Run | None = None
    for _ in range(args.repeat):
        shutil.rmtree(out, ignore_errors=True)
        run = measure(command, args.timeout, log)
        print(f"  {name:<7} {run.status():>24}  {run.wall:8.2f} s  {run.peak_mib:8.0f} MiB  (cpu {run.cpu:.2f} s)", flush=True)
        if best is None or (run.ok and (not best.ok or run.wall < best.wall)):
            best = run
    assert best is not None
    return best


def files_of(out: Path) -> list[tuple[int, Path]]:
    return sorted(((p.stat().st_size, p) for p in out.rglob("*") if p.is_file()), reverse=True)


def bench_size(n: int, work: Path, args: argparse.Namespace) -> tuple[int, Run, Run, list[tuple[int, Path]]]:
    folder = work / f"data-{n}"
    start = time.perf_counter()
    files = generate(n, folder, seed=args.seed)
    print(f"\nN = {n:,}: wrote {files.bytes / 1e6:,.1f} MB of data in {time.perf_counter() - start:.1f} s", flush=True)
    run = best_of(run_command(folder, work / f"run-{n}"), args, work / f"run-{n}.log", work / f"run-{n}", "run")
    report = best_of(report_command(folder, work / f"report-{n}", args), args, work / f"report-{n}.log", work / f"report-{n}", "report")
    written = files_of(work / f"report-{n}") if report.ok else []
    if not report.ok:
        print((work / f"report-{n}.log").read_text("utf-8", "replace")[-2000:])
    elif written:
        print(f"  report wrote {len(written):,} files, {sum(s for s, _ in written) / 1e6:,.1f} MB; largest "
              + ", ".join(f"{p.relative_to(work / f'report-{n}')} {s / 1e6:,.1f} MB" for s, p in written[:3]))
    if args.profile and report.ok:
        target = args.profile.with_name(f"{args.profile.stem}-{n}{args.profile.suffix or '.prof'}")
        command = report_command(folder, work / f"profile-{n}", args)
        subprocess.run([command[0], "-m", "cProfile", "-o", str(target), *command[1:]], cwd=ROOT, check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        print(f"  profile of one report run: {target} (python -m pstats {target})")
    return n, run, report, written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="kaohe report against kaohe run on the same 党员积分制 data (target ≤ 2×).")
    parser.add_argument("sizes", nargs="*", type=parse_size, help="members per run (default: 10k 100k)")
    parser.add_argument("--format", choices=("html", "docx"), default="html", help="report format (default html)")
    parser.add_argument("--by", metavar="GROUP", help="report --by GROUP (docx only), e.g. 党支部")
    parser.add_argument("--repeat", type=int, default=1, metavar="K", help="runs per side, the fastest kept (default 1)")
    parser.add_argument("--timeout", type=float, default=1200, metavar="S", help="per process (default 1200)")
    parser.add_argument("--seed", type=int, default=2013, help="data seed (default 2013)")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="work in DIR and keep data and outputs")
    parser.add_argument("--profile", type=Path, metavar="FILE.prof", help="also write a cProfile of one report run per size")
    args = parser.parse_args(argv)
    sizes = args.sizes or DEFAULT_SIZES
    work = args.keep or Path(tempfile.mkdtemp(prefix="kaohe-bench-report-"))
    work.mkdir(parents=True, exist_ok=True)
    compileall.compile_dir(str(ROOT / "engine"), quiet=1)
    rows = []
    try:
        for n in sizes:
            rows.append(bench_size(n, work, args))
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print(f"\nkaohe report (--format {args.format}{' --by ' + args.by if args.by else ''}) against kaohe run --format csv, "
          f"{time.strftime('%Y-%m-%d %H:%M %Z')}, {os.cpu_count()} cpus, load average now {os.getloadavg()[0]:.1f}")
    head = f"{'N':>10} {'run s':>8} {'report s':>9} {'ratio':>6} {'cpu ratio':>9} {'run MiB':>8} {'report MiB':>10} {'largest file':>13}"
    print(head)
    print("-" * len(head))
    failed = False
    for n, run, report, written in rows:
        if not (run.ok and report.ok):
            failed = True
            print(f"{n:>10,} run {run.status()}, report {report.status()}")
            continue
        largest = f"{written[0][0] / 1e6:.1f} MB" if written else "—"
        print(f"{n:>10,} {run.wall:>8.2f} {report.wall:>9.2f} {report.wall / run.wall:>5.1f}× {report.cpu / run.cpu:>8.1f}× "
              f"{run.peak_mib:>8.0f} {report.peak_mib:>10.0f} {largest:>13}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
