"""Heavy work in a separate OS process, so the server process stays free for voters.

A draw over 100,000 volunteers (parsing the pool, LEXIMIN, hashing the published pool) or the
tally of a vote with thousands of projects holds one CPU for seconds. Run inside the Streamlit
server, it holds the GIL and every other session (a resident loading /vote) waits. `start` runs
a task in a fresh interpreter (`python -m vilco_core.worker`): the caller waits without the GIL,
reads the task's progress from shared memory and can cancel it.

Why not `multiprocessing`: its spawn and forkserver children re-run the parent's `__main__`,
and under Streamlit `__main__` is whichever page script runs at that moment (a child re-ran the
draw page); fork would copy the server's threads and sockets. A plain subprocess runs nothing
but the task.

A task is a module-level function (the child imports it by name) whose arguments and result
pickle. With `reports_progress=True` it is called with `progress=` and `cancelled=` keywords
(`vilco_core.sortition.ProgressCallback` and `CancelCheck`): progress lands in a shared memory
page, `Job.cancel` sets a byte there the task polls between solver steps. A `VilcoError` raised
by the task is raised again by `Job.result` (code and parameters, `ValidationErrors` with their
problems); the outcome is the same as in-process, bit for bit (the same code, the same inputs).
"""

from __future__ import annotations

import mmap
import os
import pickle
import struct
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO, Final

from vilco_core.errors import ValidationErrors, VilcoError
from vilco_core.sortition import Progress

ROOT: Final = Path(__file__).resolve().parent.parent
Runner = Callable[..., Any]  # `run(task, *args)`: here (`inline`) or in a worker (`run`)
# The shared page: cancel flag (1 byte), reported flag (1 byte), done, total, panels, level
# (4 doubles), the stage's name (40 bytes).
_LAYOUT: Final = struct.Struct("<BB6x4d40s")


class Job:
    """A task running in its own process: its progress, cancel, and result."""

    def __init__(self, task: Callable[..., Any], args: tuple[Any, ...], reports_progress: bool):
        handle, name = tempfile.mkstemp(prefix="vilco-job-")
        os.write(handle, bytes(_LAYOUT.size))
        self._shared = mmap.mmap(handle, _LAYOUT.size)
        os.close(handle)
        self._path = name
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), *sys.path]))}
        self._process = subprocess.Popen(
            [sys.executable, "-m", "vilco_core.worker", name],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            cwd=ROOT,
        )
        self._output = b""
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        assert self._process.stdin is not None
        try:
            self._process.stdin.write(pickle.dumps((task, args, reports_progress)))
            self._process.stdin.close()
        except BrokenPipeError:
            pass  # the child died at once: `result` reports it
        self._outcome: tuple[Any, ...] | None = None

    def _read(self) -> None:
        assert self._process.stdout is not None
        with self._process.stdout:
            self._output = self._process.stdout.read()  # blocks off the GIL until the child ends
        self._process.wait()

    def progress(self) -> Progress | None:
        """The last progress the task reported (None before the first report)."""
        _cancel, reported, done, total, panels, level, stage = _LAYOUT.unpack(self._shared[:])
        if not reported:
            return None
        return Progress(stage=stage.rstrip(b"\0").decode("ascii", "replace"), done=int(done),
                        total=int(total), panels=int(panels),
                        level=None if level < 0 else level)  # fmt: skip

    def cancel(self) -> None:
        """Ask the task to stop at its next step (`sortition.cancelled`)."""
        self._shared[0] = 1

    def done(self, timeout: float | None = 0.0) -> bool:
        """Whether the outcome is in (waits up to `timeout` seconds, None: until it is)."""
        if self._outcome is None:
            self._reader.join(timeout)
            if self._reader.is_alive():
                return False
            try:
                self._outcome = pickle.loads(self._output)
            except (pickle.UnpicklingError, EOFError):
                self._outcome = ("crash", f"worker exited with {self._process.returncode}")
        return True

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
        """Cancel, end the process if it does not stop by itself soon, free the shared page."""
        if self._process.poll() is None:
            self.cancel()
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._reader.join(5)
        if not self._shared.closed:
            self._shared.close()
            Path(self._path).unlink(missing_ok=True)


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


def _child(shared_path: str, source: BinaryIO, answer: BinaryIO) -> None:
    """The worker: read the task, run it, write its outcome (pickled) and exit."""
    with open(shared_path, "r+b") as file:
        shared = mmap.mmap(file.fileno(), _LAYOUT.size)

    def progress(state: Progress) -> None:
        level = -1.0 if state.level is None else state.level
        stage = state.stage.encode("ascii", "replace")[:40]
        shared[1:] = _LAYOUT.pack(0, 1, state.done, state.total, state.panels, level, stage)[1:]

    task, args, reports_progress = pickle.load(source)
    keywords = (
        {"progress": progress, "cancelled": lambda: shared[0] == 1} if reports_progress else {}
    )
    outcome: tuple[Any, ...]
    try:
        outcome = ("ok", task(*args, **keywords))
    except ValidationErrors as errors:
        outcome = ("errors", [(e.code, dict(e.params)) for e in errors.problems])
    except VilcoError as error:
        outcome = ("error", error.code, dict(error.params))
    except Exception as error:  # reported to the parent, which raises
        outcome = ("crash", f"{type(error).__name__}: {error}")
    answer.write(pickle.dumps(outcome))
    answer.flush()


if __name__ == "__main__":
    _answer = sys.stdout.buffer
    sys.stdout = sys.stderr  # whatever the task prints must not corrupt the answer
    _child(sys.argv[1], sys.stdin.buffer, _answer)
