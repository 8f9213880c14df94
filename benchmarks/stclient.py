"""A websocket-level Streamlit client: one real Streamlit session, without a browser.

A browser tab costs a Chromium renderer (hundreds of MB and a good share of a core while the
page is busy); on this 2-core machine fifty of them measure the browsers, not the server. This
client speaks the protocol the Streamlit frontend speaks, over the same `/_stcore/stream`
websocket: it sends `BackMsg.rerun_script` with the URL's query string, the page and the widget
states, and reads the `ForwardMsg` deltas the server sends back. The server cannot tell it from
a browser: the same script runs, in its own `AppSession` with its own session state.

What it does not do: draw anything or run JavaScript. Custom components (the cookie manager of
streamlit-authenticator) are answered as a browser without cookies answers them (an empty JSON
object, which costs the server the same extra run as in a browser); `run_every` fragments are
ticked only when asked (`follow_fragments`).

    session = Session("http://127.0.0.1:8501", "vote", "c=ABCD-...")
    await session.open()
    await session.check("Bacs potagers partagés")
    await session.click("Voter")
    await session.click("Confirmer")
    session.text_containing("Votre reçu")
"""

from __future__ import annotations

import asyncio
import contextlib
import http.cookies
import ssl
import time
import urllib.request
from dataclasses import dataclass
from typing import Any

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

TEXT_FIELDS = {"markdown": "body", "heading": "body", "alert": "body", "text": "body",
               "code": "code_text", "metric": "body"}  # fmt: skip


class ScriptError(RuntimeError):
    """The page raised an exception (Streamlit sent an `exception` element)."""


@dataclass
class Shown:
    """One element on screen: its kind, its proto and the fragment it was drawn by."""

    path: tuple[int, ...]
    kind: str
    proto: Any
    fragment_id: str
    generation: int  # the run that drew it

    @property
    def label(self) -> str:
        return str(getattr(self.proto, "label", ""))

    @property
    def text(self) -> str:
        if self.kind == "metric":
            return f"{self.proto.label}\n{self.proto.body}"
        field = TEXT_FIELDS.get(self.kind)
        return str(getattr(self.proto, field)) if field else ""


def insecure_tls() -> ssl.SSLContext:
    """TLS to a proxy with a self-signed certificate on 127.0.0.1 (benchmarks and tests only)."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def set_cookies(values: list[str]) -> dict[str, str]:
    """Name → value of `Set-Cookie` header values."""
    jar: http.cookies.SimpleCookie = http.cookies.SimpleCookie()
    for value in values:
        jar.load(value)
    return {name: morsel.value for name, morsel in jar.items()}


def page_cookies(base_url: str, path: str = "/", cookies: dict[str, str] | None = None,
                 timeout: float = 30.0) -> dict[str, str]:  # fmt: skip
    """What a browser does before the websocket: load the page over HTTP(S), keeping the cookies
    it sets (a proxy's stickiness cookie); the cookies to send from then on."""
    request = urllib.request.Request(base_url.rstrip("/") + path)
    jar = dict(cookies or {})
    if jar:
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in jar.items()))
    secure = base_url.startswith("https://")
    with urllib.request.urlopen(request, timeout=timeout,
                                context=insecure_tls() if secure else None) as answer:  # fmt: skip
        answer.read()
        return jar | set_cookies(answer.headers.get_all("Set-Cookie") or [])


