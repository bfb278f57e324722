"""The real window on the seed library, as a user drives it.

Each test gets its own data directory (``BROADSHEET_DATA_DIR`` in tmp_path, from
tests/conftest.py), so the window indexes the seed article with the real
:class:`index.library.Library` and its threads; only the analyser is a fake
(:class:`fakes.FakeAnalyser`, held to the real one's rules by ``test_contract.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes import library_factory
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QHelpEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QDockWidget, QToolTip

from desktop import mainwindow
from desktop.kinds import Scope
from desktop.mainwindow import MainWindow
from desktop.panels import Role
from index.paths import document_key

pytestmark = [
    pytest.mark.slow,
    pytest.mark.gui,
    # The offscreen platform says these when a dock is laid out or a tooltip raised.
    pytest.mark.qt_log_ignore("This plugin does not support (propagateSizeHints|raise)"),
]

TIMEOUT = 60_000  # ms: a shared machine


def _open(qtbot, data_dir: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(data_dir, library_factory=library_factory())
    qtbot.addWidget(window)
    window.resize(1400, 880)
    window.show()
    with qtbot.waitSignal(window.updateFinished, timeout=TIMEOUT):
        window.start()
    qtbot.waitUntil(lambda: window.reading.article is not None
                    and not window.reading.preview
                    and bool(window.reading.article.analysis.people), timeout=TIMEOUT)
    return window


@pytest.fixture
def window(qtbot, data_dir: Path) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    w = _open(qtbot, data_dir)
    yield w
    w.close()


def _choose(qtbot, panel, name: str) -> None:  # type: ignore[no-untyped-def]
    """Clicks the row whose label is ``name`` in a panel's list, as a user would."""
    for row in range(panel.proxy.rowCount()):
        index = panel.proxy.index(row, 0)
        if index.data(Role.Entry).label.startswith(name):
            panel.list.scrollTo(index)
            rect = panel.list.visualRect(index)
            qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton,
                             pos=rect.center())
            return
    raise AssertionError(f"{name!r} is not in the panel")


def _marked(window: MainWindow) -> set[tuple[int, int]]:
    """Spans (code points) of the reader's extra selections."""
    pmap = window.reader.pmap
    return {(pmap.from_qt(s.cursor.selectionStart()), pmap.from_qt(s.cursor.selectionEnd()))
            for s in window.reader.extraSelections()}


def test_first_run_shows_the_seed_article(window: MainWindow, seed_path: Path) -> None:
    article = window.reading.article
    assert window.windowTitle() == f"{article.info.title} — Broadsheet"
    assert window.reader.toPlainText() == article.text.replace("\n", "\n")
    assert "Lloyd Austin" in window.reader.toPlainText()
    assert window.library_panel.count.text() == "1 article"
    assert window.library_panel.model.articles()[0].title == article.info.title
    names = [e.name for e in window.people_panel.model.entries()]
    assert "Lloyd Austin" in names and len(names) == len(set(names))
    assert window.places_panel.model.rowCount() >= 5
    assert window.statements_panel.model.rowCount() >= 3


