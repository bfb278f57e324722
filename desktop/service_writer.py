"""The writer thread's worker: opening, adding, removing, updating the library."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Slot

from desktop.service_answers import LibraryFactory, Worker
from index.model import Analysis, Article, ArticleInfo, Phase, Progress, UpdateReport

if TYPE_CHECKING:
    from index.library import Library


class Writer(Worker):
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

