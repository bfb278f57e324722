"""The one typed service between the window and the library's threads.

:class:`LibraryService` lives in the GUI thread. It owns two long-lived threads, each with
its own :class:`index.library.Library` on the same data directory (the library is built for
several readers and one writer):

* the **writer** opens the library, adds and removes sources, runs an update in a child
  process (:mod:`index.library.worker`: the Whoosh writers, spaCy and their memory never
  enter the window's process) and relays its progress, forgets problems, and looks at the
  disk for the window (which files were handed over, which folders to watch, a first-run
  preview);
* the **reader** answers searches, hits in an article, article loads and the library-wide
  people, places and statements, a person's or place's page, makes the reader's
  corrections (and undoes them), and polls :meth:`Library.state_token` so that an update
  committed by another process (the command line) refreshes the window's list.

Requests are queued signals to the workers' slots; answers come back as queued signals
with the library's own value objects. Answers that can go stale (searches, article loads)
carry a generation number the caller compares with its latest.

Errors are typed end to end: a :class:`QueryError` comes back as ``queryFailed`` (shown under
the search field), any other :class:`LibraryError` as ``libraryFailed`` (the Problems dock);
anything else is logged with its traceback and comes back once as ``failed``.

The workers are :class:`desktop.service_writer.Writer` and
:class:`desktop.service_reader.Reader`; their answers, :class:`desktop.service_answers.Answers`.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThread, QTimer, Signal

from desktop.service_answers import Answers, LibraryFactory
from desktop.service_reader import POLL_MS, Reader
from desktop.service_writer import Writer
from index.model import EntityKind, UpdateReport

if TYPE_CHECKING:
    from index.library import Library

__all__ = ["POLL_MS", "Answers", "LibraryFactory", "LibraryService", "Reader", "Writer",
           "default_library"]

log = logging.getLogger(__name__)


def default_library(data_dir: Path) -> Library:
    from index.library import Library  # imported in a worker thread: Whoosh is not cheap

    # The threads' library reads, adds and removes sources; updates run in a child process
    # (index.library.worker), which opens its own with the analysis in one process per core.
    return Library(data_dir)



class LibraryService(Answers):
    """The GUI thread's handle on the two workers: requests, answers, the threads' life.

    Requests are methods; answers are the signals of :class:`Answers`, emitted in the GUI
    thread.
    """

    _open = Signal()
    _add = Signal(list)
    _remove = Signal(str)
    _retry = Signal(str)
    _update = Signal()
    _article = Signal(int, str)
    _prioritise = Signal(str)
    _search = Signal(int, str, int)
    _hits = Signal(int, str, str)
    _entities = Signal(EntityKind)
    _statements = Signal(str)
    _page = Signal(int, list, str)
    _correct = Signal(int, str, str, str)
    _undo_correction = Signal(int)
    _redo_correction = Signal(int)
    _poll = Signal()
    _close = Signal()

    def __init__(self, data_dir: Path, factory: LibraryFactory | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        # The update's child process opens the library with ``factory`` as given (None:
        # the real analyser), so a factory given must be picklable.
        self.writer = Writer(data_dir, factory or default_library, factory)
        self.writer_thread = QThread()
        self.writer_thread.setObjectName("broadsheet-writer")
        self.writer.moveToThread(self.writer_thread)
        self.reader_thread = QThread()
        self.reader_thread.setObjectName("broadsheet-reader")
        self.reader = Reader(data_dir, factory or default_library)
        self.reader.moveToThread(self.reader_thread)
        self.busy = False
        # The poll's clock runs here: a timer in the reader's thread was seen to stop
        # ticking in the tests' event loops.
        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(POLL_MS)
        self.poll_timer.timeout.connect(self._poll)

        for request, slot in ((self._open, self.writer.open_library),
                              (self._add, self.writer.add_sources),
                              (self._remove, self.writer.remove_source),
                              (self._retry, self.writer.retry),
                              (self._update, self.writer.update),
                              (self._close, self.writer.close),
                              (self._article, self.reader.load_article),
                              (self._prioritise, self.reader.prioritise),
                              (self._search, self.reader.search),
                              (self._hits, self.reader.hits_in),
                              (self._entities, self.reader.entities),
                              (self._statements, self.reader.statements),
                              (self._page, self.reader.entity_page),
                              (self._correct, self.reader.correct),
                              (self._undo_correction, self.reader.undo_correction),
                              (self._redo_correction, self.reader.redo_correction),
                              (self._poll, self.reader.poll),
                              (self._close, self.reader.close)):
            request.connect(slot)
        for source in (self.writer, self.reader):
            for theirs, ours in zip(source.answers(), self.answers(), strict=True):
                theirs.connect(ours)  # queued: another thread
        # An update's commit: the reader sends the new article list and says "committed"
        # now, not at its next poll; its end: the reader lists, then says it ended.
        self.writer.commitMade.connect(self._poll)
        self.writer.updated.connect(self.reader.update_done)
        self.writer_thread.finished.connect(self.writer.deleteLater)
        self.reader_thread.finished.connect(self.reader.deleteLater)
        self.updateFinished.connect(self._update_done)

    # -- requests -------------------------------------------------------------------

    def start(self) -> None:
        """Starts the threads and opens the library (answered by ``opened``)."""
        self.writer_thread.start()
        self.reader_thread.start()
        self._open.emit()
        self._poll.emit()  # the token now: a commit before the first tick is a change too
        self.poll_timer.start()

    def add(self, paths: list[Path]) -> None:
        self._add.emit([str(p) for p in paths])

    def remove_source(self, path: str) -> None:
        self._remove.emit(path)

    def retry(self, path: str) -> None:
        self._retry.emit(path)

    def update(self) -> None:
        self.busy = True
        self._update.emit()

    def cancel(self) -> None:
        """Asks a running update to stop (checked between files)."""
        self.writer.cancel_event.set()

    def article(self, generation: int, key: str) -> None:
        self._article.emit(generation, key)

    def prioritise(self, key: str) -> None:
        """Asks for article ``key`` to be analysed before the others still waiting."""
        self._prioritise.emit(key)

    def search(self, generation: int, query: str, limit: int) -> None:
        self.reader.latest_search = generation
        self._search.emit(generation, query, limit)

    def hits_in(self, generation: int, key: str, query: str) -> None:
        self._hits.emit(generation, key, query)

    def entities(self, kind: EntityKind) -> None:
        self._entities.emit(kind)

    def statements(self, speaker: str = "") -> None:
        self._statements.emit(speaker)

    def entity_page(self, generation: int, names: list[str], kind: str = "") -> None:
        self._page.emit(generation, list(names), kind)

    def correct(self, token: int, op: str, subject: str, value: str = "") -> None:
        """Makes a correction (see :mod:`desktop.curation`), answered by
        ``curationChanged``."""
        self._correct.emit(token, op, subject, value)

    def undo_correction(self, token: int) -> None:
        self._undo_correction.emit(token)

    def redo_correction(self, token: int) -> None:
        self._redo_correction.emit(token)

    def _update_done(self, _report: UpdateReport) -> None:
        self.busy = False

    def stop(self, timeout_ms: int = 30_000) -> None:
        """Cancels any update, closes the libraries in their threads, ends the threads."""
        if not self.writer_thread.isRunning() and not self.reader_thread.isRunning():
            return
        self.poll_timer.stop()
        self.cancel()
        self._close.emit()
        for thread in (self.reader_thread, self.writer_thread):
            thread.quit()
        for thread in (self.reader_thread, self.writer_thread):
            if not thread.wait(timeout_ms):
                log.warning("the %s thread did not stop in time", thread.objectName())
