"""The workbench app: requests → pages. Starlette routes, one handler per page,
over the library the command line uses; the safety rules of
:mod:`engine.serve.safety` wrap every request.

Every user mistake (a bad path, a bad upload, an invalid scheme, a data error)
is a :class:`~engine.errors.KaoheError` turned into the page of its located
messages (status 400–422); only a bug gives the 500 page.
"""

from __future__ import annotations

import dataclasses
import typing as t
from pathlib import Path

from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from engine.errors import KaoheError, Location, Problem, UsageError
import engine.serve.assess as assessing
import engine.serve.edit as editing
import engine.serve.jobs as jobs
import engine.serve.listing as listing
import engine.serve.whatif as whatif
from engine.serve.pages import STATIC, Config, ProblemRow, page, problem_rows, tidy_paths
from engine.serve.safety import TOKEN_COOKIE, VISIT_COOKIE, BodyLimit, Visit, Visits, same_origin, same_secret

if t.TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

    from engine.data import Dataset


# ---------------------------------------------------------------------------
# Request guards


class Guard:
    """ASGI middleware: the token (any host but this machine), the visit cookie
    (its temporary folder and CSRF secret) and, on every POST, the CSRF check."""

    def __init__(self, app: ASGIApp, config: Config, visits: Visits) -> None:
        self.app = app
        self.config = config
        self.visits = visits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        token = self.config.token
        set_token = False
        if token is not None and not same_secret(request.cookies.get(TOKEN_COOKIE), token):
            if not same_secret(request.query_params.get("token"), token):
                await self._refuse(scope, receive, send, "serve_token", 403)
                return
            set_token = True
        visit = self.visits.get(request.cookies.get(VISIT_COOKIE))
        fresh = visit is None
        if visit is None:
            visit = self.visits.new()
        scope.setdefault("state", {})["visit"] = visit
        if request.method == "POST" and (fresh or not same_origin(request.headers.get("origin"), request.headers.get("host"))):
            # A POST from a page this server did not give (no visit yet, or another origin) is refused.
            await self._refuse(scope, receive, send, "serve_csrf", 403)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if fresh:
                    headers.append((b"set-cookie", f"{VISIT_COOKIE}={visit.id}; Path=/; HttpOnly; SameSite=Strict".encode()))
                if set_token and token is not None:
                    headers.append((b"set-cookie", f"{TOKEN_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict".encode()))
                # No page of the workbench may be framed by another site, or sniffed into another type.
                headers += [(b"x-frame-options", b"DENY"), (b"x-content-type-options", b"nosniff"),
                            (b"content-security-policy", b"default-src 'self'; img-src 'self' data:; frame-ancestors 'none'"),
                            (b"referrer-policy", b"same-origin")]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, sending)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, code: str, status: int) -> None:
        from starlette.responses import HTMLResponse

        from engine.serve.pages import problem_page_html

        response = HTMLResponse(problem_page_html([Problem.at(code, Location(""))], scope), status_code=status)
        await response(scope, receive, send)


def visit_of(request: Request) -> Visit:
    visit: Visit = request.scope["state"]["visit"]
    return visit


def config_of(request: Request) -> Config:
    config: Config = request.app.state.config
    return config


@dataclasses.dataclass(frozen=True)
class Form:
    """A POSTed form: its text fields (a repeated one: its last value) and its uploaded files."""

    fields: dict[str, str]
    #: Each uploaded file: (its name as given, its bytes).
    files: tuple[tuple[str, bytes], ...] = ()

    def get(self, key: str, default: str | None = None) -> str | None:
        """The text field ``key`` (``default`` when the form has none)."""
        return self.fields.get(key, default)


async def checked_form(request: Request) -> Form:
    """The POSTed form, refused unless it carries the visit's CSRF secret.

    Raises:
        UsageError: no or a wrong CSRF field; more files than allowed.
    """
    from engine.loader import MAX_SCHEME_BYTES
    from engine.serve.safety import MAX_UPLOAD_FILES

    try:
        # A field may hold a scheme's text up to the loader's limit in UTF-8 (3 bytes a character):
        # the loader then says "too large" with its limit rather than the form parser.
        form = await request.form(max_files=MAX_UPLOAD_FILES, max_fields=1000, max_part_size=4 * MAX_SCHEME_BYTES)
    except HTTPException as err:
        raise UsageError([Problem.at("serve_form_unreadable", Location(""), reason=str(err.detail))]) from None
    try:
        given = form.get("csrf")
        if not isinstance(given, str) or not same_secret(given, visit_of(request).csrf):
            raise UsageError([Problem.at("serve_csrf", Location(""))])
        fields: dict[str, str] = {}
        files: list[tuple[str, bytes]] = []
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                files.append((value.filename or "", await value.read()))
            else:
                fields[key] = value
    finally:
        await form.close()  # the uploads' spooled files
    return Form(fields, tuple(files))


