"""The side panels: People, Places, Statements.

Each panel is an :class:`EntryModel` (a ``QAbstractListModel``) behind a
``QSortFilterProxyModel`` (the filter box) in a ``QListView``. Rows are :class:`Entry`
records that keep the value object they stand for (``Person``, ``Place``, ``Statement``,
or in library mode ``LibraryEntity`` / ``LibraryStatement``) — the models never copy
domain data into item widgets.

A panel shows either "this article" (the open article's analysis) or "the whole library"
(``Library.entities`` / ``Library.statements``); in library mode choosing a person or place
lists, underneath, the articles and statements they appear in.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from desktop.entries import Entry
from desktop.kinds import EntryKind, Scope

AnyIndex = QModelIndex | QPersistentModelIndex


class Role(enum.IntEnum):
    """Data roles of the panels' models, from ``Qt.UserRole``."""

    Entry = Qt.ItemDataRole.UserRole + 1  # the Entry record
    Item = enum.auto()  # the value object
    Kind = enum.auto()  # an EntryKind (or "search", "bookmark", "problem")
    Spans = enum.auto()  # mentions in the open article: tuple of (start, end)
    Key = enum.auto()  # article key, where the entry belongs to one article
    SortKey = enum.auto()
    FilterText = enum.auto()
    Html = enum.auto()  # rich text for the delegate (search results)


