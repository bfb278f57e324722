"""The library panel: every indexed article by title, with dateline and source folder.

Filterable as you type, sortable (title, dateline, source, newest file), with a count.
Rows are the library's ``ArticleInfo`` value objects.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
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
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from desktop.kinds import EntryKind
from desktop.panels import Role, make_list, make_proxy
from index.model import ArticleInfo

AnyIndex = QModelIndex | QPersistentModelIndex

SortKey = Callable[[ArticleInfo], str | float]

#: Sort orders offered: label, the value sorted on, descending?
SORTS: tuple[tuple[str, SortKey, bool], ...] = (
    ("Title", lambda a: a.title.casefold(), False),
    ("Dateline", lambda a: (a.dateline or "").casefold(), False),
    ("Source folder", lambda a: a.source.casefold(), False),
    ("Newest file", lambda a: a.mtime, True),
)


class LibraryModel(QAbstractListModel):
    """The indexed articles (``ArticleInfo``)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[ArticleInfo] = []
        self.sort_key: SortKey = SORTS[0][1]

    def set_articles(self, articles: Sequence[ArticleInfo]) -> None:
        self.beginResetModel()
        self._items = list(articles)
        self.endResetModel()

    def articles(self) -> list[ArticleInfo]:
        return list(self._items)

    def row_of(self, key: str) -> int:
        return next((i for i, a in enumerate(self._items) if a.key == key), -1)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's default)
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        a = self._items[index.row()]
        source = PurePath(a.source).name or a.source
        meta = " · ".join(x for x in (a.dateline or "", source) if x)
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{a.title}\n{meta}"
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            copies = "".join(f"\nalso at {c}" for c in a.copies)
            return f"{a.title}\n{a.path}{copies}"
        if role in (Role.Entry, Role.Item):
            return a
        if role == Role.Kind:
            return EntryKind.ARTICLE
        if role == Role.Key:
            return a.key
        if role == Role.SortKey:
            return self.sort_key(a)
        if role == Role.FilterText:
            return f"{a.title} {a.dateline or ''} {a.source} {PurePath(a.path).name}"
        return None


class LibraryPanel(QWidget):
    """The Library dock's content.

    Signals:
        articleChosen(str): the key of the article to open.
    """

    articleChosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("libraryPanel")
        self.model = LibraryModel(self)
        self.proxy = make_proxy(self.model, self)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter articles…")
        self.filter.setClearButtonEnabled(True)
        self.filter.setAccessibleName("Filter articles")
        self.sort = QComboBox(self)
        for label, _key, _desc in SORTS:
            self.sort.addItem(f"Sort: {label}")
        self.sort.setAccessibleName("Sort articles")
        self.count = QLabel(self)
        self.count.setObjectName("articleCount")
        self.list = make_list(self, "Articles")
        self.list.setModel(self.proxy)
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.sort)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.count)
        layout.addWidget(self.list, 1)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.filter.textChanged.connect(self._update_count)
        self.sort.currentIndexChanged.connect(self.set_sort)
        self.list.activated.connect(self._chosen)
        self.list.clicked.connect(self._chosen)
        self._update_count()

    def set_articles(self, articles: Sequence[ArticleInfo], current_key: str = "") -> None:
        self.model.set_articles(articles)
        self.proxy.invalidate()
        self._update_count()
        if current_key:
            self.show_current(current_key)

    def set_sort(self, index: int) -> None:
        _label, key, descending = SORTS[max(0, min(index, len(SORTS) - 1))]
        self.model.sort_key = key
        self.proxy.invalidate()
        self.proxy.sort(0, Qt.SortOrder.DescendingOrder if descending
                        else Qt.SortOrder.AscendingOrder)

    def show_current(self, key: str) -> None:
        row = self.model.row_of(key)
        if row >= 0:
            index = self.proxy.mapFromSource(self.model.index(row))
            if index.isValid():
                self.list.setCurrentIndex(index)
                self.list.scrollTo(index)

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        noun = "article" if total == 1 else "articles"
        text = f"{total} {noun}" if shown == total else f"{shown} of {total} {noun}"
        # Identical files are one article (listed once, the others in its tooltip), so the
        # status bar's count of files searchable can be larger: say by how much.
        copies = sum(len(a.copies) for a in self.model.articles())
        if copies:
            text += f" (and {copies} identical cop{'y' if copies == 1 else 'ies'})"
        self.count.setText(text)

    def _chosen(self, index: QModelIndex) -> None:
        if index.isValid():
            self.articleChosen.emit(index.data(Role.Key))
