"""What the library's worker threads answer, and the worker both threads build on.

:class:`Answers` is every answer signal :class:`desktop.service.LibraryService` relays to
the GUI thread; :class:`Worker` is a library in a thread, with the guard that turns a
library call's failure into the answer that says so.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, SignalInstance, Slot

from index.curation import Correction
from index.model import (
    Article,
    ArticleInfo,
    EntityKind,
    EntityPage,
    LibraryError,
    Progress,
    QueryError,
    SearchResult,
    UpdateReport,
)

if TYPE_CHECKING:
    from index.library import Library

log = logging.getLogger("desktop.service")  # the service's log, as before the split

LibraryFactory = Callable[[Path], "Library"]


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



class Worker(Answers):
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

    def _emit_watch(self, docs: list[ArticleInfo]) -> None:
        """The folders holding ``docs`` that exist (this thread looks at the disk)."""
        folders = {os.path.dirname(d.path) for d in docs}
        self.watchFolders.emit(sorted(f for f in folders if os.path.isdir(f)))

    @Slot()
    def close(self) -> None:
        if self.library is not None:
            library, self.library = self.library, None
            library.close()

