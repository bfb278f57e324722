"""The window's parts on their own (the search box's debounce and stale answers, the
reader's rendering and marks), and the window's life on the real library with the fake
analyser: start, first-run preview, cancel, drag and drop, watching, notes and export."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes import library_factory
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent, QPalette

from desktop.kinds import Scope
from desktop.mainwindow import MainWindow
from desktop.reader import MarkKind, ReaderView, is_dark, mark_colour
from desktop.reading import analysed_part, merge_adjacent
from desktop.searchbox import SearchBox
from index.model import Block

TIMEOUT = 60_000  # ms: a shared machine

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
    assert requests == [(box.generation, "anti-ship", Scope.LIBRARY)]


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
    view.set_article("A few words.")
    size = view.document().defaultFont().pointSizeF()
    assert size == ReaderView.BASE_POINT_SIZE
    with qtbot.waitSignal(view.zoomChanged) as sig:
        view.zoom_in()
    assert sig.args == [1]
    assert view.document().defaultFont().pointSizeF() > size
    view.zoom_reset()
    assert view.document().defaultFont().pointSizeF() == size


def test_a_zoom_restored_before_the_first_article_applies_to_it(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The window's frame restores the zoom into an empty reader (no font is set before
    the first paint); the first article is shown at that zoom."""
    view = ReaderView()
    qtbot.addWidget(view)
    view.set_zoom(2)
    view.set_article("A few words.")
    assert view.document().defaultFont().pointSizeF() == pytest.approx(
        ReaderView.BASE_POINT_SIZE * 1.1 ** 2)
    assert view.document().documentMargin() == 28


def test_mark_colours_follow_the_palette(qtbot) -> None:  # type: ignore[no-untyped-def]
    light, dark = QPalette(), QPalette()
    light.setColor(QPalette.ColorRole.Base, Qt.GlobalColor.white)
    dark.setColor(QPalette.ColorRole.Base, Qt.GlobalColor.black)
    assert not is_dark(light) and is_dark(dark)
    for kind in (MarkKind.PERSON, MarkKind.PLACE, MarkKind.STATEMENT, MarkKind.SEARCH,
                 MarkKind.BOOKMARK):
        assert mark_colour(kind, light).lightness() > mark_colour(kind, dark).lightness()
    assert len({mark_colour(k, light).name()
                for k in (MarkKind.PERSON, MarkKind.PLACE, MarkKind.STATEMENT)}) == 3


def test_hyphenated_hits_are_one_mark() -> None:
    text = "an anti-ship and anti ship"
    assert merge_adjacent(text, [(3, 7), (8, 12), (17, 21), (22, 26)]) == [
        (3, 12), (17, 21), (22, 26)]


