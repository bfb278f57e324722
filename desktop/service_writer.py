"""The writer thread's worker: opening, adding, removing, updating the library.

An update runs in a child process (:func:`index.library.worker.update_in_child`): the
Whoosh writers, the analysis and their memory stay out of the window's process, and this
thread relays the child's progress, passes the Cancel button on, and says what the update
did or why it failed. The article list is the reader's to send, at each of the update's
commits and after it (:meth:`desktop.service_reader.Reader.update_done`); this thread's own
library (adding and removing sources, the list when the window opens) is closed once the
window has its first list, so the window's process holds one copy of it, the reader's."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal, Slot

from desktop.service_answers import LibraryFactory, Worker
from index.model import Analysis, Article, ArticleInfo, Phase, Progress, UpdateReport

if TYPE_CHECKING:
    from index.library import Library


class Writer(Worker):
    """Opening, adding, removing, updating: the thread that holds the writer.

    Signals (besides those of :class:`Answers`):
        commitMade(): the running update committed (the reader looks at the library at
            once, rather than at its next poll).
        updated(UpdateReport): the update ended; the reader lists the library, then says
            ``updateFinished``.
    """

    commitMade = Signal()
    updated = Signal(UpdateReport)

    def __init__(self, data_dir: Path, factory: LibraryFactory,
                 update_factory: LibraryFactory | None = None) -> None:
        super().__init__(data_dir, factory)
        #: What the update's child process opens the library with (None: the real
        #: analyser, one process per core); it must be picklable.
        self.update_factory = update_factory
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
        self.close()  # the reader's library is the one that stays open (this one reopens)

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
        """Runs an update in a child process, relaying its progress; ``updated`` at the
        end (also when it failed: what it did is kept)."""
        from index.library.worker import update_in_child

        self.cancel_event.clear()
        last_time, last_phase = 0.0, ""

        def progress(p: Progress) -> None:
            nonlocal last_time, last_phase
            now = time.monotonic()
            # Throttle: the GUI needs a few updates a second, not one per file.
            if p.phase != last_phase or now - last_time > 0.1 or p.phase == Phase.DONE:
                self.progress.emit(p)
                if p.phase == Phase.COMMIT and p.phase != last_phase:
                    self.commitMade.emit()
                last_time, last_phase = now, p.phase

        report = UpdateReport(cancelled=True)
        with self._guard("Updating the library"):
            report = update_in_child(self.data_dir, progress, self.cancel_event.is_set,
                                     factory=self.update_factory)
        self.updated.emit(report)

