"""Pages: a template name and a view model → an HTML response, through the
project's sandboxed Jinja environment; problems → the located messages a page lists.

The templates (``engine/serve/templates``) and the stylesheet and scripts
(``engine/serve/static``) ship inside the package: the pages work offline.
"""

from __future__ import annotations

import dataclasses
import typing as t
from pathlib import Path

from engine.context import DEFAULT, Context
from engine.errors import Problem
from engine.resources import serve_folder
from engine.templating import environment

if t.TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import HTMLResponse
    from starlette.types import Scope

    from engine.serve.safety import Served, Visit

TEMPLATES = serve_folder("templates")
STATIC = serve_folder("static")


@dataclasses.dataclass(frozen=True)
class Config:
    """What the server was started with."""

    served: Served
    #: The pages' language and the history store ``record`` writes and history rules read.
    context: Context = DEFAULT
    host: str = "127.0.0.1"
    port: int = 8000
    #: Required of every request when not ``None`` (any host but this machine).
    token: str | None = None
    max_upload: int = 200 * 1024 * 1024
    #: How long a request waits for its assessment before showing the progress page instead (seconds).
    wait: float = 2.0


class ProblemRow(t.TypedDict):
    """A problem as a page lists it."""

    #: File (relative to its served folder), sheet, row/line, column; "" for a problem of the request itself.
    where: str
    message: str
    hint: str
    #: Its line, for a link to the editor.
    line: int | None
    warning: bool
    code: str


def problem_rows(problems: t.Iterable[Problem], context: Context, served: Served | None = None) -> list[ProblemRow]:
    """Each problem as a page lists it: where (file relative to its served folder,
    sheet, row/line, column), the message, the hint, and its line for a link."""
    rows: list[ProblemRow] = []
    for problem in problems:
        location = problem.location
        if served is not None:
            location = dataclasses.replace(location, file=served.shown(location.file))
        text, hint = problem.message(context)
        # A problem of the request itself (no file, no line) has no place to show: the CLI's "<命令行>" would mislead.
        where = location.render(context) if location.file or location.line is not None else ""
        rows.append({"where": where, "message": text, "hint": hint, "line": location.line,
                     "warning": problem.severity == "warning", "code": problem.code})
    return rows


def render(name: str, context: Context, **values: object) -> str:
    """The template ``name`` filled with ``values``, in the context's language (the pages'
    environment of :func:`engine.templating.environment`: sandboxed, every value HTML-escaped)."""
    return environment(context, "pages").get_template(name).render(**values)


def page(request: Request, name: str, status: int = 200, **values: object) -> HTMLResponse:
    """A full page: the template with the server's language, the visit's CSRF field and the token."""
    from starlette.responses import HTMLResponse

    config: Config = request.app.state.config
    visit: Visit | None = request.scope.get("state", {}).get("visit")
    values.setdefault("tab", "")
    html = render(name, config.context, csrf=visit.csrf if visit else "", **values)
    return HTMLResponse(html, status_code=status)


def problem_page_html(problems: t.Sequence[Problem], scope: Scope, title: str | None = None) -> str:
    """The page of a refused request: its located messages (also for middleware, which has only the scope)."""
    app = scope.get("app")
    config: Config | None = getattr(getattr(app, "state", None), "config", None)
    context = config.context if config else DEFAULT
    served = config.served if config else None
    return render("problems.html.j2", context, csrf="", tab="", problems=problem_rows(problems, context, served), title=title)


def tidy_paths(value: object, served: Served, folder: Path) -> object:
    """A view model with every absolute path of a served folder written relative to it, and
    every path inside the visit's folder as the uploaded file's name: no page shows where
    the server keeps its files."""
    import re

    visit = re.escape(str(folder.resolve())) + r"/[^/\s]+/"
    roots = [(str(root) + "/", root.name + "/") for root in served.roots]

    def tidy(text: str) -> str:
        text = re.sub(visit, "", text)
        for prefix, shown in roots:
            text = text.replace(prefix, shown)
        return text

    if isinstance(value, str):
        return tidy(value)
    if isinstance(value, dict):
        return {k: tidy_paths(v, served, folder) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [tidy_paths(v, served, folder) for v in value]
    return value
