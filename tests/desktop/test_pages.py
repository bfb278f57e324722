"""People's and places' pages, the corrections made from the window and their undo, Back
and Forward, and the world map — on the real window and library (the seed article, the
fake analyser), as a user drives them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes import library_factory
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QMenu

from desktop.curation import (
    CorrectionLedger,
    EntityTarget,
    Prompt,
    StatementTarget,
    target_for,
)
from desktop.entitypage import named_in
from desktop.history import History, Location
from desktop.kinds import EntryKind, Scope
from desktop.mainwindow import MainWindow
from desktop.panels import Role
from desktop.worldmap import MapPlace, WorldMap
from index.library import Library
from index.model import LibraryEntity, Person, Statement

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support (propagateSizeHints|raise)"),
]

TIMEOUT = 60_000  # ms: a shared machine


# --------------------------------------------------------------------------- pure parts


def test_history_goes_back_and_forward_like_a_browser() -> None:
    h = History()
    a, b, c = Location("article", "k1"), Location("person", "Lloyd Austin"), Location("place",
                                                                                         "Japan")
    for loc in (a, b, c):
        h.visit(loc)
    assert h.back() == b and h.back() == a and h.back() is None
    assert h.forward() == b
    h.visit(Location("article", "k2"))  # a new visit drops what was ahead
    assert not h.can_go_forward() and h.back() == b
    h.visit(b)  # the current location again: nothing changes
    assert len(h) == 3
    h.forward()
    h.visit(Location("article", "k2", (5, 9)))  # the same article at another place
    assert len(h) == 3 and h.current == Location("article", "k2", (5, 9))


def test_targets_of_every_row_kind() -> None:
    assert target_for(Person("Ada", None, ("Ms Ada",))) == EntityTarget("Ada", "person",
                                                                       ("Ms Ada",))
    st = Statement("so", 3, 5, "Ada", "person")
    assert target_for(st, "k1") == StatementTarget("k1", 3, 5, "so", "Ada")
    assert target_for(st) is None  # a statement needs its article
    assert StatementTarget("k1", 3, 5).subject == "k1:3:5"


def test_the_ledger_undoes_and_redoes_by_token(data_dir: Path) -> None:
    library = Library(data_dir, with_seeds=False)
    ledger = CorrectionLedger()
    ledger.make(library, 7, "rename", "Ada", "Ada King")
    assert [c.op for c in library.corrections()] == ["rename"]
    assert ledger.undo(library, 7) is not None and library.corrections() == []
    assert ledger.redo(library, 7) is not None
    assert [(c.subject, c.value) for c in library.corrections()] == [("Ada", "Ada King")]
    assert ledger.undo(library, 99) is None  # never made
    library.close()


# --------------------------------------------------------------------------- the map


@pytest.fixture
def world(qtbot) -> WorldMap:  # type: ignore[no-untyped-def]
    m = WorldMap()
    qtbot.addWidget(m)
    m.resize(720, 380)
    m.set_places([MapPlace("London", 40), MapPlace("Paris", 10), MapPlace("Iraq", 1),
                   MapPlace("Atlantis", 3), MapPlace("Britain", 2)])
    m.show()
    qtbot.waitExposed(m)
    return m


def test_map_points_follow_mentions_and_unknown_places_are_listed(world: WorldMap) -> None:
    assert world.unplaced == ["Atlantis"]
    assert set(world.places()) == {"London", "Paris", "Iraq", "Britain"}  # Britain: the UK
    radius = {n: world._points[n].radius for n in world.places()}
    assert radius["London"] > radius["Paris"] > radius["Iraq"]
    london, paris = world.point_of("London"), world.point_of("Paris")
    assert london is not None and paris is not None
    assert paris.y() > london.y()  # south of London
    iraq = world.point_of("Iraq")
    assert iraq is not None and iraq.x() > paris.x()  # east


def test_map_click_selects_a_place_and_wheel_zooms(qtbot, world: WorldMap) -> None:  # type: ignore[no-untyped-def]
    where = world.point_of("Iraq")
    assert where is not None
    with qtbot.waitSignal(world.placeClicked, timeout=5000) as clicked:
        qtbot.mouseClick(world.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert clicked.args == ["Iraq"] and world.selected == "Iraq"
    before = world.zoom()
    pos = QPointF(world.point_of("London") or QPoint(10, 10))
    event = QWheelEvent(pos, world.viewport().mapToGlobal(pos), QPoint(), QPoint(0, 240),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    world.wheelEvent(event)
    assert world.zoom() > before * 1.4
    world.show_world()
    assert world.zoom() == pytest.approx(1.0, rel=0.05)


# --------------------------------------------------------------------------- the window


class Answers(Prompt):
    """The dialogs' answers, given in advance."""

    def __init__(self, *answers: str) -> None:
        self.answers = list(answers)
        self.asked: list[tuple[str, list[str]]] = []

    def text(self, parent, title, label, default):  # type: ignore[no-untyped-def]
        self.asked.append((label, [default]))
        return self.answers.pop(0)

    def choose(self, parent, title, label, items):  # type: ignore[no-untyped-def]
        self.asked.append((label, list(items)))
        return self.answers.pop(0)


