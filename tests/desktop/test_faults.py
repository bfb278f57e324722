"""The faults of issue 10 that a user of the window meets, each driven on the real
:class:`index.library.Library` (with the fake analyser) as a user would meet it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes import FakeAnalyser, library_factory
from news import KYRGYZ, PHONE, TIMEOUT, write_folder
from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog

from desktop.bookmarks import NoteDialog
from desktop.kinds import Scope
from desktop.mainwindow import MainWindow
from desktop.panels import Role
from desktop.reader import Layer
from index.library import Library
from index.paths import document_key

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support (propagateSizeHints|raise)"),
]

TELECOMS = ("NEW YORK – AT&T said its telecoms network would reach more towns.\n\n"
            "The telecoms group gave no figures.\n")


def _window(qtbot, data_dir: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(data_dir, library_factory=library_factory())
    qtbot.addWidget(window)
    window.resize(1400, 880)
    window.show()
    return window


def _started(qtbot, window: MainWindow, *paths: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    """Starts the window (as after the first paint), hands it ``paths``, and waits for
    the update and the article."""
    with qtbot.waitSignals([window.articleShown, window.updateFinished], timeout=TIMEOUT):
        window.start()
        if paths:
            window.open_paths(list(paths))
    qtbot.waitUntil(lambda: not window.service.busy, timeout=TIMEOUT)
    return window


@pytest.fixture
def news(tmp_path: Path) -> Path:
    return write_folder(tmp_path, {"phone.txt": PHONE, "kyrgyz.txt": KYRGYZ,
                              "telecoms.txt": TELECOMS})


@pytest.fixture
def window(qtbot, data_dir: Path, news: Path) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    w = _started(qtbot, _window(qtbot, data_dir), news)
    qtbot.waitUntil(lambda: w.library_panel.count.text() == "4 articles", timeout=TIMEOUT)
    yield w
    w.close()


def _type(qtbot, window: MainWindow, query: str) -> None:  # type: ignore[no-untyped-def]
    window.search_box.field.selectAll()
    qtbot.keyClicks(window.search_box.field, query)


def _search(qtbot, window: MainWindow, query: str) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window.service.searchDone, timeout=TIMEOUT):
        _type(qtbot, window, query)


def test_1_enter_opens_the_top_hit_of_the_query_typed(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                                      news: Path) -> None:
    _search(qtbot, window, '"mobile phone" AND camera')
    assert window.results_panel.top_hit().key == document_key(news / "phone.txt")
    _type(qtbot, window, "Kyrgyz")
    kyrgyz = document_key(news / "kyrgyz.txt")
    with qtbot.waitSignal(window.articleShown, timeout=TIMEOUT) as shown:
        qtbot.keyClick(window.search_box.field, Qt.Key.Key_Return)  # before the debounce
    assert shown.args == [kyrgyz]
    assert window.results_panel.top_hit().key == kyrgyz


def test_2_a_file_given_at_a_cold_start_is_opened_even_if_indexed(
        qtbot, data_dir: Path, news: Path) -> None:  # type: ignore[no-untyped-def]
    first = _started(qtbot, _window(qtbot, data_dir), news)
    kyrgyz = document_key(news / "kyrgyz.txt")
    with qtbot.waitSignal(first.articleShown, timeout=TIMEOUT):
        first.reading.open(kyrgyz)  # the last article read
    first.close()

    again = _window(qtbot, data_dir)
    _started(qtbot, again, news / "phone.txt")  # broadsheet phone.txt
    phone = document_key(news / "phone.txt")
    qtbot.waitUntil(lambda: again.reading.key == phone, timeout=TIMEOUT)
    with qtbot.assertNotEmitted(again.articleShown, wait=500):
        pass  # the last article read does not come after it
    assert again.reading.key == phone
    again.close()


def test_3_an_article_edited_on_disk_is_reloaded(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                                 news: Path) -> None:
    story = news / "kyrgyz.txt"
    with qtbot.waitSignal(window.articleShown, timeout=TIMEOUT):
        window.reading.open(document_key(story))
    story.write_text(KYRGYZ.replace("low", "high, officials said,"), encoding="utf-8")
    with qtbot.waitSignal(window.articleShown, timeout=TIMEOUT):
        window.update_action.trigger()
    assert window.reading.article is not None
    assert "officials said" in window.reading.article.text
    assert "officials said" in window.reader.toPlainText()


def test_4_snippets_are_escaped_once(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    _search(qtbot, window, "network")
    index = window.results_panel.model.index(0)
    assert "AT&amp;T" in index.data(Role.Html) and "&amp;amp;" not in index.data(Role.Html)
    assert "AT&T" in index.data()


def test_5_another_process_s_update_shows_in_the_list(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                                      data_dir: Path, tmp_path: Path) -> None:
    more = write_folder(tmp_path, {"harbour.txt": "DOVER – The harbour reopened.\n\nShips came.\n"},
                   "more")
    other = Library(data_dir, analyser=FakeAnalyser())  # what `broadsheet index` does
    other.add_sources([more])
    other.update()
    other.close()
    qtbot.waitUntil(lambda: window.library_panel.count.text() == "5 articles", timeout=TIMEOUT)


def test_7_no_leftovers_after_a_search(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    toolbar = window.toolbar.height()
    with qtbot.waitSignal(window.articleShown, timeout=TIMEOUT):
        window.reading.open(window.reading.key or "")
    _search(qtbot, window, '"joint statement"')
    assert window.reader.marks(Layer.SEARCH)
    assert window.mark_position.text().startswith("“joint statement”: ")  # quoted once
    assert window.results_panel.summary.text().startswith("1 article matches “joint statement”")
    assert window.results_panel.summary.text().startswith("1 article matches ")

    _search(qtbot, window, "zzqqxx")  # no match: the old marks go
    assert not window.reader.marks(Layer.SEARCH)
    assert window.mark_position.text() == ""
    assert window.search_box.message.isVisible()
    assert window.toolbar.height() == toolbar  # the message floats: nothing moves

    _search(qtbot, window, '"joint statement"')
    assert window.reader.marks(Layer.SEARCH)
    window.search_box.field.clear()  # cleared: nothing left over
    qtbot.waitUntil(lambda: window.results_panel.model.rowCount() == 0)
    assert not window.reader.marks(Layer.SEARCH)
    assert window.mark_position.text() == ""
    assert window.pane.findbar.isHidden()
    assert not window.search_box.message.isVisible()


def test_8_problems_listed_retried_and_removed(qtbot, data_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = write_folder(tmp_path, {"good.txt": KYRGYZ, "bad.txt": bytes(range(256)) * 4})
    window = _started(qtbot, _window(qtbot, data_dir), folder)
    panel = window.problems_panel
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=TIMEOUT)
    row = panel.proxy.index(0, 0).data()
    assert row.startswith("bad.txt\n") and "binary" in row and "20" in row  # file, why, when
    assert window.problems_dock.isVisible() and window.problems_dock.windowTitle() == "Problems (1)"

    panel.list.setCurrentIndex(panel.proxy.index(0, 0))
    (folder / "bad.txt").write_text("PARIS – Fixed.\n\nNow it reads.\n", encoding="utf-8")
    with qtbot.waitSignal(window.updateFinished, timeout=TIMEOUT):
        panel.retry_button.click()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: window.library_panel.count.text() == "3 articles", timeout=TIMEOUT)

    (folder / "worse.txt").write_bytes(bytes(range(256)) * 4)
    with qtbot.waitSignal(window.updateFinished, timeout=TIMEOUT):
        window.update_action.trigger()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=TIMEOUT)
    panel.list.setCurrentIndex(panel.proxy.index(0, 0))
    with qtbot.waitSignal(window.updateFinished, timeout=TIMEOUT):
        panel.remove_button.click()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0, timeout=TIMEOUT)
    with qtbot.waitSignal(window.updateFinished, timeout=TIMEOUT):
        window.update_action.trigger()  # not reported again
    assert panel.model.rowCount() == 0
    assert "could not be read" not in window.statusBar().currentMessage()
    window.close()


def test_10_the_bookmark_dialog_shows_the_quote_beside_the_selection(
        qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    article = window.reading.article
    assert article is not None
    start = article.text.index("Lloyd Austin")
    end = start + len("Lloyd Austin")
    window.reader.setTextCursor(window.reader.span_cursor(start, end))
    seen: dict[str, object] = {}

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, NoteDialog)
        view = window.reader
        cursor_rect = view.cursorRect(view.span_cursor(start, end))
        selection = QRect(view.viewport().mapToGlobal(cursor_rect.topLeft()),
                          cursor_rect.size())
        seen["covers"] = dialog.frameGeometry().intersects(selection)
        seen["quote"] = dialog.quote.text()
        dialog.note.setPlainText("check")
        dialog.accept()

    QTimer.singleShot(0, answer)
    with qtbot.waitSignal(window.bookmarksChanged, timeout=TIMEOUT):
        window.bookmark_action.trigger()
    assert seen == {"covers": False, "quote": "“Lloyd Austin”"}
    assert window.bookmarks_panel.model.bookmarks()[0].note == "check"


def test_note_dialog_goes_above_a_selection_low_on_the_screen(qtbot) -> None:  # type: ignore[no-untyped-def]
    from desktop.bookmarks import place_beside

    screen = QRect(0, 0, 1280, 800)
    low = QRect(100, 700, 300, 20)
    point = place_beside(low, 420, 220, screen)
    assert not QRect(point.x(), point.y(), 420, 220).intersects(low)
    assert point.y() + 220 <= low.top()


def test_12_the_headline_is_the_title_shown_once(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                                 news: Path) -> None:
    story = write_folder(news, {"headline.txt": "Harbour reopens after storm\n\nDOVER – The "
                                           "harbour reopened on Monday.\n"}, "titled")
    with qtbot.waitSignal(window.articleShown, timeout=TIMEOUT):
        window.open_paths([story / "headline.txt"])
    assert window.windowTitle() == "Harbour reopens after storm — Broadsheet"
    shown = window.reader.toPlainText() + window.pane.header.text()
    assert shown.count("Harbour reopens after storm") == 1
    assert "headline.txt" in window.pane.header.text()  # the file, under the title
    assert window.reader.document().findBlock(0).blockFormat().headingLevel() == 1


def test_14_one_marked_entry_across_panels(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    seed = window.reading.key
    with qtbot.waitSignal(window.articleShown, timeout=TIMEOUT):
        window.reading.open(seed or "")
    people, places = window.people_panel, window.places_panel
    people.select(lambda e: e.name == "Lloyd Austin", notify=True)
    assert people.current_entry() is not None
    places.select(lambda e: e.name == "Japan", notify=True)
    assert places.current_entry() is not None and places.current_entry().name == "Japan"
    assert people.current_entry() is None  # only one entry is marked in the text
    assert window.statements_panel.current_entry() is None
    assert people.scope == Scope.ARTICLE


def test_14_file_dialogs_remember_the_lastwrite_folder(qtbot, window: MainWindow, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                  monkeypatch) -> None:
    asked: list[str] = []
    chosen = write_folder(tmp_path, {}, "chosen")

    def folder_dialog(parent, caption, folder=""):  # type: ignore[no-untyped-def]
        asked.append(folder)
        return str(chosen)

    def files_dialog(parent, caption, folder="", filters=""):  # type: ignore[no-untyped-def]
        asked.append(folder)
        return [], ""

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", folder_dialog)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", files_dialog)
    window.add_folder_action.trigger()
    window.add_files_action.trigger()
    assert asked[-1] == str(chosen.parent)  # where the folder was: its siblings next


def test_11_an_article_with_copies_says_so(qtbot, window: MainWindow, news: Path,  # type: ignore[no-untyped-def]
                                           tmp_path: Path) -> None:
    twin = write_folder(tmp_path, {"kyrgyz.txt": KYRGYZ}, "twin")
    with qtbot.waitSignal(window.updateFinished, timeout=TIMEOUT):
        window.open_paths([twin])
    listed = "4 articles (and 1 identical copy)"
    qtbot.waitUntil(lambda: window.library_panel.count.text() == listed, timeout=TIMEOUT)
    with qtbot.waitSignal(window.articleShown, timeout=TIMEOUT):
        window.reading.open(document_key(news / "kyrgyz.txt"))
    assert "1 identical copy" in window.pane.header.text()
    row = window.library_panel.model.row_of(document_key(news / "kyrgyz.txt"))
    tip = window.library_panel.model.index(row).data(Qt.ItemDataRole.ToolTipRole)
    assert f"also at {twin / 'kyrgyz.txt'}" in tip
