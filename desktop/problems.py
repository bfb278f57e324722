"""The Problems panel: files the library could not read, and what went wrong with it.

Rows are :class:`index.model.Problem` value objects — the library's own list
(:meth:`Library.problems`: file, reason, when), and, apart from those, errors of the
library itself (a locked or unreadable index), which have no file. For a file the user can
try again (after fixing it), take it out of the library, or open its folder.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import PurePath
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QUrl,
    Signal,
)
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.panels import Role, make_list, make_proxy
from index.model import LibraryError, Problem

AnyIndex = QModelIndex | QPersistentModelIndex


def _when(iso: str) -> str:
    """An ISO-8601 UTC time as local "2026-12-02 07:41"."""
    try:
        return dt.datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


class ProblemsModel(QAbstractListModel):
    """The library's problems, then the library's own errors (``path`` empty)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._files: list[Problem] = []
        self._errors: list[Problem] = []

    def _rows(self) -> list[Problem]:
        return self._errors + self._files

    def set_problems(self, problems: Sequence[Problem]) -> None:
        self.beginResetModel()
        self._files = list(problems)
        self.endResetModel()

    def add_error(self, error: LibraryError) -> None:
        """A library error: shown once, newest first, until the next good update."""
        if any(e.reason == error.message for e in self._errors):
            return
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        self.beginResetModel()
        self._errors.insert(0, Problem("", error.message, now))
        self.endResetModel()

    def clear_errors(self) -> None:
        if self._errors:
            self.beginResetModel()
            self._errors = []
            self.endResetModel()

    def problems(self) -> list[Problem]:
        return self._rows()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's default)
        return 0 if parent.isValid() else len(self._errors) + len(self._files)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        rows = self._rows()
        if not index.isValid() or not 0 <= index.row() < len(rows):
            return None
        p = rows[index.row()]
        name = PurePath(p.path).name if p.path else "The library"
        when = _when(p.when) if p.when else ""
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{name}\n{p.reason}" + (f" · {when}" if when else "")
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{p.path or name}\n{p.reason}\n{when}".strip()
        if role in (Role.Entry, Role.Item):
            return p
        if role == Role.Kind:
            return "problem"
        if role == Role.SortKey:
            return index.row()
        if role == Role.FilterText:
            return f"{p.path} {p.reason}"
        return None


class ProblemsPanel(QWidget):
    """The Problems dock's content.

    Signals:
        retryRequested(Problem): read the file again at the next update.
        removeRequested(Problem): take the file out of the library.
    """

    retryRequested = Signal(Problem)
    removeRequested = Signal(Problem)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("problemsPanel")
        self.model = ProblemsModel(self)
        self.proxy = make_proxy(self.model, self)
        self.count = QLabel(self)
        self.count.setObjectName("problemCount")
        self.list = make_list(self, "Problems list")
        self.list.setModel(self.proxy)
        self.retry_button = QPushButton("Try again", self)
        self.retry_button.setToolTip("Read the file again at the next update")
        self.remove_button = QPushButton("Remove", self)
        self.remove_button.setToolTip("Take the file out of the library")
        self.folder_button = QPushButton("Open folder", self)
        self.folder_button.setToolTip("Show the file's folder")
        buttons = QHBoxLayout()
        for button in (self.retry_button, self.remove_button, self.folder_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.count)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.list.selectionModel().currentChanged.connect(self._update)
        self.model.modelReset.connect(self._update)
        self.retry_button.clicked.connect(self._retry)
        self.remove_button.clicked.connect(self._remove)
        self.folder_button.clicked.connect(self._open_folder)
        self._update()

    def current(self) -> Problem | None:
        index = self.list.currentIndex()
        return index.data(Role.Item) if index.isValid() else None

    def _update(self, *_: QModelIndex) -> None:
        total = self.model.rowCount()
        self.count.setText("No problems" if not total
                           else f"{total} problem{'s' if total != 1 else ''}")
        has_file = bool((p := self.current()) and p.path)
        for button in (self.retry_button, self.remove_button, self.folder_button):
            button.setEnabled(has_file)

    def _retry(self) -> None:
        if (p := self.current()) is not None and p.path:
            self.retryRequested.emit(p)

    def _remove(self) -> None:
        if (p := self.current()) is not None and p.path:
            self.removeRequested.emit(p)

    def _open_folder(self) -> None:
        if (p := self.current()) is not None and p.path:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(PurePath(p.path).parent)))
