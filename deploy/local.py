"""A local scale-out on 127.0.0.1: the migrations once, N `streamlit run serve.py` replicas (one
port each) and Caddy in front (TLS with a self-signed certificate), for a try-out
(`make deploy-local` / `make stop-local`), the tests and the benchmarks.

    python deploy/local.py up --replicas N [--port 8443] [--first-replica-port P]
        [--database-url URL] [--state-dir DIR] [--static-dir DIR] [--demo]
    python deploy/local.py down [--state-dir DIR]
    python deploy/local.py kill-replica I [--state-dir DIR]      # SIGKILL replica I (0-based)
    python deploy/local.py start-replica I [--state-dir DIR]     # start it again, same port
    python deploy/local.py status [--state-dir DIR]
    python deploy/local.py proxy-config [--replica HOST:PORT ...] [--tls CERT KEY]  # production

`up` first builds (once per Streamlit version) the precompressed copy of Streamlit's static files
that the proxy serves from disk (deploy/static.py; default `var/static`, shared by every state
directory). `up` prints one JSON line: {"proxy_url", "replicas": [{"index", "name", "port",
"address", "pid", "url", "cookie"}], "proxy_pid", "database_url", "state_dir"}; a request carrying a
replica's `cookie` (`vilco_replica=...`) through the proxy reaches that replica while it is up, and
every answer through the proxy names its replica in `X-Vilco-Replica: 127.0.0.1:<port>`. Without
`--database-url` it creates (once) the database `vilco_local` on the PostgreSQL server at
127.0.0.1:5432 (`VILCO_LOCAL_POSTGRES` names another). The state directory records every process
started (pid and kernel start time, so a recycled pid is never signalled); `down` stops exactly
those, each with its process group. From Python:
`from deploy.local import up, down, kill_replica, start_replica`.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import secrets
import signal
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # `python deploy/local.py`: make `deploy` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from deploy import proxy, static

ROOT = proxy.ROOT
DEFAULT_STATE_DIR = ROOT / "var" / "deploy-local"
DEFAULT_STATIC_DIR = ROOT / "var" / "static"
DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
DEFAULT_DATABASE = "vilco_local"
STATE_FILE = "state.json"
REPLICA_KEYS = ("index", "name", "port", "address", "pid", "url", "cookie")
CADDY = "/usr/bin/caddy"
START_TIMEOUT = 180.0


class DeployError(RuntimeError):
    """Something the launcher could not do; the message says what and where the log is."""


# --- databases -------------------------------------------------------------------------------


def create_database(name: str, server_url: str | None = None) -> str:
    """Create database `name` on the PostgreSQL server when it does not exist; its URL."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    server = server_url or os.environ.get("VILCO_LOCAL_POSTGRES") or DEFAULT_SERVER
    if not name.replace("_", "").isalnum():
        raise DeployError(f"bad database name: {name!r}")
    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            found = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            ).first()
            if found is None:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return make_url(server).set(database=name).render_as_string(hide_password=False)


def drop_database(name: str, server_url: str | None = None) -> None:
    """Drop a database this module created (the tests' fresh ones), closing its connections."""
    from sqlalchemy import create_engine, text

    server = server_url or os.environ.get("VILCO_LOCAL_POSTGRES") or DEFAULT_SERVER
    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        engine.dispose()


# --- processes -------------------------------------------------------------------------------


