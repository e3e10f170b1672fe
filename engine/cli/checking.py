"""The checking commands: ``validate`` (schemes checked without data) and ``test``
(the scenario cases beside them run, engine.scenarios)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from engine.cli.common import context, print_problems, say
from engine.errors import KaoheError, Location, Problem, UsageError


def cmd_validate(args: argparse.Namespace) -> int:
    # Checking needs the compiler, not the data reader, the workbooks or the templates.
    from engine.compiler import check_scheme
    from engine.inherit import load_scheme
    from engine.scenarios import has_cases

    failed = 0
    files: list[str] = []
    for given in args.schemes:
        # A folder: every scheme in it (schemes/zhengjiaochu holds two versions).
        inside = sorted(Path(given).glob("*.yaml")) if Path(given).is_dir() else []
        files += [str(p) for p in inside] or [given]
    for file in files:
        if Path(file).is_file() and has_cases(Path(file)):
            # A scenario test, not a scheme: say how it is run instead of listing "unknown keys".
            print(say(args.lang, f"- {file}: 这是场景测试文件，用 kaohe test {file} 运行",
                       f"- {file}: a scenario test file; run it with kaohe test {file}"), file=sys.stderr)
            continue
        try:
            raw = load_scheme(file)
        except KaoheError as err:
            print_problems(err.problems, args.lang)
            failed += 1
            errors = sum(p.severity == "error" for p in err.problems)
            warnings = len(err.problems) - errors
            print(say(args.lang, f"✗ {file}: {errors} 个错误，{warnings} 个警告", f"✗ {file}: {errors} error(s), {warnings} warning(s)"), file=sys.stderr)
            continue
        scheme, problems = check_scheme(raw)
        print_problems(problems, args.lang)
        errors = sum(p.severity == "error" for p in problems)
        warnings = len(problems) - errors
        if scheme is None:
            failed += 1
            print(say(args.lang, f"✗ {file}: {errors} 个错误，{warnings} 个警告", f"✗ {file}: {errors} error(s), {warnings} warning(s)"), file=sys.stderr)
        else:
            items = sum(1 for _ in scheme.items())
            print(say(args.lang, f"✓ {file}: 通过（{items} 个计分项，{warnings} 个警告）", f"✓ {file}: valid ({items} scored items, {warnings} warning(s))"))
    return 1 if failed else 0


def cmd_test(args: argparse.Namespace) -> int:
    from engine.scenarios import check_case, load_scenario, scenario_files

    files = scenario_files(args.paths)
    if not files:
        raise UsageError([Problem.at("scenario_none_found", Location(", ".join(args.paths)))])
    run = context(args)
    passed = failed = 0
    for file in files:
        try:
            scenario = load_scenario(file)
        except KaoheError as err:
            print_problems(err.problems, args.lang)
            failed += 1
            continue
        if not scenario.cases:
            print(say(args.lang, f"- {file}: 还没有用例（待填写）", f"- {file}: no cases yet (to be written)"))
            continue
        for index, case in enumerate(scenario.cases):
            name = f"{file}: {case['name']}"
            result = check_case(scenario, index, run)
            if result.passed:
                print(f"✓ {name}")
                passed += 1
                continue
            print(f"✗ {name}", file=sys.stderr)
            print_problems(result.problems, args.lang)
            for line in result.failures:
                print(f"    {line}", file=sys.stderr)
            failed += 1
    total = passed + failed
    print(say(args.lang, f"共 {total} 个用例: {passed} 个通过，{failed} 个未通过。",
              f"{total} case(s): {passed} passed, {failed} failed."), file=sys.stderr if failed else sys.stdout)
    return 1 if failed else 0
