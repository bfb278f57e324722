"""Issue 12 in the window: what it shows while the library changes under it — another
process's update (the library-wide panels and the bookmarks follow the article list), and
an update's two counts. Driven on the real :class:`index.library.Library` with the fake
analyser."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes import FakeAnalyser, library_factory

from desktop.kinds import EntryKind, Scope
from desktop.mainwindow import MainWindow
from desktop.panels import Role
from index.bookmarks import BookmarkStore
from index.library import Library
from index.paths import document_key

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support (propagateSizeHints|raise)"),
]

TIMEOUT = 60_000  # ms: a shared machine

KYRGYZ = ("BISHKEK – Kyrgyz voters went to the polls on Sunday.\n\n"
          "Turnout was low in the capital.\n")
PHONE = ("LONDON – A new mobile phone with a better camera went on sale on Monday.\n\n"
         "The camera takes pictures at night, the maker said.\n")
AUSTIN = ("TOKYO – Lloyd Austin landed on Tuesday.\n\n"
          "Mr Austin met no one on the first day.\n")


def _folder(tmp_path: Path, files: dict[str, str], name: str) -> Path:
    folder = tmp_path / name
    folder.mkdir(exist_ok=True)
    for file, content in files.items():
        (folder / file).write_text(content, encoding="utf-8")
    return folder


def _other_update(data_dir: Path, *sources: Path) -> None:
    """What `broadsheet index` does in another process: its own Library, its own update."""
    other = Library(data_dir, analyser=FakeAnalyser())
    try:
        if sources:
            other.add_sources(list(sources))
        other.update()
    finally:
        other.close()


@pytest.fixture
def news(tmp_path: Path) -> Path:
    return _folder(tmp_path, {"kyrgyz.txt": KYRGYZ, "phone.txt": PHONE}, "news")


@pytest.fixture
def window(qtbot, data_dir: Path, news: Path) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    w = MainWindow(data_dir, library_factory=library_factory())
    qtbot.addWidget(w)
    w.resize(1400, 880)
    w.show()
    with qtbot.waitSignals([w.articleShown, w.updateFinished], timeout=TIMEOUT):
        w.start()
        w.open_paths([news])
    qtbot.waitUntil(lambda: not w.service.busy, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: w.library_panel.count.text() == "3 articles", timeout=TIMEOUT)
    yield w
    w.close()


def _articles(window: MainWindow, name: str) -> int:
    """How many articles the People panel says ``name`` appears in (0: not listed)."""
    panel = window.panels[EntryKind.PERSON]
    for row in range(panel.proxy.rowCount()):
        entry = panel.proxy.index(row, 0).data(Role.Entry)
        if entry.name == name:
            return len(entry.item.articles)
    return 0


def test_another_process_s_update_refreshes_the_library_wide_panels(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, data_dir: Path, tmp_path: Path) -> None:
    people = window.panels[EntryKind.PERSON]
    people.set_scope(Scope.LIBRARY)
    qtbot.waitUntil(lambda: _articles(window, "Lloyd Austin") == 1, timeout=TIMEOUT)
    # The reader chose someone: the list changing under them keeps that choice.
    assert people.select(lambda e: e.name == "Lloyd Austin", notify=True)
    qtbot.waitUntil(lambda: people.detail_area.isVisible(), timeout=TIMEOUT)

    _other_update(data_dir, _folder(tmp_path, {"austin.txt": AUSTIN}, "more"))

    qtbot.waitUntil(lambda: window.library_panel.count.text() == "4 articles", timeout=TIMEOUT)
    qtbot.waitUntil(lambda: _articles(window, "Lloyd Austin") == 2, timeout=TIMEOUT)
    current = people.current_entry()
    assert current is not None and current.name == "Lloyd Austin"
    qtbot.waitUntil(lambda: people.details_label.text().startswith(
        "Lloyd Austin: 2 article(s)"), timeout=TIMEOUT)
    assert people.detail_area.isVisible()


def test_another_process_s_update_moves_the_bookmarks(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, data_dir: Path, news: Path) -> None:
    phone = news / "phone.txt"
    start = PHONE.index("The camera takes")
    store = BookmarkStore(data_dir)
    try:
        store.add(document_key(phone), str(phone), PHONE, start, start + len("The camera"))
    finally:
        store.close()
    window.bookmarks.load()
    assert [b.start for b in window.bookmarks_panel.model.bookmarks()] == [start]

    # Another process updates the library after the article was edited above the passage:
    # its update re-anchors the bookmark, and the window's panel follows.
    added = "Shops opened early.\n\n"
    phone.write_text(PHONE.replace("The camera takes", added + "The camera takes"),
                     encoding="utf-8")
    window.updates.watcher.removePaths(window.updates.watcher.directories())  # not ours
    window.updates.watcher.removePaths(window.updates.watcher.files())
    _other_update(data_dir)

    qtbot.waitUntil(lambda: [b.start for b in window.bookmarks_panel.model.bookmarks()]
                    == [start + len(added)], timeout=TIMEOUT)
    assert not window.bookmarks_panel.model.bookmarks()[0].orphaned
