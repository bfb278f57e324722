"""The Search results panel: the hits of the latest library search, best first.

Rows are the library's :class:`index.model.SearchHit` value objects. A hit's snippet is
HTML already (the library escapes the text and wraps the matched words in ``<b>``): it is
painted as it comes, and its plain text is the snippet with the tags taken out and the
entities turned back into characters.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QTextDocument
from PySide6.QtWidgets import (
    QLabel,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from desktop.panels import Role, make_list
from index.model import SearchHit

AnyIndex = QModelIndex | QPersistentModelIndex

_TAG = re.compile(r"</?b>")


def snippet_text(snippet: str) -> str:
    """A snippet (HTML: escaped text and ``<b>`` marks) as plain text."""
    return html.unescape(_TAG.sub("", snippet))


def snippet_html(snippet: str) -> str:
    """A snippet with its ``<b>`` marks coloured as the reader's search marks."""
    return snippet.replace("<b>", "<b style='background:#ffd966;color:#000'>")


class SearchResultsModel(QAbstractListModel):
    """The hits of the latest search."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._hits: list[SearchHit] = []
        self.query = ""

    def set_hits(self, query: str, hits: Sequence[SearchHit]) -> None:
        self.beginResetModel()
        self.query = query
        self._hits = list(hits)
        self.endResetModel()

    def hits(self) -> list[SearchHit]:
        return list(self._hits)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's default)
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        plain = snippet_text(hit.snippet)
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
                    f"<span>{snippet_html(hit.snippet)}</span>")
        return None


class HtmlDelegate(QStyledItemDelegate):
    """Paints ``Role.Html`` rich text (the title and highlighted snippet)."""

    def _document(self, option: QStyleOptionViewItem, index: AnyIndex) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setHtml(index.data(Role.Html) or "")
        doc.setTextWidth(max(80, option.rect.width() - 8))
        return doc

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
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

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        if opt.rect.width() <= 0 and opt.widget is not None:
            opt.rect.setWidth(opt.widget.viewport().width())  # type: ignore[attr-defined]
        doc = self._document(opt, index)
        return QSize(int(doc.idealWidth()) + 8, int(doc.size().height()) + 4)


class SearchResultsPanel(QWidget):
    """The Search results dock's content.

    Signals:
        hitChosen(SearchHit): a hit was chosen (open it with its hits marked).
        pageRequested(str, str): the offered page of a person or place (name, kind).
    """

    hitChosen = Signal(SearchHit)
    pageRequested = Signal(str, str)

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
        self.page_link = QLabel(self)  # "Tony Blair’s page", when the query names someone
        self.page_link.setObjectName("searchPageLink")
        self.page_link.hide()
        self.page_link.linkActivated.connect(self._page_link)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.page_link)
        layout.addWidget(self.list, 1)
        self.list.activated.connect(self._chosen)
        self.list.clicked.connect(self._chosen)

    def set_result(self, query: str, hits: Sequence[SearchHit], total: int,
                   named: str) -> None:
        """The hits of ``query`` (``named`` as the window names it: “anti-ship”)."""
        self.model.set_hits(query, hits)
        if total:
            more = f" (showing {len(hits)})" if total > len(hits) else ""
            verb = "article matches" if total == 1 else "articles match"
            self.summary.setText(f"{total} {verb} {named}{more}")
        else:
            self.summary.setText(f"No articles match {named}.")

    def offer_page(self, name: str, kind: str) -> None:
        """Offers the page of the person or place the query names (none: hides it)."""
        if not name:
            self.page_link.hide()
            return
        self.page_link.setText(f'<a href="{html.escape(kind)}:{html.escape(name)}">'
                               f"Open {html.escape(name)}’s page</a>")
        self.page_link.show()

    def _page_link(self, href: str) -> None:
        kind, _, name = href.partition(":")
        self.pageRequested.emit(html.unescape(name), kind)

    def clear(self) -> None:
        self.page_link.hide()
        self.model.set_hits("", [])
        self.summary.setText("Type in the search field (Ctrl+K).")

    def top_hit(self) -> SearchHit | None:
        hits = self.model.hits()
        return hits[0] if hits else None

    def clear_choice(self) -> None:
        self.list.setCurrentIndex(QModelIndex())
        self.list.clearSelection()

    def _chosen(self, index: QModelIndex) -> None:
        if index.isValid():
            self.hitChosen.emit(index.data(Role.Item))
