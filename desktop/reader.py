"""The reader: one article, rendered readably, with marks laid over it.

The view holds exactly the article's analysed text (``Article.text``), so every offset
``index/`` gives is a position in the view once :class:`desktop.textpos.PositionMap` has
turned it into UTF-16. Structure (title, dateline, headings, list items, block quotes,
code) comes from the document's ``blocks`` and is applied as formats, never as extra
characters. Marks are :class:`QTextEdit.ExtraSelection` layers, one colour per kind.

Nothing is fetched while rendering (``loadResource`` refuses every URL); a link opens in
the system browser only when it is clicked.

The view is part of the window's first frame, which pays only for what it shows (see
:mod:`desktop.app`): the frame's reader is empty, so the text's font and margin are set with
the first article, and the ``Qt`` namespace, the fonts, text formats and cursors, the menus
and the :class:`Mark` dataclass (in :mod:`desktop.marks`) are reached at call time
(``QtCore.Qt``, ``QtGui.QTextCursor``), never when the view is made.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QTextBrowser, QTextEdit, QWidget

from desktop.textpos import PositionMap

if TYPE_CHECKING:
    from PySide6.QtCore import QPoint, QUrl
    from PySide6.QtGui import (
        QAction,
        QColor,
        QContextMenuEvent,
        QMouseEvent,
        QResizeEvent,
        QTextCharFormat,
        QTextCursor,
    )
    from PySide6.QtWidgets import QMenu

    from desktop.marks import Mark
    from index.model import Block


class MarkKind(enum.StrEnum):
    """What a mark is, hence its colour; the order is the drawing order (later on top)."""

    HIGHLIGHT_PLACE = "highlight-place"
    HIGHLIGHT_PERSON = "highlight-person"
    HIGHLIGHT_STATEMENT = "highlight-statement"
    BOOKMARK = "bookmark"
    PLACE = "place"
    PERSON = "person"
    STATEMENT = "statement"
    SEARCH = "search"
    CURRENT = "current"


class Layer(enum.StrEnum):
    """The reader's layers of marks, each replaced as a whole."""

    ENTRY = "entry"  # the chosen person, place or statement
    SEARCH = "search"
    BOOKMARKS = "bookmarks"
    HIGHLIGHT = "highlight"  # the highlighter pen: everything at once
    CURRENT = "current"  # the mark stepped to

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

#: A link in the text (compiled at its first use, by re's cache: not before the first frame).
_URL = r"\bhttps?://[^\s<>“”\"']+[^\s<>“”\"'.,;:!?)\]]"


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def mark_colour(kind: MarkKind, palette: QPalette) -> QColor:
    base = kind.removeprefix("highlight-")
    return QtGui.QColor((_DARK if is_dark(palette) else _LIGHT)[base])