@pytest.fixture
def window(qtbot, data_dir: Path) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    w = MainWindow(data_dir, library_factory=library_factory())
    qtbot.addWidget(w)
    w.resize(1400, 880)
    w.show()
    with qtbot.waitSignal(w.updateFinished, timeout=TIMEOUT):
        w.start()
    qtbot.waitUntil(lambda: w.reading.article is not None and not w.reading.preview
                    and bool(w.reading.article.analysis.people), timeout=TIMEOUT)
    yield w
    w.close()


def _row(panel, name: str):  # type: ignore[no-untyped-def]
    for row in range(panel.proxy.rowCount()):
        index = panel.proxy.index(row, 0)
        if index.data(Role.Entry).name == name:
            return index
    raise AssertionError(f"{name!r} is not in the panel")


def _open_page(qtbot, window: MainWindow, panel, name: str) -> None:  # type: ignore[no-untyped-def]
    """Double-clicks a panel's row, as a user would, and waits for the page."""
    index = _row(panel, name)
    rect = panel.list.visualRect(index)
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(window.pages.shown, timeout=TIMEOUT):
        qtbot.mouseDClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.centre.currentWidget() is window.page_view


def _link(window: MainWindow, kind: str, **match: object):  # type: ignore[no-untyped-def]
    return next(link for link in window.page_view.links if link.kind == kind
                and all(getattr(link, k) == v for k, v in match.items()))


