"""An update of the library run in a child process, for a client that must stay small: the
window.

:func:`update_in_child` starts a fresh interpreter (``spawn``: the caller has threads),
which opens its own :class:`~index.library.core.Library` on the data directory and runs
:meth:`~index.library.updating._Updating.update` — the Whoosh writers, the text phase's
and the analysis's worker processes (forked from it: it has one thread), spaCy — and sends
back each :class:`~index.model.Progress` and, at the end, the
:class:`~index.model.UpdateReport` or the error. The caller's ``progress`` is called in the
caller's thread with the same values an update in its own process would give (a few a
second at most, never leaving out a change of phase, a commit or the last one), its
``cancel`` is asked between messages and passed on (the update stops between articles,
keeping what it did), and a :class:`~index.model.LibraryError` raised in the child is
raised again in the caller. The memory the update used goes with the child when it ends.

A reader's request to analyse an article first needs nothing from here: it is a line in
the data directory's ``priority.txt`` (:meth:`Library.prioritise`), which the update reads
whichever process it runs in. Should the caller die, the child notices (its parent
changed) and stops as at a cancel.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from collections.abc import Callable
from multiprocessing.connection import wait
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.model import Phase, Progress, UpdateReport

if TYPE_CHECKING:
    from index.library.core import Library

log = logging.getLogger(__name__)

#: A factory the child calls to open the library (it must be picklable: a module-level
#: function, or a :func:`functools.partial` of one); None: ``Library(data_dir,
#: processes=None)``, the analysis in one process per core.
LibraryFactory = Callable[[Path], "Library"]

#: At most one progress message per this many seconds (a change of phase, a commit and
#: the last one always go).
PROGRESS_EVERY = 0.05

#: How often (seconds) the caller looks at its ``cancel`` while no message comes.
POLL_SECONDS = 0.1


class UpdateProcessDied(RuntimeError):
    """The child process ended without a report (killed, or it crashed)."""


def update_in_child(
    data_dir: Path,
    progress: Callable[[Progress], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    *,
    factory: LibraryFactory | None = None,
    rebuild: bool = False,
    analyse: bool = True,
) -> UpdateReport:
    """Runs ``Library.update(progress, cancel, rebuild=..., analyse=...)`` in a child
    process and returns its report. Raises what the update raised (a
    :class:`~index.model.LibraryError` as it was; anything else as it was where it can be
    sent, else as a :class:`RuntimeError` saying what it was), or
    :class:`UpdateProcessDied`."""
    notify = progress or (lambda p: None)
    stop = cancel or (lambda: False)
    mp: Any = multiprocessing.get_context("spawn")
    cancelled = mp.Value("b", 0, lock=False)
    receive, send = mp.Pipe(duplex=False)
    child = mp.Process(
        target=_child, name="broadsheet-update",
        args=(str(data_dir), factory, rebuild, analyse, cancelled, send, os.getpid()),
    )
    child.start()
    send.close()  # the child's end is the child's alone
    try:
        while True:
            if not cancelled.value and stop():
                cancelled.value = 1
            ready = wait([receive, child.sentinel], POLL_SECONDS)
            if receive in ready:
                try:
                    kind, value = receive.recv()
                except EOFError:
                    kind, value = "died", None
            elif child.sentinel in ready:
                kind, value = "died", None  # (its own processes may hold the pipe open)
            else:
                continue
            if kind == "progress":
                notify(value)
            elif kind == "report":
                return value
            elif kind == "error":
                raise value
            else:
                child.join(timeout=10)
                raise UpdateProcessDied(
                    f"the update's process stopped unexpectedly (exit code {child.exitcode})")
    finally:
        if child.exitcode is None:
            cancelled.value = 1  # an error here (in ``progress``, say): the child stops too
        child.join()
        receive.close()


def _child(data_dir: str, factory: LibraryFactory | None, rebuild: bool, analyse: bool,
           cancelled: Any, send: Any, parent: int) -> None:
    """In the child: the update, its progress and its outcome sent through ``send``."""
    gone = False  # the parent is (the pipe broke, or it exited)
    last = 0.0
    pending: Progress | None = None  # the latest progress not sent yet
    sent_phase = ""

    def put(message: tuple[str, Any]) -> None:
        nonlocal gone
        if gone:
            return
        try:
            send.send(message)
        except (OSError, ValueError):  # BrokenPipeError: the parent died
            gone = True

    def progress(p: Progress) -> None:
        nonlocal last, pending, sent_phase
        now = time.monotonic()
        if (p.phase != sent_phase or p.phase in (Phase.COMMIT, Phase.DONE)
                or now - last >= PROGRESS_EVERY):
            put(("progress", p))
            last, pending, sent_phase = now, None, p.phase
        else:
            pending = p

    def stop() -> bool:
        nonlocal gone
        if os.getppid() != parent:
            gone = True
        return gone or bool(cancelled.value)

    try:
        from index.library.core import Library

        library = factory(Path(data_dir)) if factory is not None else \
            Library(Path(data_dir), processes=None)
        try:
            report = library.update(progress, stop, rebuild=rebuild, analyse=analyse)
        finally:
            library.close()
        if pending is not None:
            put(("progress", pending))
        put(("report", report))
    except BaseException as exc:
        from index.model import LibraryError

        if not isinstance(exc, LibraryError):
            log.exception("the update failed")
        put(("error", _sendable(exc)))
    finally:
        send.close()


def _sendable(exc: BaseException) -> BaseException:
    """``exc`` if it survives pickling, else a :class:`RuntimeError` that says what it was."""
    import pickle

    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc
