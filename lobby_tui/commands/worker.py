"""A producer run in a forked worker process, what it yields read back here in order.

`lobby-tui import-customers` reads, checks and hashes the next rows of its file in the worker while
this process writes the rows before them: the machine's second core does the Python half of the
work. The worker is forked (it inherits the open file, the parser and the hash key: nothing is sent
to it) and sends each item back through a pipe, marshalled and preceded by its length (a million
prepared rows took the worker 3.6 s to pickle and 1.0 s to marshal; an item marshal cannot write
goes pickled inside). A thread here reads the pipe as the items come, up to `ahead` of them, so the
worker keeps working while this process is busy (inside one long SQLite transaction, say: the pipe
itself holds only about 64 KiB); past `ahead` unread items the thread stops reading and the full
pipe makes the worker wait. The worker touches no database connection and writes nothing to the
terminal; it ends with os._exit, so nothing of this process (atexit, buffers, a test runner) runs
twice.

Its end is always known here: an item marked as the last, an error it caught (its type and message
with every long number masked, and its traceback for the log), or an end without either (killed,
say), which is reported with how it ended. When this side stops early (an error while writing, ^C),
the worker is killed and reaped, never left behind; if this process is killed, the worker's next
write fails on the closed pipe and it ends too.

Without os.fork (not Linux or macOS) the producer just runs here, in turn with the writing.
"""

from __future__ import annotations

import marshal
import os
import pickle
import queue
import signal
import threading
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import IO, Generic, TypeVar

T = TypeVar("T")

_ITEM, _END, _ERROR = 0, 1, 2
_GONE, _GARBLED = 3, 4  # said by the reading thread: the pipe ended, or what came cannot be read
_PICKLED = 8  # added to a message's kind: its item is the pickle of what was sent
_LENGTH = 8  # bytes of the length before each message (marshal.load of a pipe calls readinto per field)
_PIPE_BUFFER = 1 << 20
AHEAD = 64  # items the reading thread may hold unread
# How the worker ended, for the log (the command words it in the user's language: WorkerFailed.ended)
_ENDED_TEXT = {
    "silent": "the worker process ended without a word",
    "signal": "the worker process was ended by signal {}",
    "status": "the worker process exited with status {}",
}


class WorkerFailed(Exception):  # noqa: N818 - it reads as what happened
    """The worker stopped before its last item: `detail` says why (one line, English, for the log),
    `trace` is its traceback when it caught an error (for the log, never the terminal); numbers
    masked in both. When it ended without saying why, `ended` is how, for the user's language:
    ("signal", number), ("status", exit code) or ("silent", 0); `garbled` is what could not be read
    of its last message, if anything."""

    def __init__(self, detail: str, trace: str = "", ended: tuple[str, int] | None = None, garbled: str = "") -> None:
        super().__init__(detail)
        self.detail = detail
        self.trace = trace
        self.ended = ended
        self.garbled = garbled


def _describe(exc: BaseException) -> str:
    from lobby_tui.domain.privacy import mask_numbers

    return mask_numbers(f"{type(exc).__name__}: {exc}")[:200]


def _run_child(produce: Callable[[], Iterator[object]], fd: int) -> None:
    """In the forked child: send every item, then the end or the error; exit without cleanup."""
    code = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # ^C is the parent's to handle: it stops this one
        with os.fdopen(fd, "wb", buffering=_PIPE_BUFFER) as out:

            def dump(message: tuple[int, object]) -> None:
                try:
                    data = marshal.dumps(message)  # type: ignore[arg-type] # what it cannot write, it says
                except ValueError:  # not made of marshal's types (Forked takes any producer)
                    kind, item = message
                    data = marshal.dumps((kind | _PICKLED, pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)))
                out.write(len(data).to_bytes(_LENGTH, "little"))
                out.write(data)
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

    def __init__(self, produce: Callable[[], Iterator[T]], *, fork: bool | None = None, ahead: int = AHEAD) -> None:
        self._produce = produce
        self._fork = hasattr(os, "fork") if fork is None else fork
        self._pid: int | None = None
        self._pipe: IO[bytes] | None = None
        self._read: queue.Queue[tuple[int, object]] = queue.Queue(maxsize=max(1, ahead))
        self._reader: threading.Thread | None = None
        self._stopping = threading.Event()

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
        self._reader = threading.Thread(target=self._read_pipe, args=(self._pipe,), name="forked-reader", daemon=True)
        self._reader.start()
        return self._items()

    def _read_pipe(self, pipe: IO[bytes]) -> None:
        """In the reading thread: every message as it comes, until the last one or the pipe's end.
        Unmarshalling holds the GIL, but reading the pipe and SQLite's own work release it."""
        while not self._stopping.is_set():
            message: tuple[int, object]
            try:
                head = pipe.read(_LENGTH)  # the pipe's end, between two messages, is a clean end
                if not head:
                    message = (_GONE, None)
                else:
                    size = int.from_bytes(head, "little")
                    data = pipe.read(size)
                    if len(head) < _LENGTH or len(data) < size:
                        raise EOFError("the message was cut short")
                    message = marshal.loads(data)
                    if message[0] & _PICKLED:
                        message = (message[0] & ~_PICKLED, pickle.loads(message[1]))  # type: ignore[arg-type]
            except (
                EOFError,
                pickle.UnpicklingError,
                ValueError,
                TypeError,
                AttributeError,
                ImportError,
                OSError,
            ) as exc:
                message = (_GARBLED, _describe(exc))  # cut short as it was killed, say
            self._read.put(message)
            if message[0] != _ITEM:
                return

    def _items(self) -> Iterator[T]:
        while True:
            kind, item = self._read.get()
            if kind == _ITEM:
                yield item  # type: ignore[misc]
            elif kind == _END:
                self._reap()
                return
            elif kind in (_GONE, _GARBLED):
                garbled = str(item) if kind == _GARBLED else ""
                if garbled:
                    self._kill()  # what it sent last cannot be read (cut short as it was killed, say)
                how, number = ended = self._how_it_ended()
                text = _ENDED_TEXT[how].format(number) + (f" ({garbled})" if garbled else "")
                raise WorkerFailed(text, ended=ended, garbled=garbled)
            else:
                said: tuple[str, str] = item  # type: ignore[assignment]
                self._reap()
                raise WorkerFailed(*said)

    def _how_it_ended(self) -> tuple[str, int]:
        status = self._reap()
        if status is None:
            return ("silent", 0)
        if os.WIFSIGNALED(status):
            return ("signal", os.WTERMSIG(status))
        return ("status", os.waitstatus_to_exitcode(status))

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
        if self._pid is not None:  # stopped early: the worker is not needed any more
            self._kill()  # which ends the pipe, so the reading thread stops reading
        if self._reader is not None:
            self._stopping.set()
            while self._reader.is_alive():  # it may wait to put one more message: take them
                try:
                    self._read.get(timeout=0.1)
                except queue.Empty:
                    pass
            self._reader.join()
            self._reader = None
        if self._pipe is not None:
            self._pipe.close()
            self._pipe = None
        self._reap()

    def _kill(self) -> None:
        if self._pid is not None:
            try:
                os.kill(self._pid, signal.SIGKILL)
            except ProcessLookupError:  # pragma: no cover - it had just ended
                pass