class ReaderView(QTextBrowser):
    """A read-only view of one article.

    Signals:
        markClicked(Mark): a marked name or quotation was clicked.
        zoomChanged(int): the zoom step after Ctrl+plus/minus (0 is the default size).
    """

    markClicked = Signal(object)  # Mark
    zoomChanged = Signal(int)

    BASE_POINT_SIZE = 12.0

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reader")
        self.setAccessibleName("Article")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setReadOnly(True)
        self.text = ""
        self._viewport_width: int | None = None  # as the viewport's last resize gave it
        self.pmap = PositionMap("")
        self.zoom_step = 0
        self._font_step: int | None = None  # the zoom step of the text's font, once set
        self._layers: dict[Layer, list[Mark]] = {}
        self._context_actions: list[QAction] = []
        self._context_fillers: list[Callable[[QMenu, int | None], None]] = []
        self.anchorClicked.connect(self._open_link)

    # -- content --------------------------------------------------------------------

    def set_article(self, text: str, blocks: Sequence[Block] = (),
                    dateline_span: tuple[int, int] | None = None) -> None:
        """Shows ``text`` with the structure of ``blocks`` (``index.model.Block``)."""
        self.text = text
        self.pmap = PositionMap(text)
        self._layers.clear()
        self.setExtraSelections([])
        # The widget's current char format (that of the old article's first character, a
        # dateline, say) would otherwise be applied to the whole new text.
        self.setCurrentCharFormat(QtGui.QTextCharFormat())
        if self._font_step != self.zoom_step:  # the first article
            self._apply_font()
        self.setPlainText(text)
        flag = QtCore.Qt.TextInteractionFlag  # an empty view has nothing to select
        self.setTextInteractionFlags(flag.TextSelectableByMouse | flag.TextSelectableByKeyboard
                                     | flag.LinksAccessibleByMouse
                                     | flag.LinksAccessibleByKeyboard)
        self._centre_column()
        doc = self.document()
        cursor = QtGui.QTextCursor(doc)
        cursor.beginEditBlock()
        plain = QtGui.QTextBlockFormat()
        plain.setLineHeight(130, QtGui.QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        cursor.select(QtGui.QTextCursor.SelectionType.Document)
        cursor.mergeBlockFormat(plain)
        for block in blocks:
            self._format_block(block)
        if dateline_span:
            fmt = QtGui.QTextCharFormat()
            fmt.setFontWeight(QtGui.QFont.Weight.Bold)
            fmt.setFontCapitalization(QtGui.QFont.Capitalization.SmallCaps)
            self._merge_chars(dateline_span[0], dateline_span[1], fmt)
        for m in re.finditer(_URL, text):
            fmt = QtGui.QTextCharFormat()
            fmt.setAnchor(True)
            fmt.setAnchorHref(m.group(0))
            fmt.setFontUnderline(True)
            fmt.setForeground(self.palette().color(QPalette.ColorRole.Link))
            self._merge_chars(m.start(), m.end(), fmt)
        cursor.endEditBlock()
        self.moveCursor(QtGui.QTextCursor.MoveOperation.Start)

    def span_cursor(self, start: int, end: int) -> QTextCursor:
        cursor = QtGui.QTextCursor(self.document())
        cursor.setPosition(self.pmap.to_qt(start))
        cursor.setPosition(self.pmap.to_qt(end), QtGui.QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def _merge_chars(self, start: int, end: int, fmt: QTextCharFormat) -> None:
        self.span_cursor(start, end).mergeCharFormat(fmt)

    def _format_block(self, block: Block) -> None:
        kind, level = block.kind, block.level
        cursor = self.span_cursor(block.start, block.end)
        bfmt = QtGui.QTextBlockFormat()
        cfmt = QtGui.QTextCharFormat()
        if kind in ("title", "heading"):
            size = 3 if kind == "title" else max(0, 3 - level)
            cfmt.setProperty(QtGui.QTextFormat.Property.FontSizeAdjustment, size)
            cfmt.setFontWeight(QtGui.QFont.Weight.Bold)
            bfmt.setTopMargin(12)
            bfmt.setBottomMargin(6)
            bfmt.setHeadingLevel(1 if kind == "title" else level)
        elif kind == "dateline":
            cfmt.setFontWeight(QtGui.QFont.Weight.Bold)
            cfmt.setFontCapitalization(QtGui.QFont.Capitalization.SmallCaps)
        elif kind == "quote":
            bfmt.setLeftMargin(28)
            bfmt.setRightMargin(28)
            cfmt.setFontItalic(True)
        elif kind == "code":
            cfmt.setFontFamilies(["DejaVu Sans Mono", "monospace"])
            cfmt.setFontFixedPitch(True)
            bfmt.setNonBreakableLines(True)
        elif kind == "item":
            lfmt = QtGui.QTextListFormat()
            lfmt.setStyle(QtGui.QTextListFormat.Style.ListDisc)
            cursor.createList(lfmt)
        cursor.mergeBlockFormat(bfmt)
        cursor.mergeCharFormat(cfmt)

    # -- marks ----------------------------------------------------------------------

    def set_marks(self, layer: Layer, marks: Iterable[Mark]) -> None:
        """Replaces one layer of marks (each mark has its kind)."""
        self._layers[layer] = [m for m in marks if 0 <= m.start < m.end <= len(self.text)]
        self._refresh_marks()

    def clear_marks(self, layer: Layer) -> None:
        if self._layers.pop(layer, None) is not None:
            self._refresh_marks()

    def marks(self, layer: Layer) -> list[Mark]:
        return list(self._layers.get(layer, ()))

    def _refresh_marks(self) -> None:
        palette = self.palette()
        text_colour = palette.color(QPalette.ColorRole.Text)
        selections = []
        every = [m for marks in self._layers.values() for m in marks]
        order = {k: i for i, k in enumerate(MarkKind)}
        every.sort(key=lambda m: order.get(m.kind, 0))
        for mark in every:
            sel = QTextEdit.ExtraSelection()
            sel.cursor = self.span_cursor(mark.start, mark.end)
            fmt = QtGui.QTextCharFormat()
            fmt.setBackground(mark_colour(mark.kind, palette))
            fmt.setForeground(text_colour)
            if mark.kind == MarkKind.BOOKMARK:
                fmt.setUnderlineStyle(QtGui.QTextCharFormat.UnderlineStyle.DashUnderline)
            if mark.kind == MarkKind.CURRENT:
                fmt.setForeground(QtGui.QColor("#000000" if not is_dark(palette) else "#ffffff"))
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
        """The zoom step (0 is the base size). The text's font follows at once, or with the
        first article: the frame's empty reader has no text to set it for (see the module
        docstring)."""
        self.zoom_step = max(-6, min(step, 12))
        if self.text:
            self._apply_font()
        self.zoomChanged.emit(self.zoom_step)

    def zoom_in(self) -> None:
        self.set_zoom(self.zoom_step + 1)

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom_step - 1)

    def zoom_reset(self) -> None:
        self.set_zoom(0)

    def _apply_font(self) -> None:
        """The text's font at the zoom step, and its margin."""
        font = QtGui.QFont()
        font.setFamilies(["DejaVu Serif", "Noto Serif", "Georgia", "serif"])
        font.setStyleHint(QtGui.QFont.StyleHint.Serif)
        font.setPointSizeF(self.BASE_POINT_SIZE * (1.1 ** self.zoom_step))
        doc = self.document()
        doc.setDocumentMargin(28)
        doc.setDefaultFont(font)
        self._font_step = self.zoom_step
        self._centre_column()

    def _centre_column(self) -> None:
        # The root frame's side margins keep the text in a readable column, centred. The
        # viewport's width is the one its last resize gave: viewport() returns a bare
        # QWidget, which PySide resolves by loading every widget class (the first frame
        # would pay for it), and until the first resize there is no width to centre in.
        # Nor is there anything to centre before the first article (the frame's reader).
        if self._viewport_width is None or not self.text:
            return
        metrics_width = self.fontMetrics().averageCharWidth() * (1.1 ** self.zoom_step)
        width = metrics_width * COLUMN_CHARS
        spare = max(0.0, (self._viewport_width - width) / 2)
        root = self.document().rootFrame()
        fmt = root.frameFormat()
        if abs(fmt.leftMargin() - spare) >= 1:
            fmt.setLeftMargin(spare)
            fmt.setRightMargin(spare)
            root.setFrameFormat(fmt)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """The viewport's resize (a scroll area's ``resizeEvent`` is its viewport's)."""
        super().resizeEvent(event)
        self._viewport_width = event.size().width()
        self._centre_column()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._refresh_marks()

    # -- interaction ----------------------------------------------------------------

    def add_context_action(self, action: QAction) -> None:
        self._context_actions.append(action)

    def add_context_filler(self, fill: Callable[[QMenu, int | None], None]) -> None:
        """``fill(menu, offset)`` adds to the context menu what belongs to the text at
        ``offset`` (code points; None off the text): a name's page, its corrections."""
        self._context_fillers.append(fill)

    def context_menu(self, pos: QPoint) -> QMenu:
        """The context menu for the point ``pos`` of the viewport."""
        menu = self.createStandardContextMenu(pos)
        offset = self._offset_at(pos)
        for fill in self._context_fillers:
            fill(menu, offset)
        if self._context_actions:
            menu.addSeparator()
            for action in self._context_actions:
                menu.addAction(action)
        return menu

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.context_menu(event.pos())
        menu.exec(event.globalPos())
        menu.deleteLater()

    def _offset_at(self, point: QPoint) -> int | None:
        cursor = self.cursorForPosition(point)
        rect = self.cursorRect(cursor)
        if abs(rect.center().y() - point.y()) > rect.height():
            return None
        return self.pmap.from_qt(cursor.position())

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QtGui.QHelpEvent):
            viewport_pos = self.viewport().mapFromGlobal(event.globalPos())
            offset = self._offset_at(viewport_pos)
            mark = self.mark_at(offset) if offset is not None else None
            if mark is not None:
                QtWidgets.QToolTip.showText(event.globalPos(), mark.label, self)
            else:
                QtWidgets.QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() != QtCore.Qt.MouseButton.LeftButton or self.textCursor().hasSelection():
            return
        offset = self._offset_at(event.position().toPoint())
        mark = self.mark_at(offset) if offset is not None else None
        if mark is not None and mark.payload is not None:
            self.markClicked.emit(mark)

    def loadResource(self, type: int, name: QUrl | str) -> None:
        return None  # never fetch anything: articles are text

    def _open_link(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https", "mailto"):
            QtGui.QDesktopServices.openUrl(url)
