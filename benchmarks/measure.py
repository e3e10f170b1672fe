"""Run one command and report its wall time and peak RSS as JSON on stdout.

    python benchmarks/measure.py TIMEOUT_S MAX_RSS_MIB -- COMMAND [ARG ...]

This wrapper is started fresh for every measurement, so its
``getrusage(RUSAGE_CHILDREN).ru_maxrss`` is the peak RSS of exactly one
process: the command (RUSAGE_CHILDREN of a long-lived parent would be the
maximum over every child it ever ran). The command's own output goes to the
wrapper's stderr. A command that outlives TIMEOUT_S, or whose resident
memory passes MAX_RSS_MIB (polled every 0.2 s — today's reader would take
the whole machine at 1M members), is killed with its process group and
reported as such, not waited for. MAX_RSS_MIB 0 means no limit.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time


def resident_mib(pid: int) -> float:
    """Current RSS of ``pid`` from /proc (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def main(argv: list[str]) -> int:
    if len(argv) < 4 or argv[2] != "--":
        print(__doc__, file=sys.stderr)
        return 2
    timeout, limit = float(argv[0]), float(argv[1])
    start = time.perf_counter()
    # Its own session, so a timeout can end the command and anything it started.
    child = subprocess.Popen(argv[3:], stdout=sys.stderr, stderr=sys.stderr, start_new_session=True)
    timed_out = over_memory = False
    while True:
        try:
            code = child.wait(timeout=0.2)
            break
        except subprocess.TimeoutExpired:
            pass
        timed_out = time.perf_counter() - start > timeout
        over_memory = limit > 0 and resident_mib(child.pid) > limit
        if timed_out or over_memory:
            os.killpg(child.pid, signal.SIGKILL)
            code = child.wait()
            break
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    # Linux reports ru_maxrss in KiB.
    print(json.dumps({"wall": wall, "peak_mib": usage.ru_maxrss / 1024, "code": code, "timed_out": timed_out,
                      "over_memory": over_memory, "user": usage.ru_utime, "sys": usage.ru_stime}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