class Session:
    """One Streamlit session of `page` (its URL path, `vote`) opened with `query` (`c=...`)."""

    def __init__(self, base_url: str, page: str, query: str = "", *,
                 answer_components: bool = True,
                 headers: dict[str, str] | None = None,
                 cookies: dict[str, str] | None = None) -> None:  # fmt: skip
        self.base_url = base_url.rstrip("/")
        self.ws_url = (self.base_url.replace("https://", "wss://", 1)
                       .replace("http://", "ws://", 1) + "/_stcore/stream")  # fmt: skip
        self.headers = headers or {}  # sent with the websocket handshake (a proxy's X-Real-IP)
        # The cookies a browser would send: a proxy's stickiness cookie, kept across reconnects
        # and updated from the handshake's Set-Cookie (a proxy that moved us sets a new one).
        self.cookies: dict[str, str] = dict(cookies or {})
        self.page, self.query = page, query
        self.answer_components = answer_components
        self.page_hash = ""
        self.elements: dict[tuple[int, ...], Shown] = {}
        self.widgets: dict[str, WidgetState] = {}  # the values this "user" has set
        self.errors: list[str] = []
        self.runs = 0  # script runs finished (full and fragment)
        self._generation = 0
        self._busy = asyncio.Lock()
        self._expect: set[int] = set()
        self._finished = asyncio.Event()
        self._running = False
        self._ws: ClientConnection | None = None
        self._reader: asyncio.Task[None] | None = None
        self._answered: set[str] = set()
        self._auto: dict[str, float] = {}  # run_every fragments: id -> interval
        self._follow: asyncio.Task[None] | None = None
        self.closed = False  # the server (or the proxy) closed the connection

    # -- connection -----------------------------------------------------------------------

    async def open(self, timeout: float = 60.0) -> None:
        """Connect and run the page as a browser opening its URL; return once it is drawn."""
        headers = dict(self.headers)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        secure = self.ws_url.startswith("wss://")
        self._ws = await connect(self.ws_url, subprotocols=[Subprotocol("streamlit")],
                                 max_size=None, open_timeout=timeout,
                                 additional_headers=headers,
                                 ssl=insecure_tls() if secure else None)  # fmt: skip
        if self._ws.response is not None:
            self.cookies |= set_cookies(self._ws.response.headers.get_all("Set-Cookie"))
        self._reader = asyncio.create_task(self._read())
        await self._rerun(timeout=timeout)
        if self.answer_components:
            await self._answer_components(timeout)

    async def close(self) -> None:
        for task in (self._follow, self._reader):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        if self._ws is not None:
            await self._ws.close()

    async def __aenter__(self) -> Session:
        return self

    async def __aexit__(self, *args: object) -> None:
        await self.close()

    # -- what a user does -------------------------------------------------------------------

    async def click(self, label: str, timeout: float = 60.0) -> float:
        """Press the button labelled `label`; returns the seconds until the page settled."""
        shown = self.find("button", label)
        state = WidgetState(id=shown.proto.id, trigger_value=True)
        return await self._rerun({shown.proto.id: state}, shown.fragment_id, timeout)

    async def tap(self, label: str, times: int = 2, timeout: float = 60.0) -> None:
        """Press the button `times` times before the page answers (a double tap): the taps go
        out back to back, then this waits until the server has finished every run."""
        shown = self.find("button", label)
        state = WidgetState(id=shown.proto.id, trigger_value=True)
        await self._rerun({shown.proto.id: state}, shown.fragment_id, timeout, times=times)
        await asyncio.sleep(0.5)  # a second run, if the server starts one, then settles
        while self._running:
            await asyncio.sleep(0.05)

    async def check(self, label: str, value: bool = True, timeout: float = 60.0) -> float:
        """Tick (or untick) the checkbox labelled `label`."""
        shown = self.find("checkbox", label)
        self.widgets[shown.proto.id] = WidgetState(id=shown.proto.id, bool_value=value)
        return await self._rerun({}, shown.fragment_id, timeout)

    def find(self, kind: str, label: str | None = None) -> Shown:
        for shown in self.shown(kind):
            if label is None or shown.label == label:
                return shown
        labels = [s.label for s in self.shown(kind)]
        raise LookupError(f"no {kind} {label!r} on {self.page}; there are {labels}")

    def shown(self, kind: str | None = None) -> list[Shown]:
        return [s for _p, s in sorted(self.elements.items()) if kind is None or s.kind == kind]

    def texts(self) -> list[str]:
        return [s.text for s in self.shown() if s.text]

    def text_containing(self, needle: str) -> str | None:
        return next((t for t in self.texts() if needle in t), None)

    async def wait_for_text(self, needle: str, timeout: float) -> str:
        """Wait until a text containing `needle` is on screen and the run that drew it has
        finished (fragments keep running meanwhile)."""
        deadline = time.monotonic() + timeout
        while self._busy.locked() or (found := self.text_containing(needle)) is None:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{needle!r} not shown within {timeout} s")
            await asyncio.sleep(0.02)
        return found

    def follow_fragments(self) -> None:
        """Tick the page's `run_every` fragments as the browser does (in the background)."""
        if self._follow is None:
            self._follow = asyncio.create_task(self._tick())

    # -- protocol ---------------------------------------------------------------------------

    async def _rerun(self, triggers: dict[str, WidgetState] | None = None,
                     fragment_id: str = "", timeout: float = 60.0,
                     auto: bool = False, times: int = 1) -> float:  # fmt: skip
        assert self._ws is not None, "open() first"
        message = self._message(triggers or {}, fragment_id, auto)
        async with self._busy:  # one run at a time: a fragment tick waits for a tap and back
            self._finished.clear()
            self._expect = {
                ForwardMsg.FINISHED_SUCCESSFULLY,
                ForwardMsg.FINISHED_WITH_COMPILE_ERROR,
            }
            if fragment_id:
                self._expect.add(ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)
            started = time.perf_counter()
            for _ in range(times):  # more than once: taps sent before the page answers
                await self._ws.send(message)
            try:
                await asyncio.wait_for(self._finished.wait(), timeout)
            except TimeoutError:
                raise TimeoutError(f"{self.page}: no answer within {timeout} s") from None
            if self.closed:
                raise ConnectionError(f"{self.page}: the connection closed during the run")
            if self.errors:
                raise ScriptError(self.errors[-1])
            return time.perf_counter() - started

    def _message(self, triggers: dict[str, WidgetState], fragment_id: str, auto: bool) -> bytes:
        message = BackMsg()
        state = message.rerun_script
        state.query_string = self.query
        if self.page_hash:
            state.page_script_hash = self.page_hash
        else:
            state.page_name = self.page
        state.fragment_id = fragment_id
        state.is_auto_rerun = auto
        state.widget_states.widgets.extend({**self.widgets, **triggers}.values())
        return message.SerializeToString()

    async def _answer_components(self, timeout: float) -> None:
        for shown in self.shown("component_instance"):
            if shown.proto.id and shown.proto.id not in self._answered:
                self._answered.add(shown.proto.id)
                self.widgets[shown.proto.id] = WidgetState(id=shown.proto.id, json_value="{}")
                await self._rerun({}, shown.fragment_id, timeout)

    async def _tick(self) -> None:
        last: dict[str, float] = {}
        while True:
            await asyncio.sleep(0.05)
            now = time.monotonic()
            for fragment, interval in list(self._auto.items()):
                if now - last.get(fragment, 0.0) >= interval and not self._busy.locked():
                    last[fragment] = now
                    with contextlib.suppress(TimeoutError):
                        await self._rerun({}, fragment, 30.0, auto=True)

    async def _read(self) -> None:
        assert self._ws is not None
        try:
            async for data in self._ws:
                message = ForwardMsg()
                message.ParseFromString(data if isinstance(data, bytes) else data.encode())
                self._handle(message)
        finally:  # closed (a dead replica): a run waiting for its answer fails at once
            self.closed = True
            self._finished.set()

    def _handle(self, message: ForwardMsg) -> None:
        kind = message.WhichOneof("type")
        if kind == "new_session":  # a run starts (a fragment's run too)
            self._generation += 1
            if message.new_session.page_script_hash:
                self.page_hash = message.new_session.page_script_hash
        elif kind == "navigation":
            if message.navigation.page_script_hash:
                self.page_hash = message.navigation.page_script_hash
        elif kind == "delta":
            self._delta(tuple(message.metadata.delta_path), message)
        elif kind == "session_status_changed":
            self._running = message.session_status_changed.script_is_running
        elif kind == "auto_rerun":
            self._auto[message.auto_rerun.fragment_id] = message.auto_rerun.interval
        elif kind == "script_finished":
            self.runs += 1
            if message.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                # a full run redrew the page: what it did not draw is gone (as in the frontend)
                self.elements = {
                    p: s for p, s in self.elements.items() if s.generation == self._generation
                }
            if message.script_finished in self._expect:
                self._running = False
                self._finished.set()

    def _delta(self, path: tuple[int, ...], message: ForwardMsg) -> None:
        delta = message.delta
        which = delta.WhichOneof("type")
        if which == "add_block":  # a new container: what was drawn under this path goes
            for old in [p for p in self.elements if p[: len(path)] == path]:
                del self.elements[old]
            return
        if which != "new_element":
            return
        element: Element = delta.new_element
        kind = element.WhichOneof("type") or ""
        proto = getattr(element, kind) if kind else None
        if kind == "exception":
            self.errors.append(f"{proto.type}: {proto.message}")
        self.elements[path] = Shown(path, kind, proto, delta.fragment_id, self._generation)
