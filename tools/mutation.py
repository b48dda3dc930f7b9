# ruff: noqa: T201, S311 - a command-line tool that prints its figures; the sample is drawn, not secret
"""Mutation testing of one module against its own tests (stdlib only).

    .venv/bin/python tools/mutation.py bilan/questionnaire/answers.py tests/questionnaire/test_answers.py
    .venv/bin/python tools/mutation.py bilan/analysis/stats.py 'tests/analysis/test_stats*.py' --sample 40 --seed 1

Each mutant is one small change of the module's syntax tree: a comparison operator (< ↔ <=, > ↔ >=,
== ↔ !=, in ↔ not in, is ↔ is not), an arithmetic operator (+ ↔ −, * ↔ /, // ↔ /), a constant (0 ↔ 1,
n → n + 1, True ↔ False, a string → "XX"), a boolean operator (and ↔ or), a ``not`` or a unary minus
removed, a returned value replaced by None. Docstrings and annotations are left alone.

Why not mutmut: mutmut 3 copies the mutated files into mutants/ and, without ``also_copy`` of the whole
package, the tests fail to import bilan there (namespace package); with it, it runs every mutant in a process
forked after the clean run, so values remembered during that run (the questionnaire's ``checked_values``)
answer in place of the mutated code, and mutants that the tests do kill are reported as survivors.

How: the parent process imports pytest, its plugins, Django, the conftest.py files and what the test files
import (their own modules are then forgotten) once, runs no test, and forks one child per mutant. The child
puts the mutant in place in memory only (the code of every function and method of the module, its defaults
and its module-level values; no file is written, the shared working tree is never touched), runs
``pytest -x -q -p no:cacheprovider`` on the given test files (imported fresh in the child, so nothing
remembered leaks between mutants) and exits with pytest's status. A child still running after the timeout is
killed and counted apart (a mutant that loops is detected, so counted as killed in the score). Limit: a value
another module computed at import time from the mutated module keeps the original's result (none does today
for the three modules measured). Not part of ``make test``: ``make mutation`` runs the three statistics
modules.

The score is (killed + timeout) / (mutants − known equivalent ones). Known-equivalent mutants (no change of
behaviour can be observed) are listed in ``EQUIVALENT`` below with their reason, and kept to a minimum.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import copy
import glob
import importlib
import importlib.metadata
import os
import random
import signal
import sys
import time
import types
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# (module path, source line as written, mutation description) → reason it cannot change behaviour.
_UNREACHABLE = "inaccessible : chaque type de question est traité plus haut"
EQUIVALENT: dict[tuple[str, str, str], str] = {
    ("bilan/questionnaire/answers.py", 'raise ValueError(f"type {qtype} non géré")', "'type ' → 'XX'"): _UNREACHABLE,
    ("bilan/questionnaire/answers.py", 'raise ValueError(f"type {qtype} non géré")', "' non géré' → 'XX'"):
        _UNREACHABLE,
    ("bilan/analysis/stats.py", "q_values = [1.0] * m", "1.0 → 0"):
        "valeur initiale jamais lue : la boucle qui suit écrit chacune des m valeurs",
}


@dataclass
class Mutant:
    index: int  # position of the mutated node in the walk of the tree (same order every time)
    line: int
    description: str


COMPARE_SWAPS = {
    ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq, ast.NotEq: ast.Eq,
    ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is,
}
BINOP_SWAPS = {
    ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult, ast.FloorDiv: ast.Div,
}
SYMBOLS = {
    ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=", ast.In: "in",
    ast.NotIn: "not in", ast.Is: "is", ast.IsNot: "is not", ast.Add: "+", ast.Sub: "-", ast.Mult: "*",
    ast.Div: "/", ast.FloorDiv: "//", ast.And: "and", ast.Or: "or",
}


def _skipped_nodes(tree: ast.Module) -> set[int]:
    """Ids of nodes never mutated: docstrings, annotations (not evaluated here) and their sub-nodes."""
    skipped: set[int] = set()

    def skip(node):
        if node is not None:
            skipped.update(id(sub) for sub in ast.walk(node))

    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and body:
            first = body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
                    and isinstance(first.value.value, str):
                skip(first)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            skip(node.returns)
            arguments = node.args
            for arg in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs,
                        arguments.vararg, arguments.kwarg]:
                if arg is not None:
                    skip(arg.annotation)
        if isinstance(node, ast.AnnAssign):
            skip(node.annotation)
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            skip(node)
        if isinstance(node, ast.JoinedStr):  # the literal parts of an f-string are mutated, not its format specs
            for value in node.values:
                if isinstance(value, ast.FormattedValue):
                    skip(value.format_spec)
    return skipped


def _mutations(node: ast.AST) -> list[tuple[str, object]]:
    """(description, how to apply) for each mutation of ``node``; applying is done by ``_apply``."""
    found: list[tuple[str, object]] = []
    if isinstance(node, ast.Compare):
        for position, op in enumerate(node.ops):
            swap = COMPARE_SWAPS.get(type(op))
            if swap:
                found.append((f"{SYMBOLS[type(op)]} → {SYMBOLS[swap]}", ("compare", position, swap)))
    elif isinstance(node, ast.BinOp) and type(node.op) in BINOP_SWAPS:
        swap = BINOP_SWAPS[type(node.op)]
        found.append((f"{SYMBOLS[type(node.op)]} → {SYMBOLS[swap]}", ("binop", swap)))
    elif isinstance(node, ast.BoolOp):
        swap = ast.Or if isinstance(node.op, ast.And) else ast.And
        found.append((f"{SYMBOLS[type(node.op)]} → {SYMBOLS[swap]}", ("boolop", swap)))
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        found.append(("not retiré", ("unary",)))
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        found.append(("moins unaire retiré", ("unary",)))
    elif isinstance(node, ast.Return) and node.value is not None \
            and not (isinstance(node.value, ast.Constant) and node.value.value is None):
        found.append(("return … → return None", ("return",)))
    elif isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool):
            found.append((f"{value} → {not value}", ("constant", not value)))
        elif isinstance(value, (int, float)):
            new = 1 if value == 0 else 0 if value == 1 else value + 1
            found.append((f"{value!r} → {new!r}", ("constant", type(value)(new))))
        elif isinstance(value, str) and value != "XX":
            found.append((f"{_short(value)} → 'XX'", ("constant", "XX")))
    return found


def _short(text: str) -> str:
    return repr(text if len(text) <= 30 else text[:27] + "…")


def _apply(node: ast.AST, how: tuple) -> ast.AST | None:
    """Mutate ``node`` in place; return a replacement node when the node itself must be replaced."""
    kind = how[0]
    if kind == "compare":
        node.ops[how[1]] = how[2]()
    elif kind in ("binop", "boolop"):
        node.op = how[1]()
    elif kind == "unary":
        return node.operand
    elif kind == "return":
        node.value = ast.Constant(None)
    elif kind == "constant":
        node.value = how[1]
    return None


def list_mutants(tree: ast.Module, functions: set[str] | None = None) -> list[tuple[Mutant, object]]:
    """Every mutant of the module, or only those inside the named top-level functions or classes."""
    skipped = _skipped_nodes(tree)
    inside: set[int] | None = None
    if functions:
        inside = {id(sub) for statement in tree.body if getattr(statement, "name", None) in functions
                  for sub in ast.walk(statement)}
    mutants = []
    for index, node in enumerate(ast.walk(tree)):
        if id(node) in skipped or (inside is not None and id(node) not in inside):
            continue
        for description, how in _mutations(node):
            mutants.append((Mutant(index, getattr(node, "lineno", 0), description), how))
    return mutants


def mutated_tree(tree: ast.Module, mutant: Mutant, how) -> ast.Module:
    tree = copy.deepcopy(tree)
    nodes = list(ast.walk(tree))
    target = nodes[mutant.index]
    replacement = _apply(target, how)
    if replacement is not None:
        for parent in nodes:
            for field, value in ast.iter_fields(parent):
                if value is target:
                    setattr(parent, field, replacement)
                elif isinstance(value, list):
                    for position, item in enumerate(value):
                        if item is target:
                            value[position] = replacement
    return ast.fix_missing_locations(tree)


def install(module: types.ModuleType, code: types.CodeType) -> None:
    """Run the mutated module's code and move its functions' code, defaults and values into ``module``,
    so every reference already taken (``from … import f``, a class caught elsewhere) sees the mutant."""
    fresh: dict = {"__name__": module.__name__, "__file__": module.__file__, "__package__": module.__package__}
    exec(code, fresh)  # noqa: S102 - the module's own source, mutated
    for name, new in fresh.items():
        old = module.__dict__.get(name)
        if isinstance(new, types.FunctionType) and isinstance(old, types.FunctionType):
            _move_function(old, new)
        elif isinstance(new, type) and isinstance(old, type) and new.__module__ == module.__name__:
            for attribute, member in vars(new).items():
                current = vars(old).get(attribute)
                if isinstance(member, types.FunctionType) and isinstance(current, types.FunctionType):
                    _move_function(current, member)
                elif not attribute.startswith("__") and not isinstance(member, types.FunctionType):
                    setattr(old, attribute, member)
        elif not isinstance(new, (types.ModuleType, type, types.FunctionType)) and not name.startswith("__"):
            module.__dict__[name] = new


def _move_function(old: types.FunctionType, new: types.FunctionType) -> None:
    if old.__code__.co_freevars == new.__code__.co_freevars:
        old.__code__ = new.__code__
    old.__defaults__ = new.__defaults__
    old.__kwdefaults__ = new.__kwdefaults__


def _run_child(module_name: str, code: types.CodeType | None, tests: list[str]) -> int:
    """In the forked child: put the mutant in place, run the tests, return pytest's status."""
    import pytest

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    if code is not None:
        try:
            install(sys.modules[module_name], code)
        except Exception:  # a mutant that cannot even be loaded is detected
            return 1
    return int(pytest.main([*tests, "-x", "-q", "-p", "no:cacheprovider", "-p", "no:randomly"]))


