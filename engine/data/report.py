"""Where every step of the reader puts the problems it finds: one list, in the order found.

Each step (layout, unit list, cells, duplicates, missing values …) reports
through one :class:`Report`, so the problems keep the order they were met in
(sorted by place only at the end) and no step needs the others to report.
"""

from __future__ import annotations

from engine.errors import Location, Problem


class Report:
    """The reader's problems (errors and warnings), appended as found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems

    def error(self, code: str, location: Location, **args: object) -> None:
        """An error at ``location``; message arguments as :meth:`Problem.at` takes them."""
        found = args.get("found")
        if isinstance(found, str) and len(found) > 60:
            args["found"] = f"{found[:40]}…（共 {len(found):,} 字）"  # a pasted paragraph is not echoed whole
        # Built as Problem.at builds it: with **args typed ``object``, mypy could not rule out a ``severity`` among them.
        self.problems.append(Problem(code, location, tuple(sorted(args.items())), "error"))

    def warn(self, code: str, location: Location, **args: object) -> None:
        """A warning at ``location`` (the read goes on)."""
        self.problems.append(Problem(code, location, tuple(sorted(args.items())), "warning"))

    def failed(self) -> bool:
        """Whether any error (not only warnings) has been found so far."""
        return any(p.severity == "error" for p in self.problems)