def _start_time(pid: int) -> str | None:
    """The kernel's start time of `pid` (field 22 of /proc/PID/stat), None when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    if fields[0] == "Z":  # a zombie: exited, not yet reaped
        return None
    return fields[19]


def _alive(record: dict[str, Any]) -> bool:
    return record.get("pid") is not None and _start_time(record["pid"]) == record["started"]


_CHILDREN: dict[int, subprocess.Popen[bytes]] = {}  # started by this process, reaped by `_stop`


def _spawn(command: list[str], env: dict[str, str], log: Path) -> dict[str, Any]:
    with log.open("ab") as out:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: `down` signals exactly that group
        )
    _CHILDREN[process.pid] = process
    return {"pid": process.pid, "started": _start_time(process.pid), "log": str(log)}


def _stop(record: dict[str, Any], sig: signal.Signals = signal.SIGTERM, wait: float = 20) -> None:
    """Signal the process group, wait for it to end (SIGKILL after `wait` seconds), reap it."""
    if _alive(record):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(record["pid"], sig)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and _alive(record):
            _reap(record["pid"])
            time.sleep(0.1)
        if _alive(record):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(record["pid"], signal.SIGKILL)
            while _alive(record):
                time.sleep(0.05)
    child = _CHILDREN.pop(record["pid"], None)
    if child is not None:
        child.wait()
    else:
        _reap(record["pid"])


def _reap(pid: int) -> None:
    """Collect the exit status when the process is our own child (from `up` in this process)."""
    child = _CHILDREN.get(pid)
    if child is None:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
    elif child.poll() is not None:
        del _CHILDREN[pid]


# --- state -----------------------------------------------------------------------------------


def _load(state_dir: Path) -> dict[str, Any] | None:
    path = state_dir / STATE_FILE
    return json.loads(path.read_text()) if path.exists() else None


def _save(state_dir: Path, state: dict[str, Any]) -> None:
    path = state_dir / STATE_FILE
    path.with_suffix(".tmp").write_text(json.dumps(state, indent=2))
    path.with_suffix(".tmp").replace(path)


def summary(state: dict[str, Any]) -> dict[str, Any]:
    """The JSON line `up` prints."""
    return {
        "proxy_url": state["proxy_url"],
        "replicas": [{key: replica[key] for key in REPLICA_KEYS} for replica in state["replicas"]],
        "proxy_pid": state["proxy"]["pid"] if state.get("proxy") else None,
        "database_url": state["database_url"],
        "state_dir": state["state_dir"],
    }


# --- waiting ---------------------------------------------------------------------------------

_INSECURE = ssl.create_default_context()
_INSECURE.check_hostname = False
_INSECURE.verify_mode = ssl.CERT_NONE  # the launcher's own self-signed certificate


def fetch(url: str, headers: dict[str, str] | None = None, timeout: float = 5) -> tuple[int, Any]:
    """GET `url` (any certificate); (status, headers), status 0 when nothing answers."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout, context=_INSECURE) as response:
            response.read()
            return response.status, response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.headers
    except (OSError, ValueError):
        return 0, None


def _wait(what: str, ready: Any, processes: list[dict[str, Any]], deadline: float) -> None:
    while time.monotonic() < deadline:
        if ready():
            return
        for record in processes:
            if not _alive(record):
                _reap(record["pid"])
                tail = Path(record["log"]).read_text(errors="replace")[-3000:]
                raise DeployError(f"{what}: process {record['pid']} exited; log:\n{tail}")
        time.sleep(0.3)
    raise DeployError(f"{what}: not ready after {START_TIMEOUT:.0f} s")


def _replica_behind_proxy(proxy_url: str, replica: dict[str, Any]) -> bool:
    """The proxy routes a visitor with the replica's cookie to it (its health check passed)."""
    status, headers = fetch(f"{proxy_url}/_stcore/health", {"Cookie": replica["cookie"]})
    return status == 200 and headers.get(proxy.REPLICA_HEADER) == replica["address"]


# --- up / down -------------------------------------------------------------------------------


def _certificate(state_dir: Path) -> tuple[str, str]:
    """A self-signed certificate for 127.0.0.1 and localhost, made once. A commune's proxy gets
    one from Let's Encrypt, or uses its own (README)."""
    key, cert = state_dir / "proxy.key", state_dir / "proxy.crt"
    if key.exists() and cert.exists():
        return str(cert), str(key)
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "90"),
            *("-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost"),
            *("-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
    )
    key.chmod(0o600)
    return str(cert), str(key)


def _app_env(state: dict[str, Any], demo: bool) -> dict[str, str]:
    env = {
        **os.environ,
        "VILCO_DATABASE_URL": state["database_url"],
        "STREAMLIT_SERVER_COOKIE_SECRET": state["cookie_secret"],  # the same on every replica
        "VILCO_CLIENT_IP_HEADER": "X-Real-IP",
        "VILCO_PUBLIC_URL": state["proxy_url"],
        "VILCO_MIGRATE_AT_START": "0",  # migrated once by `up`; a replica only checks
        "PYTHONUNBUFFERED": "1",
    }
    env.setdefault("VILCO_BASEMAP", "none")  # a try-out machine may have no internet
    if demo:
        env["VILCO_DEMO"] = "1"
    elif not env.get("VILCO_COOKIE_KEY"):
        env["VILCO_COOKIE_KEY"] = state["cookie_key"]
    return env


def _caddy_env(state_dir: Path) -> dict[str, str]:
    """Caddy keeps its storage (OCSP staples, locks) under the state directory."""
    home = state_dir / "caddy"
    home.mkdir(exist_ok=True)
    return {
        **os.environ,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home),
        "XDG_CONFIG_HOME": str(home),
    }


