"""The one typed service between the window and the library's threads.

:class:`LibraryService` lives in the GUI thread. It owns two long-lived threads, each with
its own :class:`index.library.Library` on the same data directory (the library is built for
several readers and one writer):

* the **writer** opens the library, adds and removes sources, runs ``update()`` (the
  Whoosh writer; it may start spaCy processes), forgets problems, and looks at the disk for
  the window (which files were handed over, which folders to watch, a first-run preview);
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
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThread, QTimer, Signal, SignalInstance, Slot

from desktop.curation import CorrectionLedger
from index.curation import Correction
from index.model import (
    Analysis,
    Article,
    ArticleInfo,
    EntityKind,
    EntityPage,
    LibraryError,
    Phase,
    Progress,
    QueryError,
    SearchCancelled,
    SearchResult,
    UpdateReport,
)

if TYPE_CHECKING:
    from index.library import Library

log = logging.getLogger(__name__)

LibraryFactory = Callable[[Path], "Library"]

#: How often the reader asks whether another process has committed an update (ms).
POLL_MS = 2000


def default_library(data_dir: Path) -> Library:
    from index.library import Library  # imported in a worker thread: Whoosh is not cheap

    # processes=None: a batch of hundreds of articles (a folder added) is analysed in two
    # worker processes, started fresh (this process has threads), so the window's own
    # process only writes the index.
    return Library(data_dir, processes=None)


class Answers(QObject):
    """What the workers answer; :class:`LibraryService` re-emits it in the GUI thread.

    Signals:
        opened(list): the library is open: its articles (``list[ArticleInfo]``).
        documentsChanged(list): the articles after (part of) an update, ours or another
            process's (``list[ArticleInfo]``).
        analysisState(int, int): after a commit the reader saw, how many articles are
            analysed and how many are searchable (for an update this window did not start).
        committed(): the reader saw a commit it had not seen (an update's, ours or another
            process's, a batch of analysis): what the library-wide lists show may have
            changed.
        preview(Article): a first run's first source file, read without analysis.
        handedOver(list): keys (``list[str]``) of the article files among paths added, in
            the order given: the window opens the first.
        progress(Progress): an update's progress.
        updateFinished(UpdateReport): an update finished (or was cancelled).
        problemsChanged(list): the library's problems (``list[Problem]``) after an update.
        watchFolders(list): the folders (``list[str]``) holding the library's articles.
        articleLoaded(int, Article): generation, the article.
        articleMissing(int, str): generation, the key of an article no longer indexed.
        searchDone(int, SearchResult): generation, the result.
        queryFailed(int, QueryError): generation, why the query cannot be run.
        hitsFound(int, str, tuple): generation, article key, the hits' spans.
        entitiesLoaded(EntityKind, list): kind, ``list[LibraryEntity]``.
        statementsLoaded(str, list): speaker ("" for everyone), ``list[LibraryStatement]``.
        pageLoaded(int, EntityPage): generation, a person's or place's page.
        pageMissing(int, str): generation, the name no entry goes by.
        curationChanged(Correction, bool): a correction was made or restored (True) or
            taken back (False): what the panels and pages show has changed.
        libraryFailed(LibraryError): the library could not do what was asked.
        failed(str): something unexpected went wrong (logged with its traceback).
    """

    opened = Signal(list)
    documentsChanged = Signal(list)
    committed = Signal()
    analysisState = Signal(int, int)
    preview = Signal(Article)
    handedOver = Signal(list)
    progress = Signal(Progress)
    updateFinished = Signal(UpdateReport)
    problemsChanged = Signal(list)
    watchFolders = Signal(list)
    articleLoaded = Signal(int, Article)
    articleMissing = Signal(int, str)
    searchDone = Signal(int, SearchResult)
    queryFailed = Signal(int, QueryError)
    hitsFound = Signal(int, str, tuple)
    entitiesLoaded = Signal(EntityKind, list)
    statementsLoaded = Signal(str, list)
    pageLoaded = Signal(int, EntityPage)
    pageMissing = Signal(int, str)
    curationChanged = Signal(Correction, bool)
    libraryFailed = Signal(LibraryError)
    failed = Signal(str)

    def answers(self) -> tuple[SignalInstance, ...]:
        """Every answer, in one order, for relaying one object's to another's."""
        return (self.opened, self.documentsChanged, self.committed, self.analysisState,
                self.preview,
                self.handedOver, self.progress, self.updateFinished, self.problemsChanged,
                self.watchFolders,
                self.articleLoaded, self.articleMissing, self.searchDone, self.queryFailed,
                self.hitsFound, self.entitiesLoaded, self.statementsLoaded,
                self.pageLoaded, self.pageMissing, self.curationChanged,
                self.libraryFailed, self.failed)



class _Worker(Answers):
    """A library in a thread; its signals are those of :class:`Answers`."""

    def __init__(self, data_dir: Path, factory: LibraryFactory) -> None:
        super().__init__()
        self.data_dir = data_dir
        self.factory = factory
        self.library: Library | None = None

    @contextmanager
    def _guard(self, what: str) -> Iterator[None]:
        """Turns a library call's failure into the answer that says so."""
        try:
            yield
        except LibraryError as exc:
            self.libraryFailed.emit(exc)
        except Exception as exc:
            log.exception("%s failed", what)
            self.failed.emit(f"{what}: {exc or type(exc).__name__}")

    def _open(self) -> Library | None:
        if self.library is None:
            with self._guard("Opening the library"):
                self.library = self.factory(self.data_dir)
        return self.library

    @Slot()
    def close(self) -> None:
        if self.library is not None:
            library, self.library = self.library, None
            library.close()


class Writer(_Worker):
    """Opening, adding, removing, updating: the thread that holds the writer."""

    def __init__(self, data_dir: Path, factory: LibraryFactory) -> None:
        super().__init__(data_dir, factory)
        self.cancel_event = threading.Event()

    @Slot()
    def open_library(self) -> None:
        library = self._open()
        if library is None:
            return
        with self._guard("Listing the library"):
            docs = library.documents()
            self.opened.emit(docs)
            self.problemsChanged.emit(library.problems())
            self._emit_watch(docs)
            if not docs:
                self._preview_first(library)

    def _preview_first(self, library: Library) -> None:
        from index.documents import DocumentError, load_document
        from index.paths import document_key, is_article

        for source in library.sources():
            files = (sorted(p for p in source.rglob("*") if is_article(p))
                     if source.is_dir() else [source])
            if files:
                try:
                    doc = load_document(files[0])
                except DocumentError:
                    return  # the update will list it among the problems
                info = ArticleInfo(document_key(files[0]), str(files[0]), doc.title,
                                   doc.dateline, str(files[0].parent), doc.size, doc.mtime)
                self.preview.emit(Article(info, doc.text, tuple(doc.blocks), Analysis()))
                return

    @Slot(list)
    def add_sources(self, paths: list[str]) -> None:
        from index.paths import document_key, is_article

        library = self._open()
        if library is None:
            return
        with self._guard(f"Adding {len(paths)} item(s)"):
            library.add_sources([Path(p) for p in paths])
        files = [Path(p) for p in paths if Path(p).is_file() and is_article(Path(p))]
        self.handedOver.emit([document_key(p) for p in files])

    @Slot(str)
    def remove_source(self, path: str) -> None:
        library = self._open()
        if library is not None:
            with self._guard(f"Removing {path}"):
                library.remove_source(Path(path))

    @Slot(str)
    def retry(self, path: str) -> None:
        library = self._open()
        if library is not None:
            with self._guard(f"Retrying {path}"):
                library.retry(Path(path))

    @Slot()
    def update(self) -> None:
        library = self._open()
        if library is None:
            self.updateFinished.emit(UpdateReport(cancelled=True))
            return
        self.cancel_event.clear()
        last_time, last_phase = 0.0, ""

        def progress(p: Progress) -> None:
            nonlocal last_time, last_phase
            now = time.monotonic()
            # Throttle: the GUI needs a few updates a second, not one per file.
            if p.phase != last_phase or now - last_time > 0.1 or p.phase == Phase.DONE:
                self.progress.emit(p)
                if p.phase == Phase.COMMIT and p.phase != last_phase:
                    self.documentsChanged.emit(library.documents())
                last_time, last_phase = now, p.phase

        report = UpdateReport(cancelled=True)
        with self._guard("Updating the library"):
            report = library.update(progress, self.cancel_event.is_set)
        with self._guard("Listing the library"):
            docs = library.documents()
            self.documentsChanged.emit(docs)
            self.problemsChanged.emit(library.problems())
            self._emit_watch(docs)
        self.updateFinished.emit(report)

    def _emit_watch(self, docs: list[ArticleInfo]) -> None:
        folders = {os.path.dirname(d.path) for d in docs}
        self.watchFolders.emit(sorted(f for f in folders if os.path.isdir(f)))


class Reader(_Worker):
    """Searches and reads; notices another process's updates."""

    def __init__(self, data_dir: Path, factory: LibraryFactory) -> None:
        super().__init__(data_dir, factory)
        self._token: str | None = None  # none seen yet
        self.ledger = CorrectionLedger()  # the window's corrections, for undo and redo
        #: The generation of the newest search asked for (set from the GUI thread): an
        #: older one still running is abandoned.
        self.latest_search = -1

    @Slot()
    def poll(self) -> None:
        """Compares the library's state token with the last one seen (the service asks
        every :data:`POLL_MS`) and, when another update has been committed, sends the
        article list again and says so (``committed``: the library-wide lists and the
        bookmarks are read again)."""
        library = self._open()
        if library is None:
            return
        with self._guard("Checking the library"):
            token = library.state_token()
            if self._token is None or token != self._token:
                # The first time too: a change may come before it.
                first, self._token = self._token is None, token
                self.documentsChanged.emit(library.documents())
                if not first:
                    self.committed.emit()
                    self.analysisState.emit(*library.analysis_state())

    @Slot(int, str)
    def load_article(self, generation: int, key: str) -> None:
        library = self._open()
        if library is None:
            return
        with self._guard("Opening the article"):
            try:
                article = library.article(key)
            except KeyError:
                self.articleMissing.emit(generation, key)
                return
            self.articleLoaded.emit(generation, article)

    @Slot(str)
    def prioritise(self, key: str) -> None:
        """An article shown before its analysis: the running update (ours or another
        process's) analyses it next."""
        library = self._open()
        if library is not None:
            with self._guard("Asking for the article's analysis"):
                library.prioritise(key)

    @Slot(int, str, int)
    def search(self, generation: int, query: str, limit: int) -> None:
        library = self._open()
        if library is None:
            return
        with self._guard("Searching"):
            try:
                result = library.search(query, limit,
                                        should_stop=lambda: self.latest_search != generation)
            except QueryError as exc:
                self.queryFailed.emit(generation, exc)
                return
            except SearchCancelled:
                return  # a newer search was asked for: its answer is the one wanted
            self.searchDone.emit(generation, result)

    @Slot(int, str, str)
    def hits_in(self, generation: int, key: str, query: str) -> None:
        library = self._open()
        if library is None:
            return
        with self._guard("Searching the article"):
            try:
                spans = tuple(library.hits_in(key, query))
            except QueryError as exc:
                self.queryFailed.emit(generation, exc)
                return
            except KeyError:
                spans = ()
            self.hitsFound.emit(generation, key, spans)

    @Slot(EntityKind)
    def entities(self, kind: EntityKind) -> None:
        library = self._open()
        if library is not None:
            with self._guard("Listing the library"):
                self.entitiesLoaded.emit(kind, library.entities(kind))

    @Slot(str)
    def statements(self, speaker: str) -> None:
        library = self._open()
        if library is not None:
            with self._guard("Listing the statements"):
                self.statementsLoaded.emit(speaker, library.statements(speaker or None))


    @Slot(int, list, str)
    def entity_page(self, generation: int, names: list[str], kind: str) -> None:
        """The page of the first of ``names`` that an entry goes by (any kind if ``kind``
        is empty): after a correction the page follows its entry by an old name."""
        library = self._open()
        if library is None:
            return
        with self._guard("Opening the page"):
            for name in names:
                try:
                    page = library.entity_page(name, kind or None)
                except KeyError:
                    continue
                self.pageLoaded.emit(generation, page)
                return
            self.pageMissing.emit(generation, names[0] if names else "")

    @Slot(int, str, str, str)
    def correct(self, token: int, op: str, subject: str, value: str) -> None:
        library = self._open()
        if library is not None:
            with self._guard("Correcting"):
                self.curationChanged.emit(self.ledger.make(library, token, op, subject, value),
                                          True)

    @Slot(int)
    def undo_correction(self, token: int) -> None:
        library = self._open()
        if library is not None:
            with self._guard("Undoing the correction"):
                correction = self.ledger.undo(library, token)
                if correction is not None:
                    self.curationChanged.emit(correction, False)

    @Slot(int)
    def redo_correction(self, token: int) -> None:
        library = self._open()
        if library is not None:
            with self._guard("Redoing the correction"):
                correction = self.ledger.redo(library, token)
                if correction is not None:
                    self.curationChanged.emit(correction, True)


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
        factory = factory or default_library
        self.writer_thread = QThread()
        self.writer_thread.setObjectName("broadsheet-writer")
        self.writer = Writer(data_dir, factory)
        self.writer.moveToThread(self.writer_thread)
        self.reader_thread = QThread()
        self.reader_thread.setObjectName("broadsheet-reader")
        self.reader = Reader(data_dir, factory)
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
