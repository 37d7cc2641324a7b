"""The suite stays green for the right reasons: no test bets on how fast the machine is.

CI runs on a shared, noisy machine. A test that sleeps "long enough" for something to start,
waits a fixed time to see that nothing happened, or asserts that something took less than N
seconds fails there for no reason, and a red run stops everything. This guard reads the test
sources (with ``ast``, so comments and strings never count) and fails on:

* ``time.sleep``/``asyncio.sleep`` with a literal (or a module constant) in tests/e2e and
  tests/local_api. Wait for the event instead (``next_message``, ``settled``, ``watched``,
  ``api.wait_for_long_poll``...). A rare justified sleep carries ``# allow-sleep: <reason>``
  on its line.
* ``expect_silence`` in tests/e2e: use ``await quiet(api, bot, person)``, which first waits for
  the bot to have handled every update.
* anywhere in tests/, an upper bound on a value derived from ``perf_counter()``,
  ``monotonic()`` or ``time()`` (``elapsed < 1.5``, ``2 > elapsed``). Floors (``elapsed >=
  0.9``: it did wait) cannot be broken by a slow machine and are allowed; comparing with a
  deadline variable (a timeout loop) is not a bound and is allowed. Speed is measured in
  bench/.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
NO_SLEEP_DIRS = ("e2e", "local_api")
NO_EXPECT_SILENCE_DIRS = ("e2e",)
CLOCKS = frozenset(
    {"perf_counter", "perf_counter_ns", "monotonic", "monotonic_ns", "time", "time_ns"}
)
SLEEP_MODULES = frozenset({"time", "asyncio"})
ALLOW_SLEEP = re.compile(r"#\s*allow-sleep:\s*\S")
UPPER_BOUND = {ast.Lt: "left", ast.LtE: "left", ast.Gt: "right", ast.GtE: "right"}

Scope = ast.Module | ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    problem: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.problem}"


def module_numbers(tree: ast.Module) -> set[str]:
    """Module-level names bound to a number (``POLL = 0.1``): as literal as a literal."""
    names: set[str] = set()
    for statement in tree.body:
        if isinstance(statement, ast.Assign):
            targets, value = statement.targets, statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            targets, value = [statement.target], statement.value
        else:
            continue
        if is_number(value, set()):
            names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


def is_number(node: ast.expr, constants: set[str]) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, int | float) and not isinstance(node.value, bool)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        return is_number(node.operand, constants)
    if isinstance(node, ast.BinOp):
        return is_number(node.left, constants) and is_number(node.right, constants)
    return isinstance(node, ast.Name) and node.id in constants


def is_clock_call(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
    return name in CLOCKS


def own_nodes(scope: Scope) -> Iterator[ast.AST]:
    """The nodes of a module or function, without those of the functions defined inside."""
    stack: list[ast.AST] = list(ast.iter_child_nodes(scope))
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            stack.extend(ast.iter_child_nodes(node))


def clock_derived(scope: Scope, inherited: frozenset[str]) -> frozenset[str]:
    """Names in this scope whose value comes from a clock, directly or through other names."""
    assignments: list[tuple[list[ast.expr], ast.expr]] = []
    for node in own_nodes(scope):
        if isinstance(node, ast.Assign):
            assignments.append((node.targets, node.value))
        elif (
            isinstance(node, ast.AnnAssign | ast.AugAssign | ast.NamedExpr)
            and node.value is not None
        ):
            assignments.append(([node.target], node.value))
    derived = set(inherited)
    changed = True
    while changed:
        changed = False
        for targets, value in assignments:
            if not reads_clock(value, derived):
                continue
            for target in targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name) and name.id not in derived:
                        derived.add(name.id)
                        changed = True
    return frozenset(derived)


def reads_clock(node: ast.AST, derived: set[str] | frozenset[str]) -> bool:
    return any(
        is_clock_call(sub) or (isinstance(sub, ast.Name) and sub.id in derived)
        for sub in ast.walk(node)
    )


def upper_bounds_on_time(
    scope: Scope, inherited: frozenset[str], constants: set[str]
) -> Iterator[tuple[int, str]]:
    derived = clock_derived(scope, inherited)
    for node in own_nodes(scope):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            for index, op in enumerate(node.ops):
                side = UPPER_BOUND.get(type(op))
                if side is None:
                    continue
                timed, bound = operands[index], operands[index + 1]
                if side == "right":
                    timed, bound = bound, timed
                if is_number(bound, constants) and reads_clock(timed, derived):
                    yield (
                        node.lineno,
                        (
                            f"upper bound on elapsed time ({ast.unparse(node)}): assert the "
                            "behaviour itself; speed belongs in bench/"
                        ),
                    )
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield from upper_bounds_on_time(node, derived, constants)


def sleep_names(tree: ast.Module) -> set[str]:
    """Local names of ``sleep`` imported from time/asyncio (``from asyncio import sleep``)."""
    return {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module in SLEEP_MODULES
        for alias in node.names
        if alias.name == "sleep"
    }


def is_sleep(call: ast.Call, bare_sleeps: set[str]) -> bool:
    func = call.func
    if isinstance(func, ast.Attribute):
        return (
            func.attr == "sleep"
            and isinstance(func.value, ast.Name)
            and func.value.id in SLEEP_MODULES
        )
    return isinstance(func, ast.Name) and func.id in bare_sleeps


def sleep_argument(call: ast.Call) -> ast.expr | None:
    if call.args:
        return call.args[0]
    return next((kw.value for kw in call.keywords if kw.arg in ("delay", "secs", "seconds")), None)


def inspect(source: str, path: str, *, no_sleep: bool, no_expect_silence: bool) -> list[Finding]:
    """Everything in one test module that depends on the machine's speed."""
    tree = ast.parse(source, filename=path)
    lines = source.splitlines()
    constants = module_numbers(tree)
    found: set[Finding] = set()
    for line, problem in upper_bounds_on_time(tree, frozenset(), constants):
        found.add(Finding(path, line, problem))
    bare_sleeps = sleep_names(tree)
    for node in ast.walk(tree):
        if no_sleep and isinstance(node, ast.Call) and is_sleep(node, bare_sleeps):
            argument = sleep_argument(node)
            span = lines[node.lineno - 1 : (node.end_lineno or node.lineno)]
            allowed = any(ALLOW_SLEEP.search(text) for text in span)
            if argument is not None and is_number(argument, constants) and not allowed:
                found.add(
                    Finding(
                        path,
                        node.lineno,
                        f"sleep to order events ({ast.unparse(node)}): wait for the event "
                        "itself, or mark a justified case with '# allow-sleep: <reason>'",
                    )
                )
        if (
            no_expect_silence
            and isinstance(node, ast.Attribute | ast.Name)
            and (node.attr if isinstance(node, ast.Attribute) else node.id) == "expect_silence"
        ):
            found.add(
                Finding(
                    path,
                    node.lineno,
                    "expect_silence bets on time: use 'await quiet(api, bot, person)', which "
                    "waits until the bot handled every update",
                )
            )
    return sorted(found)


