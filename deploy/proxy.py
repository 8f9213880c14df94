"""The Caddy configuration in front of the `streamlit run` replicas, rendered by one function so
the committed production file (`deploy/caddy/Caddyfile`) and the local launcher's file cannot
drift apart (tests/deploy/test_proxy_config.py renders the first and compares).

What it does, and why:
- sticky sessions: `lb_policy cookie vilco_replica` (the value is an HMAC of the replica's
  address): a Streamlit session and its websocket live in one process; when that replica is
  down, the visitor is sent to another (and gets its cookie);
- an active health check, `GET /_stcore/health` every 2 s, takes a dead replica out and puts it
  back when it answers; a refused connection also marks it down at once (passive check) and the
  request is retried on another replica for up to 5 s;
- websockets: Caddy upgrades them natively;
- Streamlit's hashed `/static/` files straight from disk (`static_root`, built at deploy time
  by deploy/static.py) with their brotli-11 / gzip-9 siblings (`precompressed br gzip`):
  brotli is 1.3× smaller than Go's on-the-fly gzip on the ballot's JavaScript, costs the proxy
  no CPU per phone, and no replica sees those requests. A `/static/` file not on disk (a
  directory built for another Streamlit version) still goes to a replica;
- everything else the replicas send (the page, the components' files, JSON) is compressed on
  the fly, zstd or gzip (the app's server sends neither): Go's gzip at its default level, 3.9×
  on the ballot's JavaScript, where Debian's HAProxy (built with the level-less libslz only)
  reached 2.8×; the hashed `/static/` files are marked `public, max-age=31536000, immutable`
  (set here, whatever the server version sends);
- TLS: the commune's domain gets a certificate from Let's Encrypt by itself (ACME), or the
  files named in `tls`; locally a self-signed certificate made by `deploy/local.py`;
- a request body limit equal to the app's `server.maxUploadSize` plus the multipart envelope
  (413 before anything reaches a replica), `X-Real-IP` for the app's per-address rate limits
  (`VILCO_CLIENT_IP_HEADER=X-Real-IP`), and `X-Vilco-Replica` (`host:port`) on every answer.
"""

from __future__ import annotations

import hashlib
import hmac
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STREAMLIT_CONFIG = ROOT / ".streamlit" / "config.toml"
STREAMLIT_DEFAULT_UPLOAD_MB = 200  # Streamlit's own default for server.maxUploadSize
MULTIPART_ROOM = 64 * 1024  # the multipart envelope around an uploaded file
IMMUTABLE = "public, max-age=31536000, immutable"
COOKIE = "vilco_replica"
REPLICA_HEADER = "X-Vilco-Replica"
PRODUCTION_STATIC_ROOT = "/var/lib/vilco-static"  # `python deploy/static.py DIR` builds it


@dataclass(frozen=True)
class ProxySettings:
    site: str  # "https://127.0.0.1:8443", or "{$VILCO_DOMAIN}" (Caddy reads the environment)
    replicas: tuple[str, ...]  # host:port of each replica
    max_body_bytes: int
    tls: tuple[str, str] | None = None  # certificate and key files; None: ACME for the domain
    cookie_secret: str = ""  # keys the cookie's HMAC; "{$VILCO_PROXY_COOKIE_SECRET}" in production
    local: bool = False  # a try-out: no admin endpoint, no ACME, no HTTP listener
    static_root: str | None = None  # deploy/static.py's directory; None: /static/ proxied too


def upload_limit_bytes(config_path: Path = STREAMLIT_CONFIG) -> int:
    """The largest request body the app accepts: `server.maxUploadSize` (MB) of its
    `.streamlit/config.toml`, else Streamlit's default, plus the multipart envelope."""
    megabytes = STREAMLIT_DEFAULT_UPLOAD_MB
    if config_path.exists():
        server = tomllib.loads(config_path.read_text(encoding="utf-8")).get("server", {})
        megabytes = int(server.get("maxUploadSize", megabytes))
    return megabytes * 1024 * 1024 + MULTIPART_ROOM


def loopback_replicas(ports: Sequence[int], host: str = "127.0.0.1") -> tuple[str, ...]:
    return tuple(f"{host}:{port}" for port in ports)


def replica_cookie(address: str, secret: str = "") -> str:
    """The `vilco_replica` cookie value that pins a visitor to the replica at `address`
    (Caddy's cookie policy: hex HMAC-SHA256 of the address under the secret)."""
    return hmac.new(secret.encode(), address.encode(), hashlib.sha256).hexdigest()


def render(settings: ProxySettings) -> str:
    """The whole Caddyfile."""
    options = ["admin off", "auto_https off"] if settings.local else []
    options += ["servers {", "\tprotocols h1 h2", "}"]
    limit = settings.max_body_bytes
    too_big = (
        "`{http.request.header.Content-Length}.size() > 0 && "
        f"int({{http.request.header.Content-Length}}) > {limit}`"
    )
    site = [
        *([f"tls {settings.tls[0]} {settings.tls[1]}"] if settings.tls else []),
        f"@too_big expression {too_big}",
        "respond @too_big 413",
        "request_body {",
        f"\tmax_size {limit}",
        "}",
        "encode zstd gzip",
        "@static path /static/*",
        "header @static {",
        f'\tCache-Control "{IMMUTABLE}"',
        "\tdefer",
        "}",
        "header Strict-Transport-Security max-age=31536000",
        *(_static_from_disk(settings.static_root) if settings.static_root else []),
        f"reverse_proxy {' '.join(settings.replicas)} {{",
        f"\tlb_policy cookie {COOKIE}"
        + (f" {settings.cookie_secret}" if settings.cookie_secret else ""),
        "\tlb_try_duration 5s",
        "\tlb_try_interval 250ms",
        "\tfail_duration 10s",
        "\thealth_uri /_stcore/health",
        "\thealth_interval 2s",
        "\thealth_timeout 2s",
        "\theader_up X-Real-IP {remote_host}",
        f"\theader_down {REPLICA_HEADER} {{http.reverse_proxy.upstream.hostport}}",
        "\theader_down -Server",
        "}",
    ]
    lines = [
        "# Generated by deploy/proxy.py (`python deploy/local.py proxy-config`): edit that.",
        "{",
        *(f"\t{line}" for line in options),
        "}",
        "",
        f"{settings.site} {{",
        *(f"\t{line}" for line in site),
        "}",
        "",
    ]
    return "\n".join(lines)


def _static_from_disk(root: str) -> list[str]:
    """A `/static/` file present under `root` is served from there, its `.br` or `.gz`
    sibling when the browser accepts it; any other request falls through to the replicas."""
    return [
        "@static_on_disk {",
        "\tpath /static/*",
        "\tfile {",
        f"\t\troot {root}",
        "\t\ttry_files {path}",
        "\t}",
        "}",
        "handle @static_on_disk {",
        f"\troot * {root}",
        "\tfile_server {",
        "\t\tprecompressed br gzip",
        "\t}",
        "}",
    ]


def production_settings(replicas: Sequence[str] | None = None) -> ProxySettings:
    """The committed example: four replicas on this machine, the domain and the cookie secret
    from the proxy's environment (`deploy/systemd/caddy.service.d/vilco.conf`)."""
    return ProxySettings(
        site="{$VILCO_DOMAIN}",
        replicas=tuple(replicas or loopback_replicas([8501, 8502, 8503, 8504])),
        max_body_bytes=upload_limit_bytes(),
        cookie_secret="{$VILCO_PROXY_COOKIE_SECRET}",
        static_root=PRODUCTION_STATIC_ROOT,
    )