def _replica_command(port: int) -> list[str]:
    return [
        *(sys.executable, "-m", "streamlit", "run", "serve.py", "--server.port", str(port)),
        *("--server.address", "127.0.0.1", "--server.headless", "true"),
    ]


def _migrate(state: dict[str, Any], demo: bool, env: dict[str, str], state_dir: Path) -> None:
    """The migrations, once, before any replica starts (`demo load` migrates, then loads the
    demo into an empty database)."""
    command = ["demo", "load"] if demo else ["migrate"]
    env = {key: value for key, value in env.items() if key != "VILCO_MIGRATE_AT_START"}
    done = subprocess.run(
        [sys.executable, "-m", "vilco_core", *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    (state_dir / "migrate.log").write_text(done.stdout + done.stderr)
    if done.returncode != 0:
        raise DeployError(f"migrations failed:\n{done.stdout}{done.stderr}")


def up(
    replicas: int = 2,
    port: int = 8443,
    first_replica_port: int = 8601,
    database_url: str | None = None,
    state_dir: Path | str = DEFAULT_STATE_DIR,
    demo: bool = False,
    static_dir: Path | str = DEFAULT_STATIC_DIR,
) -> dict[str, Any]:
    """Build the precompressed static files (when not yet built), migrate, start the replicas
        and the proxy, wait until every replica answers through the proxy; the `summary`. On any
    failure everything started is stopped and DeployError raised."""
    if replicas < 1:
        raise DeployError("at least one replica")
    state_dir = Path(state_dir).resolve()
    state_dir.mkdir(parents=True, exist_ok=True)
    previous = _load(state_dir)
    if previous is not None:
        if any(_alive(record) for record in _records(previous)):
            raise DeployError(f"already running from {state_dir}: run `down` first")
        (state_dir / STATE_FILE).unlink()
    url = database_url or create_database(DEFAULT_DATABASE)
    ports = [first_replica_port + index for index in range(replicas)]
    proxy_url = f"https://127.0.0.1:{port}"
    state: dict[str, Any] = {
        "state_dir": str(state_dir),
        "database_url": url,
        "proxy_url": proxy_url,
        "demo": demo,
        "cookie_secret": secrets.token_hex(32),
        "cookie_key": secrets.token_urlsafe(48),
        "replicas": [],
        "proxy": None,
    }
    try:
        static.build(static_dir)
        env = _app_env(state, demo)
        _migrate(state, demo, env, state_dir)
        for index, replica_port in enumerate(ports):
            record = _spawn(_replica_command(replica_port), env, state_dir / f"replica-{index}.log")
            address = f"127.0.0.1:{replica_port}"
            record |= {"index": index, "name": f"r{index}", "port": replica_port}
            record |= {"address": address, "url": f"http://{address}"}
            record["cookie"] = f"{proxy.COOKIE}={proxy.replica_cookie(address)}"
            state["replicas"].append(record)
            _save(state_dir, state)
        deadline = time.monotonic() + START_TIMEOUT
        for record in state["replicas"]:
            health = f"{record['url']}/_stcore/health"
            _wait(
                f"replica {record['index']}",
                lambda h=health: fetch(h)[0] == 200,
                [record],
                deadline,
            )
        config = state_dir / "Caddyfile"
        settings = proxy.ProxySettings(
            site=proxy_url,
            replicas=proxy.loopback_replicas(ports),
            max_body_bytes=proxy.upload_limit_bytes(),
            tls=_certificate(state_dir),
            local=True,
            static_root=str(Path(static_dir).resolve()),
        )
        config.write_text(proxy.render(settings))
        caddy_env = _caddy_env(state_dir)
        command = [CADDY, "validate", "--adapter", "caddyfile", "--config", str(config)]
        checked = subprocess.run(command, capture_output=True, env=caddy_env)
        if checked.returncode != 0:
            raise DeployError(f"caddy refuses {config}: {checked.stderr.decode()[-2000:]}")
        command = [CADDY, "run", "--adapter", "caddyfile", "--config", str(config)]
        state["proxy"] = _spawn(command, caddy_env, state_dir / "caddy.log")
        _save(state_dir, state)
        for record in state["replicas"]:
            _wait(
                f"proxy to replica {record['index']}",
                lambda r=record: _replica_behind_proxy(proxy_url, r),
                [state["proxy"]],
                deadline,
            )
    except BaseException:
        down(state_dir)
        raise
    return summary(state)


def _records(state: dict[str, Any]) -> list[dict[str, Any]]:
    return ([state["proxy"]] if state.get("proxy") else []) + list(state["replicas"])


def down(state_dir: Path | str = DEFAULT_STATE_DIR) -> list[int]:
    """Stop what `up` started from this state directory (the proxy first); the pids stopped."""
    state_dir = Path(state_dir).resolve()
    state = _load(state_dir)
    if state is None:
        return []
    stopped = [record["pid"] for record in _records(state) if _alive(record)]
    for record in _records(state):
        _stop(record)
    (state_dir / STATE_FILE).unlink()
    return stopped


def _state(state_dir: Path | str) -> dict[str, Any]:
    state = _load(Path(state_dir).resolve())
    if state is None:
        raise DeployError(f"nothing started from {state_dir}")
    return state


def kill_replica(index: int, state_dir: Path | str = DEFAULT_STATE_DIR) -> int:
    """SIGKILL replica `index` (a crash, for the tests and benchmarks); its pid."""
    record = _state(state_dir)["replicas"][index]
    if not _alive(record):
        raise DeployError(f"replica {index} is not running")
    _stop(record, signal.SIGKILL, wait=10)
    return int(record["pid"])


def start_replica(index: int, state_dir: Path | str = DEFAULT_STATE_DIR) -> dict[str, Any]:
    """Start replica `index` again on its port (after `kill_replica`); waits for its health."""
    state = _state(state_dir)
    record = state["replicas"][index]
    if _alive(record):
        raise DeployError(f"replica {index} is already running")
    env = _app_env(state, state["demo"])
    record |= _spawn(_replica_command(record["port"]), env, Path(record["log"]))
    _save(Path(state["state_dir"]), state)
    health = f"{record['url']}/_stcore/health"
    _wait(
        f"replica {index}",
        lambda: fetch(health)[0] == 200,
        [record],
        time.monotonic() + START_TIMEOUT,
    )
    return {key: record[key] for key in REPLICA_KEYS}


def status(state_dir: Path | str = DEFAULT_STATE_DIR) -> dict[str, Any]:
    state = _state(state_dir)
    result = summary(state)
    for replica, record in zip(result["replicas"], state["replicas"], strict=True):
        replica["alive"] = _alive(record)
    result["proxy_alive"] = bool(state.get("proxy")) and _alive(state["proxy"])
    return result


# --- command line ----------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python deploy/local.py",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = parser.add_subparsers(dest="action", required=True)
    start = actions.add_parser("up", help="migrate, start N replicas and the proxy")
    start.add_argument("--replicas", type=int, default=2)
    start.add_argument("--port", type=int, default=8443, help="the proxy's HTTPS port")
    start.add_argument("--first-replica-port", type=int, default=8601)
    start.add_argument("--database-url", help=f"default: database {DEFAULT_DATABASE}, created")
    start.add_argument("--demo", action="store_true", help="demo mode, demo data when empty")
    start.add_argument(
        "--static-dir",
        type=Path,
        default=DEFAULT_STATIC_DIR,
        help="the precompressed static files the proxy serves (built when missing)",
    )
    for name in ("down", "status"):
        actions.add_parser(name)
    for name in ("kill-replica", "start-replica"):
        actions.add_parser(name).add_argument("index", type=int)
    config = actions.add_parser("proxy-config", help="print a production Caddyfile")
    config.add_argument(
        "--tls", nargs=2, metavar=("CERT", "KEY"), help="the commune's certificate (default: ACME)"
    )
    config.add_argument(
        "--replica",
        action="append",
        help="host:port of a replica (repeat); default: the four of deploy/caddy/Caddyfile",
    )
    for sub in actions.choices.values():
        sub.add_argument("--state-dir", type=Path, default=DEFAULT_STATE_DIR)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.action == "up":
            result: Any = up(
                args.replicas,
                args.port,
                args.first_replica_port,
                args.database_url,
                args.state_dir,
                args.demo,
                args.static_dir,
            )
        elif args.action == "down":
            result = {"stopped": down(args.state_dir)}
        elif args.action == "status":
            result = status(args.state_dir)
        elif args.action == "kill-replica":
            result = {"killed": kill_replica(args.index, args.state_dir)}
        elif args.action == "start-replica":
            result = start_replica(args.index, args.state_dir)
        else:
            settings = proxy.production_settings(args.replica)
            if args.tls:
                settings = dataclasses.replace(settings, tls=(args.tls[0], args.tls[1]))
            print(proxy.render(settings), end="")
            return 0
    except DeployError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