def inspect_file(path: Path) -> list[Finding]:
    relative = path.relative_to(TESTS)
    top = relative.parts[0] if len(relative.parts) > 1 else ""
    return inspect(
        path.read_text(encoding="utf-8"),
        f"tests/{relative.as_posix()}",
        no_sleep=top in NO_SLEEP_DIRS,
        no_expect_silence=top in NO_EXPECT_SILENCE_DIRS,
    )


def test_no_test_depends_on_the_speed_of_the_machine() -> None:
    sources = sorted(TESTS.rglob("*.py"))
    assert any(path.parent.name == "e2e" for path in sources)  # the scan does see the suite
    findings = [finding for path in sources for finding in inspect_file(path)]
    assert not findings, "timing-dependent tests:\n" + "\n".join(map(str, findings))


# ---------------------------------------------------------------------- the guard itself


def check(source: str, *, no_sleep: bool = True, no_expect_silence: bool = True) -> list[int]:
    """The lines the guard reports in a snippet."""
    findings = inspect(source, "snippet.py", no_sleep=no_sleep, no_expect_silence=no_expect_silence)
    return [finding.line for finding in findings]


BAD = """
import asyncio
import time
from asyncio import sleep as nap
from time import perf_counter

PAUSE = 0.1
LIMIT = 1.5


async def test_timing(ann, api, bot):
    await asyncio.sleep(0.05)
    time.sleep(PAUSE)
    await nap(delay=1)
    start = time.perf_counter()
    await ann.expect_silence(0.2)
    elapsed = time.perf_counter() - start
    assert elapsed < 1.5
    assert 0.9 < perf_counter() - start <= 2
    took = elapsed * 1000
    assert LIMIT * 1000 > took
    assert asyncio.get_running_loop().time() - start < 3

    def inner():
        assert time.monotonic() - start <= 0.5
"""


def test_the_guard_reports_each_kind_of_bet_on_time() -> None:
    assert check(BAD) == [12, 13, 14, 16, 18, 19, 21, 22, 25]


def test_the_guard_allows_floors_deadlines_events_and_justified_sleeps() -> None:
    good = """
import asyncio
import time


async def test_events(ann, api, bot, delay):
    start = time.perf_counter()
    await asyncio.sleep(delay)  # not a literal: a computed back-off, say
    await asyncio.sleep(0.01)  # allow-sleep: the server must see two separate packets
    deadline = asyncio.get_running_loop().time() + 30
    while asyncio.get_running_loop().time() < deadline:
        break
    assert time.perf_counter() - start >= 0.9
    assert 0.9 <= time.perf_counter() - start
    assert len(ann.messages) < 25
    await quiet(api, bot, ann)  # "expect_silence" in a comment or a string is fine
"""
    assert check(good) == []


def test_the_guard_scopes_sleep_and_expect_silence_to_e2e_and_local_api() -> None:
    snippet = "async def test_x(ann):\n    await asyncio.sleep(1)\n    await ann.expect_silence()\n"
    assert check(snippet) == [2, 3]
    assert check(snippet, no_sleep=False) == [3]
    assert check(snippet, no_sleep=False, no_expect_silence=False) == []


def test_the_guard_fails_the_suite_on_an_injected_example(tmp_path: Path) -> None:
    e2e = tmp_path / "e2e"
    e2e.mkdir()
    injected = e2e / "test_injected.py"
    injected.write_text(BAD, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(globals(), "TESTS", tmp_path)
        with pytest.raises(AssertionError, match=r"tests/e2e/test_injected\.py:12: sleep"):
            test_no_test_depends_on_the_speed_of_the_machine()
