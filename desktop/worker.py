"""Library work off the GUI thread.

One long-lived worker thread owns ``Library.update`` (the Whoosh writer; it may load
spaCy): opening the library, adding sources, indexing. A second long-lived thread answers
reads — searches, hits in an article, loading an article, library-wide people and
statements — from its own :class:`index.library.Library` instance, which reopens the
index when an update has committed (the library is built for several readers and one
writer). So a search typed during a long indexing run is answered at once.

Requests are queued signals from :class:`WorkerClient` (in the GUI thread) to a
:class:`Worker` (in its thread); answers come back as queued signals, which the client
re-emits in the GUI thread. Requests that can go stale (searches, article loads) carry a
generation number the caller compares with its latest; stale answers are dropped there.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from index.model import Analysis, Block, Progress

log = logging.getLogger(__name__)

LibraryFactory = Callable[[Path], Any]


def default_library(data_dir: Path) -> Any:
    from index.library import Library  # imported in the worker thread: Whoosh is not cheap

    # processes=None: a batch of hundreds of articles (a folder added) is analysed in two
    # worker processes, started fresh (this process has threads), so the window's own
    # process only writes the index.
    return Library(data_dir, processes=None)


@dataclass(frozen=True)
class PreviewInfo:
    """What the reader needs of an article that is not indexed yet."""

    key: str
    path: Path
    title: str
    dateline: str | None = None
    source: str = ""
    size: int = 0
    mtime: float = 0.0


@dataclass(frozen=True)
class PreviewArticle:
    """A file read directly (no NLP) so the first run shows the seed article at once;
    replaced by the analysed article when indexing has finished."""

    info: PreviewInfo
    text: str
    blocks: tuple[Block, ...] = ()
    analysis: Analysis = field(default_factory=Analysis)
    preview: bool = True


def _message(exc: BaseException) -> str:
    return str(getattr(exc, "message", "") or exc) or type(exc).__name__


class _Answers(QObject):
    """The answers a :class:`Worker` gives, which :class:`WorkerClient` re-emits in the GUI
    thread.

    Signals:
        opened(list): the library is open; the indexed articles (``ArticleInfo`` list).
        documentsChanged(list): the article list after (part of) an update.
        preview(object): a :class:`PreviewArticle` of the first source file, on a first run.
        progress(object): a :class:`index.model.Progress` while updating.
        updateFinished(object): the :class:`index.model.UpdateReport`.
        articleLoaded(int, object): generation, ``Article``.
        searchDone(int, object): generation, ``SearchResult``.
        searchFailed(int, str): generation, the message of the ``QueryError``.
        hitsFound(int, str, object): generation, article key, tuple of spans.
        entitiesLoaded(str, list): kind (``person``/``place``), ``LibraryEntity`` list.
        statementsLoaded(object, list): speaker (or None), ``LibraryStatement`` list.
        failed(str): something went wrong that the user should read.
    """

    opened = Signal(list)
    documentsChanged = Signal(list)
    preview = Signal(object)
    progress = Signal(object)
    updateFinished = Signal(object)
    articleLoaded = Signal(int, object)
    searchDone = Signal(int, object)
    searchFailed = Signal(int, str)
    hitsFound = Signal(int, str, object)
    entitiesLoaded = Signal(str, list)
    statementsLoaded = Signal(object, list)
    failed = Signal(str)


#: The names of the signals above, for relaying them.
ANSWERS = ("opened", "documentsChanged", "preview", "progress", "updateFinished",
           "articleLoaded", "searchDone", "searchFailed", "hitsFound", "entitiesLoaded",
           "statementsLoaded", "failed")


class Worker(_Answers):
    """Runs library calls in its thread; its signals are those of :class:`_Answers`."""

    def __init__(self, data_dir: Path, factory: LibraryFactory | None = None, *,
                 lazy: bool = False) -> None:
        super().__init__()
        self.data_dir = data_dir
        self.factory = factory or default_library
        self.library: Any = None
        self.lazy = lazy  # a reader opens its library on the first request
        self.cancel_event = threading.Event()

    def _ready(self) -> bool:
        if self.library is None and self.lazy:
            try:
                self.library = self.factory(self.data_dir)
            except Exception as exc:
                self.failed.emit(f"Could not open the library: {_message(exc)}")
        return self.library is not None

    # -- requests (run in the worker thread) ------------------------------------------

    @Slot()
    def open_library(self) -> None:
        try:
            self.library = self.factory(self.data_dir)
            docs = self.library.documents()
        except Exception as exc:
            log.exception("opening the library failed")
            self.failed.emit(f"Could not open the library: {_message(exc)}")
            return
        self.opened.emit(docs)
        if not docs:
            self._preview_first()

    def _preview_first(self) -> None:
        try:
            from index import documents
            from index.paths import document_key, is_article

            for source in self.library.sources():
                source = Path(source)
                files = (sorted(p for p in source.rglob("*") if is_article(p))
                         if source.is_dir() else [source])
                if files:
                    doc = documents.load_document(files[0])
                    info = PreviewInfo(document_key(files[0]), files[0], doc.title,
                                       doc.dateline, str(files[0].parent))
                    self.preview.emit(PreviewArticle(info, doc.text, tuple(doc.blocks)))
                    return
        except Exception:  # a preview is a nicety; indexing will show the article anyway
            log.debug("no preview", exc_info=True)

    @Slot(list)
    def add_sources(self, paths: list) -> None:
        if self.library is None:
            return
        try:
            self.library.add_sources([Path(p) for p in paths])
        except Exception as exc:
            self.failed.emit(f"Could not add {len(paths)} item(s): {_message(exc)}")

    @Slot()
    def update(self) -> None:
        if self.library is None:
            return
        self.cancel_event.clear()
        last_time, last_phase = 0.0, ""

        def progress(p: Progress) -> None:
            nonlocal last_time, last_phase
            now = time.monotonic()
            # Throttle: the GUI needs a few updates a second, not one per file.
            if p.phase != last_phase or now - last_time > 0.1 or p.phase == "done":
                self.progress.emit(p)
                if p.phase in ("commit", "done") and p.phase != last_phase:
                    try:
                        self.documentsChanged.emit(self.library.documents())
                    except Exception:
                        log.debug("documents() mid-update", exc_info=True)
                last_time, last_phase = now, p.phase

        try:
            report = self.library.update(progress, self.cancel_event.is_set)
        except Exception as exc:
            log.exception("update failed")
            self.failed.emit(_message(exc))
            self.updateFinished.emit(None)
            return
        try:
            self.documentsChanged.emit(self.library.documents())
        except Exception as exc:
            self.failed.emit(_message(exc))
        self.updateFinished.emit(report)

    @Slot(int, str)
    def load_article(self, generation: int, key: str) -> None:
        if not self._ready():
            return
        try:
            article = self.library.article(key)
        except Exception as exc:
            self.failed.emit(f"Could not open the article: {_message(exc)}")
            return
        self.articleLoaded.emit(generation, article)

    @Slot(int, str, int)
    def search(self, generation: int, query: str, limit: int) -> None:
        if not self._ready():
            return
        try:
            result = self.library.search(query, limit)
        except Exception as exc:  # QueryError, and anything else, shown under the field
            self.searchFailed.emit(generation, _message(exc))
            return
        self.searchDone.emit(generation, result)

    @Slot(int, str, str)
    def hits_in(self, generation: int, key: str, query: str) -> None:
        if not self._ready():
            return
        try:
            spans = tuple(self.library.hits_in(key, query))
        except Exception as exc:
            self.searchFailed.emit(generation, _message(exc))
            return
        self.hitsFound.emit(generation, key, spans)

    @Slot(str)
    def entities(self, kind: str) -> None:
        if not self._ready():
            return
        try:
            self.entitiesLoaded.emit(kind, list(self.library.entities(kind)))
        except Exception as exc:
            self.failed.emit(_message(exc))

    @Slot(object)
    def statements(self, speaker: str | None) -> None:
        if not self._ready():
            return
        try:
            self.statementsLoaded.emit(speaker, list(self.library.statements(speaker)))
        except Exception as exc:
            self.failed.emit(_message(exc))

    @Slot()
    def close(self) -> None:
        if self.library is not None:
            try:
                self.library.close()
            finally:
                self.library = None


class WorkerClient(_Answers):
    """The GUI thread's handle on the two workers: requests, answers, the threads' life.

    Signals (requests, connected to the workers' slots across threads):
        openRequested(), addRequested(list), updateRequested(),
        articleRequested(int, str), searchRequested(int, str, int),
        hitsRequested(int, str, str), entitiesRequested(str), statementsRequested(object),
        closeRequested().

    Signals (answers, re-emitted in the GUI thread; see :class:`_Answers`):
        opened(list), documentsChanged(list), preview(object), progress(object),
        updateFinished(object), articleLoaded(int, object), searchDone(int, object),
        searchFailed(int, str), hitsFound(int, str, object), entitiesLoaded(str, list),
        statementsLoaded(object, list), failed(str).
    """

    openRequested = Signal()
    addRequested = Signal(list)
    updateRequested = Signal()
    articleRequested = Signal(int, str)
    searchRequested = Signal(int, str, int)
    hitsRequested = Signal(int, str, str)
    entitiesRequested = Signal(str)
    statementsRequested = Signal(object)
    closeRequested = Signal()


    def __init__(self, data_dir: Path, factory: LibraryFactory | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.worker_thread = QThread()
        self.worker_thread.setObjectName("broadsheet-writer")
        self.worker = Worker(data_dir, factory)
        self.worker.moveToThread(self.worker_thread)
        self.reader_thread = QThread()
        self.reader_thread.setObjectName("broadsheet-reader")
        self.reader = Worker(data_dir, factory, lazy=True)
        self.reader.moveToThread(self.reader_thread)

        self.openRequested.connect(self.worker.open_library)
        self.addRequested.connect(self.worker.add_sources)
        self.updateRequested.connect(self.worker.update)
        self.closeRequested.connect(self.worker.close)
        self.articleRequested.connect(self.reader.load_article)
        self.searchRequested.connect(self.reader.search)
        self.hitsRequested.connect(self.reader.hits_in)
        self.entitiesRequested.connect(self.reader.entities)
        self.statementsRequested.connect(self.reader.statements)
        self.closeRequested.connect(self.reader.close)
        for name in ANSWERS:
            for source in (self.worker, self.reader):
                getattr(source, name).connect(getattr(self, name))  # queued: other thread
        self.worker_thread.finished.connect(self.worker.deleteLater)
        self.reader_thread.finished.connect(self.reader.deleteLater)
        self.busy = False
        self.updateFinished.connect(self._update_done)

    def start(self) -> None:
        self.worker_thread.start()
        self.reader_thread.start()

    def update(self) -> None:
        self.busy = True
        self.updateRequested.emit()

    def _update_done(self, _report: object) -> None:
        self.busy = False

    def cancel(self) -> None:
        """Asks a running update to stop (checked between files)."""
        self.worker.cancel_event.set()

    def stop(self, timeout_ms: int = 30_000) -> None:
        """Cancels any update, closes the libraries in their threads, ends the threads."""
        if not self.worker_thread.isRunning() and not self.reader_thread.isRunning():
            return
        self.cancel()
        self.closeRequested.emit()
        for thread in (self.reader_thread, self.worker_thread):
            thread.quit()
        for thread in (self.reader_thread, self.worker_thread):
            if not thread.wait(timeout_ms):
                log.warning("the %s thread did not stop in time", thread.objectName())
