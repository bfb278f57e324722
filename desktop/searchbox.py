"""The search field and the Search results panel.

The field takes Whoosh's query language. Typing restarts a single-shot debounce timer;
when it fires, :class:`SearchBox` emits ``searchRequested`` with a new generation number.
Answers (from the worker thread) carry the generation back; anything older than the latest
request is dropped, so a slow answer never overwrites a newer one. A bad query shows its
``QueryError`` message under the field; no hits shows the "did you mean" suggestion as a
link that runs it.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAbstractTextDocumentLayout, QKeyEvent, QPainter, QTextDocument
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from desktop.panels import Role, make_list

AnyIndex = QModelIndex | QPersistentModelIndex

#: How long typing must pause before a search runs, in milliseconds.
DEBOUNCE_MS = 250

LIBRARY, ARTICLE = "library", "article"


class SearchField(QLineEdit):
    """A line edit whose Enter, Up and Down are the search box's.

    Signals:
        submitted(): Enter.
        escaped(): Escape.
    """

    submitted = Signal()
    escaped = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submitted.emit()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.escaped.emit()
            return
        super().keyPressEvent(event)


class SearchBox(QWidget):
    """The query field, its scope, and a line for errors and suggestions.

    Signals:
        searchRequested(int, str, str): generation, query, scope (``library``/``article``).
        cleared(): the field was emptied.
        openTopRequested(): Enter was pressed (open the top hit).
        escaped(): Escape was pressed in the field.
    """

    searchRequested = Signal(int, str, str)
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
        self.field.setClearButtonEnabled(True)
        self.field.setAccessibleName("Search")
        self.field.setMinimumWidth(280)
        self.scope = QComboBox(self)
        self.scope.addItem("Library", LIBRARY)
        self.scope.addItem("This article", ARTICLE)
        self.scope.setAccessibleName("Search scope")
        self.scope.setToolTip("Search the whole library (Ctrl+K) or this article (Ctrl+F)")
        self.message = QLabel(self)
        self.message.setObjectName("searchMessage")
        self.message.setAccessibleName("Search message")
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                             | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.message.setWordWrap(True)
        self.message.hide()
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.field, 1)
        row.addWidget(self.scope)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(1)
        layout.addLayout(row)
        layout.addWidget(self.message)
        self.field.textChanged.connect(self._typed)
        self.timer.timeout.connect(self.run)
        self.scope.currentIndexChanged.connect(self._scope_changed)
        self.field.submitted.connect(self._submitted)
        self.field.escaped.connect(self.escaped)
        self.message.linkActivated.connect(self._suggestion)

    def query(self) -> str:
        return self.field.text().strip()

    def current_scope(self) -> str:
        return str(self.scope.currentData())

    def focus(self, scope: str) -> None:
        self.scope.setCurrentIndex(0 if scope == LIBRARY else 1)
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

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
            self.show_message(f"<span style='color:#c0392b'>⚠ {html.escape(message)}</span>")

    def show_result(self, generation: int, total: int, suggestion: str | None) -> None:
        if not self.is_current(generation):
            return
        if total:
            self.show_message("")
        elif suggestion:
            self.show_message(f"No articles match. Did you mean "
                              f"<a href='{html.escape(suggestion, quote=True)}'>"
                              f"{html.escape(suggestion)}</a>?")
        else:
            self.show_message("No articles match.")

    def show_message(self, rich: str) -> None:
        self.message.setText(rich)
        self.message.setVisible(bool(rich))

    def _suggestion(self, text: str) -> None:
        self.field.setText(text)
        self.run()


class SearchResultsModel(QAbstractListModel):
    """The hits of the latest search (``SearchHit`` value objects)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._hits: list[Any] = []
        self.query = ""

    def set_hits(self, query: str, hits: Sequence[Any]) -> None:
        self.beginResetModel()
        self.query = query
        self._hits = list(hits)
        self.endResetModel()

    def hits(self) -> list[Any]:
        return list(self._hits)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's default)
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        plain = hit.snippet.replace("<b>", "").replace("</b>", "")
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{hit.title}\n{plain}"
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{hit.title}\n{hit.path}"
        if role == Role.Entry or role == Role.Item:
            return hit
        if role == Role.Kind:
            return "search"
        if role == Role.Spans:
            return tuple(hit.hits)
        if role == Role.Key:
            return hit.key
        if role == Role.SortKey:
            return -float(hit.score)
        if role == Role.FilterText:
            return f"{hit.title} {plain}"
        if role == Role.Html:
            return (f"<b>{html.escape(hit.title)}</b><br>"
                    f"<span>{_snippet_html(hit.snippet)}</span>")
        return None


def _snippet_html(snippet: str) -> str:
    """Escapes a snippet but keeps its ``<b>`` marks."""
    out = html.escape(snippet.replace("<b>", "\x01").replace("</b>", "\x02"))
    return out.replace("\x01", "<b style='background:#ffd966;color:#000'>").replace("\x02", "</b>")


class HtmlDelegate(QStyledItemDelegate):
    """Paints ``Role.Html`` rich text (the title and highlighted snippet)."""

    def _document(self, option: QStyleOptionViewItem, index: QModelIndex) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setHtml(index.data(Role.Html) or "")
        doc.setTextWidth(max(80, option.rect.width() - 8))
        return doc

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Any) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        doc = self._document(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        painter.save()
        rect = opt.rect
        painter.translate(rect.left() + 4, rect.top() + 2)
        ctx = QAbstractTextDocumentLayout.PaintContext()
        ctx.palette = opt.palette
        if opt.state & QStyle.StateFlag.State_Selected:
            ctx.palette.setColor(ctx.palette.ColorRole.Text,
                                 opt.palette.highlightedText().color())
        painter.setClipRect(QRectF(0, 0, rect.width() - 4, rect.height() - 2))
        doc.documentLayout().draw(painter, ctx)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Any) -> QSize:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        if opt.rect.width() <= 0 and opt.widget is not None:
            opt.rect.setWidth(opt.widget.viewport().width())  # type: ignore[attr-defined]
        doc = self._document(opt, index)
        return QSize(int(doc.idealWidth()) + 8, int(doc.size().height()) + 4)


class SearchResultsPanel(QWidget):
    """The Search results dock's content.

    Signals:
        hitChosen(object): a ``SearchHit`` was chosen (open it with its hits marked).
    """

    hitChosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchResultsPanel")
        self.model = SearchResultsModel(self)
        self.summary = QLabel("Type in the search field (Ctrl+K).", self)
        self.summary.setObjectName("searchSummary")
        self.summary.setWordWrap(True)
        self.list = make_list(self, "Search results")
        self.list.setModel(self.model)
        self.list.setItemDelegate(HtmlDelegate(self.list))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        self.list.activated.connect(self._chosen)
        self.list.clicked.connect(self._chosen)

    def set_result(self, query: str, hits: Sequence[Any], total: int) -> None:
        self.model.set_hits(query, hits)
        if total:
            more = f" (showing {len(hits)})" if total > len(hits) else ""
            self.summary.setText(f"{total} article{'s' if total != 1 else ''} match "
                                 f"“{query}”{more}")
        else:
            self.summary.setText(f"No articles match “{query}”.")

    def clear(self) -> None:
        self.model.set_hits("", [])
        self.summary.setText("Type in the search field (Ctrl+K).")

    def top_hit(self) -> Any:
        hits = self.model.hits()
        return hits[0] if hits else None

    def _chosen(self, index: QModelIndex) -> None:
        if index.isValid():
            self.hitChosen.emit(index.data(Role.Item))
