"""Bookmarks: the store, adding one from the selection, notes, undo, export.

The store is :class:`index.bookmarks.BookmarkStore` (SQLite, WAL): small transactions,
made on the GUI thread. Every change goes through an undoable command on the window's
``QUndoStack``, so a deletion can be undone (Edit > Undo, Ctrl+Z, or the status bar's Undo
button). Nothing here writes a file except the Markdown export (``QSaveFile``: all or
nothing).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, QRect, QSaveFile, Signal
from PySide6.QtGui import QFont, QGuiApplication, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.bookmarkspanel import BookmarksPanel
from desktop.entries import clip
from desktop.marks import Mark
from desktop.reader import Layer, MarkKind
from desktop.reading import Reading
from desktop.settings import Settings
from index.model import Article, Bookmark

if TYPE_CHECKING:
    from index.bookmarks import BookmarkStore

log = logging.getLogger(__name__)


class BookmarkCommand(QUndoCommand):
    """An undoable change to the store; ``changed`` is called after each step."""

    def __init__(self, text: str, store: BookmarkStore, changed: Callable[[], None]) -> None:
        super().__init__(text)
        self.store = store
        self.changed = changed


class AddBookmark(BookmarkCommand):
    def __init__(self, store: BookmarkStore, changed: Callable[[], None], article: Article,
                 start: int, end: int, note: str = "") -> None:
        super().__init__("Add bookmark", store, changed)
        info = article.info
        self.args = (info.key, info.path, article.text, start, end, note)
        self.bookmark: Bookmark | None = None

    def redo(self) -> None:
        if self.bookmark is None:
            self.bookmark = self.store.add(*self.args)
        else:
            self.bookmark = self.store.restore(self.bookmark)
        self.changed()

    def undo(self) -> None:
        if self.bookmark is not None:
            self.store.remove(self.bookmark.id)
        self.changed()


class DeleteBookmark(BookmarkCommand):
    def __init__(self, store: BookmarkStore, changed: Callable[[], None],
                 bookmark: Bookmark) -> None:
        super().__init__("Delete bookmark", store, changed)
        self.bookmark = bookmark

    def redo(self) -> None:
        self.bookmark = self.store.remove(self.bookmark.id)
        self.changed()

    def undo(self) -> None:
        self.bookmark = self.store.restore(self.bookmark)
        self.changed()


class EditNote(BookmarkCommand):
    def __init__(self, store: BookmarkStore, changed: Callable[[], None], bookmark: Bookmark,
                 note: str) -> None:
        super().__init__("Edit bookmark note", store, changed)
        self.bookmark_id, self.old, self.new = bookmark.id, bookmark.note, note

    def redo(self) -> None:
        self.store.set_note(self.bookmark_id, self.new)
        self.changed()

    def undo(self) -> None:
        self.store.set_note(self.bookmark_id, self.old)
        self.changed()


class NoteDialog(QDialog):
    """Asks for a bookmark's note, showing the passage it is about; placed beside the
    passage (``avoid``, global coordinates), never over it."""

    def __init__(self, parent: QWidget, title: str, quote: str, note: str = "",
                 avoid: QRect | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("noteDialog")
        self.quote = QLabel(f"“{clip(quote, 300)}”", self)
        self.quote.setObjectName("bookmarkQuote")
        self.quote.setWordWrap(True)
        font = QFont(self.quote.font())
        font.setItalic(True)
        self.quote.setFont(font)
        self.note = QPlainTextEdit(note, self)
        self.note.setAccessibleName("Note")
        self.note.setPlaceholderText("Note (optional)")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.quote)
        layout.addWidget(self.note, 1)
        layout.addWidget(buttons)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.resize(420, 220)
        if avoid is not None:
            self.move(place_beside(avoid, self.size().width(), self.size().height(),
                                   _screen_of(parent)))

    def text(self) -> str:
        return self.note.toPlainText().strip()


def _screen_of(widget: QWidget) -> QRect:
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1920, 1080)


def place_beside(avoid: QRect, width: int, height: int, screen: QRect) -> QPoint:
    """Where a ``width`` × ``height`` window goes so as not to cover ``avoid``: under it,
    else above it, else beside it; inside ``screen``."""
    gap = 12
    x = min(max(avoid.left(), screen.left()), screen.right() - width)
    if avoid.bottom() + gap + height <= screen.bottom():
        return QPoint(x, avoid.bottom() + gap)
    if avoid.top() - gap - height >= screen.top():
        return QPoint(x, avoid.top() - gap - height)
    y = min(max(avoid.top(), screen.top()), screen.bottom() - height)
    if avoid.right() + gap + width <= screen.right():
        return QPoint(avoid.right() + gap, y)
    return QPoint(max(screen.left(), avoid.left() - gap - width), y)


class Bookmarks(QObject):
    """The bookmarks' behaviour.

    Signals:
        changed(int): the number of bookmarks, after any change.
        deleted(): a bookmark was deleted (offer to undo it).
        message(str, int): a status-bar message and how long to show it (ms).
    """

    changed = Signal(int)
    deleted = Signal()
    message = Signal(str, int)

    def __init__(self, data_dir: Path, panel: BookmarksPanel, reading: Reading,
                 undo_stack: QUndoStack, settings: Settings, parent: QWidget, *,
                 store: BookmarkStore | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.panel = panel
        self.reading = reading
        self.undo_stack = undo_stack
        self.settings = settings
        self.window = parent
        self.store = store
        self.titles: dict[str, str] = {}

    def open_store(self) -> None:
        if self.store is None:
            from index.bookmarks import BookmarkError, BookmarkStore

            try:
                self.store = BookmarkStore(self.data_dir)
            except (BookmarkError, OSError) as exc:
                log.warning("bookmarks unavailable: %s", exc)
                self.message.emit(f"Bookmarks unavailable: {exc}", 15000)
                return
        self.load()

    def close(self) -> None:
        """Closes the store; answers still queued for the window find no store."""
        if self.store is not None:
            store, self.store = self.store, None
            store.close()

    def load(self) -> None:
        if self.store is None:
            return
        bookmarks = self.store.list()
        self.panel.set_bookmarks(bookmarks, self.titles)
        self.mark_article()
        self.changed.emit(len(bookmarks))

    def set_titles(self, titles: Mapping[str, str]) -> None:
        self.titles = dict(titles)
        self.panel.model.set_titles(self.titles)

    def mark_article(self) -> None:
        """Marks the bookmarked passages of the article shown."""
        key = self.reading.key
        if key is None:
            return
        self.reading.view.set_marks(Layer.BOOKMARKS, [
            Mark(b.start, b.end, MarkKind.BOOKMARK,
                 "Bookmark" + (f": {b.note}" if b.note else ""))
            for b in self.panel.model.bookmarks() if b.key == key and not b.orphaned])

    # -- asking ---------------------------------------------------------------------

    def ask_note(self, title: str, quote: str, note: str = "",
                 avoid: QRect | None = None) -> tuple[str, bool]:
        """Asks for a bookmark's note; returns (note, accepted). Tests replace it."""
        dialog = NoteDialog(self.window, title, quote, note, avoid)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        text = dialog.text()
        dialog.deleteLater()
        return text, accepted

    def ask_export_path(self) -> str:
        start = str(Path(self.settings.last_folder()) / "bookmarks.md")
        path, _ = QFileDialog.getSaveFileName(self.window, "Export bookmarks", start,
                                              "Markdown (*.md)")
        if path:
            self.settings.set_last_folder(str(PurePath(path).parent))
        return path

    # -- changes --------------------------------------------------------------------

    def add_selection(self) -> None:
        """Bookmarks the selected passage (Ctrl+D), with an optional note."""
        view = self.reading.view
        span = view.selection_span()
        article = self.reading.article
        if article is None or self.reading.preview or span is None or span[0] == span[1]:
            self.message.emit("Select a passage to bookmark it.", 5000)
            return
        self.open_store()
        if self.store is None:
            return
        start, end = span
        cursor = view.span_cursor(start, end)
        first = view.cursorRect(view.span_cursor(start, start))
        last = view.cursorRect(view.span_cursor(end, end))
        area = first.united(last)
        if cursor.hasSelection() and first.top() != last.top():
            area.setLeft(0)
            area.setRight(view.viewport().width())
        avoid = QRect(view.viewport().mapToGlobal(area.topLeft()), area.size())
        note, ok = self.ask_note("Bookmark", article.text[start:end], "", avoid)
        if not ok:
            return
        self.undo_stack.push(AddBookmark(self.store, self.load, article, start, end, note))
        view.setTextCursor(view.span_cursor(end, end))  # show the mark
        self.message.emit("Bookmarked.", 5000)

    def edit_note(self, bookmark: Bookmark) -> None:
        if self.store is None:
            return
        note, ok = self.ask_note("Edit note", bookmark.quote, bookmark.note)
        if ok and note != bookmark.note:
            self.undo_stack.push(EditNote(self.store, self.load, bookmark, note))

    def delete(self, bookmark: Bookmark) -> None:
        if self.store is None:
            return
        self.undo_stack.push(DeleteBookmark(self.store, self.load, bookmark))
        self.message.emit("Bookmark deleted.", 10_000)
        self.deleted.emit()

    def open(self, bookmark: Bookmark) -> None:
        """Opens a bookmark's article at its passage."""
        if bookmark.key not in self.titles:
            self.message.emit("This bookmark's article is not in the library.", 8000)
            return

        def focus() -> None:
            if bookmark.orphaned:
                self.message.emit("This bookmark's passage is no longer in the article.", 8000)
            else:
                self.reading.view.go_to(bookmark.start, bookmark.end)

        self.reading.open(bookmark.key, focus=focus)

    def export(self) -> None:
        if self.store is None:
            return
        path = self.ask_export_path()
        if not path:
            return
        out = QSaveFile(path)
        data = self.store.export_markdown(self.titles).encode("utf-8")
        if out.open(QSaveFile.OpenModeFlag.WriteOnly) and out.write(data) == len(data) \
                and out.commit():
            self.message.emit(f"Bookmarks exported to {path}", 8000)
        else:
            out.cancelWriting()
            self.message.emit(f"Could not write {path}: {out.errorString()}", 15000)
