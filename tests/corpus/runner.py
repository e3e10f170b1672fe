"""Run corpus cases: in a long-lived worker process (most), or as a real
``python -m engine`` subprocess (cases about the process's own streams)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import select
import stat
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: Per case; generous — it catches hangs, it does not measure speed.
TIMEOUT = float(os.environ.get("KAOHE_CORPUS_TIMEOUT", "10"))


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KAOHE_") or k.startswith("KAOHE_CORPUS")}
    env.update(PYTHONPATH=str(ROOT), TERM="dumb", COLUMNS="200", PYTHONIOENCODING="", LC_ALL="C.UTF-8", LANG="C.UTF-8")
    env.pop("PYTHONIOENCODING")
    return env


def exception_line(err: str) -> str:
    """The ``Type: message`` line of the last traceback in ``err``."""
    lines = err.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("Traceback")]
    if not starts:
        return ""
    for line in lines[starts[-1] + 1:]:
        if line and not line.startswith(" "):
            return line.strip()
    return lines[-1].strip() if lines else ""


@dataclasses.dataclass
class Outcome:
    code: int | None  # None: killed after the time bound
    out: str
    err: str
    seconds: float
    #: Exit codes and stderr of the preparatory commands, when the case had some.
    pre: list[tuple[int, str, str]] = dataclasses.field(default_factory=list)

    @property
    def timed_out(self) -> bool:
        return self.code is None


class Worker:
    """``tests/corpus/worker.py`` kept running between cases; restarted after a kill."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "tests.corpus.worker"], cwd=ROOT, env=_env(),
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        line = self._line(120.0)
        assert line is not None and json.loads(line).get("ready"), "the corpus worker did not start"

    def _line(self, timeout: float) -> bytes | None:
        assert self.process is not None and self.process.stdout is not None
        deadline = time.monotonic() + timeout
        buffer = b""
        fd = self.process.stdout.fileno()
        while not buffer.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                return None
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return None  # the worker died (a crash below Python, or the memory limit)
            buffer += chunk
        return buffer

    def run(self, commands: list[list[str]], cwd: Path, timeout: float = TIMEOUT) -> list[Outcome]:
        if self.process is None or self.process.poll() is not None:
            self.start()
        assert self.process is not None and self.process.stdin is not None
        started = time.monotonic()
        self.process.stdin.write((json.dumps({"commands": commands, "cwd": str(cwd)}) + "\n").encode())
        self.process.stdin.flush()
        line = self._line(timeout * len(commands))
        seconds = time.monotonic() - started
        if line is None:
            died = self.process.poll()
            self.stop()
            if died is not None:
                return [Outcome(1, "", f"Traceback: the worker process died with status {died}", seconds)]
            return [Outcome(None, "", "", seconds)]
        results = json.loads(line)["results"]
        return [Outcome(code, out, err, seconds) for code, out, err in results]

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            for pipe in (self.process.stdin, self.process.stdout):
                if pipe is not None:
                    pipe.close()
            self.process = None


def run_subprocess(argv: list[str], cwd: Path, stdout: str = "pipe", timeout: float = TIMEOUT) -> Outcome:
    """``python -m engine ARGV`` with stdout a pipe, closed (``>&-``) or ``/dev/full``."""
    command = [sys.executable, "-m", "engine", *argv]
    started = time.monotonic()
    sink: int | object = subprocess.PIPE
    full = None
    if stdout == "full":
        full = open("/dev/full", "wb")
        sink = full
    elif stdout == "closed":
        command = ["sh", "-c", 'exec "$@" >&-', "sh", *command]
        sink = None
    try:
        done = subprocess.run(command, cwd=cwd, env=_env(), stdout=sink, stderr=subprocess.PIPE,  # type: ignore[arg-type]
                              stdin=subprocess.DEVNULL, timeout=timeout + 5)  # + interpreter start-up
    except subprocess.TimeoutExpired:
        return Outcome(None, "", "", time.monotonic() - started)
    finally:
        if full is not None:
            full.close()
    out = done.stdout.decode("utf-8", "replace") if isinstance(done.stdout, bytes) else ""
    return Outcome(done.returncode, out, done.stderr.decode("utf-8", "replace"), time.monotonic() - started)


def snapshot(folder: Path) -> dict[str, str]:
    """Every entry under ``folder``: a regular file by its hash, anything else by its kind.

    FIFOs and devices are never opened (a FIFO would block the test).
    """
    found: dict[str, str] = {}
    for here, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(here) / name
            key = str(path.relative_to(folder))
            info = path.lstat()
            if stat.S_ISLNK(info.st_mode):
                found[key] = "link:" + os.readlink(path)
            elif stat.S_ISDIR(info.st_mode):
                found[key] = "dir"
            elif stat.S_ISREG(info.st_mode):
                digest = hashlib.sha256()
                with open(path, "rb") as handle:
                    for block in iter(lambda: handle.read(1 << 20), b""):
                        digest.update(block)
                found[key] = digest.hexdigest()
            else:
                found[key] = f"special:{stat.S_IFMT(info.st_mode)}"
    return found
