"""Problems as data: where a user mistake is, what was expected, and a hint.

Every stage reports user mistakes as :class:`Problem` values (location +
message code + arguments); the text is produced only when a problem is
rendered, in Chinese by default or English (:mod:`engine.messages`). Stages
raise a :class:`KaoheError` subclass carrying *all* problems they found, so
the command line can print them sorted and exit 1 — never a traceback.
"""

from __future__ import annotations

import dataclasses
import typing as t

from engine.context import DEFAULT, Context, Lang, of
from engine.messages import render_message

Severity = t.Literal["error", "warning"]


@dataclasses.dataclass(frozen=True)
class Location:
    """Where a problem sits: a YAML node or a data cell.

    For a scheme ``line``/``column`` are 1-based and ``path`` is the YAML path
    (``$.items[0].formula``). For data ``line`` is the spreadsheet row,
    ``sheet`` the worksheet and ``column`` the header text.
    """

    #: File the problem is in ("" when it has no file, e.g. a command-line value).
    file: str
    #: 1-based line (YAML) or row (data).
    line: int | None = None
    #: 1-based column (YAML) or column header (data).
    column: int | str | None = None
    #: YAML path such as ``$.inputs.score_1.range``.
    path: str | None = None
    #: Worksheet name for XLSX data.
    sheet: str | None = None

    def sort_key(self) -> tuple[str, str, int, str]:
        """File, then sheet, then line, then column — the order a reader scans."""
        column = self.column if isinstance(self.column, str) else f"{self.column or 0:08d}"
        return (self.file, self.sheet or "", self.line or 0, column)

    def render(self, context: Context | Lang = DEFAULT) -> str:
        """``file:line:col: $.path`` (scheme) or ``file[sheet]:row: 列 X`` (data).

        ``context`` is the run's; a bare language (see :func:`engine.context.of`)
        is for where no run exists, such as an exception's own text."""
        head = self.file or of(context).say("<命令行>", "<command line>")
        if self.sheet:
            head += f"[{self.sheet}]"
        if self.line is not None:
            head += f":{self.line}"
            if isinstance(self.column, int):
                head += f":{self.column}"
        parts = [head]
        if self.path:
            parts.append(self.path)
        if isinstance(self.column, str):
            parts.append(f"[{self.column}]")
        return ": ".join(parts)


@dataclasses.dataclass(frozen=True)
class Problem:
    """One user mistake (or warning), kept as data until it is printed."""

    #: Message code, a key of :data:`engine.messages.MESSAGES`.
    code: str
    #: Where it is.
    location: Location
    #: Arguments substituted into the message and hint templates.
    args: tuple[tuple[str, object], ...] = ()
    #: ``error`` stops the command (exit 1); ``warning`` is printed and goes on.
    severity: Severity = "error"

    @classmethod
    def at(
        cls, code: str, location: Location, severity: Severity = "error", **args: object
    ) -> Problem:
        """Build a problem with keyword arguments for the message."""
        return cls(code, location, tuple(sorted(args.items())), severity)

    def message(self, context: Context | Lang = DEFAULT) -> tuple[str, str]:
        """The message and hint texts in the context's language."""
        return render_message(self.code, dict(self.args), of(context).lang)

    def render(self, context: Context | Lang = DEFAULT) -> str:
        """``file:line:col: $.path: message`` followed by an indented hint line."""
        context = of(context)
        text, hint = self.message(context)
        if self.severity == "warning":
            text = context.say("警告: ", "warning: ") + text
        out = f"{self.location.render(context)}: {text}"
        if hint:
            out += f"\n  hint: {hint}"
        return out

    def sort_key(self) -> tuple[tuple[str, str, int, str], str]:
        return (self.location.sort_key(), self.code)


def sorted_problems(problems: t.Iterable[Problem]) -> tuple[Problem, ...]:
    """Unique problems in reading order (file, sheet, line, column); ties keep the order they were found in."""
    return tuple(sorted(dict.fromkeys(problems), key=Problem.sort_key))


class KaoheError(Exception):
    """Base of every error a user can cause; carries all its problems."""

    def __init__(self, problems: t.Iterable[Problem]) -> None:
        self.problems = sorted_problems(problems)
        super().__init__("\n".join(p.render("en") for p in self.problems))

    def __reduce__(self) -> tuple[type[KaoheError], tuple[tuple[Problem, ...]]]:
        # Keep errors picklable (e.g. across a process pool).
        return (type(self), (self.problems,))

    def render(self, context: Context | Lang = DEFAULT) -> str:
        return "\n".join(p.render(context) for p in self.problems)


class SchemeError(KaoheError):
    """The scheme file cannot be loaded, validated or compiled."""


class DataError(KaoheError):
    """A data file is unreadable, incomplete or holds a bad value."""


class EvaluationError(KaoheError):
    """The data are well-formed but a rule cannot be applied (e.g. division by zero)."""


class UsageError(KaoheError):
    """A command-line value is wrong (unknown unit id, unwritable output folder)."""
