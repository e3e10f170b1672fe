"""A long-lived process that runs ``kaohe`` command lines in-process, one per request.

The corpus test talks to it over a pipe (one JSON object per line each way) so
that the engine is imported once, yet a case that hangs or exhausts memory can
be killed without taking the test session with it. Each request runs
``engine.cli.main(argv)`` in the request's folder with ``sys.stdout`` and
``sys.stderr`` replaced: stdout is strict UTF-8 as a real terminal's is (a
lone surrogate raises, as it would), stderr uses ``backslashreplace`` as
Python's own does. An exception escaping ``main`` is reported the way the
interpreter would print it (``Traceback …``, exit 1).
"""

from __future__ import annotations

import io
import json
import os
import sys
import traceback


def _limit_memory() -> None:
    # A runaway case (alias expansion, a huge repetition) gets MemoryError instead of swapping the machine.
    try:
        import resource

        limit = int(os.environ.get("KAOHE_CORPUS_MEMORY", str(6 * 1024**3)))
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):
        pass


def run(argv: list[str]) -> tuple[int, str, str]:
    from engine.cli import main

    out_bytes, err_bytes = io.BytesIO(), io.BytesIO()
    out = io.TextIOWrapper(out_bytes, encoding="utf-8", errors="strict", write_through=True)
    err = io.TextIOWrapper(err_bytes, encoding="utf-8", errors="backslashreplace", write_through=True)
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        try:
            code = main(argv)
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
        except BaseException:  # noqa: BLE001 — what the interpreter would print
            err.write(traceback.format_exc())
            code = 1
        try:
            out.flush()
        except BaseException:  # noqa: BLE001 — e.g. a surrogate left in the buffer
            err.write(traceback.format_exc())
            code = 1
        err.flush()
    finally:
        sys.stdout, sys.stderr = saved
    return code, out_bytes.getvalue().decode("utf-8", "replace"), err_bytes.getvalue().decode("utf-8", "replace")


def serve() -> None:
    _limit_memory()
    import engine.cli  # noqa: F401 — imported once, before the first request
    import engine.compiler  # noqa: F401
    import engine.data  # noqa: F401
    import engine.evaluate  # noqa: F401
    import engine.reports  # noqa: F401

    channel = os.fdopen(os.dup(1), "w", encoding="utf-8")
    # Anything the engine writes to fd 1 itself must not corrupt the channel.
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    home = os.getcwd()
    channel.write(json.dumps({"ready": True}) + "\n")
    channel.flush()
    for line in sys.stdin:
        request = json.loads(line)
        results = []
        try:
            for argv in request["commands"]:
                os.chdir(request["cwd"])
                results.append(run(argv))
                if results[-1][0] != 0 and len(results) < len(request["commands"]):
                    break  # a preparatory command failed: the case cannot run
        finally:
            os.chdir(home)
        channel.write(json.dumps({"results": results}) + "\n")
        channel.flush()


if __name__ == "__main__":
    serve()