def _scheme_path(request: Request) -> tuple[int, str, Path]:
    root = int(request.path_params["root"])
    relative = str(request.path_params["path"])
    return root, relative, config_of(request).served.scheme_file(root, relative)


# ---------------------------------------------------------------------------
# Pages


async def home(request: Request) -> Response:
    from starlette.concurrency import run_in_threadpool

    config = config_of(request)
    entries = await run_in_threadpool(listing.entries, config.served)
    roots = [{"name": root.name, "number": n} for n, root in enumerate(config.served.roots)]
    return page(request, "home.html.j2", entries=entries, roots=roots)


async def scheme(request: Request) -> Response:
    import dataclasses

    from engine.pipeline import load
    from engine.serve.scheme_page import changes_from_parent, scheme_view

    root, relative, file = _scheme_path(request)
    context = config_of(request).context
    warnings: list[Problem] = []
    compiled = load(file, dataclasses.replace(context, notify=warnings.extend))
    parent, changes = changes_from_parent(file)
    view = scheme_view(compiled, context, changes)
    return page(request, "scheme.html.j2", root=root, path=relative, view=view, parent=parent,
                warnings=problem_rows(warnings, context, config_of(request).served),
                sample=assessing.sample_data(file) is not None)


async def source(request: Request) -> Response:
    root, relative, file = _scheme_path(request)
    lines = file.read_text(encoding="utf-8-sig", errors="replace").splitlines()
    return page(request, "source.html.j2", root=root, path=relative, lines=lines)


async def edit(request: Request) -> Response:
    root, relative, file = _scheme_path(request)
    config = config_of(request)
    if request.method == "GET":
        opened = editing.open_for_edit(file)
        problems = editing.check_text(opened.text, file)[1] if opened.from_draft else ()
        return page(request, "edit.html.j2", root=root, path=relative, text=opened.text, fingerprint=opened.fingerprint,
                    draft=opened.from_draft, problems=problem_rows(problems, config.context, config.served), saved=False,
                    conflict=False, preview=None)
    form = await checked_form(request)
    if form.get("action") == "discard":
        editing.discard_draft(file)
        return RedirectResponse(request.url_for("edit", root=root, path=relative), status_code=303)
    from starlette.concurrency import run_in_threadpool

    text = str(form.get("text", ""))
    saved = await run_in_threadpool(editing.save, file, text, str(form.get("fingerprint", "")), form.get("action") == "overwrite")
    preview = None
    if saved.written and saved.scheme is not None:
        preview = await run_in_threadpool(_preview, file, request, root, relative)
    status = 200 if saved.written else (409 if saved.conflict else 422)
    return page(request, "edit.html.j2", status=status, root=root, path=relative, text=text.replace("\r\n", "\n"),
                fingerprint=saved.fingerprint, draft=not saved.written, saved=saved.written, conflict=saved.conflict,
                problems=problem_rows(saved.problems, config.context, config.served), preview=preview)


def _preview(file: Path, request: Request, root: int, relative: str) -> dict[str, object] | None:
    """The results on the scheme's sample data after a valid save (the problems when the data no longer fit)."""
    config = config_of(request)
    data = assessing.sample_data(file)
    if data is None:
        return None
    try:
        done = assessing.run(file, data, visit_of(request), root, relative, "", None, config.context)
    except KaoheError as err:
        return {"problems": problem_rows(err.problems, config.context, config.served)}
    return {"problems": [], **assessing.results_view(done)}


async def assess_form(request: Request) -> Response:
    root, relative, file = _scheme_path(request)
    return page(request, "assess.html.j2", root=root, path=relative, sample=assessing.sample_data(file) is not None,
                problems=[], title=file.stem)


async def assess_run(request: Request) -> Response:
    from starlette.concurrency import run_in_threadpool

    root, relative, file = _scheme_path(request)
    config = config_of(request)
    visit = visit_of(request)
    form = await checked_form(request)
    period = str(form.get("period", "")).strip() or None
    files = [f for f in form.files if f[0] or f[1]]
    try:
        if form.get("source") == "sample":
            data = assessing.sample_data(file)
            if data is None:
                raise UsageError([Problem.at("serve_no_data", Location(relative))])
            label = config.context.say("示例数据", "sample data")
        else:
            data = assessing.save_uploads(files, visit)
            label = "、".join(assessing.upload_name(name, n) for n, (name, _) in enumerate(files, 1))
    except KaoheError as err:
        return _assess_problems(request, root, relative, file, err.problems)
    job = jobs.start(lambda say: assessing.run(file, data, visit, root, relative, label, period, config.context, say),
                     (root, relative))
    visit.jobs[job.id] = job
    # Small data are done at once; large data show the progress page, which follows the job.
    await run_in_threadpool(job.done.wait, config.wait)
    return _finished(request, job) if job.done.is_set() else RedirectResponse(request.url_for("job", id=job.id), status_code=303)


