"""The proxy configuration (deploy/proxy.py): the committed production Caddyfile is the rendered
one, Caddy accepts both the production and the local file, the body limit follows the app's
upload limit, and the pin cookie is Caddy's."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from deploy import proxy

ROOT = Path(__file__).resolve().parents[2]


def test_deploy_committed_caddyfile_is_the_rendered_one() -> None:
    committed = (ROOT / "deploy" / "caddy" / "Caddyfile").read_text(encoding="utf-8")
    assert committed == proxy.render(proxy.production_settings()), (
        "run: python deploy/local.py proxy-config > deploy/caddy/Caddyfile"
    )


def test_deploy_body_limit_is_the_app_upload_limit(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[server]\nmaxUploadSize = 7\n", encoding="utf-8")
    assert proxy.upload_limit_bytes(config) == 7 * 1024 * 1024 + proxy.MULTIPART_ROOM
    config.write_text("[server]\nheadless = true\n", encoding="utf-8")
    assert proxy.upload_limit_bytes(config) == 200 * 1024 * 1024 + proxy.MULTIPART_ROOM
    limit = proxy.upload_limit_bytes()  # the app's own .streamlit/config.toml
    rendered = proxy.render(proxy.production_settings())
    assert f"max_size {limit}\n" in rendered
    assert f"}}) > {limit}`" in rendered


def test_deploy_pin_cookie_is_caddys_hmac_of_the_address() -> None:
    # the value Caddy 2.6 set for this upstream (lb_policy cookie, no secret)
    assert proxy.replica_cookie("127.0.0.1:8652") == (
        "d0233db78545dfb3830697c41687ddab42f1393e7d4443ed534719cd65a0b911"
    )
    assert proxy.replica_cookie("127.0.0.1:8652", "k") != proxy.replica_cookie("127.0.0.1:8652")


@pytest.mark.parametrize("local", [False, True])
def test_deploy_caddy_accepts_the_configuration(tmp_path: Path, local: bool) -> None:
    caddy = shutil.which("caddy")
    if caddy is None:
        pytest.fail("Debian's caddy is missing: run `make proxy` (make test does)")
    settings = proxy.production_settings()
    if local:
        (tmp_path / "c.crt").write_text("")
        settings = proxy.ProxySettings(
            site="https://127.0.0.1:8443",
            replicas=proxy.loopback_replicas([8601, 8602]),
            max_body_bytes=proxy.upload_limit_bytes(),
            tls=(str(tmp_path / "c.crt"), str(tmp_path / "c.key")),
            local=True,
        )
    path = tmp_path / "Caddyfile"
    path.write_text(proxy.render(settings), encoding="utf-8")
    env = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path)}
    env |= {"XDG_CONFIG_HOME": str(tmp_path), "VILCO_DOMAIN": "vote.example.org"}
    adapted = subprocess.run(
        [caddy, "adapt", "--adapter", "caddyfile", "--config", str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert adapted.returncode == 0, adapted.stderr
    assert '"handler":"encode"' in adapted.stdout
    assert '"uri":"/_stcore/health"' in adapted.stdout
