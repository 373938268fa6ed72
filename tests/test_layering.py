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
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


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


def test_the_rules_see_real_imports() -> None:
    """The checker itself: a module known to import across layers is seen doing so."""
    app = _imports(ROOT / "bot" / "telegram" / "app.py")
    assert any(n.startswith("bot.delivery") for n in app)
    assert any(n.startswith("bot.standin") for n in _imports(ROOT / "bot" / "__main__.py"))
