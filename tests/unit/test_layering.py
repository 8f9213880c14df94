"""The layers hold: the core never imports Streamlit, pages never touch the store."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_layering_core_never_imports_streamlit() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "vilco_core").rglob("*.py")
        if any(name.split(".")[0] == "streamlit" for name in _imports(path))
    ]
    assert offenders == []


def test_layering_import_vilco_core_pulls_in_no_streamlit() -> None:
    code = (
        "import sys, pkgutil, importlib, vilco_core\n"
        "for m in pkgutil.walk_packages(vilco_core.__path__, 'vilco_core.'):\n"
        "    if '.migrations' not in m.name and m.name != 'vilco_core.__main__':\n"
        "        importlib.import_module(m.name)\n"
        "import vilco_core.__main__\n"
        "assert 'streamlit' not in sys.modules, 'streamlit imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_layering_pages_never_import_the_store() -> None:
    forbidden = ("vilco_core.store", "sqlalchemy")
    offenders = [
        str(path.relative_to(ROOT))
        for path in [ROOT / "app.py", *(ROOT / "pages").glob("*.py")]
        if any(name.startswith(forbidden) for name in _imports(path))
    ]
    assert offenders == []


def test_layering_every_page_calls_the_guard_first() -> None:
    for path in (ROOT / "pages").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        first_call = next(
            node
            for node in ast.parse(text).body
            if isinstance(node, ast.Expr | ast.Assign) and isinstance(node.value, ast.Call)
        )
        assert "setup(" in ast.unparse(first_call), (
            f"{path.name} must call vilco_ui.page.setup first"
        )


CORE = ROOT / "vilco_core"
MAX_LINES = 450
# Allowed over MAX_LINES: the two Equal Shares engines (one published algorithm each), the
# migrations (the string catalogue is .po files, not Python).
LONG_ALLOWED = {"vilco_core/rules/equal_shares.py", "vilco_core/rules/equal_shares_exact.py"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _core_modules() -> dict[str, Path]:
    return {
        _module_name(path): path
        for path in CORE.rglob("*.py")
        if "migrations" not in path.relative_to(CORE).parts
    }


def _core_imports(path: Path, name: str, modules: dict[str, Path]) -> set[str]:
    """The vilco_core modules `path` imports (anywhere in it, functions included)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the package, `level - 1` packages up
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            found |= {
                f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names
            }
    return {m for m in found if m in modules and m != name}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of `graph` (a list of modules ending where it starts), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_layering_import_graph_finds_a_planted_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycle(graph) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_layering_no_import_cycles_in_vilco_core() -> None:
    modules = _core_modules()
    graph = {name: _core_imports(path, name, modules) for name, path in modules.items()}
    assert graph["vilco_core.services.voting"] >= {"vilco_core.services.access"}  # resolved
    cycle = _cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_layering_no_core_module_over_450_lines() -> None:
    too_long = {
        str(path.relative_to(ROOT)): n
        for path in CORE.rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
        and "migrations" not in path.relative_to(CORE).parts
    }
    assert set(too_long) - LONG_ALLOWED == set(), too_long


WRITES_AUDIT = re.compile(r"audit\.append\(|(?<!class )AuditRepository\(")


def test_layering_audit_appends_only_in_services_audit() -> None:
    """Every entry of the log (staff actions, resident and panel ballots, tallies) is appended
    by a use case of `services.audit`, in the caller's transaction; no repository appends."""
    writers = {
        str(path.relative_to(ROOT))
        for path in CORE.rglob("*.py")
        if re.search(
            r"audit\.append\(|(?<!class )AuditRepository\(", path.read_text(encoding="utf-8")
        )
    }
    # services.audit appends; the unit of work only attaches the repository
    assert writers == {"vilco_core/services/audit.py", "vilco_core/store/uow.py"}


# The package map of DEVELOPERS.md, enforced: what each layer may not import.
PACKAGE_RULES: dict[str, tuple[str, ...]] = {
    "vilco_core/rules": (
        "vilco_core.services",
        "vilco_core.store",
        "vilco_core.i18n",
        "sqlalchemy",
    ),
    "vilco_core/sortition": ("vilco_core.services", "vilco_core.store", "sqlalchemy"),
    "vilco_core/services": ("vilco_core.store", "vilco_core.commands", "sqlalchemy"),
    "vilco_core/i18n": ("vilco_core.services", "vilco_core.store", "sqlalchemy"),
    "vilco_ui": ("vilco_core.commands",),
    "pages": ("vilco_core.store", "vilco_core.commands", "sqlalchemy"),
}


def test_layering_each_package_keeps_to_its_imports() -> None:
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for folder, forbidden in PACKAGE_RULES.items()
        for path in (ROOT / folder).rglob("*.py")
        for name in _imports(path)
        if name.startswith(forbidden)
    ]
    assert offenders == []


def test_layering_the_store_is_reached_only_through_the_unit_of_work() -> None:
    """In the core, only the CLI's commands name the store (to open the database); use cases
    and the domain see `vilco_core.unit_of_work.UnitOfWork` only."""
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "vilco_core").rglob("*.py")
        if not {"store", "commands"} & set(path.relative_to(ROOT / "vilco_core").parts)
        and any(name.startswith("vilco_core.store") for name in _imports(path))
    ]
    assert offenders == []