def test_the_header_says_when_only_the_beginning_is_analysed() -> None:
    from index.analysis import MAX_ANALYSED

    assert analysed_part("A short article.\n") == ""
    paragraph = "word " * 199 + "end.\n\n"  # 1,002 characters
    text = paragraph * (MAX_ANALYSED // len(paragraph) + 10)
    said = analysed_part(text)
    end = int(said.split("first ")[1].split(" of")[0].replace(",", ""))
    assert MAX_ANALYSED - len(paragraph) <= end <= MAX_ANALYSED  # cut at a paragraph
    assert f"of {len(text):,} characters" in said


def _window(qtbot, data_dir: Path, **kw) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(data_dir, library_factory=library_factory(**kw))
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.fixture
def window(qtbot, data_dir: Path):  # type: ignore[no-untyped-def]
    w = _window(qtbot, data_dir)
    yield w
    w.close()


def test_start_returns_at_once_and_articles_appear(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window.articleShown, timeout=TIMEOUT):
        window.start()
        assert window.reading.article is None  # start() only asked the threads
    assert window.windowTitle().endswith(" — Broadsheet")
    assert window.library_panel.count.text() == "1 article"
    window.close()
    assert not window.service.writer_thread.isRunning()
    assert not window.service.reader_thread.isRunning()


def test_added_folder_is_indexed_and_the_article_read_stays(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                                            tmp_path: Path) -> None:
    """Fault 6: adding a folder used to replace the article being read."""
    with qtbot.waitSignals([window.articleShown, window.updateFinished], timeout=TIMEOUT):
        window.start()
    reading = window.reading.key
    folder = tmp_path / "more"
    folder.mkdir()
    (folder / "000_extra.txt").write_text("TOKYO – Mr Kishida met Joe Biden.\n\nMore.",
                                          encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(folder))])
    drop = QDropEvent(QPoint(10, 10).toPointF(), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    with qtbot.assertNotEmitted(window.articleShown, wait=0):
        with qtbot.waitSignal(window.updateFinished, timeout=TIMEOUT,
                              check_params_cb=lambda r: bool(r.added)):
            window.dropEvent(drop)
        qtbot.waitUntil(lambda: window.library_panel.count.text() == "2 articles")
    assert window.reading.key == reading
    assert str(folder) in window.updates.watcher.directories()


def test_scanning_says_neither_a_file_nor_a_count() -> None:
    """Fault 6: the first seconds said "Scanning 000_…txt 0/1"."""
    from desktop.updates import progress_text
    from index.model import Phase, Progress

    bar, line = progress_text(Progress(Phase.SCAN, 0, 1, "/news/000_a.txt"))
    assert "0/1" not in bar + line and "000_a" not in bar + line
    bar, line = progress_text(Progress(Phase.ANALYSE, 3, 10, "/news/000_a.txt"))
    assert bar == "Analysing 30 %" and "000_a.txt" in line


def test_cancel_stops_the_update(qtbot, data_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(40):
        (folder / f"{i:03}.txt").write_text(f"LONDON – Story {i}.\n\nWords.", encoding="utf-8")
    window = _window(qtbot, data_dir, delay=0.1)
    window.open_paths([folder])
    qtbot.waitUntil(window.updates.cancel_button.isVisible, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: "Analysing" in window.updates.progress.format(), timeout=TIMEOUT)
    assert window.updates.progress.isVisible()
    with qtbot.waitSignal(window.updateFinished, timeout=TIMEOUT) as sig:
        qtbot.mouseClick(window.updates.cancel_button, Qt.MouseButton.LeftButton)
    assert sig.args[0].cancelled
    assert not window.updates.progress.isVisible()
    message = window.statusBar().currentMessage()
    # Cancelled in the analysis: every article is searchable, and the window says how many
    # are analysed (the rest wait for the next update).
    assert "cancelled" in message and "41 searchable · " in message, message
    assert "the rest at the next update" in message
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
    window = _window(qtbot, data_dir, delay=2.0)
    window.start()
    qtbot.waitUntil(lambda: window.reading.article is not None, timeout=TIMEOUT)
    from index.documents import load_document

    document = load_document(seed_path)
    assert window.reading.preview  # shown straight from the file, no NLP yet
    assert window.reader.toPlainText() == document.text
    assert window.windowTitle() == f"{document.title} — Broadsheet"
    assert window.updates.progress.isVisible()
    window.updates.cancel()
    qtbot.waitUntil(lambda: not window.updates.progress.isVisible(), timeout=TIMEOUT)
    window.close()


def test_note_edit_undo_and_export(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window.articleShown, timeout=TIMEOUT):
        window.start()
    qtbot.waitUntil(lambda: window.bookmarks.store is not None)
    w = window
    w.reader.setTextCursor(w.reader.span_cursor(0, 10))
    w.bookmarks.ask_note = lambda title, quote, note="", avoid=None: ("", True)  # type: ignore[method-assign]
    w.bookmark_action.trigger()
    assert w.bookmarks_panel.model.rowCount() == 1
    w.bookmarks_panel.list.setCurrentIndex(w.bookmarks_panel.proxy.index(0, 0))
    w.bookmarks.ask_note = lambda title, quote, note="", avoid=None: ("a note", True)  # type: ignore[method-assign]
    w.bookmarks_panel.edit_button.click()
    assert w.bookmarks_panel.model.bookmarks()[0].note == "a note"
    w.undo_action.trigger()
    assert w.bookmarks_panel.model.bookmarks()[0].note == ""
    w.redo_action.trigger()
    target = tmp_path / "out.md"
    w.bookmarks.ask_export_path = lambda: str(target)  # type: ignore[method-assign]
    w.bookmarks_panel.export_button.click()
    exported = target.read_text(encoding="utf-8")
    assert "a note" in exported and w.reading.article is not None
    assert w.reading.article.text[:10].strip() in exported
    # nothing selected: no bookmark, a hint instead
    w.reader.moveCursor(w.reader.textCursor().MoveOperation.End)
    w.bookmark_action.trigger()
    assert w.bookmarks_panel.model.rowCount() == 1
    assert "Select a passage" in w.statusBar().currentMessage()


def test_a_library_error_is_a_problem_and_the_rest_is_said_once(qtbot, data_dir: Path,  # type: ignore[no-untyped-def]
                                                                monkeypatch) -> None:
    """Errors typed end to end: a locked library is a row in Problems (not a message under
    the search field); anything unexpected is logged and said once."""
    from index.library import Library
    from index.library.storage import FileLock

    window = _window(qtbot, data_dir, lock_timeout=0.2)
    with (FileLock(data_dir / "library.lock", 1.0),  # another process is updating
          qtbot.waitSignal(window.updateFinished, timeout=TIMEOUT)):
        window.start()
    rows = window.problems_panel.model.problems()
    assert [(p.path, "Another Broadsheet process" in p.reason) for p in rows] == [("", True)]
    assert window.problems_dock.windowTitle() == "Problems (1)"
    assert "Another Broadsheet process" in window.statusBar().currentMessage()
    with qtbot.waitSignal(window.updateFinished, timeout=TIMEOUT):
        window.update_action.trigger()
    assert window.problems_panel.model.problems() == []  # the next good update clears it

    def broken(self, query, limit=20, *, should_stop=None):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(Library, "search", broken)
    said: list[str] = []
    window.statusBar().messageChanged.connect(said.append)
    for query in ("first", "second"):
        with qtbot.waitSignal(window.service.failed, timeout=TIMEOUT):
            window.search_box.field.setText(query)
            window.search_box.run()
    assert said.count("Searching: disk on fire") == 1
    assert not window.search_box.message.isVisible()  # not the query's fault
    window.close()
