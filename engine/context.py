"""The context of a run: language, progress, history store and where problems go.

One :class:`Context` is built by a front end (the command line, the scenario
runner, a test, a later web page) and handed to the library; nothing below it
takes a ``lang`` string or reads the command line. Its :meth:`Context.pick`
is the one place a text is chosen by language.
"""

from __future__ import annotations

import dataclasses
import typing as t
from pathlib import Path

from engine.messages import Text

if t.TYPE_CHECKING:
    from engine.errors import Problem

Lang = t.Literal["zh", "en"]
_T = t.TypeVar("_T")

#: The history store used when none is named (``--history``).
HISTORY_FILE = Path("kaohe-history.sqlite")


def _ignore(problems: t.Sequence[Problem]) -> None:
    """The default sink: warnings are kept in the result, not shown."""


@dataclasses.dataclass(frozen=True)
class Context:
    """What a run needs besides the scheme and the data."""

    #: Language of every text produced (messages, documents).
    lang: Lang = "zh"
    #: No progress display (a terminal shows progress on long reads otherwise).
    quiet: bool = True
    #: The history store read by history rules and written by ``--record``.
    history: Path = HISTORY_FILE
    #: Called with warnings as soon as a stage has them (the command line prints
    #: them there, so a later error does not hide them).
    notify: t.Callable[[t.Sequence[Problem]], None] = _ignore
    #: Where the progress lines of long work go instead of a terminal (a web page shows them);
    #: ``None``: a terminal shows them unless ``quiet``.
    progress: t.Callable[[str], None] | None = None
    #: Template folders searched before the shipped ones (``engine/resources.py``): a scheme's
    #: ``reports.templates``, so a county can replace a report template or one block of it.
    templates: tuple[Path, ...] = ()

    def pick(self, text: Text) -> str:
        """``text`` in the context's language."""
        return text.en if self.lang == "en" else text.zh

    def say(self, zh: _T, en: _T) -> _T:
        """The Chinese or the English text (or list of texts), by the context's language."""
        return en if self.lang == "en" else zh

    def with_templates(self, folder: str | Path | None) -> Context:
        """This context with ``folder`` (a scheme's ``reports.templates``) searched first; unchanged for ``None``."""
        return self if folder is None else dataclasses.replace(self, templates=(Path(folder), *self.templates))


#: The context of a caller that names none: Chinese, quiet, the default history store.
DEFAULT = Context()


def of(where: Context | Lang) -> Context:
    """``where`` as a context: a bare language is the :data:`DEFAULT` context in it.

    For the texts made where no run exists (an exception's own ``str``, a
    problem printed by a test); everything below the command line passes a
    Context.
    """
    if isinstance(where, Context):
        return where
    return DEFAULT if where == "zh" else dataclasses.replace(DEFAULT, lang=where)
