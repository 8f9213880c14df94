"""The proxy configuration (deploy/proxy.py): the committed production Caddyfile is the rendered
one, Caddy accepts both the production and the local file, the body limit follows the app's
upload limit, the pin cookie is Caddy's, and Streamlit's static files are served from the
precompressed copy deploy/static.py builds (brotli and gzip siblings, Source Sans in Latin)."""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from deploy import proxy, static

ROOT = Path(__file__).resolve().parents[2]


def brotli_decompress(data: bytes) -> bytes:
    import brotli

    return bytes(brotli.decompress(data))


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
    if not local:  # /static/ files from disk, their .br or .gz when the browser takes it
        assert '"handler":"file_server"' in adapted.stdout
        assert '"precompressed":{"br":{},"gzip":{}}' in adapted.stdout
        assert '"precompressed_order":["br","gzip"]' in adapted.stdout


def test_deploy_static_files_from_disk_only_when_there() -> None:
    rendered = proxy.render(proxy.production_settings())
    on_disk, proxied = rendered.index("handle @static_on_disk {"), rendered.index("reverse_proxy ")
    assert on_disk < proxied
    block = rendered[rendered.index("@static_on_disk {") : on_disk]
    assert "path /static/*" in block  # never the page, /_stcore/ or the websocket
    assert f"root {proxy.PRODUCTION_STATIC_ROOT}" in block
    assert "try_files {path}" in block  # a file not on disk falls through to the replicas
    assert "precompressed br gzip" in rendered[on_disk:proxied]
    assert f'Cache-Control "{proxy.IMMUTABLE}"' in rendered
    local = proxy.ProxySettings(
        site="https://127.0.0.1:8443", replicas=("127.0.0.1:8601",), max_body_bytes=1, local=True
    )
    assert "file_server" not in proxy.render(local)  # no static_root: everything proxied


def test_deploy_static_build_compresses_and_subsets(tmp_path: Path) -> None:
    from fontTools.ttLib import TTFont

    package = static.package_static_dir()
    source = tmp_path / "package"
    (source / "static" / "js").mkdir(parents=True)
    (source / "static" / "media").mkdir()
    script = "export const greeting = 'Bonjour, votez !';\n" * 200
    (source / "static" / "js" / "index.Ab12.js").write_text(script)
    (source / "static" / "js" / "tiny.Cd34.js").write_text("export {};\n")
    font = next((package / "static" / "media").glob("SourceSansVF-Upright.ttf.*.woff2"))
    (source / "static" / "media" / font.name).write_bytes(font.read_bytes())
    target = tmp_path / "out"
    assert static.build(target, source, workers=1)
    assert not static.build(target, source, workers=1)  # up to date: nothing redone
    js = target / "static" / "js" / "index.Ab12.js"
    assert js.read_text() == script
    assert brotli_decompress(js.with_name(js.name + ".br").read_bytes()) == script.encode()
    assert gzip.decompress(js.with_name(js.name + ".gz").read_bytes()) == script.encode()
    assert not (target / "static" / "js" / "tiny.Cd34.js.br").exists()  # under MIN_BYTES
    subset = target / "static" / "media" / font.name
    assert subset.stat().st_size < 0.6 * font.stat().st_size
    cmap = TTFont(str(subset)).getBestCmap()
    assert all(ord(c) in cmap for c in "AZaz09éèçëïôĳœşğąłțđ€«»\u202f’")  # French, Dutch, ...
    assert ord("Ж") not in cmap and ord("λ") not in cmap  # drawn by a system font instead
    names = TTFont(str(subset))["name"]
    assert str(names.getName(1, 3, 1, 0x409)) == static.SUBSET_FAMILY  # not "Source" (OFL)
    assert "fvar" in TTFont(str(subset))  # every weight
