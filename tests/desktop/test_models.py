"""Every panel model passes pytest-qt's model tester, empty, filled and filtered."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from fakes import FakeAnalyser

from desktop.bookmarkspanel import BookmarksModel, BookmarksPanel
from desktop.entries import (
    article_entries,
    library_entity_entries,
    library_statement_entries,
    person_entries,
    place_entries,
    statement_entries,
)
from desktop.kinds import EntryKind
from desktop.librarypanel import LibraryModel, LibraryPanel
from desktop.panels import EntityPanel, EntryModel, Role, make_proxy
from desktop.problems import ProblemsModel
from desktop.searchresults import SearchResultsModel
from index.bookmarks import BookmarkStore
from index.library import Library
from index.model import EntityKind, LibraryError, Problem

pytestmark = pytest.mark.gui


@pytest.fixture
def library(data_dir: Path) -> Library:
    lib = Library(data_dir, analyser=FakeAnalyser())
    lib.update()
    return lib


@pytest.fixture
def article(library: Library):  # type: ignore[no-untyped-def]
    return library.article(library.documents()[0].key)


def test_entry_models(qtmodeltester, article, library: Library) -> None:  # type: ignore[no-untyped-def]
    a = article.analysis
    for entries in (person_entries(a.people), place_entries(a.places),
                    statement_entries(a.statements),
                    library_entity_entries(library.entities(EntityKind.PERSON)),
                    library_statement_entries(library.statements()),
                    article_entries(library.entities(EntityKind.PLACE)[0]), []):
        model = EntryModel()
        qtmodeltester.check(model)
        model.set_entries(entries)
        qtmodeltester.check(model)
        proxy = make_proxy(model)
        proxy.setFilterFixedString("a")
        qtmodeltester.check(proxy)
        assert model.rowCount() == len(entries)


def test_people_panel_lists_each_person_once_with_role_and_count(qtbot, article) -> None:  # type: ignore[no-untyped-def]
    panel = EntityPanel(EntryKind.PERSON, "People")
    qtbot.addWidget(panel)
    panel.set_entries(person_entries(article.analysis.people))
    rows = [panel.proxy.index(r, 0).data() for r in range(panel.proxy.rowCount())]
    austin = [r for r in rows if r.startswith("Lloyd Austin")]
    assert austin == ["Lloyd Austin\nSecretary of Defence · 3 mentions"]
    assert panel.count.text() == f"{len(rows)} in this article"
    qtbot.keyClicks(panel.filter, "hay")
    assert panel.proxy.rowCount() == 1
    assert panel.count.text() == f"1 of {len(rows)} in this article"
    assert panel.proxy.index(0, 0).data(Role.Entry).name == "Yoshimasa Hayashi"


def test_statements_are_in_reading_order_with_speaker(qtbot, article) -> None:  # type: ignore[no-untyped-def]
    panel = EntityPanel(EntryKind.STATEMENT, "Statements")
    qtbot.addWidget(panel)
    panel.set_entries(statement_entries(reversed(article.analysis.statements)))
    starts = [panel.proxy.index(r, 0).data(Role.Item).start
              for r in range(panel.proxy.rowCount())]
    assert starts == sorted(starts) and len(starts) == len(article.analysis.statements)
    assert "— Lloyd Austin" in panel.proxy.index(len(starts) - 1, 0).data()


def test_search_results_model(qtmodeltester, library: Library) -> None:
    model = SearchResultsModel()
    qtmodeltester.check(model)
    result = library.search("anti-ship")
    model.set_hits(result.query, result.hits)
    qtmodeltester.check(model)
    html = model.index(0).data(Role.Html)
    assert "ship</b>" in html and "&lt;" not in html


def test_bookmarks_model_and_panel(qtmodeltester, qtbot, library: Library, article,  # type: ignore[no-untyped-def]
                                   tmp_path: Path) -> None:
    store = BookmarkStore(tmp_path)
    text = article.text
    store.add(article.info.key, str(article.info.path), text, 0, 40, "first")
    gone = store.add("0123456789abcdef", str(tmp_path / "gone.txt"),
                     "a passage of a file deleted since", 2, 30)
    bookmarks = [b for b in store.list() if b.id != gone.id] + [replace(gone, orphaned=True)]
    model = BookmarksModel()
    qtmodeltester.check(model)
    model.set_bookmarks(bookmarks, {article.info.key: "Seed"})
    qtmodeltester.check(model)
    shown = [model.index(r).data() for r in range(model.rowCount())]
    assert any("✎ first" in s and "Seed" in s for s in shown)
    assert any("not found" in s and "gone.txt" in s for s in shown)  # the orphan says so

    panel = BookmarksPanel()
    qtbot.addWidget(panel)
    panel.set_bookmarks(bookmarks, {article.info.key: "Seed"})
    assert panel.count.text() == "2 bookmarks"
    qtbot.keyClicks(panel.filter, "first")
    assert panel.count.text() == "1 of 2 bookmarks"
    panel.list.setCurrentIndex(panel.proxy.index(0, 0))
    with qtbot.waitSignal(panel.deleteRequested) as sig:
        panel.delete_button.click()
    assert sig.args[0].note == "first"
    store.close()


def test_problems_model_and_panel(qtmodeltester, qtbot) -> None:  # type: ignore[no-untyped-def]
    from desktop.problems import ProblemsPanel

    model = ProblemsModel()
    qtmodeltester.check(model)
    model.set_problems([Problem("/news/bad.html", "not UTF-8 and no encoding found",
                                "2026-12-02T07:00:00+00:00")])
    model.add_error(LibraryError("The library is being updated by another program."))
    model.add_error(LibraryError("The library is being updated by another program."))
    qtmodeltester.check(model)
    rows = [model.index(r).data() for r in range(model.rowCount())]
    assert len(rows) == 2 and rows[0].startswith("The library\n")
    assert rows[1].startswith("bad.html\nnot UTF-8") and "2026-12-02" in rows[1]
    panel = ProblemsPanel()
    qtbot.addWidget(panel)
    panel.model.set_problems(model.problems()[1:])
    assert panel.count.text() == "1 problem" and not panel.retry_button.isEnabled()
    panel.list.setCurrentIndex(panel.proxy.index(0, 0))
    with qtbot.waitSignal(panel.retryRequested) as sig:
        panel.retry_button.click()
    assert sig.args[0].path == "/news/bad.html"


def test_library_model_and_panel(qtmodeltester, qtbot, library: Library) -> None:  # type: ignore[no-untyped-def]
    model = LibraryModel()
    qtmodeltester.check(model)
    model.set_articles(library.documents())
    qtmodeltester.check(model)
    panel = LibraryPanel()
    qtbot.addWidget(panel)
    panel.set_articles(library.documents())
    assert panel.count.text() == "1 article"
    for i in range(panel.sort.count()):
        panel.sort.setCurrentIndex(i)
        qtmodeltester.check(panel.proxy)
    qtbot.keyClicks(panel.filter, "no such words")
    assert panel.count.text() == "0 of 1 article"
    # identical files are one article; the count says how many more files there are
    one = library.documents()[0]
    panel.set_articles([replace(one, copies=("/a/copy.txt", "/b/copy.txt"))])
    assert panel.count.text() == "0 of 1 article (and 2 identical copies)"
