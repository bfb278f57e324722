"""The Bookmarks panel: every bookmarked passage in the library.

Rows are :class:`index.model.Bookmark` value objects (passage, article, note, date),
filterable; orphaned bookmarks (whose passage is gone from the edited article) say so.
Changes go through undoable commands on the window's ``QUndoStack`` so a deletion can be
undone (Edit > Undo, Ctrl+Z). The store is :class:`index.bookmarks.BookmarkStore`
(SQLite, atomic writes); nothing here writes files except the Markdown export.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.panels import Role, make_list, make_proxy

AnyIndex = QModelIndex | QPersistentModelIndex


def _clip(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class BookmarksModel(QAbstractListModel):
    """Bookmarks, newest first; ``titles`` maps article keys to titles."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[Any] = []
        self.titles: Mapping[str, str] = {}

    def set_bookmarks(self, bookmarks: Sequence[Any], titles: Mapping[str, str]) -> None:
        self.beginResetModel()
        self._items = list(bookmarks)
        self.titles = dict(titles)
        self.endResetModel()

    def set_titles(self, titles: Mapping[str, str]) -> None:
        self.titles = dict(titles)
        if self._items:
            self.dataChanged.emit(self.index(0), self.index(len(self._items) - 1))

    def bookmarks(self) -> list[Any]:
        return list(self._items)

    def title(self, b: Any) -> str:
        return self.titles.get(b.key) or b.path.rsplit("/", 1)[-1]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's default)
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        b = self._items[index.row()]
        date = (b.created or "")[:10]
        orphan = "⚠ passage not found in the article · " if b.orphaned else ""
        if role == Qt.ItemDataRole.DisplayRole:
            note = f"\n✎ {_clip(b.note, 120)}" if b.note else ""
            return f"“{_clip(b.quote)}”\n{orphan}{self.title(b)} · {date}{note}"
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{orphan}“{_clip(b.quote, 500)}”\n{self.title(b)}\n{b.note}".strip()
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
            from PySide6.QtGui import QColor

            return QColor("#b03a2e")
        return None


class BookmarksPanel(QWidget):
    """The Bookmarks dock's content.

    Signals:
        bookmarkChosen(object): a ``Bookmark`` was chosen (open its article at it).
        editNoteRequested(object): "Edit note…" for the current bookmark.
        deleteRequested(object): "Delete" for the current bookmark.
        exportRequested(): "Export…" (to Markdown).
    """

    bookmarkChosen = Signal(object)
    editNoteRequested = Signal(object)
    deleteRequested = Signal(object)
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

    def set_bookmarks(self, bookmarks: Sequence[Any], titles: Mapping[str, str]) -> None:
        self.model.set_bookmarks(bookmarks, titles)
        self._update()

    def current(self) -> Any:
        index = self.list.currentIndex()
        return index.data(Role.Item) if index.isValid() else None

    def _update(self, *_: Any) -> None:
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
        if self.current() is not None:
            self.editNoteRequested.emit(self.current())

    def _delete(self) -> None:
        if self.current() is not None:
            self.deleteRequested.emit(self.current())


class BookmarkCommand(QUndoCommand):
    """An undoable change to the bookmark store; ``changed`` is called after each step."""

    def __init__(self, text: str, store: Any, changed: Callable[[], None]) -> None:
        super().__init__(text)
        self.store = store
        self.changed = changed


class AddBookmark(BookmarkCommand):
    def __init__(self, store: Any, changed: Callable[[], None], key: str, path: str,
                 text: str, start: int, end: int, note: str = "") -> None:
        super().__init__("Add bookmark", store, changed)
        self.args = (key, path, text, start, end, note)
        self.bookmark: Any = None

    def redo(self) -> None:
        if self.bookmark is None:
            self.bookmark = self.store.add(*self.args)
        else:
            self.bookmark = self.store.restore(self.bookmark)
        self.changed()

    def undo(self) -> None:
        self.store.remove(self.bookmark.id)
        self.changed()


class DeleteBookmark(BookmarkCommand):
    def __init__(self, store: Any, changed: Callable[[], None], bookmark: Any) -> None:
        super().__init__("Delete bookmark", store, changed)
        self.bookmark = bookmark

    def redo(self) -> None:
        self.bookmark = self.store.remove(self.bookmark.id)
        self.changed()

    def undo(self) -> None:
        self.bookmark = self.store.restore(self.bookmark)
        self.changed()


class EditNote(BookmarkCommand):
    def __init__(self, store: Any, changed: Callable[[], None], bookmark: Any,
                 note: str) -> None:
        super().__init__("Edit bookmark note", store, changed)
        self.bookmark_id, self.old, self.new = bookmark.id, bookmark.note, note

    def redo(self) -> None:
        self.store.set_note(self.bookmark_id, self.new)
        self.changed()

    def undo(self) -> None:
        self.store.set_note(self.bookmark_id, self.old)
        self.changed()
