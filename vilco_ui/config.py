"""Settings for the UI: environment first, then `st.secrets` through one guarded helper."""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping

import streamlit as st

DEMO_COOKIE_KEY = "vilco-demo-cookie-key-not-for-production-use-0001"


def setting(name: str, default: str = "") -> str:
    """`name` from the environment, else from `.streamlit/secrets.toml`, else `default`."""
    if os.environ.get(name):
        return os.environ[name]
    value = _secrets().get(name)
    return str(value) if value else default


def secret_table(name: str) -> dict[str, object]:
    """The `[name]` table of `.streamlit/secrets.toml` (empty when there is none)."""
    table = _secrets().get(name)
    return dict(table) if isinstance(table, Mapping) else {}


@functools.cache
def _secrets() -> dict[str, object]:
    """`.streamlit/secrets.toml`, read once per server process: without a file, Streamlit
    searches for it again on every access (measured: a tenth of a vote's run under load)."""
    try:
        return dict(st.secrets)
    except FileNotFoundError:  # no secrets file
        return {}
    except Exception:  # a malformed secrets file must not take the site down
        return {}


def demo_mode() -> bool:
    return setting("VILCO_DEMO", "0").lower() in ("1", "true", "yes")


def cookie_key() -> str:
    """The signing key of the login cookie; the demo key is refused outside demo mode."""
    key = setting("VILCO_COOKIE_KEY")
    if not key:
        if not demo_mode():
            raise RuntimeError("VILCO_COOKIE_KEY is not set (only demo mode may use the demo key)")
        return DEMO_COOKIE_KEY
    if key == DEMO_COOKIE_KEY and not demo_mode():
        raise RuntimeError("the demo cookie key is refused outside demo mode")
    if len(key.encode()) < 32:
        raise RuntimeError("VILCO_COOKIE_KEY must be at least 32 bytes")
    return key


DEMO_FEED_KEY = "vilco-demo-feed-key-not-for-production-use-00001"


def feed_key() -> bytes:
    """The server key signing the staff calendar feed URLs (`VILCO_FEED_KEY`, ≥ 32 bytes);
    the demo key only in demo mode; empty when none is set (staff feeds are then off)."""
    key = setting("VILCO_FEED_KEY")
    if key == DEMO_FEED_KEY and not demo_mode():
        return b""
    if not key:
        return DEMO_FEED_KEY.encode() if demo_mode() else b""
    return key.encode() if len(key.encode()) >= 32 else b""
