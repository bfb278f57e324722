"""Searching: the search field, and what a search does in the window.

The field takes Whoosh's query language. Typing restarts a single-shot debounce timer;
when it fires, :class:`SearchBox` emits ``searchRequested`` with a new generation number.
Answers (from the reader thread) carry the generation back; anything older than the latest
request is dropped, so a slow answer never overwrites a newer one. A bad query shows its
``QueryError`` message under the field, in a line that floats over the window (it never
pushes the layout down); no hits shows the "did you mean" suggestion as a link that runs it.

:class:`Search` is the behaviour: it sends the query to the library (or to the open
article), fills the Search results panel, marks the hits in the article, opens a chosen
hit — and Enter opens the top hit *of the query in the field*, waiting for its answer if
need be.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import QObject, QPoint, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLabel, QLineEdit, QWidget

from desktop.kinds import Scope

if TYPE_CHECKING:
    from desktop.reading import Reading
    from desktop.searchresults import SearchResultsPanel
    from desktop.service import LibraryService
    from index.model import QueryError, SearchHit, SearchResult, Span

#: How long typing must pause before a search runs, in milliseconds.
DEBOUNCE_MS = 250

#: How many hits a library search lists.
LIMIT = 50


def quoted(query: str) -> str:
    """A query as the window names it: in curly quotes (“anti-ship”); a query with its own
    quotation marks keeps them, curled (“mobile phone” AND camera), never doubled."""
    if '"' not in query:
        return f"“{query.strip()}”"
    parts = query.strip().split('"')
    return "".join(p + ("“" if i % 2 == 0 else "”") for i, p in enumerate(parts[:-1])) + parts[-1]


class SearchField(QLineEdit):
    """A line edit whose Enter and Escape are the search box's.

    Signals:
        submitted(): Enter.
        escaped(): Escape.
    """

    submitted = Signal()
    escaped = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = QtCore.Qt.Key
        if event.key() in (key.Key_Return, key.Key_Enter):
            self.submitted.emit()
            return
        if event.key() == key.Key_Escape:
            self.escaped.emit()
            return
        super().keyPressEvent(event)


class SearchBox(QWidget):
    """The query field, its scope, and a floating line for errors and suggestions.

    Signals:
        searchRequested(int, str, Scope): generation, query, scope.
        cleared(): the field was emptied.
        openTopRequested(): Enter was pressed (open the top hit).
        escaped(): Escape was pressed in the field.
    """

    searchRequested = Signal(int, str, Scope)
    cleared = Signal()
    openTopRequested = Signal()
    escaped = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchBox")
        self.generation = 0
        self.field = SearchField(self)
        self.field.setObjectName("searchField")
        self.field.setPlaceholderText("Search the library (Ctrl+K)…  e.g. anti-ship, title:japan")
        self.field.setAccessibleName("Search")
        self.field.setMinimumWidth(280)
        self.scope = QComboBox(self)
        self.scope.addItem("Library", Scope.LIBRARY)
        self.scope.addItem("This article", Scope.ARTICLE)
        self.scope.setAccessibleName("Search scope")
        self.scope.setToolTip("Search the whole library (Ctrl+K) or this article (Ctrl+F)")
        self.message = QLabel(self)
        self.message.setObjectName("searchMessage")
        self.message.setAccessibleName("Search message")
        self.message.setWordWrap(True)
        self.message.setFrameShape(QFrame.Shape.StyledPanel)
        self.message.setAutoFillBackground(True)
        self.message.setBackgroundRole(QPalette.ColorRole.ToolTipBase)
        self.message.setForegroundRole(QPalette.ColorRole.ToolTipText)
        self.message.setMargin(4)
        self.message.hide()
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        row = QHBoxLayout(self)
        row.setContentsMargins(2, 2, 2, 2)
        row.addWidget(self.field, 1)
        row.addWidget(self.scope)
        self.field.textChanged.connect(self._typed)
        self.timer.timeout.connect(self.run)
        self.scope.currentIndexChanged.connect(self._scope_changed)
        self.field.submitted.connect(self._submitted)
        self.field.escaped.connect(self.escaped)
        self.message.linkActivated.connect(self._suggestion)

    def finish(self) -> None:
        """What the first frame does not show: the field's clear button (shown once
        something is typed; making it loads the icon theme, which costs as much as a
        twentieth of a bare window's start-up)."""
        self.field.setClearButtonEnabled(True)

    def query(self) -> str:
        return self.field.text().strip()

    def current_scope(self) -> Scope:
        return Scope(self.scope.currentData())

    def focus(self, scope: Scope) -> None:
        self.scope.setCurrentIndex(0 if scope == Scope.LIBRARY else 1)
        self.field.setFocus(QtCore.Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def pending(self) -> bool:
        """Whether what is typed has not been sent yet."""
        return self.timer.isActive()

    def _typed(self, _text: str) -> None:
        self.timer.start()

    def _scope_changed(self, _index: int) -> None:
        if self.query():
            self.run()

    def _submitted(self) -> None:
        if self.timer.isActive():
            self.run()
        self.openTopRequested.emit()

    def run(self) -> None:
        """Sends the current query now (a new generation)."""
        self.timer.stop()
        self.generation += 1
        query = self.query()
        if not query:
            self.show_message("")
            self.cleared.emit()
            return
        self.searchRequested.emit(self.generation, query, self.current_scope())

    def is_current(self, generation: int) -> bool:
        return generation == self.generation

    def show_error(self, generation: int, message: str) -> None:
        if self.is_current(generation):
            import html  # not at import: the first frame shows no message

            self.show_message(f"<span style='color:#c0392b'>⚠ {html.escape(message)}</span>")

    def show_result(self, generation: int, total: int, suggestion: str | None) -> None:
        if not self.is_current(generation):
            return
        if total:
            self.show_message("")
        elif suggestion:
            import html

            self.show_message(f"No articles match. Did you mean "
                              f"<a href='{html.escape(suggestion, quote=True)}'>"
                              f"{html.escape(suggestion)}</a>?")
        else:
            self.show_message("No articles match.")

    def show_message(self, rich: str) -> None:
        """Shows (or with ``""`` hides) the line under the field. It floats over the
        window, so the toolbar keeps its height."""
        if not rich:
            self.message.setText(rich)
            self.message.hide()
            return
        # Set here, not when the line is made: the first frame has no message and must not
        # pay for the ``Qt`` namespace (see desktop.app).
        qt = QtCore.Qt
        self.message.setTextFormat(qt.TextFormat.RichText)
        self.message.setTextInteractionFlags(qt.TextInteractionFlag.LinksAccessibleByMouse
                                             | qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.message.setText(rich)
        top = self.window()
        if self.message.parentWidget() is not top:
            self.message.setParent(top)
        self._place_message()
        self.message.show()
        self.message.raise_()

    def _place_message(self) -> None:
        top = self.message.parentWidget()
        if top is None or top is self:
            return
        self.message.setFixedWidth(max(self.field.width(), 200))
        self.message.adjustSize()
        self.message.move(self.field.mapTo(top, QPoint(0, self.field.height() + 2)))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.message.isVisible():
            self._place_message()  # the window was resized: the line follows the field

    def _suggestion(self, text: str) -> None:
        self.field.setText(text)
        self.run()


class Search(QObject):
    """What a search does: asks, lists, marks, opens.

    Signals:
        resultsShown(): a library search's results are in the Search results panel.
    """

    resultsShown = Signal()

    def __init__(self, service: LibraryService, box: SearchBox, results: SearchResultsPanel,
                 reading: Reading, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.box = box
        self.results = results
        self.reading = reading
        self.shown_generation = -1  # the generation whose results are listed
        self.hits_generation = -1  # the generation whose marks are wanted in the article
        self.open_top_for = -1  # Enter was pressed: open the top hit of this generation

    def requested(self, generation: int, query: str, scope: Scope) -> None:
        self.hits_generation = generation
        if scope == Scope.ARTICLE:
            key = self.reading.key
            if key is not None and not self.reading.preview:
                self.service.hits_in(generation, key, query)
        else:
            self.service.search(generation, query, LIMIT)

    def cleared(self) -> None:
        """The field was emptied: no results, no hits marked, nothing left over."""
        self.shown_generation = self.open_top_for = -1
        self.results.clear()
        self.reading.clear_search()

    def offer_page(self, names: Callable[[str], Sequence[str]], _generation: int,
                   result: SearchResult) -> None:
        """A search naming a person or place offers their page above the hits (``names``:
        the names the panel of a kind lists now)."""
        from desktop.entitypage import named_in

        if result.query.strip() == self.box.query().strip():
            found = named_in(result.query, names)
            self.results.offer_page(*(found or ("", "")))

    def done(self, generation: int, result: SearchResult) -> None:
        if not self.box.is_current(generation):
            return  # stale: the user has typed since
        self.shown_generation = generation
        self.box.show_result(generation, result.total, result.suggestion)
        self.results.set_result(result.query, result.hits, result.total,
                                quoted(result.query))
        self.resultsShown.emit()
        key = self.reading.key
        if key is not None:
            hit = next((h for h in result.hits if h.key == key), None)
            self.reading.mark_hits(quoted(result.query), hit.hits if hit else (),
                                   go_first=False)
        if self.open_top_for == generation:
            self.open_top_for = -1
            self.open_top()

    def failed(self, generation: int, error: QueryError) -> None:
        if self.box.is_current(generation):
            self.open_top_for = -1
            self.box.show_error(generation, error.message)

    def hits_found(self, generation: int, key: str, spans: tuple[Span, ...]) -> None:
        if generation != self.hits_generation or key != self.reading.key:
            return
        query = self.box.query()
        self.box.show_result(generation, len(spans), None)
        if not spans and self.box.is_current(generation):
            self.box.show_message("Not in this article.")
        self.reading.mark_hits(quoted(query), spans, go_first=True)

    def enter(self) -> None:
        """Enter in the field: in the article, the next hit; in the library, the top hit
        of the query typed — at once if its results are in, else when they come."""
        if self.box.current_scope() == Scope.ARTICLE:
            self.reading.navigator.next()
        elif self.shown_generation == self.box.generation:
            self.open_top()
        elif self.box.query():
            self.open_top_for = self.box.generation

    def open_top(self) -> None:
        hit = self.results.top_hit()
        if hit is not None:
            self.open_hit(hit)

    def open_hit(self, hit: SearchHit) -> None:
        """Opens a hit's article with the hits marked, at the first."""
        what = quoted(self.results.model.query or self.box.query())
        query = self.results.model.query or self.box.query()

        def focus() -> None:
            if hit.hits:
                self.reading.mark_hits(what, hit.hits, go_first=True)
            else:
                self.hits_generation = self.box.generation
                self.service.hits_in(self.hits_generation, hit.key, query)

        self.reading.open(hit.key, focus=focus)

    def article_shown(self) -> None:
        """A new article: search it if the field searches "this article"."""
        if self.box.query() and self.box.current_scope() == Scope.ARTICLE:
            self.box.run()
