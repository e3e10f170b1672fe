"""Run one command and report its wall time and peak RSS as JSON on stdout.

    python benchmarks/measure.py TIMEOUT_S -- COMMAND [ARG ...]

This wrapper is started fresh for every measurement, so its
``getrusage(RUSAGE_CHILDREN).ru_maxrss`` is the peak RSS of exactly one
process: the command (RUSAGE_CHILDREN of a long-lived parent would be the
maximum over every child it ever ran). The command's own output goes to the
wrapper's stderr; a command that outlives TIMEOUT_S is killed with its
process group and reported as timed out, not waited for.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[1] != "--":
        print(__doc__, file=sys.stderr)
        return 2
    timeout = float(argv[0])
    start = time.perf_counter()
    # Its own session, so a timeout can end the command and anything it started.
    child = subprocess.Popen(argv[2:], stdout=sys.stderr, stderr=sys.stderr, start_new_session=True)
    timed_out = False
    try:
        code = child.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        os.killpg(child.pid, signal.SIGKILL)
        code = child.wait()
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    # Linux reports ru_maxrss in KiB.
    print(json.dumps({"wall": wall, "peak_mib": usage.ru_maxrss / 1024, "code": code, "timed_out": timed_out,
                      "user": usage.ru_utime, "sys": usage.ru_stime}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