def test_a_persons_page_and_back_and_forward(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    key = window.reading.key
    _open_page(qtbot, window, window.people_panel, "Lloyd Austin")
    view = window.page_view
    page = view.page
    assert page is not None and view.title.text() == "Lloyd Austin"
    assert "Secretary of Defence" in view.body.toPlainText()  # the role, with its article
    assert len(page.statements) >= 3
    text = view.body.toPlainText()
    for ls in page.statements:
        assert " ".join(ls.statement.text.split())[:40] in text
    assert page.articles[0].key == key and "Austin" in page.articles[0].snippet
    assert "Antony Blinken" in [n for n, _ in page.people]
    assert view.map.isHidden()  # a person has no map

    # a statement's link opens the article with that quotation marked
    statement = _link(window, "statement")
    with qtbot.waitSignal(window.reading.shown, timeout=TIMEOUT):
        window.pages.link_chosen(statement)
    assert window.centre.currentWidget() is window.pane
    qtbot.waitUntil(lambda: window.navigator.what == "Statement", timeout=5000)
    assert window.reader.cursor_offset() == statement.span[0]

    assert window.back_action.isEnabled() and not window.forward_action.isEnabled()
    with qtbot.waitSignal(window.pages.shown, timeout=TIMEOUT):
        window.back_action.trigger()  # Alt+Left: the page again
    assert window.centre.currentWidget() is window.page_view
    window.back_action.trigger()  # and the article before it
    assert window.centre.currentWidget() is window.pane
    assert window.forward_action.isEnabled()
    with qtbot.waitSignal(window.pages.shown, timeout=TIMEOUT):
        window.forward_action.trigger()
    assert view.title.text() == "Lloyd Austin"
    # a name on the page opens its page
    with qtbot.waitSignal(window.pages.shown, timeout=TIMEOUT):
        window.pages.link_chosen(_link(window, "person", name="Antony Blinken"))
    assert view.title.text() == "Antony Blinken"


def test_a_places_page_shows_it_on_the_map(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    _open_page(qtbot, window, window.places_panel, "Japan")
    view = window.page_view
    assert view.title.text() == "Japan" and view.facts.text().startswith("Place")
    assert not view.map.isHidden() and view.map.selected == "Japan"
    assert "Japan" in view.map.places() and "United States" in view.map.places()
    assert "Lloyd Austin" in [n for n, _ in view.page.people]  # type: ignore[union-attr]
    assert view.page.statements  # type: ignore[union-attr]
    # clicking another place's point opens its page
    where = view.map.point_of("China")
    assert where is not None
    with qtbot.waitSignal(window.pages.shown, timeout=TIMEOUT):
        qtbot.mouseClick(view.map.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert view.title.text() == "China"


def test_the_places_panel_shows_the_library_on_the_map(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    panel, world = window.places_panel, window.places_map
    assert world.isHidden()
    panel.scope_box.setCurrentIndex(1)
    qtbot.waitUntil(lambda: len(world.places()) >= 5, timeout=TIMEOUT)
    assert not world.isHidden() and "East China Sea" in world.places()
    where = world.point_of("Ukraine")  # far from the others: no point above it
    assert where is not None
    qtbot.mouseClick(world.viewport(), Qt.MouseButton.LeftButton, pos=where)
    current = panel.current_entry()
    assert current is not None and current.name == "Ukraine"
    qtbot.waitUntil(lambda: bool(panel.detail_model.entries()), timeout=5000)
    panel.scope_box.setCurrentIndex(0)
    assert world.isHidden()


def _corrected(qtbot, window: MainWindow, act) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window.service.curationChanged, timeout=TIMEOUT):
        act()
    qtbot.wait(50)  # the panels' and the article's reload after it


def _people(window: MainWindow) -> list[str]:
    return [e.name for e in window.people_panel.model.entries()]


def test_rename_from_the_page_follows_it_and_undo_redo(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.curator.prompt = Answers("General Austin")
    _open_page(qtbot, window, window.people_panel, "Lloyd Austin")
    menu = window.curator.menu(window.page_view.target)  # type: ignore[arg-type]
    rename = menu.findChild(type(menu.actions()[0]), "curation-rename")
    with qtbot.waitSignal(window.pages.shown, timeout=TIMEOUT):
        _corrected(qtbot, window, rename.trigger)
    qtbot.waitUntil(lambda: window.page_view.title.text() == "General Austin", timeout=TIMEOUT)
    assert "Lloyd Austin" in window.page_view.page.entity.aliases  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: "General Austin" in _people(window), timeout=TIMEOUT)
    assert window.undo_action.text() == "&Undo Rename “Lloyd Austin” to “General Austin”"

    _corrected(qtbot, window, window.undo_stack.undo)  # Ctrl+Z
    qtbot.waitUntil(lambda: window.page_view.title.text() == "Lloyd Austin", timeout=TIMEOUT)
    qtbot.waitUntil(lambda: "Lloyd Austin" in _people(window), timeout=TIMEOUT)
    _corrected(qtbot, window, window.undo_stack.redo)
    qtbot.waitUntil(lambda: "General Austin" in _people(window), timeout=TIMEOUT)
    # kept by the library, as user data
    library = Library(window.data_dir, with_seeds=True)
    assert [(c.op, c.value) for c in library.corrections()] == [("rename", "General Austin")]
    library.close()


def test_panel_menu_merge_split_kind_and_hide(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[QMenu] = []
    monkeypatch.setattr(window.curator, "popup", lambda menu, where: shown.append(menu))
    panel = window.people_panel
    rect = panel.list.visualRect(_row(panel, "Yasukazu Hamada"))
    panel.list.customContextMenuRequested.emit(rect.center())  # a right click on the row
    menu = shown[-1]
    names = {a.objectName() for a in menu.findChildren(type(menu.actions()[0]))}
    assert {"curation-open", "curation-rename", "curation-merge", "curation-hide",
            "curation-kind-place", "curation-kind-none"} <= names

    window.curator.prompt = Answers("Yoshimasa Hayashi")
    merge = next(a for a in menu.actions() if a.objectName() == "curation-merge")
    _corrected(qtbot, window, merge.trigger)
    qtbot.waitUntil(lambda: "Yasukazu Hamada" not in _people(window), timeout=TIMEOUT)
    assert "Antony Blinken" in window.curator.prompt.asked[0][1]  # chosen from the panel
    hayashi = next(e for e in window.reading.article.analysis.people  # type: ignore[union-attr]
                   if e.name == "Yoshimasa Hayashi")
    assert "Yasukazu Hamada" in hayashi.aliases

    # split "Mr Hayashi" back out of the merged entry (an alias the fake analyser gives)
    target = target_for(hayashi)
    assert isinstance(target, EntityTarget) and "Mr Hayashi" in target.aliases
    menu = window.curator.menu(target)
    split = next(a for a in menu.findChildren(type(menu.actions()[0]))
                 if a.objectName() == "curation-split-Mr Hayashi")
    _corrected(qtbot, window, split.trigger)
    qtbot.waitUntil(lambda: "Mr Hayashi" in _people(window), timeout=TIMEOUT)

    window.curator.apply("kind", "Joe Biden", "none")
    qtbot.waitUntil(lambda: "Joe Biden" not in _people(window), timeout=TIMEOUT)
    window.curator.apply("hide", "Fumio Kishida")
    qtbot.waitUntil(lambda: "Fumio Kishida" not in _people(window), timeout=TIMEOUT)
    for _ in range(4):
        window.undo_stack.undo()
    qtbot.waitUntil(lambda: {"Yasukazu Hamada", "Joe Biden", "Fumio Kishida"}
                    <= set(_people(window)) and "Mr Hayashi" not in _people(window),
                    timeout=TIMEOUT)


def test_a_statement_is_reassigned_or_struck_and_undone(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    def speakers() -> list[str | None]:
        return [e.item.speaker for e in window.statements_panel.model.entries()]

    article = window.reading.article
    assert article is not None
    first = next(s for s in article.analysis.statements if s.speaker == "Lloyd Austin")
    target = target_for(first, article.info.key)
    assert isinstance(target, StatementTarget)
    window.curator.prompt = Answers("Antony Blinken")
    window.curator.reassign(target)
    qtbot.waitUntil(lambda: "Antony Blinken" in speakers(), timeout=TIMEOUT)
    count = len(speakers())
    window.curator.apply("not-statement", target.subject, "", target.text)
    qtbot.waitUntil(lambda: len(speakers()) == count - 1, timeout=TIMEOUT)
    window.undo_stack.undo()
    window.undo_stack.undo()
    qtbot.waitUntil(lambda: len(speakers()) == count and "Antony Blinken" not in speakers(),
                    timeout=TIMEOUT)


def test_a_name_in_the_text_has_its_page_and_corrections(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    article = window.reading.article
    assert article is not None
    austin = next(p for p in article.analysis.people if p.name == "Lloyd Austin")
    reader = window.reader
    where = reader.cursorRect(reader.span_cursor(austin.mentions[0][0] + 2,
                                                 austin.mentions[0][0] + 2)).center()
    menu = reader.context_menu(where)  # a right click on the name
    texts = [a.text() for a in menu.actions()]
    assert texts[:2] == ["Open Lloyd Austin’s page", "Correct “Lloyd Austin”"]
    assert "Select All" in texts
    entries = [e for rows in window.reading.entries.values() for e in rows]
    with qtbot.waitSignal(window.pages.shown, timeout=TIMEOUT):
        menu.actions()[0].trigger()
    assert window.page_view.title.text() == "Lloyd Austin"
    quiet = QMenu()
    window.curator.fill_text_menu(quiet, entries, article.info.key, None)  # off the text
    assert quiet.actions() == []


def test_the_page_exports_a_dossier(qtbot, window: MainWindow, tmp_path: Path,  # type: ignore[no-untyped-def]
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    _open_page(qtbot, window, window.people_panel, "Lloyd Austin")
    out = tmp_path / "austin.md"
    monkeypatch.setattr(window.pages, "ask_path", lambda suggested: str(out))
    window.page_view.export_button.click()
    text = out.read_text("utf-8")
    page = window.page_view.page
    assert page is not None and text.startswith("# Lloyd Austin\n")
    for ls in page.statements:
        assert f"> “{' '.join(ls.statement.text.split())}”" in text
    assert text.count(f"*{page.articles[0].title}*") >= len(page.statements)


def test_library_entities_have_pages_from_the_library_scope(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    panel = window.people_panel
    panel.scope_box.setCurrentIndex(1)
    assert panel.scope == Scope.LIBRARY
    qtbot.waitUntil(lambda: panel.model.rowCount() >= 6, timeout=TIMEOUT)
    assert isinstance(_row(panel, "Joe Biden").data(Role.Item), LibraryEntity)
    _open_page(qtbot, window, panel, "Joe Biden")
    assert window.page_view.title.text() == "Joe Biden"
    # an article-scope choice brings the reader back to the front
    panel.scope_box.setCurrentIndex(0)
    qtbot.waitUntil(lambda: panel.model.rowCount() >= 6, timeout=TIMEOUT)
    panel.entryChosen.emit(_row(panel, "Joe Biden").data(Role.Entry))
    assert window.centre.currentWidget() is window.pane
    assert EntryKind.PERSON in window.reading.entries


def test_a_search_naming_someone_offers_their_page(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    known = {"person": ["Lloyd Austin"], "place": ["Japan"]}
    assert named_in('speaker:"Yoshimasa Hayashi" quote:China', known.get) == (
        "Yoshimasa Hayashi", "person")
    assert named_in("place:Japan", known.get) == ("Japan", "place")
    assert named_in("lloyd  austin", known.get) == ("Lloyd Austin", "person")
    assert named_in("anti-ship", known.get) is None

    window.search_action.trigger()
    qtbot.keyClicks(window.search_box.field, "Lloyd Austin")
    link = window.results_panel.page_link
    qtbot.waitUntil(lambda: link.isVisible(), timeout=TIMEOUT)
    assert link.text().endswith("Open Lloyd Austin’s page</a>")
    with qtbot.waitSignal(window.pages.shown, timeout=TIMEOUT):
        link.linkActivated.emit("person:Lloyd Austin")
    assert window.page_view.title.text() == "Lloyd Austin"
    window.search_box.field.clear()
    qtbot.keyClicks(window.search_box.field, "anti-ship")
    qtbot.waitUntil(lambda: not link.isVisible(), timeout=TIMEOUT)
