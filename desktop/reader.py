"""The reader: one article, rendered readably, with marks laid over it.

The view holds exactly the article's analysed text (``Article.text``), so every offset
``index/`` gives is a position in the view once :class:`desktop.textpos.PositionMap` has
turned it into UTF-16. Structure (title, dateline, headings, list items, block quotes,
code) comes from the document's ``blocks`` and is applied as formats, never as extra
characters. Marks are :class:`QTextEdit.ExtraSelection` layers, one colour per kind.

Nothing is fetched while rendering (``loadResource`` refuses every URL); a link opens in
the system browser only when it is clicked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QDesktopServices,
    QFont,
    QHelpEvent,
    QMouseEvent,
    QPalette,
    QResizeEvent,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
    QTextListFormat,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QTextBrowser,
    QTextEdit,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from desktop.textpos import PositionMap

#: Mark kinds, each with its colour; the order is the drawing order (later on top).
KINDS = ("highlight-place", "highlight-person", "highlight-statement", "bookmark",
         "place", "person", "statement", "search", "current")

_LIGHT = {
    "person": "#ffd966", "place": "#a8e0b8", "statement": "#c6dafc", "search": "#ffb570",
    "bookmark": "#f3c6ef", "current": "#ff8c1a",
}
_DARK = {
    "person": "#7a6212", "place": "#24603a", "statement": "#2c4a80", "search": "#8a4a12",
    "bookmark": "#6a2c66", "current": "#c25e00",
}

#: Width of the text column, in average character widths: lines of ~75 characters read best.
COLUMN_CHARS = 75

_URL = re.compile(r"\bhttps?://[^\s<>“”\"']+[^\s<>“”\"'.,;:!?)\]]")


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def mark_colour(kind: str, palette: QPalette) -> QColor:
    base = kind.removeprefix("highlight-")
    return QColor((_DARK if is_dark(palette) else _LIGHT)[base])


@dataclass(frozen=True)
class Mark:
    """A marked span of the article: code-point offsets, a kind (a key of the colour
    table), the tooltip shown on hover, and the value object it stands for."""

    start: int
    end: int
    kind: str
    label: str = ""
    payload: Any = None


class ReaderView(QTextBrowser):
    """A read-only view of one article.

    Signals:
        markClicked(object): a marked name or quotation was clicked (the :class:`Mark`).
        zoomChanged(int): the zoom step after Ctrl+plus/minus (0 is the default size).
    """

    markClicked = Signal(object)
    zoomChanged = Signal(int)

    BASE_POINT_SIZE = 12.0

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reader")
        self.setAccessibleName("Article")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
            | Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.document().setDocumentMargin(28)
        self.text = ""
        self.pmap = PositionMap("")
        self.zoom_step = 0
        self._layers: dict[str, list[Mark]] = {}
        self._context_actions: list[QAction] = []
        self.anchorClicked.connect(self._open_link)
        self._apply_font()

    # -- content --------------------------------------------------------------------

    def set_article(self, text: str, blocks: Sequence[Any] = (),
                    dateline_span: tuple[int, int] | None = None) -> None:
        """Shows ``text`` with the structure of ``blocks`` (``index.model.Block``)."""
        self.text = text
        self.pmap = PositionMap(text)
        self._layers.clear()
        self.setExtraSelections([])
        # The widget's current char format (that of the old article's first character, a
        # dateline, say) would otherwise be applied to the whole new text.
        self.setCurrentCharFormat(QTextCharFormat())
        self.setPlainText(text)
        self._centre_column()
        doc = self.document()
        cursor = QTextCursor(doc)
        cursor.beginEditBlock()
        plain = QTextBlockFormat()
        plain.setLineHeight(130, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.mergeBlockFormat(plain)
        for block in blocks:
            self._format_block(block)
        if dateline_span:
            fmt = QTextCharFormat()
            fmt.setFontWeight(QFont.Weight.Bold)
            fmt.setFontCapitalization(QFont.Capitalization.SmallCaps)
            self._merge_chars(dateline_span[0], dateline_span[1], fmt)
        for m in _URL.finditer(text):
            fmt = QTextCharFormat()
            fmt.setAnchor(True)
            fmt.setAnchorHref(m.group(0))
            fmt.setFontUnderline(True)
            fmt.setForeground(self.palette().color(QPalette.ColorRole.Link))
            self._merge_chars(m.start(), m.end(), fmt)
        cursor.endEditBlock()
        self.moveCursor(QTextCursor.MoveOperation.Start)

    def span_cursor(self, start: int, end: int) -> QTextCursor:
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.pmap.to_qt(start))
        cursor.setPosition(self.pmap.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def _merge_chars(self, start: int, end: int, fmt: QTextCharFormat) -> None:
        self.span_cursor(start, end).mergeCharFormat(fmt)

    def _format_block(self, block: Any) -> None:
        kind, level = block.kind, getattr(block, "level", 0)
        cursor = self.span_cursor(block.start, block.end)
        bfmt = QTextBlockFormat()
        cfmt = QTextCharFormat()
        if kind in ("title", "heading"):
            size = 3 if kind == "title" else max(0, 3 - level)
            cfmt.setProperty(QTextFormat.Property.FontSizeAdjustment, size)
            cfmt.setFontWeight(QFont.Weight.Bold)
            bfmt.setTopMargin(12)
            bfmt.setBottomMargin(6)
            bfmt.setHeadingLevel(1 if kind == "title" else level)
        elif kind == "dateline":
            cfmt.setFontWeight(QFont.Weight.Bold)
            cfmt.setFontCapitalization(QFont.Capitalization.SmallCaps)
        elif kind == "quote":
            bfmt.setLeftMargin(28)
            bfmt.setRightMargin(28)
            cfmt.setFontItalic(True)
        elif kind == "code":
            cfmt.setFontFamilies(["DejaVu Sans Mono", "monospace"])
            cfmt.setFontFixedPitch(True)
            bfmt.setNonBreakableLines(True)
        elif kind == "item":
            lfmt = QTextListFormat()
            lfmt.setStyle(QTextListFormat.Style.ListDisc)
            cursor.createList(lfmt)
        cursor.mergeBlockFormat(bfmt)
        cursor.mergeCharFormat(cfmt)

    # -- marks ----------------------------------------------------------------------

    def set_marks(self, layer: str, marks: Iterable[Mark]) -> None:
        """Replaces one layer of marks (``layer`` is any name; each mark has its kind)."""
        self._layers[layer] = [m for m in marks if 0 <= m.start < m.end <= len(self.text)]
        self._refresh_marks()

    def clear_marks(self, layer: str) -> None:
        if self._layers.pop(layer, None) is not None:
            self._refresh_marks()

    def marks(self, layer: str) -> list[Mark]:
        return list(self._layers.get(layer, ()))

    def _refresh_marks(self) -> None:
        palette = self.palette()
        text_colour = palette.color(QPalette.ColorRole.Text)
        selections = []
        every = [m for marks in self._layers.values() for m in marks]
        order = {k: i for i, k in enumerate(KINDS)}
        every.sort(key=lambda m: order.get(m.kind, 0))
        for mark in every:
            sel = QTextEdit.ExtraSelection()
            sel.cursor = self.span_cursor(mark.start, mark.end)
            fmt = QTextCharFormat()
            fmt.setBackground(mark_colour(mark.kind, palette))
            fmt.setForeground(text_colour)
            if mark.kind == "bookmark":
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
            if mark.kind == "current":
                fmt.setForeground(QColor("#000000" if not is_dark(palette) else "#ffffff"))
            sel.format = fmt
            selections.append(sel)
        self.setExtraSelections(selections)

    def mark_at(self, pos: int) -> Mark | None:
        """The most specific labelled mark covering code-point offset ``pos``."""
        found = [m for marks in self._layers.values() for m in marks
                 if m.start <= pos < m.end and m.label]
        return min(found, key=lambda m: m.end - m.start) if found else None

    def go_to(self, start: int, end: int) -> None:
        """Puts the cursor at the start of a span and scrolls the span into view, centred."""
        self.setTextCursor(self.span_cursor(start, start))
        rect = self.cursorRect(self.span_cursor(start, start))
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + rect.center().y() - self.viewport().height() // 2)
        self.ensureCursorVisible()

    def selection_span(self) -> tuple[int, int] | None:
        """The selected passage in code points, or None."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        return (self.pmap.from_qt(cursor.selectionStart()),
                self.pmap.from_qt(cursor.selectionEnd()))

    def cursor_offset(self) -> int:
        return self.pmap.from_qt(self.textCursor().position())

    # -- zoom and layout ------------------------------------------------------------

    def set_zoom(self, step: int) -> None:
        self.zoom_step = max(-6, min(step, 12))
        self._apply_font()
        self.zoomChanged.emit(self.zoom_step)

    def zoom_in(self) -> None:
        self.set_zoom(self.zoom_step + 1)

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom_step - 1)

    def zoom_reset(self) -> None:
        self.set_zoom(0)

    def _apply_font(self) -> None:
        font = QFont()
        font.setFamilies(["DejaVu Serif", "Noto Serif", "Georgia", "serif"])
        font.setStyleHint(QFont.StyleHint.Serif)
        font.setPointSizeF(self.BASE_POINT_SIZE * (1.1 ** self.zoom_step))
        self.document().setDefaultFont(font)
        self._centre_column()

    def _centre_column(self) -> None:
        # The root frame's side margins keep the text in a readable column, centred.
        metrics_width = self.fontMetrics().averageCharWidth() * (1.1 ** self.zoom_step)
        width = metrics_width * COLUMN_CHARS
        spare = max(0.0, (self.viewport().width() - width) / 2)
        root = self.document().rootFrame()
        fmt = root.frameFormat()
        if abs(fmt.leftMargin() - spare) >= 1:
            fmt.setLeftMargin(spare)
            fmt.setRightMargin(spare)
            root.setFrameFormat(fmt)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._centre_column()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._refresh_marks()

    # -- interaction ----------------------------------------------------------------

    def add_context_action(self, action: QAction) -> None:
        self._context_actions.append(action)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.createStandardContextMenu(event.pos())
        if self._context_actions:
            menu.addSeparator()
            for action in self._context_actions:
                menu.addAction(action)
        menu.exec(event.globalPos())
        menu.deleteLater()

    def _offset_at(self, point: QPoint) -> int | None:
        cursor = self.cursorForPosition(point)
        rect = self.cursorRect(cursor)
        if abs(rect.center().y() - point.y()) > rect.height():
            return None
        return self.pmap.from_qt(cursor.position())

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            viewport_pos = self.viewport().mapFromGlobal(event.globalPos())
            offset = self._offset_at(viewport_pos)
            mark = self.mark_at(offset) if offset is not None else None
            if mark is not None:
                QToolTip.showText(event.globalPos(), mark.label, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton or self.textCursor().hasSelection():
            return
        offset = self._offset_at(event.position().toPoint())
        mark = self.mark_at(offset) if offset is not None else None
        if mark is not None and mark.payload is not None:
            self.markClicked.emit(mark)

    def loadResource(self, type: int, name: QUrl | str) -> Any:
        return None  # never fetch anything: articles are text

    def _open_link(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)


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
        self.spans: list[tuple[int, int]] = []
        self.index = -1
        self.kind = ""
        self.what = ""

    def set_spans(self, what: str, kind: str, spans: Iterable[tuple[int, int]],
                  go_first: bool = True) -> None:
        self.what, self.kind = what, kind
        self.spans = sorted(set(spans))
        self.index = -1
        if self.spans and go_first:
            self.go(0)
        else:
            self.view.clear_marks("current")
            self.moved.emit(0, len(self.spans))

    def clear(self) -> None:
        self.spans, self.index, self.what = [], -1, ""
        self.view.clear_marks("current")

    def go(self, index: int) -> None:
        if not self.spans:
            return
        self.index = index % len(self.spans)
        start, end = self.spans[self.index]
        self.view.set_marks("current", [Mark(start, end, "current")])
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
        self.header.setTextFormat(Qt.TextFormat.RichText)
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
        self.findbar.show_position(self.navigator.what, current, total)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.set_header(*self._header)

    def set_header(self, title: str, meta: str) -> None:
        from html import escape

        self._header = (title, meta)
        if not title and not meta:
            self.header.hide()
            return
        grey = self.palette().color(QPalette.ColorRole.PlaceholderText).name()
        self.header.setText(
            f"<div style='font-size:16pt; font-weight:600'>{escape(title)}</div>"
            f"<div style='color:{grey}'>{escape(meta)}</div>"
        )
        self.header.show()