def _assess_problems(request: Request, root: int, relative: str, file: Path, problems: t.Sequence[Problem]) -> Response:
    config = config_of(request)
    return page(request, "assess.html.j2", status=422, root=root, path=relative, sample=assessing.sample_data(file) is not None,
                problems=problem_rows(problems, config.context, config.served), title=file.stem)


def _finished(request: Request, job: jobs.Job) -> Response:
    """A finished assessment: its results (kept as the visit's last), or its problems on the assess page."""
    visit = visit_of(request)
    visit.jobs.pop(job.id, None)
    if job.crashed:
        raise RuntimeError(job.crashed)  # a bug, not a user mistake: the 500 page
    if not isinstance(job.result, assessing.Assessment):
        root, relative = job.target
        file = config_of(request).served.scheme_file(root, relative)
        return _assess_problems(request, root, relative, file, job.problems)
    visit.last = job.result
    return RedirectResponse(request.url_for("results"), status_code=303)


async def job_page(request: Request) -> Response:
    """The progress of a running assessment (the page reloads itself each second), then its outcome."""
    job = visit_of(request).jobs.get(str(request.path_params["id"]))
    if not isinstance(job, jobs.Job):
        raise UsageError([Problem.at("serve_not_found", Location(request.url.path))])
    if job.done.is_set():
        return _finished(request, job)
    return page(request, "job.html.j2", job=job)


def _last(request: Request) -> assessing.Assessment:
    last = visit_of(request).last
    if not isinstance(last, assessing.Assessment):
        raise UsageError([Problem.at("serve_no_results", Location(""))])
    return last


async def results(request: Request) -> Response:
    done = _last(request)
    config = config_of(request)
    scheme = done.outcomes.results.scheme
    downloads = [{"name": n, "title": config.context.say(*assessing.DOWNLOADS[n][1])} for n in assessing.available(done.outcomes)]
    return page(request, "results.html.j2", done=done, scheme=scheme, view=assessing.results_view(done), downloads=downloads,
                warnings=problem_rows(done.warnings, config.context, config.served), root=done.root, path=done.path)


async def unit(request: Request) -> Response:
    from engine.unit_explain import explain_view

    done = _last(request)
    index = assessing.find_unit(done.outcomes, int(request.path_params["index"]))
    from engine.serve.scheme_page import plain

    config = config_of(request)
    raw = explain_view(done.outcomes, index, config.context)
    scheme_file = Path(done.outcomes.results.scheme.file).resolve()
    compiled = done.outcomes.results.scheme
    nodes: list[dict[str, object]] = []
    for node in raw["nodes"]:
        # Each rule links to its YAML line when it is written in the scheme's own file (not in a parent).
        file, _, line = node.get("where", "").rpartition(":")
        shown: dict[str, object] = {**node, "line": int(line) if line.isdigit() and file and Path(file).resolve() == scheme_file else None}
        rule = node["rule"]
        if rule:
            shown["code"], shown["rule"] = rule, plain(rule, compiled, config.context)
        nodes.append(shown)
    view = tidy_paths({**raw, "nodes": nodes}, config.served, visit_of(request).folder)
    return page(request, "unit.html.j2", done=done, view=view, scheme=compiled, root=done.root, path=done.path)


async def download(request: Request) -> Response:
    from starlette.concurrency import run_in_threadpool

    done = _last(request)
    name = str(request.path_params["name"])
    target = await run_in_threadpool(assessing.download, done, name, config_of(request).context)
    scheme = done.outcomes.results.scheme
    return FileResponse(target, filename=f"{scheme.id}-{name}")


async def template_download(request: Request) -> Response:
    from engine.pipeline import load
    from engine.context import Context

    _, _, file = _scheme_path(request)
    compiled = load(file, Context())
    context = config_of(request).context
    target = assessing.template_for(compiled, visit_of(request).folder, context)
    return FileResponse(target, filename=context.say(f"{compiled.id}-填报表.xlsx", f"{compiled.id}-template.xlsx"))


async def record(request: Request) -> Response:
    from engine import history

    done = _last(request)
    config = config_of(request)
    form = await checked_form(request)
    period = str(form.get("period", "")).strip()
    scheme = done.outcomes.results.scheme
    if not period:
        raise UsageError([Problem.at("history_needs_period", Location(""))])
    if form.get("confirm") != "yes":
        existing = history.recorded_at(config.context.history, scheme.id, period)
        return page(request, "record.html.j2", done=done, scheme=scheme, period=period, existing=existing,
                    store=str(config.context.history), units=len(done.outcomes.results.data.units), recorded=None)
    count = history.record(config.context.history, done.outcomes, period, replace=form.get("replace") == "yes")
    return page(request, "record.html.j2", done=done, scheme=scheme, period=period, existing=None, store=str(config.context.history),
                units=count, recorded=count)


