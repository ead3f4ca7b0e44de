"""A producer run in a forked worker process, what it yields read back here in order.

`lobby-tui import-customers` reads, checks and hashes the next rows of its file in the worker while
this process writes the rows before them: the machine's second core does the Python half of the
work. The worker is forked (it inherits the open file, the parser and the hash key: nothing is sent
to it) and sends each item back pickled through a pipe, which also paces it: it waits while the
pipe is full. It touches no database connection and writes nothing to the terminal; it ends with
os._exit, so nothing of this process (atexit, buffers, a test runner) runs twice.

Its end is always known here: an item marked as the last, an error it caught (its type and message
with every long number masked, and its traceback for the log), or an end without either (killed,
say), which is reported with how it ended. When this side stops early (an error while writing, ^C),
the worker is killed and reaped, never left behind; if this process is killed, the worker's next
write fails on the closed pipe and it ends too.

Without os.fork (not Linux or macOS) the producer just runs here, in turn with the writing.
"""

from __future__ import annotations

import os
import pickle
import signal
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import IO, Generic, TypeVar

T = TypeVar("T")

_ITEM, _END, _ERROR = 0, 1, 2
_PIPE_BUFFER = 1 << 20


class WorkerFailed(Exception):  # noqa: N818 - it reads as what happened
    """The worker stopped before its last item: `detail` says why (one line), `trace` is its
    traceback when it caught an error (for the log, never the terminal); numbers masked in both."""

    def __init__(self, detail: str, trace: str = "") -> None:
        super().__init__(detail)
        self.detail = detail
        self.trace = trace


def _describe(exc: BaseException) -> str:
    from lobby_tui.domain.privacy import mask_numbers

    return mask_numbers(f"{type(exc).__name__}: {exc}")[:200]


def _run_child(produce: Callable[[], Iterator[object]], fd: int) -> None:
    """In the forked child: send every item, then the end or the error; exit without cleanup."""
    code = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # ^C is the parent's to handle: it stops this one
        with os.fdopen(fd, "wb", buffering=_PIPE_BUFFER) as out:
            # One pickle per item, so neither side keeps a memo of everything sent.
            def dump(message: object) -> None:
                pickle.dump(message, out, protocol=pickle.HIGHEST_PROTOCOL)
                out.flush()

            try:
                for item in produce():
                    dump((_ITEM, item))
                dump((_END, None))
                code = 0
            except BrokenPipeError:
                raise
            except BaseException as exc:  # noqa: BLE001 - whatever it is, the parent says so
                import traceback

                from lobby_tui.domain.privacy import mask_numbers

                dump((_ERROR, (_describe(exc), mask_numbers(traceback.format_exc()))))
    except BaseException:  # noqa: BLE001, S110 - the parent has gone (or the pipe broke): nobody to tell
        pass
    finally:
        os._exit(code)


class Forked(Generic[T]):
    """`with Forked(produce) as items:` iterate what `produce()` yields, made in a worker process.
    Iterating raises WorkerFailed if the worker stops before the end."""

    def __init__(self, produce: Callable[[], Iterator[T]], *, fork: bool | None = None) -> None:
        self._produce = produce
        self._fork = hasattr(os, "fork") if fork is None else fork
        self._pid: int | None = None
        self._pipe: IO[bytes] | None = None

    def __enter__(self) -> Iterator[T]:
        if not self._fork:
            return self._produce()
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child (coverage is not written: it ends in os._exit)
            os.close(read_fd)
            _run_child(self._produce, write_fd)  # type: ignore[arg-type]
        os.close(write_fd)
        self._pid = pid
        self._pipe = os.fdopen(read_fd, "rb", buffering=_PIPE_BUFFER)
        return self._items()

    def _items(self) -> Iterator[T]:
        pipe = self._pipe
        assert pipe is not None
        while True:
            try:
                kind, item = pickle.load(pipe)
            except EOFError:
                raise WorkerFailed(self._how_it_ended()) from None
            except (pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError) as exc:
                self._kill()  # what it sent cannot be read (cut short as it was killed, say)
                raise WorkerFailed(f"{self._how_it_ended()} ({_describe(exc)})") from None
            if kind == _ITEM:
                yield item
            elif kind == _END:
                self._reap()
                return
            else:
                detail, trace = item
                self._reap()
                raise WorkerFailed(detail, trace)

    def _how_it_ended(self) -> str:
        status = self._reap()
        if status is None:
            return "the worker process ended without a word"
        if os.WIFSIGNALED(status):
            return f"the worker process was ended by signal {os.WTERMSIG(status)}"
        return f"the worker process exited with status {os.waitstatus_to_exitcode(status)}"

    def _reap(self) -> int | None:
        """Wait for the worker to end: its wait status (None when it was reaped already)."""
        pid, self._pid = self._pid, None
        if pid is None:
            return None
        try:
            return os.waitpid(pid, 0)[1]
        except ChildProcessError:  # pragma: no cover - reaped by someone else
            return None

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._pipe is not None:
            self._pipe.close()
            self._pipe = None
        if self._pid is not None:  # stopped early: the worker is not needed any more
            self._kill()
            self._reap()

    def _kill(self) -> None:
        if self._pid is not None:
            try:
                os.kill(self._pid, signal.SIGKILL)
            except ProcessLookupError:  # pragma: no cover - it had just ended
                pass
