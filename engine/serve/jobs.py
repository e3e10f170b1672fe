"""Long work off the request: a function of a progress callback → a :class:`Job`
running in its own thread, whose latest progress line a page shows while it runs
and whose result (or located problems) the page shows when it is done.
"""

from __future__ import annotations

import secrets
import threading
import time
import typing as t

from engine.errors import KaoheError, Problem


class Job:
    """One piece of background work of a visit (an assessment of large data).

    Mutable on purpose: the worker thread writes its progress and result, the
    pages read them; ``done`` is an Event so a request may wait for it.
    """

    def __init__(self, target: tuple[int, str]) -> None:
        self.id = secrets.token_hex(8)
        #: What the work is about: the served folder number and path of the scheme.
        self.target = target
        self.started = time.monotonic()
        self.text = ""
        self.result: object | None = None
        self.problems: tuple[Problem, ...] = ()
        #: A failure that is no user mistake (a bug): the page says so instead of a traceback.
        self.crashed = ""
        self.done = threading.Event()

    def say(self, text: str) -> None:
        self.text = text

    def seconds(self) -> int:
        return int(time.monotonic() - self.started)


def start(work: t.Callable[[t.Callable[[str], None]], object], target: tuple[int, str]) -> Job:
    """Run ``work(progress)`` in a new thread; its result or problems land on the job."""
    job = Job(target)

    def run() -> None:
        try:
            job.result = work(job.say)
        except KaoheError as err:
            job.problems = err.problems
        except Exception as err:  # noqa: BLE001 — a bug must reach the page as a message, not kill the thread silently
            job.crashed = f"{type(err).__name__}: {err}"
        finally:
            job.done.set()

    threading.Thread(target=run, name=f"kaohe-job-{job.id}", daemon=True).start()
    return job
