"""The main window: library on the left, the reader in the centre, docked panels.

Every cross-widget connection is made in :meth:`MainWindow._connect_signals`; the widgets
themselves only know their own parts. All library work goes through the one worker thread
(:mod:`desktop.worker`); answers that can go stale carry a generation number and are
dropped when a newer request has been made. Bookmarks are small SQLite writes made on the
GUI thread through undoable commands.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QFileSystemWatcher, QSaveFile, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QToolBar,
    QWidget,
)

from desktop import APP_NAME
from desktop.bookmarkspanel import AddBookmark, BookmarksPanel, DeleteBookmark, EditNote
from desktop.librarypanel import LibraryPanel
from desktop.panels import (
    ARTICLE,
    LIBRARY,
    EntityPanel,
    Entry,
    article_entries,
    library_entity_entries,
    library_statement_entries,
    person_entries,
    place_entries,
    statement_entries,
)
from desktop.reader import Mark, ReaderPane
from desktop.searchbox import ARTICLE as SEARCH_ARTICLE
from desktop.searchbox import SearchBox, SearchResultsPanel
from desktop.settings import STATE_VERSION, Settings
from desktop.worker import LibraryFactory, WorkerClient

log = logging.getLogger(__name__)

#: Extensions offered by File > Add files… (``index.paths.ARTICLE_FORMATS``).
FILE_FILTER = "Articles (*.txt *.text *.md *.markdown *.html *.htm);;All files (*)"

#: Wait this long after the last change on disk before re-indexing (milliseconds).
WATCH_DEBOUNCE_MS = 1000


def merge_adjacent(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Joins hits separated only by a hyphen or a slash ("anti" "ship" -> "anti-ship"), so
    that a hyphenated query is one mark to step to, not two."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(set(spans)):
        if merged and text[merged[-1][1]:start] in ("", "-", "‐", "/"):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


class MainWindow(QMainWindow):
    """Broadsheet's window.

    ``library_factory`` and ``bookmark_store`` exist for tests (a fake library, a shared
    store); the program passes only ``data_dir``.

    Signals:
        articleShown(str): an article (its key) is displayed, analysis and all.
        marksChanged(str, int): what is being stepped through ("Lloyd Austin", "search",
            ...) and how many marks it has, after choosing an entry or a search.
        bookmarksChanged(int): the number of bookmarks, after any change.
        libraryChanged(int): the number of indexed articles, after (part of) an update.
        updateFinished(object): the ``UpdateReport`` of a finished background update.
    """

    articleShown = Signal(str)
    marksChanged = Signal(str, int)
    bookmarksChanged = Signal(int)
    libraryChanged = Signal(int)
    updateFinished = Signal(object)

    def __init__(self, data_dir: Path, parent: QWidget | None = None, *,
                 library_factory: LibraryFactory | None = None,
                 bookmark_store: Any = None) -> None:
        super().__init__(parent)
        self.data_dir = Path(data_dir)
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_NAME)
        self.setAcceptDrops(True)
        self.settings = Settings()
        self.undo_stack = QUndoStack(self)
        self.client = WorkerClient(self.data_dir, library_factory, self)
        self.store: Any = bookmark_store
        self.article: Any = None  # Article (or PreviewArticle) shown
        self.article_generation = 0
        self.search_generation = -1  # the search box generation whose marks we want
        self.documents: list[Any] = []
        self.titles: dict[str, str] = {}
        self._pending_focus: Callable[[], None] | None = None
        self._requested_key: str | None = None  # the article last asked for
        self._pending_paths: list[Path] = []
        self._restore_scroll: int | None = None
        self._started = False
        self._opened = False
        self._update_again = False
        self._chosen_speaker: str | None = None
        self._chosen_entity: Entry | None = None
        self._action_slots: list[tuple[QAction, Callable[..., Any]]] = []

        self._build_widgets()
        self._build_docks()
        self._build_actions()
        self._build_menus()
        self._connect_signals()
        self._restore_settings()

    # -- construction ---------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.pane = ReaderPane(self)
        self.reader = self.pane.view
        self.navigator = self.pane.navigator
        self.setCentralWidget(self.pane)
        self.search_box = SearchBox(self)
        self.toolbar = QToolBar("Main toolbar", self)
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setMovable(False)
        self.addToolBar(self.toolbar)

        status = self.statusBar()
        self.mark_position = QLabel(self)
        self.mark_position.setObjectName("statusMarkPosition")
        self.mark_position.setAccessibleName("Mark position")
        self.progress = QProgressBar(self)
        self.progress.setObjectName("indexProgress")
        self.progress.setAccessibleName("Indexing progress")
        self.progress.setMaximumWidth(220)
        self.progress.setRange(0, 1000)
        self.progress.hide()
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setAccessibleName("Cancel indexing")
        self.cancel_button.setToolTip("Stop indexing (what is done is kept)")
        self.cancel_button.hide()
        self.undo_button = QPushButton("Undo", self)
        self.undo_button.setAccessibleName("Undo")
        self.undo_button.hide()
        self.undo_hide = QTimer(self)
        self.undo_hide.setSingleShot(True)
        self.undo_hide.setInterval(10_000)
        status.addPermanentWidget(self.mark_position)
        status.addPermanentWidget(self.undo_button)
        status.addPermanentWidget(self.progress)
        status.addPermanentWidget(self.cancel_button)

        self.watcher = QFileSystemWatcher(self)
        self.watch_timer = QTimer(self)
        self.watch_timer.setSingleShot(True)
        self.watch_timer.setInterval(WATCH_DEBOUNCE_MS)

    def _dock(self, name: str, title: str, widget: QWidget,
              area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setAccessibleName(title)
        self.addDockWidget(area, dock)
        return dock

    def _build_docks(self) -> None:
        self.setDockNestingEnabled(True)
        right = Qt.DockWidgetArea.RightDockWidgetArea
        self.library_panel = LibraryPanel(self)
        self.people_panel = EntityPanel("person", "People", self)
        self.places_panel = EntityPanel("place", "Places", self)
        self.statements_panel = EntityPanel("statement", "Statements", self)
        self.bookmarks_panel = BookmarksPanel(self)
        self.results_panel = SearchResultsPanel(self)
        self.library_dock = self._dock("libraryDock", "Library", self.library_panel,
                                       Qt.DockWidgetArea.LeftDockWidgetArea)
        self.people_dock = self._dock("peopleDock", "People", self.people_panel, right)
        self.places_dock = self._dock("placesDock", "Places", self.places_panel, right)
        self.statements_dock = self._dock("statementsDock", "Statements",
                                          self.statements_panel, right)
        self.bookmarks_dock = self._dock("bookmarksDock", "Bookmarks", self.bookmarks_panel,
                                         right)
        self.results_dock = self._dock("searchResultsDock", "Search results",
                                       self.results_panel, right)
        self.splitDockWidget(self.people_dock, self.places_dock, Qt.Orientation.Vertical)
        self.splitDockWidget(self.places_dock, self.statements_dock, Qt.Orientation.Vertical)
        self.tabifyDockWidget(self.statements_dock, self.bookmarks_dock)
        self.tabifyDockWidget(self.statements_dock, self.results_dock)
        self.statements_dock.raise_()
        self.panels = {"person": self.people_panel, "place": self.places_panel,
                       "statement": self.statements_panel}
        self.docks = {"person": self.people_dock, "place": self.places_dock,
                      "statement": self.statements_dock}
        self.resize(1400, 880)
        self.resizeDocks([self.library_dock, self.people_dock], [300, 360],
                         Qt.Orientation.Horizontal)

    def _action(self, text: str, slot: Callable[..., Any] | None = None, *,
                shortcut: QKeySequence.StandardKey | str | Sequence[Any] | None = None,
                tip: str = "", checkable: bool = False) -> QAction:
        action = QAction(text, self)
        if isinstance(shortcut, list | tuple):
            action.setShortcuts([QKeySequence(s) for s in shortcut])
        elif isinstance(shortcut, str | QKeySequence.StandardKey):
            action.setShortcut(QKeySequence(shortcut))
        action.setCheckable(checkable)
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        if slot is not None:
            self._action_slots.append((action, slot))  # connected in _connect_signals
        self.addAction(action)  # shortcuts work even when the menu bar is hidden
        return action

    def _build_actions(self) -> None:
        SK = QKeySequence.StandardKey
        a = self._action
        self.add_folder_action = a("Add &folder…", self.add_folder_dialog, shortcut="Ctrl+Shift+O",
                                   tip="Add a folder of articles to the library")
        self.add_files_action = a("Add &files…", self.add_files_dialog, shortcut=SK.Open,
                                  tip="Add article files to the library")
        self.update_action = a("&Update library", self.update_library, shortcut=SK.Refresh,
                               tip="Re-index new and changed files")
        self.cancel_action = a("&Cancel indexing", self.cancel_update,
                               tip="Stop indexing (what is done is kept)")
        self.cancel_action.setEnabled(False)
        self.export_action = a("&Export bookmarks…", self.export_bookmarks,
                               tip="Save every bookmark to a Markdown file")
        self.quit_action = a("&Quit", self.close, shortcut=SK.Quit)
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence(SK.Undo))
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcut(QKeySequence(SK.Redo))
        self.addAction(self.undo_action)
        self.addAction(self.redo_action)
        self.copy_action = a("&Copy", self.reader.copy, shortcut=SK.Copy)
        self.select_all_action = a("Select &all", self.reader.selectAll, shortcut=SK.SelectAll)
        self.bookmark_action = a("&Bookmark selection…", self.bookmark_selection,
                                 shortcut="Ctrl+D", tip="Bookmark the selected passage (Ctrl+D)")
        self.search_action = a("&Search library", lambda: self.search_box.focus("library"),
                               shortcut="Ctrl+K", tip="Search the whole library (Ctrl+K)")
        self.find_action = a("&Find in article", lambda: self.search_box.focus("article"),
                             shortcut=SK.Find, tip="Search this article (Ctrl+F)")
        self.next_action = a("&Next mark", self.navigator.next, shortcut=SK.FindNext)
        self.previous_action = a("&Previous mark", self.navigator.previous,
                                 shortcut=SK.FindPrevious)
        self.clear_marks_action = a("C&lear marks", self.clear_marks, shortcut="Esc")
        # Esc belongs to the article (and its find bar); elsewhere it closes what it closes.
        self.removeAction(self.clear_marks_action)
        self.clear_marks_action.setShortcutContext(
            Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.pane.addAction(self.clear_marks_action)
        self.highlight_action = a("&Highlight people, places and statements",
                                  self.set_highlighter, shortcut="Ctrl+Shift+H",
                                  checkable=True,
                                  tip="Mark every person, place and statement at once")
        self.zoom_in_action = a("Zoom &in", self.reader.zoom_in,
                                shortcut=[QKeySequence(SK.ZoomIn), "Ctrl+="])
        self.zoom_out_action = a("Zoom &out", self.reader.zoom_out, shortcut=SK.ZoomOut)
        self.zoom_reset_action = a("&Actual size", self.reader.zoom_reset, shortcut="Ctrl+0")
        self.about_action = a("&About Broadsheet", self.about)
        self.reader.add_context_action(self.bookmark_action)

        self.toolbar.addAction(self.add_folder_action)
        self.toolbar.addAction(self.bookmark_action)
        self.toolbar.addAction(self.highlight_action)
        self.highlight_action.setIconText("Highlight all")
        self.bookmark_action.setIconText("Bookmark")
        self.add_folder_action.setIconText("Add folder")
        self.toolbar.addSeparator()
        self.toolbar.addWidget(self.search_box)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        for action in (self.add_folder_action, self.add_files_action, self.update_action,
                       self.cancel_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit = bar.addMenu("&Edit")
        for action in (self.undo_action, self.redo_action):
            edit.addAction(action)
        edit.addSeparator()
        for action in (self.copy_action, self.select_all_action, self.bookmark_action):
            edit.addAction(action)
        edit.addSeparator()
        for action in (self.search_action, self.find_action, self.next_action,
                       self.previous_action, self.clear_marks_action):
            edit.addAction(action)
        view = bar.addMenu("&View")
        self.view_menu = view
        for dock in (self.library_dock, self.people_dock, self.places_dock,
                     self.statements_dock, self.bookmarks_dock, self.results_dock):
            view.addAction(dock.toggleViewAction())
        view.addSeparator()
        view.addAction(self.highlight_action)
        view.addSeparator()
        for action in (self.zoom_in_action, self.zoom_out_action, self.zoom_reset_action):
            view.addAction(action)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.about_action)

    def _connect_signals(self) -> None:
        """Every connection between widgets, and between the worker and the widgets."""
        for action, slot in self._action_slots:  # menu and toolbar actions
            action.triggered.connect(slot)

        worker = self.client  # answers from the worker threads, re-emitted in this thread
        worker.opened.connect(self._library_opened)
        worker.documentsChanged.connect(self._documents_changed)
        worker.preview.connect(self._show_preview)
        worker.progress.connect(self._show_progress)
        worker.updateFinished.connect(self._update_finished)
        worker.articleLoaded.connect(self._article_loaded)
        worker.searchDone.connect(self._search_done)
        worker.searchFailed.connect(self.search_box.show_error)
        worker.hitsFound.connect(self._hits_found)
        worker.entitiesLoaded.connect(self._entities_loaded)
        worker.statementsLoaded.connect(self._statements_loaded)
        worker.failed.connect(self._worker_failed)

        self.library_panel.articleChosen.connect(self.open_article)
        for panel in self.panels.values():
            panel.entryChosen.connect(self.mark_entry)
            panel.libraryEntryChosen.connect(self._library_entry_chosen)
            panel.detailChosen.connect(self._detail_chosen)
            panel.scopeChanged.connect(self._scope_changed)
        self.reader.markClicked.connect(self._mark_clicked)
        self.reader.zoomChanged.connect(lambda step: self.settings.set("reader/zoom", step))
        self.navigator.moved.connect(self._mark_moved)
        self.pane.findbar.closeRequested.connect(self.clear_marks)

        self.search_box.searchRequested.connect(self._search_requested)
        self.search_box.cleared.connect(self._search_cleared)
        self.search_box.openTopRequested.connect(self._open_top_hit)
        self.search_box.escaped.connect(self.reader.setFocus)
        self.results_panel.hitChosen.connect(self.open_hit)

        self.bookmarks_panel.bookmarkChosen.connect(self.open_bookmark)
        self.bookmarks_panel.editNoteRequested.connect(self.edit_note)
        self.bookmarks_panel.deleteRequested.connect(self.delete_bookmark)
        self.bookmarks_panel.exportRequested.connect(self.export_bookmarks)
        self.undo_button.clicked.connect(self.undo_stack.undo)
        self.undo_button.clicked.connect(self.undo_button.hide)
        self.undo_hide.timeout.connect(self.undo_button.hide)

        self.cancel_button.clicked.connect(self.cancel_update)
        self.watcher.fileChanged.connect(self._disk_changed)
        self.watcher.directoryChanged.connect(self._disk_changed)
        self.watch_timer.timeout.connect(self.update_library)

    def _restore_settings(self) -> None:
        geometry, state = self.settings.geometry(), self.settings.state()
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state, STATE_VERSION)
        self.reader.set_zoom(self.settings.get_int("reader/zoom", 0))
        self.highlight_action.setChecked(self.settings.get_bool("reader/highlight", False))

    # -- the contract with desktop.app ----------------------------------------------

    def start(self) -> None:
        """Starts the worker: opens the library, then updates it. Returns at once."""
        if self._started:
            return
        self._started = True
        self.statusBar().showMessage("Opening the library…")
        self.client.start()
        self.client.openRequested.emit()
        QTimer.singleShot(0, self._open_bookmarks)

    def open_paths(self, paths: list[Path]) -> None:
        """Adds files and folders to the library (indexed in the background) and opens
        the first file once it is indexed."""
        paths = [Path(p).expanduser().absolute() for p in paths]
        if not paths:
            return
        if not self._started:
            self.start()
        from index.paths import is_article

        first = next((p for p in paths if p.is_file() and is_article(p)), None)
        if first is None:
            folder = next((p for p in paths if p.is_dir()), None)
            if folder is not None:
                first = next(iter(sorted(p for p in folder.rglob("*") if is_article(p))), None)
        if first is not None:
            self._pending_paths = [first]
        self.client.addRequested.emit([str(p) for p in paths])
        self.statusBar().showMessage(f"Adding {len(paths)} item(s) to the library…")
        self._try_pending_paths()
        self.update_library()

    # -- library --------------------------------------------------------------------

    def _library_opened(self, documents: list) -> None:
        self._opened = True
        self._documents_changed(documents)
        if self.article is None and documents:
            last = self.settings.get_str("reader/last_article")
            keys = {d.key for d in documents}
            key = last if last in keys else documents[0].key
            if key == last:
                self._restore_scroll = self.settings.get_int("reader/scroll", 0)
            self.open_article(key)
        self.statusBar().showMessage("Checking the library for new and changed files…", 5000)
        self.update_library()

    def _documents_changed(self, documents: list) -> None:
        self.documents = list(documents)
        self.titles = {d.key: d.title for d in documents}
        current = self.article.info.key if self.article is not None else ""
        self.library_panel.set_articles(documents, current)
        self.bookmarks_panel.model.set_titles(self.titles)
        self.libraryChanged.emit(len(documents))
        keys = set(self.titles)
        asked = self._requested_key  # an article already on its way wins
        if self.article is not None and getattr(self.article, "preview", False) \
                and current in keys and asked in (None, current):
            self.open_article(current)
        elif self.article is None and documents and not self._pending_paths and asked is None:
            self.open_article(documents[0].key)
        self._try_pending_paths()

    def _try_pending_paths(self) -> None:
        if not self._pending_paths or not self.titles:
            return
        from index.paths import document_key

        key = document_key(self._pending_paths[0])
        if key in self.titles:
            self._pending_paths = []
            self.open_article(key)

    def update_library(self) -> None:
        """Re-indexes new and changed files in the background (once at a time)."""
        if not self._started or not self._opened:
            return
        if self.client.busy:
            self._update_again = True
            return
        self.client.update()
        self.cancel_action.setEnabled(True)
        self.progress.setValue(0)
        self.progress.setFormat("Indexing…")
        self.progress.show()
        self.cancel_button.show()

    def cancel_update(self) -> None:
        self._update_again = False
        self.client.cancel()
        self.statusBar().showMessage("Cancelling…")

    def _show_progress(self, p: Any) -> None:
        self.progress.show()
        self.cancel_button.show()
        self.progress.setValue(int(p.fraction * 1000))
        words = {"scan": "Scanning", "analyse": "Analysing", "commit": "Saving",
                 "done": "Done"}.get(p.phase, p.phase)
        self.progress.setFormat(f"{words} {p.done}/{p.total}" if p.total else words)
        if p.path:
            self.statusBar().showMessage(f"{words} {Path(p.path).name}…")

    def _update_finished(self, report: Any) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        self.cancel_action.setEnabled(False)
        if report is not None:
            parts = [f"{len(report.added)} added" if report.added else "",
                     f"{len(report.updated)} updated" if report.updated else "",
                     f"{len(report.removed)} removed" if report.removed else "",
                     f"{len(report.failed)} could not be read" if report.failed else ""]
            done = ", ".join(p for p in parts if p) or "nothing new"
            self.statusBar().showMessage(
                ("Indexing cancelled: " if report.cancelled else "Library up to date: ") + done,
                8000)
            if report.failed:
                self.statusBar().setToolTip("\n".join(f"{Path(p.path).name}: {p.reason}"
                                                      for p in report.failed))
            if self.article is not None and self.article.info.key in report.updated:
                self.open_article(self.article.info.key, keep_place=True)
            if report.updated:
                self._load_bookmarks()
        self._refresh_library_scopes()
        self._watch()
        self.updateFinished.emit(report)
        if self._update_again:
            self._update_again = False
            self.update_library()

    def _worker_failed(self, message: str) -> None:
        self.statusBar().showMessage(message, 15000)

    def _watch(self) -> None:
        wanted = set()
        for doc in self.documents:
            wanted.add(str(doc.path))
            wanted.add(str(Path(str(doc.path)).parent))
        current = set(self.watcher.files()) | set(self.watcher.directories())
        new = sorted(p for p in wanted - current if Path(p).exists())
        if new:
            self.watcher.addPaths(new)

    def _disk_changed(self, _path: str) -> None:
        self.watch_timer.start()

    def add_folder_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Add a folder of articles")
        if folder:
            self.open_paths([Path(folder)])

    def add_files_dialog(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "Add articles", "", FILE_FILTER)
        if files:
            self.open_paths([Path(f) for f in files])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.open_paths(paths)

    # -- the article ----------------------------------------------------------------

    def open_article(self, key: str, *, focus: Callable[[], None] | None = None,
                     keep_place: bool = False) -> None:
        """Loads an article in the worker and shows it; ``focus`` runs once it is shown."""
        if keep_place and self.article is not None:
            scroll = self.reader.verticalScrollBar().value()
            self._restore_scroll = scroll
        self.article_generation += 1
        self._requested_key = key
        self._pending_focus = focus
        self.client.articleRequested.emit(self.article_generation, key)

    def _article_loaded(self, generation: int, article: Any) -> None:
        if generation != self.article_generation:
            return  # a newer article was asked for
        self._display(article)
        focus, self._pending_focus = self._pending_focus, None
        if self._restore_scroll is not None:
            value, self._restore_scroll = self._restore_scroll, None
            QTimer.singleShot(0, lambda: self.reader.verticalScrollBar().setValue(value))
        if focus is not None:
            focus()
        self.articleShown.emit(article.info.key)

    def _show_preview(self, article: Any) -> None:
        if self.article is None:
            self._display(article)
            self.statusBar().showMessage(
                "Analysing the article: people, places and statements appear in a moment…")

    def _display(self, article: Any) -> None:
        self.article = article
        info = article.info
        blocks = tuple(article.blocks)
        has_title = any(b.kind == "title" for b in blocks)
        dateline_span = None
        if info.dateline and not any(b.kind == "dateline" for b in blocks):
            at = article.text.find(info.dateline, 0, 200)
            if at >= 0:
                dateline_span = (at, at + len(info.dateline))
        self.reader.set_article(article.text, blocks, dateline_span)
        meta = " · ".join(x for x in (info.dateline or "", Path(str(info.path)).name) if x)
        self.pane.set_header("" if has_title else info.title, meta)
        self.setWindowTitle(f"{info.title} — {APP_NAME}")
        self.navigator.clear()
        self.pane.findbar.hide()
        self.mark_position.clear()
        analysis = article.analysis
        self.article_entries = {
            "person": person_entries(analysis.people),
            "place": place_entries(analysis.places),
            "statement": statement_entries(analysis.statements),
        }
        for kind, panel in self.panels.items():
            panel.set_entries(self.article_entries[kind], ARTICLE)
        self._mark_bookmarks()
        self.set_highlighter(self.highlight_action.isChecked())
        self.library_panel.show_current(info.key)
        if not getattr(article, "preview", False):
            self.settings.set("reader/last_article", info.key)
        if self.search_box.query() and self.search_box.current_scope() == SEARCH_ARTICLE:
            self.search_box.run()

    def _marks_for(self, entry: Entry, kind: str | None = None) -> list[Mark]:
        return [Mark(s, e, kind or entry.kind, entry.tooltip, entry) for s, e in entry.spans]

    def mark_entry(self, entry: Entry, *, go_first: bool = True) -> None:
        """Marks every mention of a person or place (or a statement's quotation), goes to
        the first, and lets next/previous step through them."""
        if self.article is None:
            return
        self.reader.set_marks("entry", self._marks_for(entry))
        what = entry.name if entry.kind != "statement" else "Statement"
        self.navigator.set_spans(what, entry.kind, entry.spans, go_first=go_first)
        self.marksChanged.emit(what, len(entry.spans))

    def clear_marks(self) -> None:
        for layer in ("entry", "search"):
            self.reader.clear_marks(layer)
        self.navigator.clear()
        self.pane.findbar.hide()
        self.mark_position.clear()
        for panel in self.panels.values():
            if panel.scope == ARTICLE:
                panel.clear_choice()

    def _mark_moved(self, current: int, total: int) -> None:
        where = (f"{current} of {total}" if current
                 else f"{total} mark{'s' if total != 1 else ''}")
        self.mark_position.setText(f"{self.navigator.what}: {where}" if total else "")

    def _mark_clicked(self, mark: Mark) -> None:
        entry = mark.payload
        if not isinstance(entry, Entry):
            return
        panel, dock = self.panels.get(entry.kind), self.docks.get(entry.kind)
        if panel is None or dock is None:
            return
        dock.show()
        dock.raise_()
        if panel.scope != ARTICLE:
            panel.set_scope(ARTICLE)
        panel.select(lambda e: e.kind == entry.kind and e.label == entry.label
                     and e.spans == entry.spans)
        self.mark_entry(entry, go_first=False)
        index = next((i for i, s in enumerate(self.navigator.spans)
                      if s == (mark.start, mark.end)), None)
        if index is not None:
            self.navigator.index = index
            self.navigator.moved.emit(index + 1, len(self.navigator.spans))

    def set_highlighter(self, on: bool) -> None:
        """The highlighter pen: every person, place and statement marked at once."""
        self.settings.set("reader/highlight", bool(on))
        if not on or self.article is None:
            self.reader.clear_marks("highlight")
            return
        marks: list[Mark] = []
        for kind in ("statement", "place", "person"):
            for entry in getattr(self, "article_entries", {}).get(kind, ()):
                marks.extend(self._marks_for(entry, f"highlight-{kind}"))
        self.reader.set_marks("highlight", marks)

    # -- library-wide panels ---------------------------------------------------------

    def _scope_changed(self, scope: str) -> None:
        panel = self.sender()
        if not isinstance(panel, EntityPanel):
            return
        if scope == ARTICLE:
            if self.article is not None:
                panel.set_entries(self.article_entries[panel.kind], ARTICLE)
        elif panel.kind == "statement":
            self.client.statementsRequested.emit(None)
        else:
            self.client.entitiesRequested.emit(panel.kind)

    def _refresh_library_scopes(self) -> None:
        for kind, panel in self.panels.items():
            if panel.scope == LIBRARY:
                if kind == "statement":
                    self.client.statementsRequested.emit(None)
                else:
                    self.client.entitiesRequested.emit(kind)

    def _entities_loaded(self, kind: str, entities: list) -> None:
        self.panels[kind].set_entries(library_entity_entries(entities), LIBRARY)

    def _statements_loaded(self, speaker: str | None, statements: list) -> None:
        if speaker is None:
            self.statements_panel.set_entries(library_statement_entries(statements), LIBRARY)
        elif speaker == self._chosen_speaker and self._chosen_entity is not None:
            entity = self._chosen_entity
            details = article_entries(entity.item) + library_statement_entries(statements)
            self.people_panel.set_details(
                f"{entity.name}: {len(entity.item.articles)} article(s), "
                f"{len(statements)} statement(s)", details)

    def _library_entry_chosen(self, entry: Entry) -> None:
        if entry.kind == "statement":
            self._open_statement(entry)
            return
        panel = self.panels[entry.kind]
        panel.set_details(f"{entry.name}: {len(entry.item.articles)} article(s)",
                          article_entries(entry.item))
        if entry.kind == "person":
            self._chosen_speaker, self._chosen_entity = entry.name, entry
            self.client.statementsRequested.emit(entry.name)

    def _detail_chosen(self, entry: Entry) -> None:
        if entry.kind == "statement":
            self._open_statement(entry)
            return
        name, kind = entry.item.name, entry.item.kind

        def focus() -> None:
            match = next((e for e in self.article_entries.get(kind, ())
                          if e.name == name), None)
            if match is not None:
                self.mark_entry(match)

        self.open_article(entry.key, focus=focus)

    def _open_statement(self, entry: Entry) -> None:
        statement = entry.item.statement

        def focus() -> None:
            match = next((e for e in self.article_entries["statement"]
                          if e.item.start == statement.start), None)
            if match is not None:
                self.mark_entry(match)

        self.open_article(entry.key, focus=focus)

    # -- search ---------------------------------------------------------------------

    def _search_requested(self, generation: int, query: str, scope: str) -> None:
        self.search_generation = generation
        if scope == SEARCH_ARTICLE:
            if self.article is not None and not getattr(self.article, "preview", False):
                self.client.hitsRequested.emit(generation, self.article.info.key, query)
        else:
            self.client.searchRequested.emit(generation, query, 50)

    def _search_cleared(self) -> None:
        self.results_panel.clear()
        self.reader.clear_marks("search")
        if self.navigator.kind == "search":
            self.navigator.clear()
            self.pane.findbar.hide()

    def _search_done(self, generation: int, result: Any) -> None:
        if not self.search_box.is_current(generation):
            return  # stale: the user has typed since
        self.search_box.show_result(generation, result.total, result.suggestion)
        self.results_panel.set_result(result.query, result.hits, result.total)
        self.results_dock.show()
        self.results_dock.raise_()
        if self.article is not None:
            hit = next((h for h in result.hits if h.key == self.article.info.key), None)
            self._mark_hits(result.query, hit.hits if hit else (), go_first=False)

    def _hits_found(self, generation: int, key: str, spans: Any) -> None:
        if generation != self.search_generation or self.article is None \
                or key != self.article.info.key:
            return
        self.search_box.show_result(generation, len(spans), None)
        if not spans:
            self.search_box.show_message("Not in this article.")
        self._mark_hits(self.search_box.query(), spans, go_first=True)

    def _mark_hits(self, query: str, spans: Iterable[tuple[int, int]], go_first: bool) -> None:
        spans = merge_adjacent(self.article.text if self.article else "", spans)
        self.reader.set_marks("search", [Mark(s, e, "search", f"Matches “{query}”")
                                         for s, e in spans])
        if spans:
            self.navigator.set_spans(f"“{query}”", "search", spans, go_first=go_first)
            self.marksChanged.emit("search", len(spans))

    def _open_top_hit(self) -> None:
        if self.search_box.current_scope() == SEARCH_ARTICLE:
            self.navigator.next()
            return
        hit = self.results_panel.top_hit()
        if hit is not None:
            self.open_hit(hit)

    def open_hit(self, hit: Any) -> None:
        """Opens a search hit's article with the hits marked, at the first."""
        query = self.results_panel.model.query or self.search_box.query()

        def focus() -> None:
            if hit.hits:
                self._mark_hits(query, hit.hits, go_first=True)
            else:
                self.search_generation = self.search_box.generation
                self.client.hitsRequested.emit(self.search_generation, hit.key, query)

        self.open_article(hit.key, focus=focus)

    # -- bookmarks ------------------------------------------------------------------

    def _open_bookmarks(self) -> None:
        if self.store is None:
            try:
                from index.bookmarks import BookmarkStore

                self.store = BookmarkStore(self.data_dir)
            except Exception as exc:
                log.exception("bookmarks")
                self.statusBar().showMessage(f"Bookmarks unavailable: {exc}", 15000)
                return
        self._load_bookmarks()

    def _load_bookmarks(self) -> None:
        if self.store is None:
            return
        bookmarks = self.store.list()
        self.bookmarks_panel.set_bookmarks(bookmarks, self.titles)
        self._mark_bookmarks(bookmarks)
        self.bookmarksChanged.emit(len(bookmarks))

    def _mark_bookmarks(self, bookmarks: Sequence[Any] | None = None) -> None:
        if self.article is None:
            return
        if bookmarks is None:
            bookmarks = self.bookmarks_panel.model.bookmarks()
        key = self.article.info.key
        self.reader.set_marks("bookmarks", [
            Mark(b.start, b.end, "bookmark",
                 "Bookmark" + (f": {b.note}" if b.note else ""), None)
            for b in bookmarks if b.key == key and not b.orphaned])

    def ask_note(self, title: str, note: str = "") -> tuple[str, bool]:
        """Asks for a bookmark's note; returns (note, accepted). Tests replace it."""
        text, ok = QInputDialog.getMultiLineText(self, title, "Note (optional):", note)
        return text, ok

    def bookmark_selection(self) -> None:
        """Bookmarks the selected passage (Ctrl+D), with an optional note."""
        span = self.reader.selection_span()
        if self.article is None or span is None or span[0] == span[1]:
            self.statusBar().showMessage("Select a passage to bookmark it.", 5000)
            return
        if self.store is None:
            self._open_bookmarks()
        if self.store is None:
            return
        note, ok = self.ask_note("Bookmark")
        if not ok:
            return
        info = self.article.info
        self.undo_stack.push(AddBookmark(self.store, self._load_bookmarks, info.key,
                                         str(info.path), self.article.text, span[0], span[1],
                                         note.strip()))
        self.reader.setTextCursor(self.reader.span_cursor(span[1], span[1]))  # show the mark
        self.statusBar().showMessage("Bookmarked.", 5000)

    def edit_note(self, bookmark: Any) -> None:
        note, ok = self.ask_note("Edit note", bookmark.note)
        if ok and note.strip() != bookmark.note:
            self.undo_stack.push(EditNote(self.store, self._load_bookmarks, bookmark,
                                          note.strip()))

    def delete_bookmark(self, bookmark: Any) -> None:
        self.undo_stack.push(DeleteBookmark(self.store, self._load_bookmarks, bookmark))
        self.statusBar().showMessage("Bookmark deleted.", 10_000)
        self.undo_button.show()
        self.undo_hide.start()

    def open_bookmark(self, bookmark: Any) -> None:
        if bookmark.key not in self.titles:
            self.statusBar().showMessage("This bookmark's article is not in the library.", 8000)
            return

        def focus() -> None:
            if bookmark.orphaned:
                self.statusBar().showMessage(
                    "This bookmark's passage is no longer in the article.", 8000)
            else:
                self.reader.go_to(bookmark.start, bookmark.end)

        self.open_article(bookmark.key, focus=focus)

    def ask_export_path(self) -> str:
        path, _ = QFileDialog.getSaveFileName(self, "Export bookmarks", "bookmarks.md",
                                              "Markdown (*.md)")
        return path

    def export_bookmarks(self) -> None:
        if self.store is None:
            return
        path = self.ask_export_path()
        if not path:
            return
        out = QSaveFile(path)
        data = self.store.export_markdown(self.titles).encode("utf-8")
        if out.open(QSaveFile.OpenModeFlag.WriteOnly) and out.write(data) == len(data) \
                and out.commit():
            self.statusBar().showMessage(f"Bookmarks exported to {path}", 8000)
        else:
            out.cancelWriting()
            self.statusBar().showMessage(f"Could not write {path}: {out.errorString()}", 15000)

    # -- the rest -------------------------------------------------------------------

    def about(self) -> None:
        QMessageBox.about(
            self, f"About {APP_NAME}",
            f"<h3>{APP_NAME}</h3><p>A reader for a library of news articles: the people, "
            "places and statements in each, at a glance.</p>"
            "<p>Search uses Whoosh's query language: <code>anti-ship</code>, "
            "<code>title:japan</code>, <code>\"joint statement\"</code>, "
            "<code>austin AND taiwan</code>.</p>"
            "<p>Names, places and quotations are found by spaCy's <i>en_core_web_sm</i> "
            "model, on this computer; nothing is sent anywhere.</p>")

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.save_window(self.saveGeometry(), self.saveState(STATE_VERSION))
        if self.article is not None and not getattr(self.article, "preview", False):
            self.settings.set("reader/last_article", self.article.info.key)
            self.settings.set("reader/scroll", self.reader.verticalScrollBar().value())
        self.settings.set("reader/zoom", self.reader.zoom_step)
        self.settings.sync()
        self.client.stop()
        if self.store is not None and hasattr(self.store, "close"):
            self.store.close()
        super().closeEvent(event)
