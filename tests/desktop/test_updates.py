"""Issue 12 in the window: what it shows while the library changes under it — another
process's update (the library-wide panels and the bookmarks follow the article list), and
an update's two counts. Driven on the real :class:`index.library.Library` with the fake
analyser."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes import FakeAnalyser, library_factory
from news import KYRGYZ, PHONE, TIMEOUT, write_folder

from desktop.kinds import EntryKind, Scope
from desktop.mainwindow import MainWindow
from desktop.panels import Role
from index.bookmarks import BookmarkStore
from index.library import Library
from index.library.storage import PRIORITY_FILE
from index.model import Phase, Progress
from index.paths import document_key

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support (propagateSizeHints|raise)"),
]

AUSTIN = ("TOKYO – Lloyd Austin landed on Tuesday.\n\n"
          "Mr Austin met no one on the first day.\n")



def _prioritised(data_dir: Path) -> list[str]:
    path = data_dir / PRIORITY_FILE
    return path.read_text(encoding="ascii").split() if path.exists() else []


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
    return write_folder(tmp_path, {"kyrgyz.txt": KYRGYZ, "phone.txt": PHONE}, "news")


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

    _other_update(data_dir, write_folder(tmp_path, {"austin.txt": AUSTIN}, "more"))

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


def test_progress_tells_two_counts_and_is_whole_only_when_both_are() -> None:
    from desktop.updates import progress_text

    bar, line = progress_text(Progress(Phase.INDEX, 1200, 2225, "/bbc/001.txt"))
    assert bar == "Indexing text 1,200/2,225"
    bar, line = progress_text(Progress(Phase.ANALYSE, 812, 2225, "/bbc/001.txt", 2225, 812,
                                       2225, 0.6))
    assert line == "2,225 searchable · 812 of 2,225 analysed"
    assert bar == "Analysing 60 %"
    bar, _ = progress_text(Progress(Phase.COMMIT, 2225, 2225, "", 2225, 2225, 2225, 1.0))
    assert bar == "Saving 99 %"  # not 100 until it is done
    bar, line = progress_text(Progress(Phase.DONE, 2225, 2225, "", 2225, 2225, 2225, 1.0))
    assert bar == "Done" and line == "2,225 searchable · 2,225 of 2,225 analysed"


def test_an_article_not_analysed_says_so_and_fills_in(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, data_dir: Path, tmp_path: Path) -> None:
    """Another process indexes a folder and stops after the text phase: the window
    lists the new article, opens it with panels that say it is not analysed yet (not
    empty lists), and asks for it first; the analysis fills the panels in."""
    austin = write_folder(tmp_path, {"austin.txt": AUSTIN}, "more") / "austin.txt"
    key = document_key(austin)
    other = Library(data_dir, analyser=FakeAnalyser())
    try:
        other.add_sources([austin.parent])
        other.update(analyse=False)  # the text phase only: as if stopped after it
    finally:
        other.close()
    qtbot.waitUntil(lambda: key in window.reading.listing, timeout=TIMEOUT)
    assert not window.reading.listing[key].analysed
    # The window did not start that update: the status bar still tells the two counts.
    qtbot.waitUntil(lambda: window.statusBar().currentMessage()
                    == "4 searchable · 3 of 4 analysed", timeout=TIMEOUT)

    with qtbot.waitSignal(window.articleShown, timeout=TIMEOUT):
        window.library_panel.articleChosen.emit(key)
    people = window.panels[EntryKind.PERSON]
    assert people.scope == Scope.ARTICLE
    assert people.waiting.isVisible() and "Not analysed yet" in people.waiting.text()
    assert not people.list.isVisible() and people.count.text() == ""
    # Asked for first, for the update running now or the next one.
    qtbot.waitUntil(lambda: key in _prioritised(data_dir), timeout=TIMEOUT)

    # The next update (the window's own, as after a restart) analyses it: the panels fill in.
    window.update_action.trigger()
    qtbot.waitUntil(lambda: people.list.isVisible() and people.model.rowCount() == 1,
                    timeout=TIMEOUT)
    assert not people.waiting.isVisible()
    assert people.model.entries()[0].name == "Lloyd Austin"
    assert people.count.text() == "1 in this article"


def test_a_start_resumes_an_interrupted_analysis(  # type: ignore[no-untyped-def]
        qtbot, data_dir: Path, news: Path) -> None:
    """Text indexed, analysis interrupted (the window closed, or `broadsheet index`
    stopped): the next start's own update analyses what is left, and the status bar said
    so in two counts."""
    first = Library(data_dir, analyser=FakeAnalyser())
    try:
        first.add_sources([news])
        first.update(analyse=False)
        assert first.analysis_state() == (0, 3)  # the seed, and the two of news
    finally:
        first.close()
    w = MainWindow(data_dir, library_factory=library_factory())
    qtbot.addWidget(w)
    w.show()
    lines: list[str] = []
    w.statusBar().messageChanged.connect(lines.append)
    with qtbot.waitSignal(w.updateFinished, timeout=TIMEOUT) as finished:
        w.start()
    assert set(finished.args[0].added + finished.args[0].updated) == set()  # nothing new
    qtbot.waitUntil(lambda: len(w.reading.listing) == 3, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: all(d.analysed for d in w.reading.listing.values()),
                    timeout=TIMEOUT)
    # The counts moved as the child's commits landed, then the report (the seed and news).
    w.close()


def test_the_update_runs_outside_the_window_s_process(  # type: ignore[no-untyped-def]
        qtbot, data_dir: Path, news: Path, tmp_path: Path) -> None:
    """The window's update (the Whoosh writers, the analysis) runs in a child process, whose
    progress the status bar shows: the window's own process never analyses."""
    record = tmp_path / "analysed-in.txt"
    w = MainWindow(data_dir, library_factory=library_factory(record=record))
    qtbot.addWidget(w)
    w.show()
    lines: list[str] = []
    w.statusBar().messageChanged.connect(lines.append)
    with qtbot.waitSignals([w.articleShown, w.updateFinished], timeout=TIMEOUT):
        w.start()
        w.open_paths([news])
    qtbot.waitUntil(lambda: not w.service.busy, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: w.library_panel.count.text() == "3 articles", timeout=TIMEOUT)
    pids = {int(p) for p in record.read_text("ascii").split()}
    assert pids and os.getpid() not in pids
    # The counts moved as the child's commits landed, then the report (the seed and news).
    searchable = lines.index("3 searchable · 0 of 3 analysed")
    analysed = lines.index("3 searchable · 3 of 3 analysed")
    assert searchable < analysed < len(lines) - 1
    assert lines[-1] == "Library up to date: 3 added"
    w.close()


def test_an_update_whose_process_dies_says_so(  # type: ignore[no-untyped-def]
        qtbot, data_dir: Path, news: Path) -> None:
    w = MainWindow(data_dir, library_factory=library_factory(die_in_child=True))
    qtbot.addWidget(w)
    w.show()
    lines: list[str] = []
    w.statusBar().messageChanged.connect(lines.append)
    with qtbot.waitSignal(w.updateFinished, timeout=TIMEOUT) as finished:
        w.start()
    assert finished.args[0].cancelled
    assert not w.updates.progress.isVisible() and not w.updates.cancel_button.isVisible()
    assert any("the update's process stopped unexpectedly (exit code 3)" in line
               for line in lines), lines
    assert not w.service.busy  # the next update can run
    w.close()
