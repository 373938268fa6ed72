"""Who may import whom: the layering rules of the README, read from the source.

Every import statement counts, those inside functions too (the command line
imports lazily), so a rule cannot be broken by hiding an import in a function.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# (package whose modules are checked, prefixes they must not import)
RULES = [
    ("bot/news", ("bot.telegram", "bot.delivery", "bot.sources", "bot.standin")),
    ("bot/sources", ("bot.telegram", "bot.delivery", "bot.standin")),
    ("bot/delivery", ("bot.telegram", "bot.standin")),
    ("bot/search", ("bot.telegram", "bot.delivery", "bot.sources", "bot.standin")),
    ("bot/telegram", ("bot.standin",)),
    ("storage", ("bot",)),
]
# Only these modules of the bot itself may import the stand-ins (tests and benchmarks may too).
STANDIN_USERS = {"bot/__main__.py"}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(path, node.module, node.level)
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def _absolute(path: Path, module: str | None, level: int) -> str:
    """`from .guards import x` in bot/telegram/handlers/keywords.py reads as an import of
    `bot.telegram.handlers.guards`: a relative import must not slip past the rules."""
    if level == 0:
        return module or ""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    package = parts[:-1]  # a module's package; an __init__'s too, as its name is dropped
    base = package[: len(package) - (level - 1)]
    return ".".join([*base, *([module] if module else [])])


def _breaks(name: str, forbidden: tuple[str, ...]) -> bool:
    return any(name == f or name.startswith(f + ".") for f in forbidden)


@pytest.mark.parametrize(("package", "forbidden"), RULES, ids=[r[0] for r in RULES])
def test_package_imports_only_what_its_layer_may(package: str, forbidden: tuple[str, ...]) -> None:
    broken = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in sorted((ROOT / package).rglob("*.py"))
        for name in sorted(_imports(path))
        if _breaks(name, forbidden)
    ]
    assert not broken, broken


def test_only_the_command_line_imports_the_standins() -> None:
    users = {
        str(path.relative_to(ROOT))
        for path in (ROOT / "bot").rglob("*.py")
        if "standin" not in path.parts and any(_breaks(n, ("bot.standin",)) for n in _imports(path))
    }
    assert users <= STANDIN_USERS, users - STANDIN_USERS


HANDLERS = ROOT / "bot" / "telegram" / "handlers"
GUARDS = "bot.telegram.handlers.guards"


def _handler_modules() -> dict[str, Path]:
    """The handler families (and `basics`), by module name: every module of the package
    but its `__init__` (which wires them) and `guards` (which they share)."""
    return {
        f"bot.telegram.handlers.{path.stem}": path
        for path in sorted(HANDLERS.glob("*.py"))
        if path.stem not in ("__init__", "guards")
    }


@pytest.mark.parametrize("module", sorted(_handler_modules()))
def test_handler_families_share_the_guards_and_not_each_other(module: str) -> None:
    """A family stands alone on the guards: a check fixed there is fixed for every family,
    and one family can be read, moved or deleted without another."""
    imported = _imports(_handler_modules()[module])
    assert GUARDS in imported, f"{module} does not use {GUARDS}"
    others = [
        n
        for n in sorted(imported)
        if _breaks(n, tuple(m for m in _handler_modules() if m != module))
        or n == "bot.telegram.handlers"
    ]
    assert not others, f"{module} imports {others}"


def test_the_guards_import_no_family() -> None:
    imported = _imports(HANDLERS / "guards.py")
    assert not [n for n in imported if _breaks(n, tuple(_handler_modules()))], imported


def test_every_handler_family_is_registered() -> None:
    """A family module left out of `FAMILIES` would never answer its commands."""
    from bot.telegram import handlers
    from bot.telegram.handlers import basics

    registered = {family.__name__ for family in handlers.FAMILIES}
    assert registered | {basics.__name__} == set(_handler_modules())


def test_the_rules_see_real_imports() -> None:
    """The checker itself: a module known to import across layers is seen doing so."""
    app = _imports(ROOT / "bot" / "telegram" / "app.py")
    assert any(n.startswith("bot.delivery") for n in app)
    assert any(n.startswith("bot.standin") for n in _imports(ROOT / "bot" / "__main__.py"))
    assert GUARDS in _imports(HANDLERS / "keywords.py")


def test_relative_imports_are_read_as_absolute() -> None:
    keywords = HANDLERS / "keywords.py"
    assert _absolute(keywords, "guards", 1) == GUARDS
    assert _absolute(keywords, None, 2) == "bot.telegram"
    assert _absolute(HANDLERS / "__init__.py", "basics", 1) == "bot.telegram.handlers.basics"
