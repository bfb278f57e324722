"""The main window: the library on the left, the reader in the centre, docked panels.

This module only builds: the widgets and docks, the actions and menus, the behaviours
(each panel's in its own module), and in :meth:`MainWindow._connect_signals` every
connection between them. Where a feature lives:

========================  ==============================================================
the article and its marks  :mod:`desktop.reading` (``Reading``)
people's and places' pages :mod:`desktop.entitypage` (``Pages``), :mod:`desktop.worldmap`
corrections, with undo     :mod:`desktop.curation` (``Curator``)
searching                  :mod:`desktop.searchbox` (``Search``), :mod:`desktop.searchresults`
bookmarks                  :mod:`desktop.bookmarks` (``Bookmarks``), :mod:`desktop.bookmarkspanel`
whole-library panels       :mod:`desktop.scopes` (``LibraryScopes``), :mod:`desktop.panels`
sources, updates, problems :mod:`desktop.updates` (``Updates``), :mod:`desktop.problems`
the library's threads      :mod:`desktop.service` (``LibraryService``)
actions, toolbar, menus    :mod:`desktop.actions` (made here, connected here)
========================  ==============================================================
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from desktop import APP_NAME
from desktop.actions import (
    WindowActions,
    build_actions,
    build_menus,
    build_shortcuts,
    show_about,
)
from desktop.kinds import EntryKind, Scope
from desktop.pane import ReaderPane
from desktop.searchbox import SearchBox
from desktop.settings import STATE_VERSION, Settings

if TYPE_CHECKING:

    from desktop.bookmarks import Bookmarks
    from desktop.bookmarkspanel import BookmarksPanel
    from desktop.curation import Curator
    from desktop.entitypage import EntityPageView, Pages
    from desktop.librarypanel import LibraryPanel
    from desktop.panels import EntityPanel
    from desktop.problems import ProblemsPanel
    from desktop.reading import Reading
    from desktop.scopes import LibraryScopes
    from desktop.searchbox import Search
    from desktop.searchresults import SearchResultsPanel
    from desktop.service import LibraryFactory, LibraryService
    from desktop.updates import Updates
    from desktop.worldmap import WorldMap
    from index.bookmarks import BookmarkStore
    from index.model import Article, ArticleInfo

#: The docks' default layout, as ``saveState(STATE_VERSION)`` gives it for the layout that
#: :meth:`MainWindow._place_docks` makes (base64). The frame restores it instead of placing
#: the docks itself: placing takes Qt's dock-area and orientation enums, and the first use of
#: the ``Qt`` namespace that holds them costs the first frame a sixth of a bare window's
#: start-up (see desktop.app). tests/desktop/test_mainwindow.py checks that the two agree
#: and prints this anew when they do not.
DEFAULT_LAYOUT = (
    b"AAAA/wAAAAH9AAAAAgAAAAAAAAEsAAADIPwCAAAAAfwAAAA1AAADIAAAACoBAAAZ+gAAAAACAAAAAvsAAAAW"
    b"AGwAaQBiAHIAYQByAHkARABvAGMAawEAAAAA/////wAAABAA////+wAAABgAcAByAG8AYgBsAGUAbQBzAEQA"
    b"bwBjAGsBAAAAAP////8AAAAQAP///wAAAAEAAAFoAAADIPwCAAAAA/sAAAAUAHAAZQBvAHAAbABlAEQAbwBj"
    b"AGsBAAAANQAAAKoAAAAQAP////sAAAAUAHAAbABhAGMAZQBzAEQAbwBjAGsBAAAA5QAAAKsAAAAQAP////wA"
    b"AAGWAAABvwAAACoBAAAZ+gAAAAACAAAAA/sAAAAcAHMAdABhAHQAZQBtAGUAbgB0AHMARABvAGMAawEAAAAA"
    b"/////wAAABAA////+wAAABoAYgBvAG8AawBtAGEAcgBrAHMARABvAGMAawEAAAAA/////wAAABAA////+wAA"
    b"ACIAcwBlAGEAcgBjAGgAUgBlAHMAdQBsAHQAcwBEAG8AYwBrAQAAAAD/////AAAAEAD///8AAAOzAAADIAAA"
    b"AAQAAAAEAAAACAAAAAj8AAAAAQAAAAIAAAABAAAAFgBtAGEAaQBuAFQAbwBvAGwAYgBhAHIBAAAAAP////8A"
    b"AAAAAAAAAA=="
)


class MainWindow(QMainWindow, WindowActions):
    """Broadsheet's window.

    The window is built in two steps, so that its first paint comes quickly: the frame
    (menus, toolbar, the reader, empty docks) when it is made, the docks' contents and
    everything behind them in :meth:`start`, which ``desktop.app`` calls after the first
    paint.

    ``library_factory`` and ``bookmark_store`` exist for tests (a library with a fake
    analyser, a shared store); the program passes only ``data_dir``.

    Signals:
        articleShown(str): an article (its key) is displayed, analysis and all.
        marksChanged(str, int): what is being stepped through ("Lloyd Austin", "search",
            ...) and how many marks it has, after choosing an entry or a search.
        bookmarksChanged(int): the number of bookmarks, after any change.
        libraryChanged(int): the number of indexed articles, after (part of) an update.
        updateFinished(object): the ``UpdateReport`` of a background update.
    """

    articleShown = Signal(str)
    marksChanged = Signal(str, int)
    bookmarksChanged = Signal(int)
    libraryChanged = Signal(int)
    updateFinished = Signal(object)  # UpdateReport: index.model is not imported yet

    # Made by start(), after the first paint.
    service: LibraryService
    library_panel: LibraryPanel
    people_panel: EntityPanel
    places_panel: EntityPanel
    statements_panel: EntityPanel
    bookmarks_panel: BookmarksPanel
    results_panel: SearchResultsPanel
    problems_panel: ProblemsPanel
    panels: dict[EntryKind, EntityPanel]
    reading: Reading
    search: Search
    bookmarks: Bookmarks
    scopes: LibraryScopes
    updates: Updates
    page_view: EntityPageView
    places_map: WorldMap
    pages: Pages
    curator: Curator

    def __init__(self, data_dir: Path, parent: QWidget | None = None, *,
                 library_factory: LibraryFactory | None = None,
                 bookmark_store: BookmarkStore | None = None) -> None:
        super().__init__(parent)
        self.data_dir = Path(data_dir)
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_NAME)
        self.setAcceptDrops(True)
        self.settings = Settings()
        self.undo_stack = QUndoStack(self)
        self._library_factory = library_factory
        self._store = bookmark_store
        self.started = False

        self._build_widgets()
        self._build_docks()
        self._build_actions()
        self._build_menus()
        self._restore_settings()

    # -- construction: the frame ------------------------------------------------------

    def _build_widgets(self) -> None:
        self.pane = ReaderPane(self)
        self.reader = self.pane.view
        self.navigator = self.pane.navigator
        self.centre = QStackedWidget(self)  # the article, or a person's or place's page
        self.centre.addWidget(self.pane)
        self.setCentralWidget(self.centre)
        self.search_box = SearchBox(self)
        self.toolbar = QToolBar("Main toolbar", self)
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setMovable(False)
        self.addToolBar(self.toolbar)
        self.mark_position = QLabel(self)
        self.mark_position.setObjectName("statusMarkPosition")
        self.mark_position.setAccessibleName("Mark position")
        self.undo_button = QPushButton("Undo", self)
        self.undo_button.setAccessibleName("Undo")
        self.undo_button.hide()
        status = self.statusBar()
        status.addPermanentWidget(self.mark_position)
        status.addPermanentWidget(self.undo_button)

    def _dock(self, name: str, title: str) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setAccessibleName(title)
        return dock

    def _build_docks(self) -> None:
        """The docks, empty; :meth:`_restore_settings` puts them in their places."""
        self.setDockNestingEnabled(True)
        self.library_dock = self._dock("libraryDock", "Library")
        self.people_dock = self._dock("peopleDock", "People")
        self.places_dock = self._dock("placesDock", "Places")
        self.statements_dock = self._dock("statementsDock", "Statements")
        self.bookmarks_dock = self._dock("bookmarksDock", "Bookmarks")
        self.results_dock = self._dock("searchResultsDock", "Search results")
        self.problems_dock = self._dock("problemsDock", "Problems")
        self.docks = {EntryKind.PERSON: self.people_dock, EntryKind.PLACE: self.places_dock,
                      EntryKind.STATEMENT: self.statements_dock}
        self.resize(1400, 880)

    def _place_docks(self) -> None:
        """The default layout, dock by dock: the library (the problems tabbed behind it) on
        the left; people above places above statements (bookmarks and search results tabbed
        behind them) on the right. :data:`DEFAULT_LAYOUT` is this layout, saved."""
        from PySide6.QtCore import Qt  # not in the first frame: see DEFAULT_LAYOUT

        left, right = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
        self.addDockWidget(left, self.library_dock)
        for dock in (self.people_dock, self.places_dock, self.statements_dock,
                     self.bookmarks_dock, self.results_dock):
            self.addDockWidget(right, dock)
        self.addDockWidget(left, self.problems_dock)
        self.splitDockWidget(self.people_dock, self.places_dock, Qt.Orientation.Vertical)
        self.splitDockWidget(self.places_dock, self.statements_dock, Qt.Orientation.Vertical)
        self.tabifyDockWidget(self.statements_dock, self.bookmarks_dock)
        self.tabifyDockWidget(self.statements_dock, self.results_dock)
        self.tabifyDockWidget(self.library_dock, self.problems_dock)
        self.statements_dock.raise_()
        self.library_dock.raise_()
        self.resizeDocks([self.library_dock, self.people_dock], [300, 360],
                         Qt.Orientation.Horizontal)

    def _build_actions(self) -> None:
        build_actions(self)

    def _build_menus(self) -> None:
        build_menus(self)

    # -- construction: what is behind the frame (after the first paint) ---------------

    def _build_contents(self) -> None:
        """The docks' contents, the library's threads, the behaviours and the keys."""
        from desktop.bookmarks import Bookmarks
        from desktop.bookmarkspanel import BookmarksPanel
        from desktop.curation import Curator
        from desktop.entitypage import EntityPageView, Pages
        from desktop.librarypanel import LibraryPanel
        from desktop.panels import EntityPanel
        from desktop.problems import ProblemsPanel
        from desktop.reading import Reading
        from desktop.scopes import LibraryScopes
        from desktop.searchbox import Search
        from desktop.searchresults import SearchResultsPanel
        from desktop.service import LibraryService
        from desktop.updates import Updates
        from desktop.worldmap import WorldMap

        self.service = LibraryService(self.data_dir, self._library_factory, self)
        self.library_panel = LibraryPanel(self)
        self.people_panel = EntityPanel(EntryKind.PERSON, "People", self)
        self.places_panel = EntityPanel(EntryKind.PLACE, "Places", self)
        self.statements_panel = EntityPanel(EntryKind.STATEMENT, "Statements", self)
        self.bookmarks_panel = BookmarksPanel(self)
        self.results_panel = SearchResultsPanel(self)
        self.problems_panel = ProblemsPanel(self)
        for dock, panel in ((self.library_dock, self.library_panel),
                            (self.people_dock, self.people_panel),
                            (self.places_dock, self.places_panel),
                            (self.statements_dock, self.statements_panel),
                            (self.bookmarks_dock, self.bookmarks_panel),
                            (self.results_dock, self.results_panel),
                            (self.problems_dock, self.problems_panel)):
            dock.setWidget(panel)
        self.panels = {EntryKind.PERSON: self.people_panel, EntryKind.PLACE: self.places_panel,
                       EntryKind.STATEMENT: self.statements_panel}
        self.page_view = EntityPageView(self)
        self.centre.addWidget(self.page_view)
        self.places_map = WorldMap(self.places_panel)  # the Places panel's, in library scope
        self.places_map.setObjectName("placesMap")
        self.places_panel.splitter.insertWidget(0, self.places_map)
        self.places_map.setMinimumHeight(140)
        self.places_panel.splitter.setStretchFactor(0, 3)
        self.places_panel.splitter.setStretchFactor(1, 2)
        self.places_map.setVisible(self.places_panel.scope == Scope.LIBRARY)
        self.reading = Reading(self.service, self.pane, self.panels, self.settings, self)
        self.search = Search(self.service, self.search_box, self.results_panel, self.reading,
                             self)
        self.bookmarks = Bookmarks(self.data_dir, self.bookmarks_panel, self.reading,
                                   self.undo_stack, self.settings, self, store=self._store)
        self.scopes = LibraryScopes(self.service, self.panels, self.reading, self)
        self.updates = Updates(self.service, self.reading, self.problems_panel,
                               self.cancel_action, self.settings, self)
        self.pages = Pages(self.service, self.page_view, self.centre, self.pane, self.reading,
                           self)
        self.curator = Curator(self.service, self.undo_stack, self, names=self.scopes.names)
        status = self.statusBar()
        status.addPermanentWidget(self.updates.progress)
        status.addPermanentWidget(self.updates.cancel_button)
        self._connect_signals()
        build_shortcuts(self)
        self.search_box.finish()
        self.reading.set_highlighter(self.highlight_action.isChecked())

    def _connect_signals(self) -> None:
        """Every connection between widgets, behaviours and the library's threads."""
        reading, search, bookmarks, updates = (self.reading, self.search, self.bookmarks,
                                               self.updates)
        for action, slot in (
                (self.add_folder_action, updates.add_folder_dialog),
                (self.add_files_action, updates.add_files_dialog),
                (self.update_action, updates.update), (self.cancel_action, updates.cancel),
                (self.export_action, bookmarks.export), (self.quit_action, self.close),
                (self.copy_action, self.reader.copy),
                (self.select_all_action, self.reader.selectAll),
                (self.bookmark_action, bookmarks.add_selection),
                (self.search_action, functools.partial(self.search_box.focus, Scope.LIBRARY)),
                (self.find_action, functools.partial(self.search_box.focus, Scope.ARTICLE)),
                (self.next_action, self.navigator.next),
                (self.previous_action, self.navigator.previous),
                (self.clear_marks_action, reading.clear_marks),
                (self.zoom_in_action, self.reader.zoom_in),
                (self.zoom_out_action, self.reader.zoom_out),
                (self.zoom_reset_action, self.reader.zoom_reset),
                (self.back_action, self.pages.back),
                (self.forward_action, self.pages.forward),
                (self.about_action, self.about)):
            action.triggered.connect(slot)
        self.highlight_action.toggled.connect(self._set_highlighter)
        status = self.statusBar()

        service = self.service  # answers from the threads, re-emitted in this thread
        service.opened.connect(self._listed)
        service.opened.connect(self.updates.library_opened)
        service.documentsChanged.connect(self._listed)
        service.committed.connect(self.scopes.refresh)
        service.committed.connect(self.bookmarks.load)  # an update re-anchors them
        service.analysisState.connect(self.updates.analysis_state)
        service.handedOver.connect(self.reading.handed_over)
        service.preview.connect(self.reading.show_preview)
        service.progress.connect(self.updates.show_progress)
        service.updateFinished.connect(self.updates.finished)
        service.updateFinished.connect(self.reading.update_finished)
        service.updateFinished.connect(self.bookmarks.load)
        service.updateFinished.connect(self.scopes.refresh)
        service.updateFinished.connect(self.updateFinished)
        service.problemsChanged.connect(self.problems_panel.model.set_problems)
        service.watchFolders.connect(self.updates.watch_folders)
        service.articleLoaded.connect(self.reading.loaded)
        service.articleMissing.connect(self.reading.missing)
        service.searchDone.connect(self.search.done)
        service.queryFailed.connect(self.search.failed)
        service.hitsFound.connect(self.search.hits_found)
        service.entitiesLoaded.connect(self.scopes.entities_loaded)
        service.statementsLoaded.connect(self.scopes.statements_loaded)
        service.pageLoaded.connect(self.pages.loaded)
        service.pageMissing.connect(self.pages.missing)
        service.curationChanged.connect(self.pages.curation_changed)
        service.curationChanged.connect(self.scopes.corrected)
        service.entitiesLoaded.connect(self.places_map.entities_loaded)
        service.searchDone.connect(functools.partial(self.search.offer_page, self.scopes.names))
        service.libraryFailed.connect(self.updates.library_failed)
        service.failed.connect(self.updates.failed)

        reading = self.reading
        reading.shown.connect(self._article_shown)
        reading.shown.connect(self.updates.watch_article)
        reading.shown.connect(self.bookmarks.mark_article)
        reading.shown.connect(self.search.article_shown)
        reading.marksChanged.connect(self.marksChanged)
        reading.panelWanted.connect(lambda kind: self._raise(self.docks[kind]))
        reading.message.connect(status.showMessage)
        self.library_panel.articleChosen.connect(reading.open)
        for panel in self.panels.values():
            panel.entryChosen.connect(reading.mark_entry)
            panel.entryChosen.connect(self._entry_marked)
            panel.libraryEntryChosen.connect(self.scopes.chosen)
            panel.detailChosen.connect(self.scopes.detail_chosen)
            panel.scopeChanged.connect(functools.partial(self.scopes.scope_changed, panel))
        self.reader.markClicked.connect(reading.mark_clicked)
        self.reader.zoomChanged.connect(lambda step: self.settings.set("reader/zoom", step))
        self.navigator.moved.connect(self._mark_moved)
        self.pane.findbar.closeRequested.connect(reading.clear_marks)

        pages, curator = self.pages, self.curator
        reading.shown.connect(pages.article_shown)
        self.library_panel.articleChosen.connect(lambda _key: pages.show_reader())
        for panel in self.panels.values():
            panel.entryChosen.connect(lambda _entry: pages.show_reader())
            panel.list.doubleClicked.connect(pages.entry_activated)
            panel.details.doubleClicked.connect(pages.entry_activated)
            for view in (panel.list, panel.details):
                curator.attach(view, lambda: self.reading.key)
        self.reader.add_context_filler(lambda menu, offset: curator.fill_text_menu(
            menu, [e for rows in reading.entries.values() for e in rows], reading.key, offset))
        self.page_view.linkChosen.connect(pages.link_chosen)
        self.page_view.menuRequested.connect(functools.partial(pages.page_menu, curator))
        self.page_view.exportRequested.connect(pages.export)
        self.page_view.placeClicked.connect(lambda name: pages.open(name, "place"))
        pages.navigable.connect(self.back_action.setEnabled)
        pages.navigable.connect(lambda _back, forward: self.forward_action.setEnabled(forward))
        pages.message.connect(status.showMessage)
        pages.shown.connect(lambda page: self.setWindowTitle(f"{page.entity.name} — {APP_NAME}"))
        self.centre.currentChanged.connect(self._centre_changed)
        curator.pageRequested.connect(pages.open)
        curator.statementRequested.connect(pages.open_statement)
        self.results_panel.pageRequested.connect(pages.open)
        self.places_panel.scopeChanged.connect(
            lambda scope: self.places_map.setVisible(scope == Scope.LIBRARY))
        self.places_panel.libraryEntryChosen.connect(
            lambda entry: self.places_map.select(entry.name))
        self.places_map.placeClicked.connect(lambda name: self.places_panel.select(
            lambda e: e.name == name, notify=True))

        search = self.search
        self.search_box.searchRequested.connect(search.requested)
        self.search_box.cleared.connect(search.cleared)
        self.search_box.openTopRequested.connect(search.enter)
        self.search_box.escaped.connect(self.reader.setFocus)
        self.results_panel.hitChosen.connect(search.open_hit)
        self.results_panel.hitChosen.connect(lambda _hit: self.bookmarks_panel.clear_choice())
        search.resultsShown.connect(lambda: self._raise(self.results_dock))

        bookmarks = self.bookmarks
        self.bookmarks_panel.bookmarkChosen.connect(bookmarks.open)
        self.bookmarks_panel.bookmarkChosen.connect(lambda _b: self._entry_marked())
        self.bookmarks_panel.editNoteRequested.connect(bookmarks.edit_note)
        self.bookmarks_panel.deleteRequested.connect(bookmarks.delete)
        self.bookmarks_panel.exportRequested.connect(bookmarks.export)
        bookmarks.changed.connect(self.bookmarksChanged)
        bookmarks.deleted.connect(self.undo_button.show)
        bookmarks.message.connect(status.showMessage)
        self.undo_button.clicked.connect(self.undo_stack.undo)
        self.undo_button.clicked.connect(self.undo_button.hide)
        self.undo_stack.indexChanged.connect(lambda _i: self.undo_button.setVisible(
            self.undo_button.isVisible() and self.undo_stack.canUndo()))

        updates = self.updates
        updates.message.connect(status.showMessage)
        updates.cancel_action.triggered.connect(updates.cancel)
        updates.problemsFound.connect(lambda: self._raise(self.problems_dock))
        self.problems_panel.model.modelReset.connect(self._count_problems)
        updates.cancel_button.clicked.connect(updates.cancel)
        updates.watcher.fileChanged.connect(updates.disk_changed)
        updates.watcher.directoryChanged.connect(updates.disk_changed)
        updates.watch_timer.timeout.connect(updates.update)
        self.problems_panel.retryRequested.connect(updates.retry)
        self.problems_panel.removeRequested.connect(updates.remove)

    def _restore_settings(self) -> None:
        """The saved geometry and layout; else the default layout."""
        geometry, state = self.settings.geometry(), self.settings.state()
        if geometry is not None:
            self.restoreGeometry(geometry)
        if not ((state is not None and self.restoreState(state, STATE_VERSION))
                or self.restoreState(QByteArray.fromBase64(DEFAULT_LAYOUT), STATE_VERSION)):
            self._place_docks()
        self.reader.set_zoom(self.settings.get_int("reader/zoom", 0))
        self.highlight_action.setChecked(self.settings.get_bool("reader/highlight", False))

    # -- what the window itself does --------------------------------------------------

    def start(self) -> None:
        """Builds what is behind the frame, starts the library's threads (open, then
        update) and returns; the bookmarks are read when the event loop runs."""
        if self.started:
            return
        self.started = True
        self._build_contents()
        self.updates.start()
        QTimer.singleShot(0, self.bookmarks.open_store)

    def open_paths(self, paths: list[Path]) -> None:
        """Adds files and folders to the library and opens the first file once indexed."""
        self.start()
        self.updates.open_paths(paths)

    def _listed(self, documents: list[ArticleInfo]) -> None:
        self.library_panel.set_articles(documents, self.reading.key or "")
        self.bookmarks.set_titles({d.key: d.title for d in documents})
        self.reading.listed(documents)
        self.libraryChanged.emit(len(documents))

    def _article_shown(self, article: Article) -> None:
        if self.centre.currentWidget() is self.pane:  # not a reload behind a page
            self.setWindowTitle(f"{article.info.title} — {APP_NAME}")
        self.mark_position.clear()
        self.library_panel.show_current(article.info.key)
        if not self.reading.preview:
            self.articleShown.emit(article.info.key)

    def _entry_marked(self) -> None:
        """One marked entry: choosing in one panel lets go of the others' rows."""
        self.results_panel.clear_choice()
        self.bookmarks_panel.clear_choice()

    def _set_highlighter(self, on: bool) -> None:
        self.settings.set("reader/highlight", on)
        self.reading.set_highlighter(on)

    def _mark_moved(self, current: int, total: int) -> None:
        where = (f"{current} of {total}" if current
                 else f"{total} mark{'s' if total != 1 else ''}")
        what = self.navigator.what
        self.mark_position.setText(f"{what}: {where}" if total and what else "")

    def _count_problems(self) -> None:
        count = self.problems_panel.model.rowCount()
        self.problems_dock.setWindowTitle(f"Problems ({count})" if count else "Problems")

    def _centre_changed(self) -> None:
        article = self.reading.article if self.started else None
        if self.centre.currentWidget() is self.pane and article is not None:
            self.setWindowTitle(f"{article.info.title} — {APP_NAME}")

    def _raise(self, dock: QDockWidget) -> None:
        dock.show()
        dock.raise_()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.open_paths(paths)

    def about(self) -> None:
        show_about(self)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.save_window(self.saveGeometry(), self.saveState(STATE_VERSION))
        self.settings.set("reader/zoom", self.reader.zoom_step)
        if self.started:
            self.reading.save_place()
            self.service.stop()
            self.bookmarks.close()
        self.settings.sync()
        super().closeEvent(event)
