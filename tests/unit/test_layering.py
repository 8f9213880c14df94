"""The layers hold: the core never imports Streamlit, pages never touch the store."""

from __future__ import annotations

import ast
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
