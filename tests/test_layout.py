"""The package's house: lanes as subpackages, and a lower lane never imports a higher one.

docs/ARCHITECTURE.md draws the lanes. Every `import leaderkit.X` / `from leaderkit.X import` in the package
(top level or inside a function, TYPE_CHECKING blocks included) is read with `ast` and checked against the
order below.
"""

import ast
import importlib
import pkgutil
import types
from pathlib import Path

import pytest

import leaderkit

PACKAGE = Path(leaderkit.__file__).parent

# low → high; a module may import its own lane and any lane before it
LANES = ["_kit", "limits", "standards", "registers", "schemes", "methods", "ranking", "agencies", "synth", "app",
         "cli"]
RANK = {lane: i for i, lane in enumerate(LANES)}


def _lane(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "leaderkit" else None


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "leaderkit":
                found += [(node.lineno, f"leaderkit.{a.name}") for a in node.names if a.name in RANK]
            else:
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.ImportFrom) and node.level:
            found.append((node.lineno, "relative"))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
    return [(line, m) for line, m in found if m == "relative" or m.startswith("leaderkit")]


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p.parent != PACKAGE)


def test_every_module_lives_in_a_lane():
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert top == ["__init__.py"], f"modules outside a lane: {top}"
    lanes = sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists())
    assert lanes == sorted(LANES)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_lane_imports_a_higher_lane(path):
    own = path.relative_to(PACKAGE).parts[0]
    wrong = []
    for line, module in _imports(path):
        assert module != "relative", f"{path.name}:{line}: use absolute imports (leaderkit.<lane>.<module>)"
        lane = _lane(module)
        if lane is not None and RANK[lane] > RANK[own]:
            wrong.append(f"line {line}: {module} ({lane} is above {own})")
    assert not wrong, "\n".join(wrong)


def test_the_checker_sees_a_violation(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from leaderkit.app.views import load_data\n", encoding="utf-8")
    assert _imports(bad) == [(2, "leaderkit.app.views")]
    assert RANK[_lane("leaderkit.app.views")] > RANK["ranking"]


def test_every_export_resolves_even_after_every_submodule_is_imported():
    """A submodule named like an export would shadow it once imported (`lk.validate` → a module)."""
    for info in pkgutil.walk_packages(leaderkit.__path__, "leaderkit."):
        if not info.name.endswith("__main__"):
            importlib.import_module(info.name)
    for name in leaderkit._EXPORTS:
        assert not isinstance(getattr(leaderkit, name), types.ModuleType), name
