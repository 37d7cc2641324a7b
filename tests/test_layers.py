"""The layers point down only: handlers/ -> bot/services/ -> bot/models.py, and scheduler/ ->
bot/services/. Only bot/app.py (the application factory) wires handlers in.

Every module is parsed (never imported), and every import counts, also one made only for
type checking or inside a function."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "handlers", "scheduler", "locales", "bench")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(source: str, module: str, *, is_package: bool = False) -> set[str]:
    """Every module `source` imports: for `from a.b import c`, both `a.b` and `a.b.c` (c may
    be a module). Relative imports are resolved against `module`."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.split(".")
                if not is_package:
                    package.pop()
                anchor = package[: len(package) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def attributes_of(source: str) -> set[str]:
    return {node.attr for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Attribute)}


def sources() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            found[module_name(path)] = path
    return found


def under(name: str, *prefixes: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def violations(rules: dict[str, tuple[str, ...]]) -> list[str]:
    """(importer prefix -> forbidden prefixes) -> "importer imports forbidden" lines."""
    found = []
    for name, path in sources().items():
        imported = imports_of(path.read_text(), name, is_package=path.name == "__init__.py")
        for importer, forbidden in rules.items():
            if not under(name, importer):
                continue
            found += [f"{name} imports {i}" for i in sorted(imported) if under(i, *forbidden)]
    return found


def test_the_sources_are_found() -> None:
    names = sources()
    assert {"bot.app", "bot.models", "handlers.actions", "scheduler.tick"} <= set(names)
    assert "bot.services.checkins" in names


def test_handlers_see_neither_the_database_nor_its_rows() -> None:
    """Handlers hold a unit of work and people/views from services, never a session or an
    ORM row."""
    found = violations({"handlers": ("sqlalchemy", "bot.models")})
    assert not found, "\n".join(found)


def test_handlers_leave_transactions_to_services() -> None:
    """Handlers open a unit of work (`bot.services.work.begin`) and hand it on unopened: they
    neither start a database transaction nor look into a `Work` (its `.session`)."""
    found = [
        f"{name} uses .{attr}"
        for name, path in sources().items()
        if under(name, "handlers")
        for attr in sorted(attributes_of(path.read_text()) & {"session", "transaction"})
    ]
    assert not found, "\n".join(found)


def test_services_know_nothing_of_telegram_handlers_or_the_scheduler() -> None:
    found = violations({"bot.services": ("handlers", "scheduler")})
    assert not found, "\n".join(found)


def test_the_scheduler_does_not_reach_up_into_handlers() -> None:
    found = violations({"scheduler": ("handlers",)})
    assert not found, "\n".join(found)


def test_models_do_not_depend_on_services() -> None:
    found = violations({"bot.models": ("bot.services", "handlers", "scheduler")})
    assert not found, "\n".join(found)


def test_only_the_application_factory_wires_handlers_in() -> None:
    outside = [p for p in PACKAGES if p != "handlers"]
    found = [
        v for v in violations({p: ("handlers",) for p in outside}) if v.split()[0] != "bot.app"
    ]
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    ("source", "module", "expected"),
    [
        ("import sqlalchemy", "handlers.x", "sqlalchemy"),
        ("from sqlalchemy.ext.asyncio import AsyncSession", "handlers.x", "sqlalchemy.ext.asyncio"),
        ("from bot import models", "handlers.x", "bot.models"),
        ("from bot.models import User", "handlers.x", "bot.models"),
        ("from ..models import User", "bot.services.x", "bot.models"),
        ("from . import checkin", "handlers.x", "handlers.checkin"),
        ("from . import checkin", "handlers", "handlers.checkin"),
        ("def f():\n    import handlers.common", "scheduler.x", "handlers.common"),
        ("if TYPE_CHECKING:\n    from bot.models import User", "handlers.x", "bot.models"),
    ],
)
def test_every_kind_of_import_is_seen(source: str, module: str, expected: str) -> None:
    is_package = module == "handlers"
    assert expected in imports_of(source, module, is_package=is_package)
