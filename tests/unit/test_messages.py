"""Every problem the engine can raise has a Chinese and an English text and hint, and
every message's placeholders are exactly the arguments its call sites pass.

The call sites are found with ``ast`` over engine/: every ``Problem.at(...)`` and
``Problem(...)``, and every call of a function that hands its ``code`` parameter on
to one of those (``self.problem``, ``report.error``, ``checker.fail``,
``self._refuse`` … found by following the parameter, not by a list of names). A
code held in a variable is followed to what was assigned to it, through
conditional expressions, ``for`` loops over literal tuples and the tuples a function
of the same module returns (so are the keys of a ``**mapping`` spread into the call);
a call whose code cannot be followed fails the test, so a new one cannot slip past it.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import string
import typing as t

from engine.messages import MESSAGES, render_message
from tests.helpers import ROOT

ENGINE = ROOT / "engine"
#: The argument ``render_message`` fills itself: ``suggest`` given → ``{suggestion}`` ("did you mean …?").
DERIVED = {"suggestion": "suggest"}
#: Arguments a call passes that its message does not print, by code. engine/tables.py (being split
#: elsewhere) passes ``ext`` to data_xlsx_damaged too: to go when that call drops it.
UNPRINTED = {"data_xlsx_damaged": {"ext"}}
#: Codes whose languages fill different fields: tree_no_children lists the children's types in
#: each language (``types``, ``types_en``).
OWN_FIELDS_PER_LANGUAGE = {"tree_no_children"}


@dataclasses.dataclass(frozen=True)
class Reporter:
    """A function that turns a code into a problem: where its ``code`` goes, the parameters
    that are not message arguments, and the arguments it adds itself."""

    position: int
    own: frozenset[str]
    adds: frozenset[str]


@dataclasses.dataclass(frozen=True)
class Site:
    """One call that raises a problem: the codes it may raise and the message arguments it passes
    (``None`` when it spreads a ``**mapping`` that cannot be followed: listed as not followed too)."""

    where: str
    codes: frozenset[str]
    arguments: frozenset[str] | None


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else None


def _is_problem(call: ast.Call) -> bool:
    """``Problem.at(...)`` or ``Problem(...)``."""
    func = call.func
    return (isinstance(func, ast.Name) and func.id == "Problem") or (
        isinstance(func, ast.Attribute) and func.attr == "at" and isinstance(func.value, ast.Name) and func.value.id == "Problem")


def _functions(tree: ast.AST) -> t.Iterator[tuple[ast.FunctionDef | ast.AsyncFunctionDef, list[ast.FunctionDef | ast.AsyncFunctionDef]]]:
    """Every function with the functions it is nested in (innermost last)."""
    def walk(node: ast.AST, outer: list[ast.FunctionDef | ast.AsyncFunctionDef]) -> t.Iterator[
            tuple[ast.FunctionDef | ast.AsyncFunctionDef, list[ast.FunctionDef | ast.AsyncFunctionDef]]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                yield child, outer
                yield from walk(child, [*outer, child])
            else:
                yield from walk(child, outer)
    yield from walk(tree, [])


def _parameters(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    names = [a.arg for a in function.args.posonlyargs + function.args.args]
    return names[1:] if names and names[0] in ("self", "cls") else names


def _code_argument(call: ast.Call, reporter: Reporter) -> ast.expr | None:
    if len(call.args) > reporter.position:
        return call.args[reporter.position]
    return next((k.value for k in call.keywords if k.arg == "code"), None)


def _trees() -> dict[str, ast.Module]:
    return {path.relative_to(ROOT).as_posix(): ast.parse(path.read_text(encoding="utf-8")) for path in sorted(ENGINE.rglob("*.py"))}


#: ``Problem.at(code, location, severity, **args)`` and ``Problem(code, location, args, severity)``.
PROBLEM = Reporter(0, frozenset({"location", "severity", "args"}), frozenset())


def _methods(tree: ast.Module) -> dict[int, str]:
    """The class each method of a module is defined in, by the method's node id."""
    return {id(member): node.name for node in ast.walk(tree) if isinstance(node, ast.ClassDef)
            for member in node.body if isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef))}


