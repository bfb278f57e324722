"""The reader thread's worker: searches, article loads, library-wide lists, pages and
corrections, the poll that notices updates (the window's, at each of their commits, and
another process's), and the article list after the window's update."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Slot

from desktop.curation import CorrectionLedger
from desktop.service_answers import LibraryFactory, Worker
from index.model import EntityKind, QueryError, SearchCancelled, UpdateReport

#: How often the reader asks whether another process has committed an update (ms).
POLL_MS = 2000


class Reader(Worker):
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

    @Slot(UpdateReport)
    def update_done(self, report: UpdateReport) -> None:
        """After an update (run by the writer's child process): the article list, the
        problems and the folders to watch, then ``updateFinished`` — in that order, so
        that the window opens a file handed over from a list that holds it."""
        library = self._open()
        if library is not None:
            with self._guard("Listing the library"):
                docs = library.documents()
                self.documentsChanged.emit(docs)
                self.problemsChanged.emit(library.problems())
                self._emit_watch(docs)
        self.updateFinished.emit(report)

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

