"""The window's parts on their own: the search box's debounce and stale answers, the
reader's rendering and marks, the worker thread with a fake library, the window with a
fake library (first-run preview, cancel, drag and drop)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes import FakeLibrary
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent, QPalette

from desktop.mainwindow import MainWindow, merge_adjacent
from desktop.reader import ReaderView, is_dark, mark_colour
from desktop.searchbox import SearchBox
from index.model import Block

pytestmark = [
    pytest.mark.gui,
    # The offscreen platform says these when a dock is laid out or a tooltip raised.
    pytest.mark.qt_log_ignore("This plugin does not support (propagateSizeHints|raise)"),
]


def test_typing_is_debounced_into_one_request(qtbot) -> None:  # type: ignore[no-untyped-def]
    box = SearchBox()
    qtbot.addWidget(box)
    requests: list[tuple[int, str, str]] = []
    box.searchRequested.connect(lambda g, q, s: requests.append((g, q, s)))
    qtbot.keyClicks(box.field, "anti-ship")
    assert requests == []  # nothing while typing
    qtbot.waitUntil(lambda: len(requests) == 1)
    assert requests == [(box.generation, "anti-ship", "library")]


def test_stale_answers_are_dropped(qtbot) -> None:  # type: ignore[no-untyped-def]
    box = SearchBox()
    qtbot.addWidget(box)
    box.field.setText("first")
    box.run()
    old = box.generation
    box.field.setText("(second")
    box.run()
    box.show_error(old, "an old complaint")
    assert box.message.isHidden()
    box.show_error(box.generation, "Unbalanced parentheses")
    assert not box.message.isHidden() and "Unbalanced" in box.message.text()
    box.show_result(old, 0, "ignored")
    assert "ignored" not in box.message.text()


def test_reader_renders_structure_without_changing_the_text(qtbot) -> None:  # type: ignore[no-untyped-def]
    text = "A title\n\nLONDON – The lead 😀 paragraph.\n\nOne item\n\nA quote\n\nhttps://example.org/x"
    blocks = (Block("title", 0, 7), Block("paragraph", 9, 40), Block("item", 42, 50),
              Block("quote", 52, 59), Block("paragraph", 61, len(text)))
    view = ReaderView()
    qtbot.addWidget(view)
    view.set_article(text, blocks, (9, 15))
    assert view.toPlainText() == text  # formats only: every offset is a view position
    doc = view.document()
    assert doc.findBlock(view.pmap.to_qt(2)).blockFormat().headingLevel() == 1
    assert doc.findBlock(view.pmap.to_qt(44)).textList() is not None
    assert doc.findBlock(view.pmap.to_qt(54)).blockFormat().leftMargin() > 0
    start = text.index("paragraph")  # after the emoji: UTF-16 differs from code points
    view.go_to(start, start + 9)
    assert view.cursor_offset() == start
    assert view.textCursor().position() == start + 1
    view.setTextCursor(view.span_cursor(start, start + 9))
    assert view.selection_span() == (start, start + 9)
    link = view.span_cursor(len(text) - 3, len(text) - 3).charFormat()
    assert link.isAnchor() and link.anchorHref() == "https://example.org/x"
    assert view.loadResource(0, QUrl("https://example.org/image.png")) is None

    # the next article does not inherit the formats of the first one's first word
    view.set_article(text, blocks, (0, 7))
    view.set_article("plain words", ())
    fmt = view.span_cursor(3, 4).charFormat()
    assert fmt.fontCapitalization() == fmt.fontCapitalization().MixedCase
    assert not fmt.isAnchor() and fmt.fontWeight() < 600


def test_zoom_steps(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = ReaderView()
    qtbot.addWidget(view)
    size = view.document().defaultFont().pointSizeF()
    with qtbot.waitSignal(view.zoomChanged) as sig:
        view.zoom_in()
    assert sig.args == [1]
    assert view.document().defaultFont().pointSizeF() > size
    view.zoom_reset()
    assert view.document().defaultFont().pointSizeF() == size


def test_mark_colours_follow_the_palette(qtbot) -> None:  # type: ignore[no-untyped-def]
    light, dark = QPalette(), QPalette()
    light.setColor(QPalette.ColorRole.Base, Qt.GlobalColor.white)
    dark.setColor(QPalette.ColorRole.Base, Qt.GlobalColor.black)
    assert not is_dark(light) and is_dark(dark)
    for kind in ("person", "place", "statement", "search", "bookmark"):
        assert mark_colour(kind, light).lightness() > mark_colour(kind, dark).lightness()
    assert len({mark_colour(k, light).name() for k in ("person", "place", "statement")}) == 3


def test_hyphenated_hits_are_one_mark() -> None:
    text = "an anti-ship and anti ship"
    assert merge_adjacent(text, [(3, 7), (8, 12), (17, 21), (22, 26)]) == [
        (3, 12), (17, 21), (22, 26)]


@pytest.fixture
def fake_window(qtbot, data_dir: Path, seed_path: Path):  # type: ignore[no-untyped-def]
    libraries: list[FakeLibrary] = []

    def factory(d: Path) -> FakeLibrary:
        # One in-memory library shared by the writer and reader threads (the real one
        # shares the index on disk).
        if not libraries:
            libraries.append(FakeLibrary(d, seeds=[seed_path.parent]))
        return libraries[0]

    window = MainWindow(data_dir, library_factory=factory)
    window.libraries = libraries  # type: ignore[attr-defined]
    qtbot.addWidget(window)
    window.show()
    yield window
    window.close()


def test_start_returns_at_once_and_articles_appear(qtbot, fake_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(fake_window.articleShown, timeout=10_000):
        fake_window.start()
        assert fake_window.article is None  # start() only asked the worker
    assert fake_window.windowTitle().endswith(" — Broadsheet")
    assert fake_window.library_panel.count.text() == "1 article"
    fake_window.close()
    assert fake_window.libraries[0].closed  # type: ignore[attr-defined]
    assert not fake_window.client.worker_thread.isRunning()
    assert not fake_window.client.reader_thread.isRunning()


def test_added_folder_is_indexed_and_its_file_opened(qtbot, fake_window: MainWindow,  # type: ignore[no-untyped-def]
                                                     tmp_path: Path) -> None:
    with qtbot.waitSignal(fake_window.updateFinished, timeout=10_000):
        fake_window.start()
    folder = tmp_path / "more"
    folder.mkdir()
    (folder / "extra.txt").write_text("TOKYO – Mr Kishida met Joe Biden.\n\nMore.",
                                      encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(folder))])
    drop = QDropEvent(QPoint(10, 10).toPointF(), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(fake_window.articleShown, timeout=10_000,
                          check_params_cb=lambda key: key != fake_window.documents[0].key):
        fake_window.dropEvent(drop)
    assert fake_window.library_panel.count.text() == "2 articles"
    assert fake_window.article.text.startswith("TOKYO")
    assert str(folder / "extra.txt") in fake_window.watcher.files()


class SlowLibrary(FakeLibrary):
    """An update that runs until it is cancelled (or 20 s pass)."""

    def update(self, progress=None, cancel=None, *, rebuild=False):  # type: ignore[no-untyped-def]
        import time

        from index.model import Progress, UpdateReport

        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if progress:
                progress(Progress("analyse", 1, 100, "slow.txt"))
            if cancel and cancel():
                return UpdateReport(cancelled=True)
            time.sleep(0.01)
        return UpdateReport()


def test_cancel_stops_the_update(qtbot, data_dir: Path, seed_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(data_dir, library_factory=lambda d: SlowLibrary(d))
    qtbot.addWidget(window)
    window.show()
    window.start()
    qtbot.waitUntil(window.cancel_button.isVisible, timeout=10_000)
    qtbot.waitUntil(lambda: "slow.txt" in window.statusBar().currentMessage(), timeout=10_000)
    assert window.progress.isVisible()
    with qtbot.waitSignal(window.updateFinished, timeout=10_000) as sig:
        qtbot.mouseClick(window.cancel_button, Qt.MouseButton.LeftButton)
    assert sig.args[0].cancelled
    assert not window.progress.isVisible()
    assert "cancelled" in window.statusBar().currentMessage()
    window.close()


def test_the_window_module_imports_nothing_slow(data_dir: Path) -> None:
    """The window is built and painted before Whoosh or spaCy are imported."""
    import subprocess
    import sys

    code = ("import sys; from PySide6.QtWidgets import QApplication; app = QApplication([]); "
            "from desktop.mainwindow import MainWindow; w = MainWindow(__import__('pathlib')"
            ".Path(sys.argv[1])); w.show(); app.processEvents(); "
            "print(sorted(m for m in ('whoosh', 'spacy', 'thinc', 'index.library') "
            "if m in sys.modules))")
    repo = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code, str(data_dir)], cwd=repo,
                         capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "[]"


def test_first_run_shows_the_seed_before_it_is_analysed(qtbot, data_dir: Path,  # type: ignore[no-untyped-def]
                                                        seed_path: Path) -> None:
    window = MainWindow(data_dir, library_factory=lambda d: SlowLibrary(
        d, seeds=[seed_path.parent]))
    qtbot.addWidget(window)
    window.show()
    window.start()
    qtbot.waitUntil(lambda: window.article is not None, timeout=10_000)
    from index.documents import load_document

    document = load_document(seed_path)
    assert window.article.preview  # shown straight from the file, no NLP yet
    assert window.reader.toPlainText() == document.text
    assert window.windowTitle() == f"{document.title} — Broadsheet"
    assert window.progress.isVisible()
    window.cancel_update()
    qtbot.waitUntil(lambda: not window.progress.isVisible(), timeout=10_000)
    window.close()


def test_changed_file_is_reindexed(qtbot, data_dir: Path, tmp_path: Path,  # type: ignore[no-untyped-def]
                                   seed_path: Path) -> None:
    folder = tmp_path / "watched"
    folder.mkdir()
    article = folder / "a.txt"
    article.write_text(seed_path.read_text(encoding="utf-8"), encoding="utf-8")
    library = FakeLibrary(data_dir, seeds=[folder])
    window = MainWindow(data_dir, library_factory=lambda d: library)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.updateFinished, timeout=10_000):
        window.start()
    qtbot.waitUntil(lambda: window.article is not None, timeout=10_000)
    assert str(article) in window.watcher.files()
    with qtbot.waitSignal(window.updateFinished, timeout=15_000,
                          check_params_cb=lambda r: bool(r and r.updated)):
        article.write_text("LONDON – Edited on disk.\n\nMore.", encoding="utf-8")
    qtbot.waitUntil(lambda: window.article.text.startswith("LONDON"), timeout=10_000)
    window.close()


def test_note_edit_undo_and_export(qtbot, fake_window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(fake_window.articleShown, timeout=10_000):
        fake_window.start()
    qtbot.waitUntil(lambda: fake_window.store is not None)
    w = fake_window
    w.reader.setTextCursor(w.reader.span_cursor(0, 10))
    w.ask_note = lambda title, note="": ("", True)  # type: ignore[method-assign]
    w.bookmark_action.trigger()
    assert w.bookmarks_panel.model.rowCount() == 1
    w.bookmarks_panel.list.setCurrentIndex(w.bookmarks_panel.proxy.index(0, 0))
    w.ask_note = lambda title, note="": ("a note", True)  # type: ignore[method-assign]
    w.bookmarks_panel.edit_button.click()
    assert w.bookmarks_panel.model.bookmarks()[0].note == "a note"
    w.undo_action.trigger()
    assert w.bookmarks_panel.model.bookmarks()[0].note == ""
    w.redo_action.trigger()
    target = tmp_path / "out.md"
    w.ask_export_path = lambda: str(target)  # type: ignore[method-assign]
    w.bookmarks_panel.export_button.click()
    exported = target.read_text(encoding="utf-8")
    assert "WASHINGTON" in exported and "a note" in exported
    # nothing selected: no bookmark, a hint instead
    w.reader.moveCursor(w.reader.textCursor().MoveOperation.End)
    w.bookmark_action.trigger()
    assert w.bookmarks_panel.model.rowCount() == 1
    assert "Select a passage" in w.statusBar().currentMessage()