def reporters(trees: dict[str, ast.Module]) -> tuple[dict[str, Reporter], dict[tuple[str, str, str], Reporter]]:
    """The functions that hand their ``code`` parameter on to a problem (directly or through
    another such function), ``Problem.at`` and ``Problem`` being the start: by name (all
    functions of that name together), and by (file, class, name) for a ``self.`` call."""
    by_name: dict[str, Reporter] = {}
    by_method: dict[tuple[str, str, str], Reporter] = {}
    changed = True
    while changed:
        changed = False
        for file, tree in trees.items():
            classes = _methods(tree)
            for function, _ in _functions(tree):
                parameters = _parameters(function)
                if "code" not in parameters:
                    continue
                home = classes.get(id(function))
                for call in (n for n in ast.walk(function) if isinstance(n, ast.Call)):
                    target = PROBLEM if _is_problem(call) else _reporter_of(call, file, home, by_name, by_method, [function])
                    if target is None or (_name(call.func) == function.name and not _is_problem(call)):
                        continue
                    given = _code_argument(call, target)
                    if not (isinstance(given, ast.Name) and given.id == "code"):
                        continue
                    own = frozenset(a.arg for a in function.args.posonlyargs + function.args.args + function.args.kwonlyargs) - {"self", "cls"}
                    adds = frozenset(k.arg for k in call.keywords if k.arg is not None and k.arg not in target.own) | target.adds
                    found = Reporter(parameters.index("code"), own, adds)
                    if home is not None and by_method.get((file, home, function.name)) != found:
                        by_method[(file, home, function.name)] = found
                        changed = True
                    previous = by_name.get(function.name)
                    merged = found if previous is None else Reporter(found.position, previous.own | own, previous.adds | adds)
                    if previous is not None and previous.position != found.position:
                        raise AssertionError(f"two reporters named {function.name} take the code at different places")
                    if merged != previous:
                        by_name[function.name] = merged
                        changed = True
    return by_name, by_method


def _reporter_of(call: ast.Call, file: str, home: str | None, by_name: dict[str, Reporter],
                 by_method: dict[tuple[str, str, str], Reporter], scopes: list[t.Any]) -> Reporter | None:
    """The reporter a call calls: ``self.x(...)`` in a class that has ``x`` is that method, and so is
    ``merge.x(...)`` for a parameter annotated with that class (``merge: _Merge``); otherwise by name."""
    name = _name(call.func)
    if name is None:
        return None
    func = call.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        owner = home if func.value.id == "self" else None
        for scope in scopes:
            if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for argument in scope.args.posonlyargs + scope.args.args + scope.args.kwonlyargs:
                    if argument.arg == func.value.id and argument.annotation is not None:
                        owner = ast.unparse(argument.annotation).strip("'\"")
        if owner is not None:
            found = [r for (_, c, n), r in by_method.items() if c == owner and n == name]
            if len(found) == 1:
                return found[0]
    return by_name.get(name)


def _assigned(name: str, scopes: list[ast.FunctionDef | ast.AsyncFunctionDef] | list[ast.Module]) -> list[ast.expr] | None:
    """What ``name`` may hold in its function: each value assigned to it, or ``None``
    when it is bound some other way (a parameter, a ``with``, a loop this cannot follow)."""
    values: list[ast.expr] = []
    for scope in reversed(scopes):
        bound = False
        for node in _own(scope):
            if isinstance(node, ast.Assign) and any(isinstance(x, ast.Name) and x.id == name for x in node.targets):
                values.append(node.value)
                bound = True
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == name and node.value:
                values.append(node.value)
                bound = True
            elif isinstance(node, (ast.For, ast.comprehension)) and _binds(node.target, name):
                picked = _from_loop(node.target, node.iter, name, scopes)
                if picked is None:
                    return None
                values += picked
                bound = True
        if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)) and name in _parameters(scope) + [a.arg for a in scope.args.kwonlyargs]:
            return None
        if bound:
            return values
    return None


