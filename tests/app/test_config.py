"""Outside demo mode the app refuses to serve with the demo cookie key or without a key."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from vilco_ui.config import DEMO_COOKIE_KEY


@pytest.mark.parametrize("key", [None, DEMO_COOKIE_KEY, "too-short"])
@pytest.mark.parametrize("page", ["app.py", "pages/home.py", "pages/login.py"])
def test_config_refuses_to_start_without_a_real_cookie_key(
    open_page: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch, key: str | None, page: str
) -> None:
    monkeypatch.delenv("VILCO_DEMO")
    if key is None:
        monkeypatch.delenv("VILCO_COOKIE_KEY", raising=False)
    else:
        monkeypatch.setenv("VILCO_COOKIE_KEY", key)
    at = open_page(page)
    assert not at.exception
    assert next(e.value for e in at.error).startswith("vilco n'est pas configuré")
    assert not at.title


def test_config_serves_with_a_real_cookie_key(
    open_page: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VILCO_DEMO")
    monkeypatch.setenv("VILCO_COOKIE_KEY", "k" * 40)
    at = open_page("app.py")
    assert not at.exception and not at.error
    assert at.title[0].value.startswith("vilco")


def test_config_repository_holds_no_secrets_outside_demo_fixtures() -> None:
    import re
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    files = subprocess.run(
        ["git", "ls-files"], cwd=root, capture_output=True, text=True
    ).stdout.split()
    suspicious = re.compile(
        r"(BEGIN [A-Z ]*PRIVATE KEY|\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}|"
        r"(?i:password|secret|cookie_key)\s*=\s*['\"](?!\$\(|\{\$|\$\{)[^'\"]{8,}['\"])"
    )
    # values read from the environment ($(...), {$VAR}, ${VAR}) are no secrets; the demo
    # password and demo key; the other scan carries its own patterns as examples
    allowed = {"vilco_core/demo.py", "vilco_ui/config.py", "tests/unit/test_no_secrets.py"}
    hits = [
        f
        for f in files
        if f not in allowed
        and (root / f).is_file()
        and suspicious.search((root / f).read_text(errors="ignore"))
    ]
    assert hits == []
