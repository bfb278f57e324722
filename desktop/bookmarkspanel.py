"""The Bookmarks panel: every bookmarked passage in the library.

Rows are :class:`index.model.Bookmark` value objects (passage, article, note, date),
filterable; orphaned bookmarks (whose passage is gone from the edited article, or whose
file was deleted) say so. What choosing, editing and deleting do is
:mod:`desktop.bookmarks`'s.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import PurePath
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.entries import clip
from desktop.panels import Role, make_list, make_proxy
from index.model import Bookmark

AnyIndex = QModelIndex | QPersistentModelIndex


class BookmarksModel(QAbstractListModel):
    """Bookmarks, newest first; ``titles`` maps article keys to titles."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[Bookmark] = []
        self.titles: Mapping[str, str] = {}

    def set_bookmarks(self, bookmarks: Sequence[Bookmark], titles: Mapping[str, str]) -> None:
        self.beginResetModel()
        self._items = list(bookmarks)
        self.titles = dict(titles)
        self.endResetModel()

    def set_titles(self, titles: Mapping[str, str]) -> None:
        self.titles = dict(titles)
        if self._items:
            self.dataChanged.emit(self.index(0), self.index(len(self._items) - 1))

    def bookmarks(self) -> list[Bookmark]:
        return list(self._items)

    def title(self, b: Bookmark) -> str:
        return self.titles.get(b.key) or PurePath(b.path).name

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's default)
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        b = self._items[index.row()]
        date = (b.created or "")[:10]
        orphan = "⚠ passage or file not found · " if b.orphaned else ""
        if role == Qt.ItemDataRole.DisplayRole:
            note = f"\n✎ {clip(b.note, 120)}" if b.note else ""
            return f"“{clip(b.quote, 160)}”\n{orphan}{self.title(b)} · {date}{note}"
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{orphan}“{clip(b.quote, 500)}”\n{self.title(b)}\n{b.note}".strip()
        if role in (Role.Entry, Role.Item):
            return b
        if role == Role.Kind:
            return "bookmark"
        if role == Role.Spans:
            return ((b.start, b.end),)
        if role == Role.Key:
            return b.key
        if role == Role.SortKey:
            return b.created or ""
        if role == Role.FilterText:
            return f"{b.quote} {b.note} {self.title(b)}"
        if role == Qt.ItemDataRole.ForegroundRole and b.orphaned:
            return QColor("#b03a2e")
        return None


class BookmarksPanel(QWidget):
    """The Bookmarks dock's content.

    Signals:
        bookmarkChosen(Bookmark): a bookmark was chosen (open its article at it).
        editNoteRequested(Bookmark): "Edit note…" for the current bookmark.
        deleteRequested(Bookmark): "Delete" for the current bookmark.
        exportRequested(): "Export…" (to Markdown).
    """

    bookmarkChosen = Signal(Bookmark)
    editNoteRequested = Signal(Bookmark)
    deleteRequested = Signal(Bookmark)
    exportRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bookmarksPanel")
        self.model = BookmarksModel(self)
        self.proxy = make_proxy(self.model, self)
        self.proxy.sort(0, Qt.SortOrder.DescendingOrder)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter bookmarks…")
        self.filter.setClearButtonEnabled(True)
        self.filter.setAccessibleName("Filter bookmarks")
        self.count = QLabel(self)
        self.list = make_list(self, "Bookmarks list")
        self.list.setModel(self.proxy)
        self.edit_button = QPushButton("Edit note…", self)
        self.edit_button.setAccessibleName("Edit the bookmark's note")
        self.delete_button = QPushButton("Delete", self)
        self.delete_button.setAccessibleName("Delete the bookmark")
        self.export_button = QPushButton("Export…", self)
        self.export_button.setAccessibleName("Export bookmarks to Markdown")
        buttons = QHBoxLayout()
        for b in (self.edit_button, self.delete_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.filter)
        layout.addWidget(self.count)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.filter.textChanged.connect(self._update)
        self.list.activated.connect(self._chosen)
        self.list.clicked.connect(self._chosen)
        self.list.selectionModel().currentChanged.connect(self._update)
        self.edit_button.clicked.connect(self._edit)
        self.delete_button.clicked.connect(self._delete)
        self.export_button.clicked.connect(self.exportRequested)
        self._update()

    def set_bookmarks(self, bookmarks: Sequence[Bookmark], titles: Mapping[str, str]) -> None:
        self.model.set_bookmarks(bookmarks, titles)
        self._update()

    def current(self) -> Bookmark | None:
        index = self.list.currentIndex()
        return index.data(Role.Item) if index.isValid() else None

    def clear_choice(self) -> None:
        self.list.setCurrentIndex(QModelIndex())
        self.list.clearSelection()

    def _update(self, *_: QModelIndex) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count.setText(f"{total} bookmark{'s' if total != 1 else ''}" if shown == total
                           else f"{shown} of {total} bookmarks")
        has = self.current() is not None
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)
        self.export_button.setEnabled(total > 0)

    def _chosen(self, index: QModelIndex) -> None:
        if index.isValid():
            self.bookmarkChosen.emit(index.data(Role.Item))

    def _edit(self) -> None:
        bookmark = self.current()
        if bookmark is not None:
            self.editNoteRequested.emit(bookmark)

    def _delete(self) -> None:
        bookmark = self.current()
        if bookmark is not None:
            self.deleteRequested.emit(bookmark)