def _own(scope: ast.AST) -> t.Iterator[ast.AST]:
    """The nodes of a function or module that are not inside a function (or class) nested in it."""
    for child in ast.iter_child_nodes(scope):
        if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            yield child
            yield from _own(child)


def _binds(target: ast.expr, name: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(target))


def _from_loop(target: ast.expr, iterable: ast.expr, name: str, scopes: t.Any) -> list[ast.expr] | None:
    """The values ``name`` takes in ``for target in iterable`` over literal tuples (or a
    ``zip`` of such, or a name assigned one)."""
    if isinstance(target, ast.Name):
        if isinstance(iterable, (ast.Tuple, ast.List, ast.Set)):
            return list(iterable.elts)
        if isinstance(iterable, ast.Name):
            held = _assigned(iterable.id, scopes)
            if held is None:
                return None
            out: list[ast.expr] = []
            for value in held:
                picked = _from_loop(target, value, name, scopes)
                if picked is None:
                    return None
                out += picked
            return out
        return None
    if not isinstance(target, ast.Tuple):
        return None
    index = next(k for k, element in enumerate(target.elts) if _binds(element, name))
    if isinstance(iterable, ast.Call) and _name(iterable.func) == "zip" and len(iterable.args) == len(target.elts):
        return _from_loop(target.elts[index], iterable.args[index], name, scopes)
    rows = [iterable] if not isinstance(iterable, ast.Name) else (_assigned(iterable.id, scopes) or [])
    out = []
    for row_list in rows:
        if not isinstance(row_list, (ast.Tuple, ast.List)):
            return None
        for row in row_list.elts:
            if not (isinstance(row, ast.Tuple) and len(row.elts) == len(target.elts)):
                return None
            picked = _from_loop(target.elts[index], ast.Tuple([row.elts[index]]), name, scopes)
            if picked is None:
                return None
            out += picked
    return out


def _values(node: ast.expr, scopes: list[t.Any]) -> list[ast.expr] | None:
    """The literals an expression may be (``None``: not statically findable): through names
    assigned in its function, conditional expressions, ``for`` loops over literal tuples, and an
    element of the tuples a function of the same module returns (``found = f(...)``, ``found[0]``)."""
    if isinstance(node, (ast.Constant, ast.Dict, ast.Tuple)):
        return [node]
    if isinstance(node, ast.IfExp):
        body, orelse = _values(node.body, scopes), _values(node.orelse, scopes)
        return None if body is None or orelse is None else body + orelse
    if isinstance(node, ast.Name):
        assigned = _assigned(node.id, scopes)
        if assigned is None:
            return None
        out: list[ast.expr] = []
        for value in assigned:
            found = _values(value, scopes)
            if found is None:
                return None
            out += found
        return out
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, int):
        whole = _values(node.value, scopes)
        if whole is None:
            return None
        out = []
        for value in whole:
            if isinstance(value, ast.Constant) and value.value is None:
                continue  # the function's "nothing found"
            if not (isinstance(value, ast.Tuple) and len(value.elts) > node.slice.value):
                return None
            found = _values(value.elts[node.slice.value], scopes)
            if found is None:
                return None
            out += found
        return out
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        module = scopes[0]
        function = next((f for f in module.body if isinstance(f, ast.FunctionDef) and f.name == node.func.id), None)
        if function is None:
            return None
        out = []
        for ret in (n for n in ast.walk(function) if isinstance(n, ast.Return) and n.value is not None):
            found = _values(t.cast(ast.expr, ret.value), [module, function])
            if found is None:
                return None
            out += found
        return out
    return None


def _codes(node: ast.expr, scopes: list[t.Any]) -> set[str] | None:
    """The codes an expression may be (``None``: not statically findable)."""
    values = _values(node, scopes)
    codes = [v.value for v in values or [] if isinstance(v, ast.Constant) and isinstance(v.value, str)]
    return None if values is None or len(codes) != len(values) else set(codes)


