"""Heavy work in a separate OS process, so the server process stays free for voters.

A draw over 100,000 volunteers (parsing the pool, LEXIMIN, hashing the published pool) or the
tally of a vote with thousands of projects holds one CPU for seconds. Run inside the Streamlit
server, it holds the GIL and every other session (a resident loading /vote) waits. `start` runs
a task in its own process (a `forkserver` child on Linux, `spawn` elsewhere): the caller waits
without the GIL, reads the task's progress from shared memory and can cancel it.

A task is a module-level function (the child imports it by name) whose arguments and result
pickle. With `reports_progress=True` it is called with `progress=` and `cancelled=` keywords
(`vilco_core.sortition.ProgressCallback` and `CancelCheck`): progress lands in shared memory,
`Job.cancel` sets an event the task polls between solver steps. A `VilcoError` raised by the task
is raised again by `Job.result` (code and parameters, `ValidationErrors` with their problems);
the outcome is the same as in-process, bit for bit (the same code runs on the same inputs).
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext
from typing import Any, Final

from vilco_core.errors import ValidationErrors, VilcoError
from vilco_core.sortition import Progress

_STAGE_BYTES: Final = 40
_PRELOAD: Final = ["vilco_core.draws", "vilco_core.results", "vilco_core.services"]
_context: BaseContext | None = None
Runner = Callable[..., Any]  # `run(task, *args)`: here (`inline`) or in a worker (`run`)


def context() -> BaseContext:
    """`forkserver` on Linux (a clean, preloaded parent: cheap starts, no copied threads or
    sockets of the server), `spawn` elsewhere."""
    global _context
    if _context is None:
        if sys.platform == "linux":
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(_PRELOAD)
            _context = ctx
        else:
            _context = multiprocessing.get_context("spawn")
    return _context


class Job:
    """A task running in its own process: its progress, cancel, and result."""

    def __init__(self, task: Callable[..., Any], args: tuple[Any, ...], reports_progress: bool):
        ctx: Any = context()
        self._cancel = ctx.Event()
        self._numbers = ctx.Array("d", 5, lock=False)  # done, total, panels, level, reported
        self._stage = ctx.Array("c", _STAGE_BYTES, lock=False)
        self._receiver, sender = ctx.Pipe(duplex=False)
        self._outcome: tuple[Any, ...] | None = None
        self._process = ctx.Process(
            target=_child,
            args=(task, args, reports_progress, self._cancel, self._numbers, self._stage, sender),
            daemon=True,
        )
        self._process.start()
        sender.close()

    def progress(self) -> Progress | None:
        """The last progress the task reported (None before the first report)."""
        done, total, panels, level, reported = list(self._numbers)
        if not reported:
            return None
        stage = bytes(self._stage.raw).rstrip(b"\0").decode("ascii", "replace")
        return Progress(stage=stage, done=int(done), total=int(total), panels=int(panels),
                        level=None if level < 0 else level)  # fmt: skip

    def cancel(self) -> None:
        """Ask the task to stop at its next step (`sortition.cancelled`)."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return bool(self._cancel.is_set())

    def done(self, timeout: float | None = 0.0) -> bool:
        """Whether the outcome is in (waits up to `timeout` seconds, None: until it is, off the
        GIL; a worker that dies without an answer gives a crash outcome)."""
        if self._outcome is None and self._receiver.poll(timeout):
            self._receive()
        elif self._outcome is None and not self._process.is_alive():
            if self._receiver.poll(0.1):
                self._receive()
            else:
                self._outcome = ("crash", f"worker exited with {self._process.exitcode}")
        return self._outcome is not None

    def _receive(self) -> None:
        try:
            self._outcome = self._receiver.recv()
        except EOFError:
            self._outcome = ("crash", "worker closed its pipe")
        self._process.join(timeout=5)

    def result(self, timeout: float | None = None) -> Any:
        """Wait for the outcome; the task's value, or its `VilcoError` raised here."""
        if not self.done(timeout):
            raise TimeoutError("the worker did not finish in time")
        assert self._outcome is not None
        kind, *rest = self._outcome
        if kind == "ok":
            return rest[0]
        if kind == "errors":
            raise ValidationErrors([VilcoError(code, **params) for code, params in rest[0]])
        if kind == "error":
            raise VilcoError(rest[0], **rest[1])
        raise RuntimeError(f"heavy task failed in its worker: {rest[0]}")

    def stop(self) -> None:
        """Cancel, and end the process if it does not stop by itself within a few seconds."""
        self.cancel()
        self._process.join(timeout=5)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(timeout=5)
        self._receiver.close()


def start(task: Callable[..., Any], *args: Any, reports_progress: bool = False) -> Job:
    """Run `task(*args)` in a worker process; see `Job`."""
    return Job(task, args, reports_progress)


def run(task: Callable[..., Any], *args: Any) -> Any:
    """Run `task(*args)` in a worker process and wait: its value, or its `VilcoError`."""
    job = start(task, *args)
    try:
        return job.result()
    finally:
        job.stop()


def inline(task: Callable[..., Any], *args: Any) -> Any:
    """Run `task(*args)` here: the default runner of use cases that accept `run=`."""
    return task(*args)


def _child(task: Callable[..., Any], args: tuple[Any, ...], reports_progress: bool,
           cancel: Any, numbers: Any, stage: Any, sender: Connection) -> None:  # fmt: skip
    def progress(state: Progress) -> None:
        stage.raw = state.stage.encode("ascii", "replace")[: _STAGE_BYTES - 1].ljust(
            _STAGE_BYTES, b"\0"
        )
        numbers[0:4] = [state.done, state.total, state.panels,
                        -1.0 if state.level is None else state.level]  # fmt: skip
        numbers[4] = 1.0

    keywords = {"progress": progress, "cancelled": cancel.is_set} if reports_progress else {}
    outcome: tuple[Any, ...]
    try:
        outcome = ("ok", task(*args, **keywords))
    except ValidationErrors as errors:
        outcome = ("errors", [(e.code, dict(e.params)) for e in errors.problems])
    except VilcoError as error:
        outcome = ("error", error.code, dict(error.params))
    except Exception as error:  # reported to the parent, which raises
        outcome = ("crash", f"{type(error).__name__}: {error}")
    sender.send(outcome)
    sender.close()