def test_choosing_a_person_marks_every_mention_and_steps(qtbot, window: MainWindow) -> None:
    austin = next(p for p in window.reading.article.analysis.people if p.name == "Lloyd Austin")
    assert len(austin.mentions) >= 3
    _choose(qtbot, window.people_panel, "Lloyd Austin")

    mentions = set(austin.mentions)
    assert mentions <= _marked(window)
    texts = [window.reading.article.text[s:e] for s, e in sorted(mentions)]
    assert texts[0] == "Lloyd Austin" and all("Austin" in t for t in texts)
    assert window.mark_position.text() == f"Lloyd Austin: 1 of {len(mentions)}"
    first, second = sorted(mentions)[:2]
    assert window.reader.cursor_offset() == first[0]

    qtbot.keyClick(window.reader, Qt.Key.Key_F3)
    assert window.reader.cursor_offset() == second[0]
    assert window.mark_position.text() == f"Lloyd Austin: 2 of {len(mentions)}"
    assert window.pane.findbar.position.text() == f"2 of {len(mentions)}"
    qtbot.keyClick(window.reader, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert window.reader.cursor_offset() == first[0]
    qtbot.mouseClick(window.pane.findbar.next, Qt.MouseButton.LeftButton)
    assert window.reader.cursor_offset() == second[0]
    window.activateWindow()
    window.reader.setFocus()
    qtbot.waitUntil(window.reader.hasFocus)
    qtbot.keyClick(window.reader, Qt.Key.Key_Escape)
    assert not mentions & _marked(window)
    assert window.mark_position.text() == ""


def test_hovered_or_clicked_name_is_the_panel_entry(qtbot, window: MainWindow) -> None:
    window.highlight_action.trigger()  # the highlighter pen: everything marked
    people = window.reading.article.analysis.people
    every = {m for p in people for m in p.mentions}
    assert every <= _marked(window)
    hamada = next(p for p in people if p.name == "Yasukazu Hamada")
    start, _end = hamada.mentions[0]
    mark = window.reader.mark_at(start + 1)
    assert mark is not None and "Yasukazu Hamada" in mark.label and "Defence" in mark.label
    where = window.reader.cursorRect(window.reader.span_cursor(start + 1, start + 1)).center()
    hover = QHelpEvent(QEvent.Type.ToolTip, where,
                       window.reader.viewport().mapToGlobal(where))
    QApplication.sendEvent(window.reader, hover)
    assert "Yasukazu Hamada" in QToolTip.text()

    cursor = window.reader.span_cursor(start + 1, start + 1)
    window.reader.setTextCursor(cursor)
    window.reader.ensureCursorVisible()
    point = window.reader.cursorRect(cursor).center() + QPoint(2, 0)
    qtbot.mouseClick(window.reader.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert window.people_panel.current_entry().name == "Yasukazu Hamada"

    window.highlight_action.trigger()
    assert not (every - set(hamada.mentions)) <= _marked(window)


def test_choosing_a_statement_marks_its_quotation(qtbot, window: MainWindow) -> None:
    statement = next(s for s in window.reading.article.analysis.statements
                     if s.text.startswith("We’re replacing"))
    _choose(qtbot, window.statements_panel, "“We’re replacing")
    assert (statement.start, statement.end) in _marked(window)
    quoted = [s.cursor.selectedText() for s in window.reader.extraSelections()]
    assert statement.text in quoted
    assert window.reader.cursor_offset() == statement.start


def test_search_opens_the_hit_with_hits_marked(qtbot, window: MainWindow) -> None:
    window.find_action.trigger()
    window.search_action.trigger()
    assert window.search_box.field.hasFocus() or window.search_box.field.isVisible()
    qtbot.keyClicks(window.search_box.field, "anti-ship")
    qtbot.waitUntil(lambda: window.results_panel.model.rowCount() == 1, timeout=30_000)
    assert "anti" in window.results_panel.model.index(0).data(Role.Html)
    window.reader.clear_marks("search")
    with qtbot.waitSignal(window.articleShown, timeout=30_000):
        qtbot.keyClick(window.search_box.field, Qt.Key.Key_Return)
    text = window.reading.article.text
    hits = [(s, e) for s, e in _marked(window) if text[s:e].lower() == "anti-ship"]
    assert len(hits) == text.lower().count("anti-ship") == 2
    assert window.mark_position.text().endswith("1 of 2")
    qtbot.keyClick(window.reader, Qt.Key.Key_F3)
    assert window.reader.cursor_offset() == sorted(hits)[1][0]


def test_search_within_the_article(qtbot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search_box.current_scope() == "article"
    qtbot.keyClicks(window.search_box.field, "taiwan")
    text = window.reading.article.text

    def marked() -> list[tuple[int, int]]:
        return [(s, e) for s, e in _marked(window) if text[s:e].lower() == "taiwan"]

    qtbot.waitUntil(lambda: len(marked()) == text.lower().count("taiwan") == 3,
                    timeout=30_000)
    assert window.mark_position.text().endswith("1 of 3")


def test_bad_query_shows_its_message(qtbot, window: MainWindow) -> None:
    qtbot.keyClicks(window.search_box.field, "title:(japan")
    qtbot.waitUntil(window.search_box.message.isVisible, timeout=30_000)
    assert "parenthes" in window.search_box.message.text().lower()


def test_no_hits_offers_the_suggestion(qtbot, window: MainWindow) -> None:
    qtbot.keyClicks(window.search_box.field, "shipz")
    qtbot.waitUntil(window.search_box.message.isVisible, timeout=30_000)
    message = window.search_box.message.text()
    assert "Did you mean" in message and "<a href" in message
    window.search_box.message.linkActivated.emit("ship")
    assert window.search_box.query() == "ship"
    qtbot.waitUntil(lambda: window.results_panel.model.rowCount() == 1, timeout=30_000)


def test_bookmark_survives_a_restart(qtbot, window: MainWindow, data_dir: Path) -> None:
    text = window.reading.article.text
    start = text.index("North Korea continues")
    end = start + len("North Korea continues to work on enhancing its nuclear")
    window.reader.setTextCursor(window.reader.span_cursor(start, end))
    window.bookmarks.ask_note = (  # type: ignore[method-assign]
        lambda title, quote, note="", avoid=None: ("check the missile numbers", True))
    with qtbot.waitSignal(window.bookmarksChanged):
        qtbot.keyClick(window.reader, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert (start, end) in _marked(window)
    assert window.bookmarks_panel.model.rowCount() == 1
    window.close()

    again = _open(qtbot, data_dir)
    qtbot.waitUntil(lambda: again.bookmarks_panel.model.rowCount() == 1)
    bookmark = again.bookmarks_panel.model.bookmarks()[0]
    assert bookmark.quote == text[start:end] and bookmark.note == "check the missile numbers"
    assert "check the missile numbers" in again.bookmarks_panel.model.index(0).data()
    assert (start, end) in _marked(again)
    again.reader.moveCursor(QTextCursor.MoveOperation.End)
    index = again.bookmarks_panel.proxy.index(0, 0)
    with qtbot.waitSignal(again.articleShown, timeout=30_000):
        again.bookmarks_panel.list.activated.emit(index)
    assert again.reader.cursor_offset() == start

    # delete, then undo
    again.bookmarks_panel.list.setCurrentIndex(index)
    qtbot.mouseClick(again.bookmarks_panel.delete_button, Qt.MouseButton.LeftButton)
    assert again.bookmarks_panel.model.rowCount() == 0
    assert again.undo_button.isVisible()
    qtbot.mouseClick(again.undo_button, Qt.MouseButton.LeftButton)
    assert again.bookmarks_panel.model.rowCount() == 1
    again.close()


def test_layout_zoom_and_place_are_remembered(qtbot, window: MainWindow,
                                              data_dir: Path) -> None:
    window.zoom_in_action.trigger()
    window.zoom_in_action.trigger()
    window.places_dock.close()
    bar = window.reader.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 100)
    bar.setValue(bar.maximum() // 2)
    scroll = bar.value()
    key = window.reading.article.info.key
    window.close()
    ini = data_dir / "config" / "broadsheet.ini"  # config_dir(), apart from user data
    assert "state" in ini.read_text(encoding="utf-8")
    again = _open(qtbot, data_dir)
    assert again.reader.zoom_step == 2
    assert again.places_dock.isHidden()
    assert not again.people_dock.isHidden()
    assert again.reading.article.info.key == key
    qtbot.waitUntil(lambda: again.reader.verticalScrollBar().value() == scroll)
    again.close()


def test_whole_library_people_open_an_article_at_the_mention(qtbot,
                                                             window: MainWindow) -> None:
    panel = window.people_panel
    panel.scope_box.setCurrentIndex(1)
    assert panel.scope == Scope.LIBRARY
    qtbot.waitUntil(lambda: panel.model.rowCount() >= 6, timeout=30_000)
    _choose(qtbot, panel, "Lloyd Austin")
    qtbot.waitUntil(lambda: any(d.kind == "statement" for d in panel.detail_model.entries()),
                    timeout=30_000)
    details = panel.detail_model.entries()
    assert [d.kind for d in details].count("article") == 1
    assert [d.kind for d in details].count("statement") >= 3
    window.reader.moveCursor(QTextCursor.MoveOperation.End)
    with qtbot.waitSignal(window.articleShown, timeout=30_000):
        panel.details.clicked.emit(panel.detail_proxy.index(0, 0))
    austin = next(p for p in window.reading.article.analysis.people if p.name == "Lloyd Austin")
    assert set(austin.mentions) <= _marked(window)
    assert window.reader.cursor_offset() == austin.mentions[0][0]
    panel.scope_box.setCurrentIndex(0)
    assert panel.scope == Scope.ARTICLE and panel.model.rowCount() >= 6


def test_every_action_is_in_the_menus_with_its_shortcut(window: MainWindow) -> None:
    in_menus = {a.text() for m in window.menuBar().actions() for a in m.menu().actions()}
    for action in (window.bookmark_action, window.search_action, window.find_action,
                   window.next_action, window.previous_action, window.zoom_in_action,
                   window.highlight_action, window.about_action, window.add_folder_action):
        assert action.text() in in_menus
        if action is not window.about_action:
            assert not action.shortcut().isEmpty()
    docks = {a.text() for a in window.view_menu.actions()}
    assert {"Library", "People", "Places", "Statements", "Bookmarks",
            "Search results"} <= docks


def test_whole_library_statements_open_the_article_at_the_quotation(
        qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    panel = window.statements_panel
    panel.scope_box.setCurrentIndex(1)
    qtbot.waitUntil(lambda: panel.model.rowCount() >= 3, timeout=30_000)
    assert panel.count.text().endswith("in the library")
    window.reader.moveCursor(QTextCursor.MoveOperation.End)
    with qtbot.waitSignal(window.articleShown, timeout=30_000):
        _choose(qtbot, panel, "“We’re replacing")
    statement = next(s for s in window.reading.article.analysis.statements
                     if s.text.startswith("We’re replacing"))
    assert (statement.start, statement.end) in _marked(window)
    assert window.reader.cursor_offset() == statement.start


def test_added_file_is_opened_and_searchable(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                             tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    story = folder / "harbour.md"
    story.write_text("# Harbour reopens\n\nPORTSMOUTH – The harbour reopened on Monday, "
                     "said harbour master Jane Doe.\n\n- a new zyxquay sea wall\n",
                     encoding="utf-8")
    seed_key = window.reading.key
    with qtbot.waitSignal(window.articleShown, timeout=TIMEOUT,
                          check_params_cb=lambda key: key != seed_key):
        window.open_paths([story])
    assert window.windowTitle() == "Harbour reopens — Broadsheet"
    assert window.library_panel.count.text() == "2 articles"
    doc = window.reader.document()
    title_block = doc.findBlock(0)
    assert title_block.blockFormat().headingLevel() == 1  # Markdown structure kept
    assert doc.findBlock(window.reader.pmap.to_qt(window.reading.article.text.index("a new"))
                         ).textList() is not None
    # the reading thread's library sees what the writing thread committed
    qtbot.keyClicks(window.search_box.field, "zyxquay")
    qtbot.waitUntil(lambda: window.results_panel.model.rowCount() == 1, timeout=30_000)
    assert window.results_panel.model.hits()[0].title == "Harbour reopens"


def test_first_run_with_a_file_opens_that_file(qtbot, data_dir: Path,  # type: ignore[no-untyped-def]
                                               tmp_path: Path) -> None:
    """What ``broadsheet story.txt`` does on a first run: start(), then open_paths()."""
    story = tmp_path / "story.txt"
    story.write_text("LONDON – Ministers met on Tuesday.\n\nNothing was agreed.",
                     encoding="utf-8")
    window = MainWindow(data_dir, library_factory=library_factory())
    qtbot.addWidget(window)
    window.show()
    window.start()
    window.open_paths([story])
    qtbot.waitUntil(lambda: window.reading.article is not None
                    and Path(window.reading.article.info.path) == story.resolve()
                    and not window.service.busy, timeout=TIMEOUT)
    shown: list[str] = []
    window.articleShown.connect(shown.append)
    qtbot.wait(300)
    # nothing else replaces it (the seed, say); the same article may be shown again when
    # its analysis lands after its text
    assert set(shown) <= {document_key(story)}
    assert Path(window.reading.article.info.path) == story.resolve()
    assert window.library_panel.count.text() == "2 articles"
    window.close()


def test_the_last_article_is_reopened(qtbot, window: MainWindow, data_dir: Path,  # type: ignore[no-untyped-def]
                                      tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text("LONDON – Ministers met on Tuesday.\n\nNothing was agreed.",
                     encoding="utf-8")
    with qtbot.waitSignal(window.updateFinished, timeout=TIMEOUT):
        window.open_paths([story])
    qtbot.waitUntil(lambda: Path(window.reading.article.info.path) == story.resolve())
    window.close()
    again = MainWindow(data_dir, library_factory=library_factory())
    qtbot.addWidget(again)
    again.show()
    with qtbot.waitSignal(again.updateFinished, timeout=TIMEOUT):
        again.start()
    qtbot.waitUntil(lambda: again.reading.article is not None
                    and Path(again.reading.article.info.path) == story.resolve(), timeout=30_000)
    with qtbot.assertNotEmitted(again.articleShown, wait=300):
        pass  # and the first article does not replace it
    again.close()


def _layout(window: MainWindow) -> dict[str, tuple[object, ...]]:
    """Each dock's area, tab group, and, if it is in view, its geometry."""
    found = {}
    for dock in window.findChildren(QDockWidget):
        in_view = not dock.visibleRegion().isEmpty()
        tabs = sorted(d.objectName() for d in window.tabifiedDockWidgets(dock))
        found[dock.objectName()] = (window.dockWidgetArea(dock).name, tabs, in_view,
                                    dock.geometry().getRect() if in_view else None)
    return found


def test_the_default_layout_is_the_docks_placed_one_by_one(qtbot, data_dir: Path,  # type: ignore[no-untyped-def]
                                                           monkeypatch) -> None:
    """The frame restores DEFAULT_LAYOUT rather than placing the docks (which would cost
    its first paint the Qt namespace): it must be the layout that _place_docks makes."""
    restored = MainWindow(data_dir)  # no saved layout yet: DEFAULT_LAYOUT
    monkeypatch.setattr(mainwindow, "DEFAULT_LAYOUT", b"")  # restores nothing
    placed = MainWindow(data_dir)
    for window in (restored, placed):
        qtbot.addWidget(window)
        window.resize(1400, 880)
        window.show()
        qtbot.waitExposed(window)
    fresh = bytes(placed.saveState(mainwindow.STATE_VERSION).toBase64().data()).decode()
    assert _layout(restored) == _layout(placed), (
        f"DEFAULT_LAYOUT is not what _place_docks() makes; if _place_docks() is right, "
        f"DEFAULT_LAYOUT is now:\n{fresh}")
    assert _layout(placed)["libraryDock"][:3] == ("LeftDockWidgetArea", ["problemsDock"], True)
    assert _layout(placed)["statementsDock"][2]