def _spread(node: ast.expr, scopes: list[t.Any]) -> set[str] | None:
    """The keys of a ``**mapping`` a call spreads (``None``: not statically findable)."""
    values = _values(node, scopes)
    mappings = [v for v in values or [] if isinstance(v, ast.Dict)]
    keys = [k.value for v in mappings for k in v.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
    if values is None or len(mappings) != len(values) or len(keys) != sum(len(v.keys) for v in mappings):
        return None
    return set(keys)


@functools.cache
def call_sites() -> tuple[list[Site], list[str]]:
    """Every call raising a problem with the codes it may raise and the arguments it passes;
    and the calls whose code (or spread arguments) this cannot follow (``file:line``)."""
    trees = _trees()
    by_name, by_method = reporters(trees)
    sites: list[Site] = []
    unknown: list[str] = []
    for file, tree in trees.items():
        classes = _methods(tree)
        enclosing: dict[int, list[t.Any]] = {}
        for function, outer in _functions(tree):
            for node in ast.walk(function):
                enclosing[id(node)] = [tree, *outer, function]
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            scopes = enclosing.get(id(call), [tree])
            caller = scopes[-1] if len(scopes) > 1 else None
            home = None
            for scope in reversed(scopes[1:]):
                home = home or classes.get(id(scope))
            reporter = PROBLEM if _is_problem(call) else _reporter_of(call, file, home, by_name, by_method, scopes)
            given = None if reporter is None else _code_argument(call, reporter)
            if reporter is None or given is None:
                continue
            if isinstance(given, ast.Name) and given.id == "code" and caller is not None and "code" in _parameters(caller) \
                    and caller.name in by_name:
                continue  # a reporter handing its own code on: its callers are the sites
            codes = _codes(given, scopes)
            if codes is None:
                # Problem's first argument is always a code; a call by a reporter's name whose first
                # argument is no code at all (ev.warn(Problem.at(...)), a location helper) is no site.
                if _is_problem(call) or isinstance(given, (ast.Constant, ast.IfExp, ast.Name)):
                    unknown.append(f"{file}:{call.lineno}")
                continue
            arguments: set[str] | None = {k.arg for k in call.keywords if k.arg is not None and k.arg not in reporter.own} | reporter.adds
            for spread in (k.value for k in call.keywords if k.arg is None):
                keys = _spread(spread, scopes)
                if keys is None:
                    unknown.append(f"{file}:{call.lineno} (**{ast.unparse(spread)})")
                    arguments = None
                    break
                arguments = (arguments or set()) | keys
            sites.append(Site(f"{file}:{call.lineno}", frozenset(codes), None if arguments is None else frozenset(arguments)))
    return sites, unknown


def placeholders(code: str) -> dict[str, set[str]]:
    """Per language, the fields the message and hint of ``code`` fill."""
    out: dict[str, set[str]] = {}
    for lang, texts in MESSAGES[code].items():
        fields: set[str] = set()
        for text in texts:
            for _, field, _, _ in string.Formatter().parse(text):
                if field is not None:
                    fields.add(field.split(".")[0].split("[")[0])
        out[lang] = fields
    return out


def test_every_code_a_call_raises_is_found_and_has_a_message() -> None:
    sites, unknown = call_sites()
    assert unknown == [], f"calls whose message code cannot be followed (write it as a literal, a conditional or a loop over literals): {unknown}"
    assert len(sites) > 300  # the scan sees the engine's calls (about 440 when this was written)
    missing = {site.where: sorted(site.codes - set(MESSAGES)) for site in sites if site.codes - set(MESSAGES)}
    assert missing == {}


def test_every_placeholder_is_passed_by_every_call() -> None:
    # A message field no call fills renders as "" (engine.messages' _Defaulting): a silent hole.
    holes = {}
    for site in sites_with_arguments():
        for code in site.codes:
            for lang, fields in placeholders(code).items():
                wanted = {DERIVED.get(f, f) for f in fields}
                absent = wanted - site.arguments  # type: ignore[operator]
                if absent:
                    holes[f"{site.where} {code} ({lang})"] = sorted(absent)
    assert holes == {}


def test_every_argument_a_call_passes_is_used_by_its_message() -> None:
    unused = {}
    for site in sites_with_arguments():
        # One call may raise one of several codes (``"a" if … else "b"``): each argument is used by one of them.
        fields = {DERIVED.get(f, f) for code in site.codes for lang in placeholders(code).values() for f in lang}
        allowed = set().union(*(UNPRINTED.get(code, set()) for code in site.codes))
        extra = site.arguments - fields - {"suggest"} - allowed  # type: ignore[operator]
        if extra:
            unused[f"{site.where} {sorted(site.codes)}"] = sorted(extra)
    assert unused == {}


def sites_with_arguments() -> list[Site]:
    return [site for site in call_sites()[0] if site.arguments is not None]


def test_no_message_is_left_unused() -> None:
    used = set().union(*(site.codes for site in call_sites()[0]))
    assert set(MESSAGES) - used == set()


def test_both_languages_fill_the_same_fields() -> None:
    fields = {code: placeholders(code) for code in MESSAGES}
    differ = {code: by_lang for code, by_lang in fields.items() if by_lang["zh"] != by_lang["en"] and code not in OWN_FIELDS_PER_LANGUAGE}
    assert differ == {}


def test_every_message_has_both_languages_and_renders() -> None:
    for code, entry in MESSAGES.items():
        assert set(entry) == {"zh", "en"}, code
        for lang in ("zh", "en"):
            assert all(entry[lang]), (code, lang)  # a message and a hint
            render_message(code, {DERIVED.get(f, f): "x" for f in placeholders(code)[lang]}, lang)  # formats without error


def test_the_scan_follows_codes_held_in_variables() -> None:
    tree = ast.parse(
        "def f(self, a):\n"
        "    code = 'one' if a else 'two'\n"
        "    self.report.error(code, here, x=1)\n"
        "    for arg, (allowed, kind) in zip(args, [(A, 'three'), (B, 'four')]):\n"
        "        checker.fail(kind, y=2)\n")
    function = t.cast(ast.FunctionDef, tree.body[0])
    calls = [n for n in ast.walk(function) if isinstance(n, ast.Call) and _name(n.func) in ("error", "fail")]
    assert [_codes(c.args[0], [tree, function]) for c in calls] == [{"one", "two"}, {"three", "four"}]
    assert _codes(ast.parse("code", mode="eval").body, [ast.parse("x = 1")]) is None  # bound nowhere: not findable
    returned = ast.parse("def g():\n    return ('five', {'k': 1})\nfound = g()\n")
    assert _codes(ast.parse("found[0]", mode="eval").body, [returned]) == {"five"}
    assert _spread(ast.parse("found[1]", mode="eval").body, [returned]) == {"k"}


def test_a_problem_renders_in_its_context_language() -> None:
    # Problem.message hands the catalogue (render_message) the Context's language; a bare language
    # (where no run exists: an exception's own text) is the default context in that language.
    from engine.context import Context
    from engine.errors import Location, Problem

    problem = Problem.at("missing_key", Location("s.yaml", 3, 1), "warning", key="title")
    assert problem.render(Context(lang="en")) == problem.render("en")
    assert problem.render("en").startswith("s.yaml:3:1: warning: required key 'title' is missing")
    assert problem.render(Context()).startswith("s.yaml:3:1: 警告: ") and problem.render() == problem.render(Context())
    assert Location("").render(Context(lang="en")) == "<command line>" and Location("").render(Context()) == "<命令行>"


if __name__ == "__main__":
    # python -m tests.unit.test_messages: what the scan finds.
    found, cannot = call_sites()
    print(f"{len(found)} calls, {len(cannot)} not followed: {cannot}")
    print("reporters:", {k: v.position for k, v in reporters(_trees())[0].items()})
