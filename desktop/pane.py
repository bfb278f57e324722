"""The centre of the window: the article's header, the reader, and stepping through marks.

:class:`MarkNavigator` steps through a list of spans ("2 of 5"), :class:`FindBar` shows
where it is under the reader, :class:`ReaderPane` puts them together.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from desktop.reader import Layer, MarkKind, ReaderView

if TYPE_CHECKING:
    from index.model import Span


class FindBar(QWidget):
    """Previous / next buttons and "2 of 5" under the reader.

    Signals:
        previousRequested(), nextRequested(), closeRequested()
    """

    previousRequested = Signal()
    nextRequested = Signal()
    closeRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        self.what = QLabel(self)
        self.position = QLabel(self)
        self.position.setObjectName("markPosition")
        self.position.setAccessibleName("Mark position")
        self.previous = QToolButton(self)
        self.previous.setText("▲ Previous")
        self.previous.setToolTip("Previous mark (Shift+F3)")
        self.previous.setAccessibleName("Previous mark")
        self.next = QToolButton(self)
        self.next.setText("▼ Next")
        self.next.setToolTip("Next mark (F3)")
        self.next.setAccessibleName("Next mark")
        self.close_button = QToolButton(self)
        self.close_button.setText("✕")
        self.close_button.setToolTip("Clear the marks (Esc)")
        self.close_button.setAccessibleName("Clear marks")
        for label in (self.what, self.position):
            layout.addWidget(label)
        layout.addStretch(1)
        for button in (self.previous, self.next, self.close_button):
            layout.addWidget(button)
        self.previous.clicked.connect(self.previousRequested)
        self.next.clicked.connect(self.nextRequested)
        self.close_button.clicked.connect(self.closeRequested)
        self.hide()

    def show_position(self, what: str, current: int, total: int) -> None:
        self.what.setText(what)
        self.position.setText(f"{current} of {total}" if current and total
                              else f"{total} mark{'s' if total != 1 else ''}" if total
                              else "no marks")
        self.previous.setEnabled(total > 1)
        self.next.setEnabled(total > 1)
        self.show()


class MarkNavigator(QObject):
    """Steps through a list of spans in the reader ("2 of 5").

    Signals:
        moved(int, int): the current position (1-based) and the total.
    """

    moved = Signal(int, int)

    def __init__(self, view: ReaderView, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.spans: list[Span] = []
        self.index = -1
        self.kind: MarkKind | None = None
        self.what = ""

    def set_spans(self, what: str, kind: MarkKind, spans: Iterable[Span],
                  go_first: bool = True) -> None:
        self.what, self.kind = what, kind
        self.spans = sorted(set(spans))
        self.index = -1
        if self.spans and go_first:
            self.go(0)
        else:
            self.view.clear_marks(Layer.CURRENT)
            self.moved.emit(0, len(self.spans))

    def clear(self) -> None:
        self.spans, self.index, self.what, self.kind = [], -1, "", None
        self.view.clear_marks(Layer.CURRENT)
        self.moved.emit(0, 0)

    def point_at(self, span: Span) -> None:
        """Makes ``span`` the current one without moving the view (a clicked mark)."""
        if span in self.spans:
            self.index = self.spans.index(span)
            self.moved.emit(self.index + 1, len(self.spans))

    def go(self, index: int) -> None:
        if not self.spans:
            return
        from desktop.marks import Mark  # not at import: the first frame has no marks

        self.index = index % len(self.spans)
        start, end = self.spans[self.index]
        self.view.set_marks(Layer.CURRENT, [Mark(start, end, MarkKind.CURRENT)])
        self.view.go_to(start, end)
        self.moved.emit(self.index + 1, len(self.spans))

    def next(self) -> None:
        if self.spans:
            after = [i for i, (s, _) in enumerate(self.spans) if s > self._here()]
            self.go(self.index + 1 if self.index >= 0 else (after[0] if after else 0))

    def previous(self) -> None:
        if self.spans:
            self.go(self.index - 1 if self.index >= 0 else len(self.spans) - 1)

    def _here(self) -> int:
        return self.view.cursor_offset()


class ReaderPane(QWidget):
    """The centre of the window: a header (title, source), the view, the find bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readerPane")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.header = QLabel(self)
        self.header.setObjectName("articleHeader")
        self.header.setWordWrap(True)
        self.header.setContentsMargins(28, 12, 28, 4)
        self.header.setAccessibleName("Article title")
        self._header = ("", "")
        self.view = ReaderView(self)
        self.view.setAcceptDrops(False)  # files dropped on the article go to the window
        self.findbar = FindBar(self)
        self.navigator = MarkNavigator(self.view, self)
        layout.addWidget(self.header)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.findbar)
        self.navigator.moved.connect(self._moved)
        self.findbar.nextRequested.connect(self.navigator.next)
        self.findbar.previousRequested.connect(self.navigator.previous)
        self.set_header("", "")

    def _moved(self, current: int, total: int) -> None:
        if self.navigator.what:
            self.findbar.show_position(self.navigator.what, current, total)
        else:
            self.findbar.hide()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.set_header(*self._header)

    def set_header(self, title: str, meta: str) -> None:
        self._header = (title, meta)
        if not title and not meta:
            self.header.hide()
            return
        grey = self.palette().color(QPalette.ColorRole.PlaceholderText).name()
        from html import escape  # not at import: nor is the header in the first frame

        self.header.setTextFormat(QtCore.Qt.TextFormat.RichText)
        heading = (f"<div style='font-size:16pt; font-weight:600'>{escape(title)}</div>"
                   if title else "")
        self.header.setText(f"{heading}<div style='color:{grey}'>{escape(meta)}</div>")
        self.header.show()
