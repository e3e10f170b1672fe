"""A :class:`~engine.context.Context` → the one Jinja environment its texts are rendered with.

Every template Kaohe renders — the result table, the explanation, the
comparison, the reports (``reports/``) and the workbench pages
(``engine/serve/templates``) — goes through :func:`environment`. It is
sandboxed (:class:`jinja2.sandbox.ImmutableSandboxedEnvironment`): a scheme's
templates travel with the scheme from county to county, so a template may read
the values it is given but not reach Python internals
(``cycler.__init__.__globals__``) or change its data; such an expression raises
SecurityError, reported by :func:`engine.reports.template_problem`. Undefined
names fail loudly (StrictUndefined) instead of printing nothing.

The context decides the search path (its ``templates`` folders first, then the
shipped ones; ``base/…`` always names the shipped template so that an override
can extend it) and the language: ``lang`` and ``t(zh, en)`` — the context's
:meth:`~engine.context.Context.say`, the one picker — are globals of every
template.
"""

from __future__ import annotations

import functools
import re
import typing as t
from pathlib import Path

import jinja2
import markupsafe

from engine.resources import reports_dir, serve_folder

if t.TYPE_CHECKING:
    from engine.context import Context, Lang

#: Which template set: the reports and outputs (``reports/``) or the workbench's pages.
Templates = t.Literal["reports", "pages"]


def environment(context: Context, templates: Templates = "reports") -> jinja2.Environment:
    """The environment of ``context``'s language and template folders.

    Made once per language and search path while the process runs: a report
    split into a hundred files renders with one environment, its templates
    compiled once (Jinja checks each file's time, so an edited template is read again).
    """
    return _environment(context.lang, context.templates, templates)


@functools.lru_cache(maxsize=16)
def _environment(lang: Lang, folders: tuple[Path, ...], templates: Templates) -> jinja2.Environment:
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from engine.context import of

    context = of(lang)
    if templates == "pages":
        env = ImmutableSandboxedEnvironment(
            loader=jinja2.FileSystemLoader(serve_folder("templates")),
            undefined=jinja2.StrictUndefined,
            autoescape=True,  # every user string (titles, file names, cell contents) is text, never markup
        )
    else:
        shipped = reports_dir()
        loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(folder) for folder in folders]
        # "base/…" always names the shipped template, so an override can extend it.
        loaders.append(jinja2.PrefixLoader({"base": jinja2.FileSystemLoader(shipped)}))
        loaders.append(jinja2.FileSystemLoader(shipped))
        env = ImmutableSandboxedEnvironment(
            loader=jinja2.ChoiceLoader(loaders),
            undefined=jinja2.StrictUndefined,
            # HTML templates escape names and titles (a unit called "<script>" stays text).
            autoescape=jinja2.select_autoescape(["html", "html.j2"], default_for_string=False, default=False),
            keep_trailing_newline=True,
            finalize=markdown_finalize,
        )
    env.globals["lang"] = context.lang
    env.globals["t"] = context.say
    return env


#: What makes Markdown text HTML: a tag's opening bracket, and an ampersand starting an entity (&lt; &#60;).
#: A ">" alone opens nothing, so an expression such as "rate >= 100" is printed as it is.
_MARKUP = re.compile(r"<|&(?=#?\w+;)")
_MARKUP_ESCAPES = {"<": "&lt;", "&": "&amp;"}


def escape_markdown_html(text: str) -> str:
    """``text`` with HTML markup escaped, for Markdown output (rendered Markdown passes HTML through).

    Only what would be read as markup changes, so ordinary text (``A&B``,
    ``rate >= 100``) is printed as it was.

    >>> escape_markdown_html("<script>甲</script> A&B &amp; x >= 1")
    '&lt;script>甲&lt;/script> A&B &amp;amp; x >= 1'
    """
    return _MARKUP.sub(lambda match: _MARKUP_ESCAPES[match.group()], text)


@jinja2.pass_context
def markdown_finalize(context: jinja2.runtime.Context, value: object) -> object:
    """Jinja ``finalize``: every ``{{ value }}`` a Markdown template (``*.md.j2``) prints is
    escaped by :func:`escape_markdown_html`; other templates' values pass unchanged (HTML ones
    are autoescaped)."""
    if isinstance(value, str) and not isinstance(value, markupsafe.Markup) and (context.name or "").endswith(".md.j2"):
        return escape_markdown_html(value)
    return value