async def whatif_page(request: Request) -> Response:
    from starlette.concurrency import run_in_threadpool

    from engine.context import Context
    from engine.pipeline import load

    root, relative, file = _scheme_path(request)
    config = config_of(request)
    compiled = load(file, Context())
    fields = whatif.fields(compiled)
    data = _whatif_data(request, file, root, relative)
    values = {f.name: f.value for f in fields}
    document = None
    problems: list[ProblemRow] = []
    saved = None
    status = 200
    if request.method == "POST":
        form = await checked_form(request)
        try:
            assignments, values = whatif.edits(compiled, form.fields)
            if form.get("action") == "save":
                target = whatif.save_version(file, compiled, values, str(form.get("name", "")))
                saved = config.served.relative(target)
            if data is None:
                raise UsageError([Problem.at("serve_no_data", Location(relative))])
            document = await run_in_threadpool(whatif.compare, file, data, assignments, config.context)
        except KaoheError as err:
            problems = problem_rows(err.problems, config.context, config.served)
            status = 422
    return page(request, "whatif.html.j2", status=status, root=root, path=relative, scheme=compiled, fields=fields, values=values,
                document=document, problems=problems, saved=saved, has_data=data is not None)


def _whatif_data(request: Request, file: Path, root: int, relative: str) -> Path | Dataset | None:
    """The data a what-if scores: the dataset of the visit's last assessment of this scheme
    (read once, not again at every change), else the sample data."""
    from engine.data import Dataset

    last = visit_of(request).last
    if isinstance(last, assessing.Assessment) and (last.root, last.path) == (root, relative):
        dataset = last.outcomes.results.data
        assert isinstance(dataset, Dataset)
        return dataset
    return assessing.sample_data(file)


# ---------------------------------------------------------------------------
# Errors


async def user_error(request: Request, exc: Exception) -> Response:
    """A user's mistake: the page of its located messages, never a traceback."""
    assert isinstance(exc, KaoheError)
    config = config_of(request)
    status = 404 if any(p.code in ("serve_not_found", "serve_outside") for p in exc.problems) else 400
    return page(request, "problems.html.j2", status=status, problems=problem_rows(exc.problems, config.context, config.served), title=None)


async def not_found(request: Request, exc: Exception) -> Response:
    code = exc.status_code if isinstance(exc, HTTPException) else 404
    problem = Problem.at("serve_not_found" if code == 404 else "serve_bad_request", Location(request.url.path))
    config = config_of(request)
    return page(request, "problems.html.j2", status=code, problems=problem_rows([problem], config.context), title=None)


def create_app(config: Config, visits: Visits | None = None) -> Starlette:
    """The app over ``config``'s folders (``visits`` holds the visitors' folders; a new root when not given)."""
    visits = Visits() if visits is None else visits
    scheme_path = "/{root:int}/{path:path}"
    routes = [
        Route("/", home, name="home"),
        Route("/scheme" + scheme_path, scheme, name="scheme"),
        Route("/source" + scheme_path, source, name="source"),
        Route("/edit" + scheme_path, edit, methods=["GET", "POST"], name="edit"),
        Route("/assess" + scheme_path, assess_form, name="assess"),
        Route("/assess" + scheme_path, assess_run, methods=["POST"], name="assess_run"),
        Route("/template" + scheme_path, template_download, name="template"),
        Route("/whatif" + scheme_path, whatif_page, methods=["GET", "POST"], name="whatif"),
        Route("/jobs/{id}", job_page, name="job"),
        Route("/results", results, name="results"),
        Route("/results/unit/{index:int}", unit, name="unit"),
        Route("/results/download/{name}", download, name="download"),
        Route("/results/record", record, methods=["POST"], name="record"),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    middleware = [Middleware(BodyLimit, limit=config.max_upload), Middleware(Guard, config=config, visits=visits)]
    hosts = ["127.0.0.1", "localhost", "[::1]", "::1", "testserver"]
    if config.token is not None:
        hosts = ["*"]  # reached by its name or address from other machines; the token guards it
    from starlette.middleware.trustedhost import TrustedHostMiddleware

    # Bound to this machine: a page of another site cannot reach it through a rebound DNS name.
    middleware.insert(0, Middleware(TrustedHostMiddleware, allowed_hosts=hosts))
    import contextlib

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> t.AsyncIterator[None]:
        yield
        visits.close()  # the server stops: every visit's uploads and downloads go

    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan,
                    exception_handlers={KaoheError: user_error, HTTPException: not_found})
    app.state.config = config
    app.state.visits = visits
    return app