class EntryModel(QAbstractListModel):
    """A list of :class:`Entry` rows."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._entries: list[Entry] = []

    def set_entries(self, entries: Sequence[Entry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()

    def entries(self) -> list[Entry]:
        return list(self._entries)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's default)
        return 0 if parent.isValid() else len(self._entries)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        e = self._entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{e.label}\n{e.detail}" if e.detail else e.label
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return e.tooltip or e.label
        if role == Role.Entry:
            return e
        if role == Role.Item:
            return e.item
        if role == Role.Kind:
            return e.kind
        if role == Role.Spans:
            return e.spans
        if role == Role.Key:
            return e.key
        if role == Role.SortKey:
            return e.order
        if role == Role.FilterText:
            return f"{e.label} {e.detail} {e.tooltip}"
        return None

    def roleNames(self) -> dict[int, QByteArray]:
        names = dict(super().roleNames())
        names.update({int(r): QByteArray(r.name.lower().encode()) for r in Role})
        return names


def make_proxy(model: QAbstractListModel, parent: QObject | None = None) -> QSortFilterProxyModel:
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setFilterRole(Role.FilterText)
    proxy.setSortRole(Role.SortKey)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    proxy.sort(0)
    return proxy


class TwoLineDelegate(QStyledItemDelegate):
    """Paints a row's display text as a first line, then the rest smaller and greyed
    (the role, the count, the speaker), wrapped to the view's width."""

    PAD = 4

    def _parts(self, index: AnyIndex) -> tuple[str, str]:
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        first, _, rest = text.partition("\n")
        return first, rest

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        main = option.font
        small = QFont(main)
        small.setPointSizeF(max(6.0, main.pointSizeF() * 0.9))
        return main, small

    def _width(self, option: QStyleOptionViewItem) -> int:
        width = option.rect.width()
        widget = option.widget
        if width <= 0 and isinstance(widget, QAbstractItemView):
            width = widget.viewport().width()
        return max(60, width - 2 * self.PAD)

    def _heights(self, option: QStyleOptionViewItem, index: AnyIndex) -> tuple[int, int]:
        first, rest = self._parts(index)
        main, small = self._fonts(option)
        width = self._width(option)
        flags = int(Qt.TextFlag.TextWordWrap)
        h1 = QFontMetrics(main).boundingRect(QRect(0, 0, width, 10_000), flags, first).height()
        h2 = (QFontMetrics(small).boundingRect(QRect(0, 0, width, 10_000), flags, rest).height()
              if rest else 0)
        return h1, h2

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        h1, h2 = self._heights(opt, index)
        return QSize(self._width(opt), h1 + h2 + 2 * self.PAD)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        first, rest = self._parts(index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        main, small = self._fonts(opt)
        h1, h2 = self._heights(opt, index)
        rect = opt.rect.adjusted(self.PAD, self.PAD, -self.PAD, -self.PAD)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        palette = opt.palette
        fg = palette.color(QPalette.ColorRole.HighlightedText if selected
                           else QPalette.ColorRole.Text)
        override = index.data(Qt.ItemDataRole.ForegroundRole)
        if override is not None and not selected:
            fg = override
        grey = fg if selected else palette.color(QPalette.ColorRole.PlaceholderText)
        flags = int(Qt.TextFlag.TextWordWrap)
        painter.save()
        painter.setFont(main)
        painter.setPen(fg)
        painter.drawText(QRect(rect.left(), rect.top(), rect.width(), h1), flags, first)
        if rest:
            painter.setFont(small)
            painter.setPen(grey)
            painter.drawText(QRect(rect.left(), rect.top() + h1, rect.width(), h2), flags, rest)
        painter.restore()


def make_list(parent: QWidget, name: str) -> QListView:
    view = QListView(parent)
    view.setObjectName(name)
    view.setAccessibleName(name)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setWordWrap(True)
    view.setUniformItemSizes(False)
    view.setAlternatingRowColors(True)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.setItemDelegate(TwoLineDelegate(view))
    view.setResizeMode(QListView.ResizeMode.Adjust)
    return view


class EntityPanel(QWidget):
    """One side panel (People, Places or Statements).

    Signals:
        entryChosen(Entry): an entry of the open article was chosen (mark it).
        libraryEntryChosen(Entry): in library mode, a person/place/statement was chosen.
        detailChosen(Entry): in library mode, an article or statement under the chosen
            entity was chosen (open it at the mention).
        scopeChanged(Scope): the panel now shows this article, or the whole library.
    """

    entryChosen = Signal(Entry)
    libraryEntryChosen = Signal(Entry)
    detailChosen = Signal(Entry)
    scopeChanged = Signal(Scope)

    def __init__(self, kind: EntryKind, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.title = title
        self.setObjectName(f"{kind.value}Panel")
        self.scope = Scope.ARTICLE
        self._quiet = False
        self.model = EntryModel(self)
        self.proxy = make_proxy(self.model, self)
        self.detail_model = EntryModel(self)
        self.detail_proxy = make_proxy(self.detail_model, self)

        self.scope_box = QComboBox(self)
        self.scope_box.addItem("This article", Scope.ARTICLE)
        self.scope_box.addItem("Whole library", Scope.LIBRARY)
        self.scope_box.setAccessibleName(f"{title}: scope")
        self.scope_box.setToolTip("Show what this article holds, or the whole library")
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText(f"Filter {title.lower()}…")
        self.filter.setClearButtonEnabled(True)
        self.filter.setAccessibleName(f"Filter {title.lower()}")
        self.count = QLabel(self)
        self.count.setObjectName(f"{kind}Count")
        self.list = make_list(self, f"{title} list")
        self.list.setModel(self.proxy)
        self.details = make_list(self, f"{title}: where they appear")
        self.details.setModel(self.detail_proxy)
        self.details_label = QLabel(self)
        self.details_label.setWordWrap(True)
        # In place of the list while the article's analysis is still to come: an empty list
        # would say "nobody" where the truth is "not known yet".
        self.waiting = QLabel(self)
        self.waiting.setObjectName(f"{kind.value}Waiting")
        self.waiting.setWordWrap(True)
        self.waiting.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.waiting.setContentsMargins(8, 16, 8, 8)
        self.waiting.hide()
        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.details_label)
        lower_layout.addWidget(self.details)
        self.detail_area = lower
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(self.list)
        self.splitter.addWidget(lower)
        self.splitter.setChildrenCollapsible(False)
        lower.hide()

        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.scope_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.count)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.waiting, 1)

        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.filter.textChanged.connect(self._update_count)
        self.scope_box.currentIndexChanged.connect(self._scope_changed)
        self.list.selectionModel().currentChanged.connect(self._current_changed)
        self.list.clicked.connect(self._clicked)
        self.details.selectionModel().currentChanged.connect(self._detail_changed)
        self.details.clicked.connect(self._detail_changed)

    # -- content --------------------------------------------------------------------

    def set_entries(self, entries: Sequence[Entry], scope: Scope = Scope.ARTICLE, *,
                    waiting: str = "") -> None:
        """Shows ``entries`` if the panel shows ``scope``; ``waiting`` says instead why
        there are none yet (the article is not analysed)."""
        if scope != self.scope:
            return
        self.model.set_entries(entries)
        self.detail_model.set_entries([])
        self.detail_area.setVisible(False)
        self._set_waiting(waiting)
        self._update_count()

    def _set_waiting(self, text: str) -> None:
        self.waiting.setText(text)
        self.waiting.setVisible(bool(text))
        self.splitter.setVisible(not text)
        self.filter.setEnabled(not text)

    def set_details(self, heading: str, entries: Sequence[Entry]) -> None:
        self.details_label.setText(heading)
        self.detail_model.set_entries(entries)
        self.detail_area.setVisible(True)

    def set_scope(self, scope: Scope) -> None:
        self.scope_box.setCurrentIndex(0 if scope == Scope.ARTICLE else 1)

    def _scope_changed(self, index: int) -> None:
        self.scope = Scope(self.scope_box.itemData(index) or Scope.ARTICLE)
        self.model.set_entries([])
        self.detail_area.setVisible(False)
        self._set_waiting("")
        self._update_count()
        self.scopeChanged.emit(self.scope)

    def _update_count(self) -> None:
        if self.waiting.text():  # no count of what is not known yet
            self.count.setText("")
            return
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        where = "in this article" if self.scope == Scope.ARTICLE else "in the library"
        text = f"{total} {where}" if shown == total else f"{shown} of {total} {where}"
        self.count.setText(text)

    # -- choosing -------------------------------------------------------------------

    def current_entry(self) -> Entry | None:
        index = self.list.currentIndex()
        return index.data(Role.Entry) if index.isValid() else None

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and not self._quiet:
            self._choose(current.data(Role.Entry))

    def _clicked(self, index: QModelIndex) -> None:
        # A click on the current row again re-marks it (after the marks were cleared).
        if index.isValid() and index == self.list.currentIndex():
            self._choose(index.data(Role.Entry))

    def _choose(self, entry: Entry) -> None:
        if self.scope == Scope.ARTICLE:
            self.entryChosen.emit(entry)
        else:
            self.libraryEntryChosen.emit(entry)

    def _detail_changed(self, current: QModelIndex, *_: QModelIndex) -> None:
        if current.isValid():
            self.detailChosen.emit(current.data(Role.Entry))

    def select(self, match: Callable[[Entry], bool], *, notify: bool = False) -> bool:
        """Makes the first entry with ``match(entry)`` current (clearing the filter if it
        hides it); ``notify`` also emits the chosen signal."""
        for attempt in range(2):
            for row in range(self.proxy.rowCount()):
                index = self.proxy.index(row, 0)
                if match(index.data(Role.Entry)):
                    self._quiet = not notify
                    try:
                        self.list.setCurrentIndex(index)
                    finally:
                        self._quiet = False
                    self.list.scrollTo(index)
                    return True
            if attempt == 0 and self.filter.text():
                self.filter.clear()
            else:
                break
        return False

    def clear_choice(self) -> None:
        self._quiet = True
        try:
            self.list.setCurrentIndex(QModelIndex())
            self.list.clearSelection()
        finally:
            self._quiet = False