def _start(module_name: str, code, tests: list[str]) -> int:
    pid = os.fork()
    if pid == 0:
        status = 3
        try:
            status = _run_child(module_name, code, tests)
        finally:
            os._exit(status)
    return pid


def _prepare(module_name: str, tests: list[str]) -> None:
    """Import once, in the parent, what every child needs: pytest, its plugins, Django, the module, and what
    the test files import (scipy…); the test modules themselves are then forgotten, so that each child
    imports them afresh (their module-level values, such as a loaded questionnaire, are never shared)."""
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bilan.settings")
    import pytest  # noqa: F401

    for entry_point in importlib.metadata.entry_points(group="pytest11"):
        with contextlib.suppress(Exception):  # a plugin that cannot load here is left to pytest
            entry_point.load()
    import django

    django.setup()
    importlib.import_module("tests.conftest")
    importlib.import_module(module_name)
    for test in tests:
        path = Path(test).with_suffix("")
        for depth in range(1, len(path.parts)):  # the conftest.py files pytest loads on the way
            if (ROOT / Path(*path.parts[:depth]) / "conftest.py").exists():
                importlib.import_module(".".join([*path.parts[:depth], "conftest"]))
        before = set(sys.modules)
        importlib.import_module(".".join(path.parts))
        for name in set(sys.modules) - before:
            if name.startswith("tests.") and not name.endswith("conftest"):
                del sys.modules[name]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Mutation testing of one module against its own tests.")
    parser.add_argument("module", help="the module's file, e.g. bilan/analysis/stats.py")
    parser.add_argument("tests", nargs="+", help="its test files (globs accepted)")
    parser.add_argument("--sample", type=int, help="run only N mutants drawn at random")
    parser.add_argument("--seed", type=int, default=0, help="seed of the draw (default 0)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="mutants run at once")
    parser.add_argument("--functions", help="mutate only these top-level functions or classes (comma-separated)")
    parser.add_argument("--fail-under", type=float, help="exit with status 1 when the score (%%) is lower")
    parser.add_argument("--timeout", type=float, help="seconds per mutant (default: 5 × the clean run + 10)")
    options = parser.parse_args(argv)

    module_path = Path(options.module)
    relative = (ROOT / module_path).resolve().relative_to(ROOT)
    module_name = ".".join(relative.with_suffix("").parts)
    # In the order given (the quick files first: pytest stops at the first failure), each file once.
    tests = list(dict.fromkeys(path for pattern in options.tests
                               for path in (sorted(glob.glob(pattern, root_dir=ROOT)) or [pattern])))
    source = (ROOT / relative).read_text(encoding="utf-8")
    source_lines = source.splitlines()
    tree = ast.parse(source, filename=str(relative))
    mutants = list_mutants(tree, set(options.functions.split(",")) if options.functions else None)
    total_found = len(mutants)
    if options.sample and options.sample < len(mutants):
        mutants = sorted(random.Random(options.seed).sample(mutants, options.sample), key=lambda m: m[0].index)

    _prepare(module_name, tests)
    started = time.monotonic()
    _, status = os.waitpid(_start(module_name, None, tests), 0)
    clean_seconds = time.monotonic() - started
    if os.waitstatus_to_exitcode(status) != 0:
        print(f"Les tests échouent sans mutant ({' '.join(tests)}) : rien à mesurer.", file=sys.stderr)
        return 2
    timeout = options.timeout or 5 * clean_seconds + 10
    print(f"{relative} : {total_found} mutants, {len(mutants)} lancés ; tests : {' '.join(tests)} "
          f"({clean_seconds:.1f} s sans mutant, délai {timeout:.0f} s)", flush=True)

    results: dict[int, str] = {}
    pending = list(enumerate(mutants))
    running: dict[int, tuple[int, float]] = {}  # pid → (position, start)
    while pending or running:
        while pending and len(running) < options.jobs:
            position, (mutant, how) = pending.pop(0)
            code = compile(mutated_tree(tree, mutant, how), str(ROOT / relative), "exec", dont_inherit=True)
            running[_start(module_name, code, tests)] = (position, time.monotonic())
        pid, status = os.waitpid(-1, os.WNOHANG)
        if pid == 0:
            for late_pid, (position, start) in list(running.items()):
                if time.monotonic() - start > timeout:
                    os.kill(late_pid, signal.SIGKILL)
                    os.waitpid(late_pid, 0)
                    del running[late_pid]
                    results[position] = "timeout"
            time.sleep(0.02)
            continue
        position, _ = running.pop(pid)
        code = os.waitstatus_to_exitcode(status)
        # pytest: 1 a test failed, 2 collection stopped by an error (the mutant broke an import).
        results[position] = "survived" if code == 0 else "killed" if code in (1, 2) else f"error {code}"

    counts = {"killed": 0, "survived": 0, "timeout": 0, "equivalent": 0, "error": 0}
    survivors, equivalents = [], []
    for position, (mutant, _) in sorted(enumerate(mutants), key=lambda item: (item[1][0].line, item[0])):
        outcome = results[position]
        line = source_lines[mutant.line - 1].strip() if mutant.line else ""
        reason = EQUIVALENT.get((str(relative), line, mutant.description))
        if outcome == "survived" and reason:
            counts["equivalent"] += 1
            equivalents.append(f"  ligne {mutant.line} : {mutant.description} ({reason})")
        elif outcome == "survived":
            counts["survived"] += 1
            survivors.append(f"  ligne {mutant.line} : {mutant.description}    {line}")
        elif outcome.startswith("error"):
            counts["error"] += 1
            survivors.append(f"  ligne {mutant.line} : {mutant.description} — {outcome} (pytest n'a pas pu tourner)")
        else:
            counts[outcome] += 1
    judged = len(mutants) - counts["equivalent"]
    detected = counts["killed"] + counts["timeout"]
    score = 100.0 * detected / judged if judged else 100.0
    print(f"tués : {counts['killed']}, délai dépassé : {counts['timeout']}, survivants : {counts['survived']}, "
          f"équivalents connus : {counts['equivalent']}, erreurs : {counts['error']}")
    print(f"score : {detected}/{judged} = {score:.1f} % ({time.monotonic() - started:.0f} s)")
    if survivors:
        print("Survivants :")
        print("\n".join(survivors))
    if equivalents:
        print("Équivalents connus :")
        print("\n".join(equivalents))
    if options.fail_under is not None and score < options.fail_under:
        print(f"score inférieur à {options.fail_under:g} %")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
