"""What keeps ``kaohe serve`` safe: served folders → the only paths a request may
touch; a request → refused unless its token, host, origin and size are right;
a visit → its own temporary folder and CSRF secret.

Every rule here turns into a located :class:`~engine.errors.Problem` (area
``serve`` of the message catalogue), never into a traceback: the app shows
the same message the command line would.
"""

from __future__ import annotations

import dataclasses
import hmac
import ipaddress
import secrets
import shutil
import tempfile
import threading
import time
import typing as t
from pathlib import Path

from engine.errors import Location, Problem, UsageError

if t.TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: The most bytes one request may send (an upload of several workbooks): 100k members in CSV are ~20 MB.
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
#: The most files one upload may carry.
MAX_UPLOAD_FILES = 64
#: A visit idle this long loses its temporary folder (seconds).
VISIT_IDLE_SECONDS = 4 * 3600
#: Cookie names: the visit (its folder and CSRF secret) and the access token.
VISIT_COOKIE = "kaohe_visit"
TOKEN_COOKIE = "kaohe_token"


def is_loopback(host: str) -> bool:
    """Whether ``host`` is this machine only (no one else can connect).

    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0"), is_loopback("::1")
    (True, True, False, True)
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclasses.dataclass(frozen=True)
class Served:
    """The folders the app serves; every path a request names is resolved inside one of them."""

    roots: tuple[Path, ...]

    @classmethod
    def of(cls, folders: t.Sequence[str | Path]) -> Served:
        """The given folders, resolved; a missing one is a usage error named by its path."""
        problems = [Problem.at("serve_folder_missing", Location(str(f))) for f in folders if not Path(f).is_dir()]
        if problems:
            raise UsageError(problems)
        return cls(tuple(Path(f).resolve() for f in folders))

    def path(self, root: int, relative: str) -> Path:
        """``relative`` inside served folder number ``root``, refused when it leaves it.

        Raises:
            UsageError: no such root, an absolute or ``..`` path, a link leading
                outside, or a name the file system cannot hold.
        """
        where = Location(relative or "/")
        if not 0 <= root < len(self.roots) or not relative or "\x00" in relative or relative.startswith(("/", "\\")):
            raise UsageError([Problem.at("serve_outside", where)])
        base = self.roots[root]
        try:
            target = (base / relative).resolve()
        except (OSError, RuntimeError, ValueError):
            raise UsageError([Problem.at("serve_outside", where)]) from None
        # resolve() follows links: a link inside pointing outside is outside.
        if target != base and base not in target.parents:
            raise UsageError([Problem.at("serve_outside", where)])
        return target

    def scheme_file(self, root: int, relative: str) -> Path:
        """A scheme file (``.yaml``) inside the served folders."""
        target = self.path(root, relative)
        if target.suffix.lower() not in (".yaml", ".yml"):
            raise UsageError([Problem.at("serve_not_scheme", Location(relative))])
        if not target.is_file():
            raise UsageError([Problem.at("serve_not_found", Location(relative))])
        return target

    def relative(self, path: Path) -> tuple[int, str] | None:
        """(root number, relative path) of a file inside the served folders, else ``None``."""
        resolved = path.resolve()
        for number, base in enumerate(self.roots):
            if base in resolved.parents:
                return number, resolved.relative_to(base).as_posix()
        return None

    def shown(self, file: str) -> str:
        """A file name as a page shows it: relative to its served folder (no absolute paths on the page)."""
        for base in self.roots:
            prefix = str(base) + "/"
            if file.startswith(prefix):
                return f"{base.name}/{file[len(prefix):]}"
        return file


@dataclasses.dataclass
class Visit:
    """One browser's visit: its temporary folder, CSRF secret and last assessment.

    Mutable on purpose: it is the server's per-visitor state (the only such
    object), replaced field by field as the visitor works.
    """

    id: str
    csrf: str
    folder: Path
    seen: float
    #: The last assessment (engine.serve.assess.Assessment), kept for the explanation and download pages.
    last: object | None = None
    #: Background work by id (engine.serve.jobs.Job): an assessment still running.
    jobs: dict[str, object] = dataclasses.field(default_factory=dict)


class Visits:
    """The visits of a running server, each with a temporary folder under one root deleted at shutdown."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="kaohe-serve-")) if root is None else root
        self._visits: dict[str, Visit] = {}
        self._lock = threading.Lock()

    def get(self, visit_id: str | None) -> Visit | None:
        with self._lock:
            visit = self._visits.get(visit_id or "")
            if visit is not None:
                visit.seen = time.monotonic()
            return visit

    def new(self) -> Visit:
        """A fresh visit; idle ones are swept first, so abandoned uploads do not pile up."""
        self.sweep()
        visit_id = secrets.token_urlsafe(24)
        # Made on the first upload or download, not here: a page view costs no folder.
        folder = self.root / secrets.token_hex(8)
        visit = Visit(visit_id, secrets.token_urlsafe(24), folder, time.monotonic())
        with self._lock:
            self._visits[visit_id] = visit
        return visit

    def sweep(self, idle: float = VISIT_IDLE_SECONDS) -> None:
        now = time.monotonic()
        with self._lock:
            gone = [v for v in self._visits.values() if now - v.seen > idle]
            for visit in gone:
                del self._visits[visit.id]
        for visit in gone:
            shutil.rmtree(visit.folder, ignore_errors=True)

    def close(self) -> None:
        """Delete every visit's folder (the server stops)."""
        with self._lock:
            self._visits.clear()
        shutil.rmtree(self.root, ignore_errors=True)


def same_secret(given: str | None, expected: str) -> bool:
    """Constant-time comparison of a token or CSRF field with the expected one."""
    return given is not None and hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode("utf-8"))


def same_origin(origin: str | None, host: str | None) -> bool:
    """Whether a POST's ``Origin`` (when the browser sends one) is this server.

    >>> same_origin("http://127.0.0.1:8000", "127.0.0.1:8000"), same_origin("http://evil.example", "127.0.0.1:8000")
    (True, False)
    >>> same_origin(None, "127.0.0.1:8000")
    True
    """
    if origin is None:
        return True  # old browsers and the test client: the CSRF field still has to match
    if host is None:
        return False
    return origin.split("://", 1)[-1].rstrip("/") == host


class BodyLimit:
    """ASGI middleware: a request body larger than ``limit`` bytes is refused with 413,
    by its Content-Length before it is read and by counting when it is streamed."""

    def __init__(self, app: ASGIApp, limit: int = MAX_UPLOAD_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(scope, receive, send)
            return
        received = 0

        async def counting() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                raise _TooLarge()
            return message

        try:
            await self.app(scope, counting, send)
        except _TooLarge:
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        from starlette.responses import HTMLResponse

        from engine.serve.pages import problem_page_html

        problem = Problem.at("serve_upload_too_large", Location(""), limit=self.limit // (1024 * 1024))
        response = HTMLResponse(problem_page_html([problem], scope), status_code=413)
        await response(scope, receive, send)


class _TooLarge(Exception):
    """A streamed body passed the limit."""
