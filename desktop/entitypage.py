"""A person's or a place's page, and going back and forward between pages and articles.

:class:`EntityPageView` shows an :class:`index.model.EntityPage`: the canonical name, the
other names it goes by, the roles the articles give it (each with its article), every
statement (a person's own; for a place, those of its articles), every article with how
often it names the entry and a snippet, and the people and places seen with it most. A
place's page shows where it lies on the :class:`~desktop.worldmap.WorldMap`, with the
places seen with it. Every name, statement and article on the page is a link; a right
click on one gives the curation menu (:mod:`desktop.curation`). The page exports as a
Markdown dossier (:mod:`index.dossier`).

:class:`Pages` is the behaviour: it asks the reader thread for a page (stale answers are
dropped), shows it in the centre of the window in place of the article, follows the entry
after a correction, and keeps the :class:`~desktop.history.History` that Back and Forward
(Alt+Left, Alt+Right) walk through, pages and articles alike.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

from PySide6.QtCore import QModelIndex, QObject, QPoint, QSaveFile, Qt, QUrl, Signal
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.curation import Curator, EntityTarget, StatementTarget, Target, target_for
from desktop.entries import plural
from desktop.history import History, Location
from desktop.kinds import EntryKind
from desktop.panels import Role
from desktop.reading import Reading
from desktop.service import LibraryService
from desktop.worldmap import MapPlace, WorldMap
from index.curation import Correction
from index.dossier import dossier, filename
from index.model import Article, EntityKind, EntityPage, Span, Statement

KIND_NAMES = {EntityKind.PERSON: "Person", EntityKind.PLACE: "Place",
              EntityKind.ORGANISATION: "Organisation"}


@dataclass(frozen=True)
class PageLink:
    """What a link on the page leads to: an article (at ``span``), or an entry's page."""

    kind: str  # "article", "statement", "person", "place", "organisation"
    name: str = ""  # an entry's name
    key: str = ""  # an article's key
    span: Span | None = None
    target: Target | None = None  # what the curation menu acts on, if anything


def _bold_names(snippet: str, forms: Sequence[str]) -> str:
    """The snippet as HTML, with the entry's names in bold."""
    text = escape(snippet)
    names = sorted({escape(f) for f in forms if f.strip()}, key=len, reverse=True)
    if not names:
        return text
    pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b",
                         re.IGNORECASE)
    return pattern.sub(r"<b>\1</b>", text)


#: Articles listed under one role on a page before "and N more".
ROLE_ARTICLES = 4


def page_html(page: EntityPage, links: list[PageLink], grey: str = "#6b6b6b") -> str:
    """The body of a page as HTML: statements and articles in the main column; the other
    names, roles, and the people and places seen with the entry at the side. Every link's
    target is appended to ``links`` (the link's href is ``page:INDEX``)."""

    def link(target: PageLink, text: str) -> str:
        links.append(target)
        return f'<a href="page:{len(links) - 1}">{text}</a>'

    e = page.entity
    kind = EntityKind(e.kind)
    note = f'<span style="color:{grey}">'
    main: list[str] = []
    heading = "Statements" if kind == EntityKind.PERSON else "Statements in these articles"
    main.append(f"<h3>{heading} ({len(page.statements)})</h3>")
    if not page.statements:
        main.append(f"<p>{note}None found.</span></p>")
    for ls in page.statements:
        s: Statement = ls.statement
        target = StatementTarget(ls.key, s.start, s.end, s.text, s.speaker)
        quote = link(PageLink("statement", s.speaker or "", ls.key, (s.start, s.end), target),
                     f'<span class="quote">“{escape(" ".join(s.text.split()))}”</span>')
        who = escape(s.speaker or "speaker unknown")
        if s.speaker and s.speaker_kind == "person" and s.speaker != e.name:
            who = link(PageLink("person", s.speaker, target=EntityTarget(s.speaker, "person")),
                       who)
        main.append(f"<p>{quote}<br>{note}— {who}, <i>{escape(ls.title)}</i></span></p>")
    main.append(f"<h3>Articles ({len(page.articles)})</h3>")
    for a in page.articles:
        title = link(PageLink("article", e.name, a.key, a.first), f"<b>{escape(a.title)}</b>")
        snippet = _bold_names(a.snippet, (e.name, *e.aliases))
        main.append(f"<p>{title} {note}· {plural(a.mentions, 'mention')}</span>"
                    f"<br>{snippet}</p>")

    side: list[str] = []
    if e.aliases:
        side.append("<h4>Also written</h4><p>" + ", ".join(escape(a) for a in e.aliases)
                    + "</p>")
    if page.roles:
        side.append("<h4>Roles</h4>")
        grouped: dict[str, list[tuple[str, str, str]]] = {}
        for role, key, title in page.roles:
            grouped.setdefault(" ".join(role.split()).casefold(), []).append((role, key, title))
        for found in sorted(grouped.values(), key=len, reverse=True):
            shown = [link(PageLink("article", e.name, key), f"<i>{escape(title)}</i>")
                     for _, key, title in found[:ROLE_ARTICLES]]
            more = (f" {note}and {len(found) - ROLE_ARTICLES} more</span>"
                    if len(found) > ROLE_ARTICLES else "")
            side.append(f"<p><b>{escape(found[0][0])}</b> {note}"
                        f"({plural(len(found), 'article')})</span><br>"
                        + "; ".join(shown) + more + "</p>")
    for title, entries, entry_kind in (("People in the same articles", page.people, "person"),
                                       ("Places in the same articles", page.places, "place")):
        if entries:
            side.append(f"<h4>{title}</h4><p>")
            side.append("<br>".join(
                link(PageLink(entry_kind, n, target=EntityTarget(n, entry_kind)), escape(n))
                + f" {note}· {plural(c, 'article')}</span>" for n, c in entries))
            side.append("</p>")
    return ('<table width="100%" cellspacing="0" cellpadding="0"><tr>'
            '<td width="68%" valign="top" style="padding-right:18px">' + "\n".join(main)
            + '</td><td width="32%" valign="top">' + "\n".join(side)
            + "</td></tr></table>")


class EntityPageView(QWidget):
    """The page of one person or place (see the module docstring).

    Signals:
        linkChosen(PageLink): a name, statement or article on the page was clicked.
        menuRequested(object, QPoint): a right click: what it is on (a curation
            :data:`~desktop.curation.Target`; on no link, the page's own entry) and where.
        placeClicked(str): a place's point on the map was clicked.
        exportRequested(): the "Export dossier…" button was pressed.
    """

    linkChosen = Signal(PageLink)
    menuRequested = Signal(object, QPoint)
    placeClicked = Signal(str)
    exportRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("entityPage")
        self.page: EntityPage | None = None
        self.links: list[PageLink] = []
        self.title = QLabel(self)
        self.title.setObjectName("pageTitle")
        self.title.setAccessibleName("Page title")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.title.setFont(font)
        self.facts = QLabel(self)
        self.facts.setObjectName("pageFacts")
        self.export_button = QPushButton("Export dossier…", self)
        self.export_button.setToolTip("Save this page as Markdown: every statement quoted and "
                                      "cited by its article")
        self.map = WorldMap(self)
        self.map.setMinimumHeight(200)
        self.body = QTextBrowser(self)
        self.body.setObjectName("pageBody")
        self.body.setAccessibleName("Page")
        self.body.setOpenLinks(False)
        self.body.document().setDefaultStyleSheet(
            "a { text-decoration: none; } h3 { margin-top: 14px; } h4 { margin-bottom: 2px; }")
        self.body.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(self.map)
        self.splitter.addWidget(self.body)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)

        top = QHBoxLayout()
        heading = QVBoxLayout()
        heading.addWidget(self.title)
        heading.addWidget(self.facts)
        top.addLayout(heading, 1)
        top.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)

        self.body.anchorClicked.connect(self._anchor)
        self.body.customContextMenuRequested.connect(self._context_menu)
        self.map.placeClicked.connect(self.placeClicked)
        self.export_button.clicked.connect(self.exportRequested)
        self.export_button.setEnabled(False)

    @property
    def target(self) -> EntityTarget | None:
        """The page's own entry, as the curation menu acts on it."""
        if self.page is None:
            return None
        e = self.page.entity
        return EntityTarget(e.name, str(e.kind), tuple(e.aliases))

    def show_page(self, page: EntityPage) -> None:
        same = self.page is not None and self.page.entity.name == page.entity.name
        scroll = self.body.verticalScrollBar().value() if same else 0
        self.page = page
        e = page.entity
        kind = EntityKind(e.kind)
        self.title.setText(e.name)
        self.facts.setText(" · ".join((KIND_NAMES.get(kind, str(kind)),
                                       plural(len(page.articles), "article"),
                                       plural(e.mentions, "mention"),
                                       plural(len(page.statements), "statement"))))
        self.links = []
        palette = self.palette()
        grey = palette.color(QPalette.ColorRole.PlaceholderText).name()
        self.body.document().setDefaultStyleSheet(
            "a { text-decoration: none; } h3 { margin-top: 14px; } h4 { margin-bottom: 2px; }"
            f" .quote {{ color: {palette.color(QPalette.ColorRole.Text).name()}; }}")
        self.body.setHtml(page_html(page, self.links, grey))
        self.body.verticalScrollBar().setValue(scroll)
        self.export_button.setEnabled(True)
        if kind == EntityKind.PLACE:
            self.map.set_places([MapPlace(e.name, max(1, e.mentions), tuple(e.aliases))]
                                + [MapPlace(n, c) for n, c in page.places])
            self.map.select(e.name)
            self.map.focus_on(e.name, 70.0)
            if self.map.isHidden():  # the map above, the page below it the larger
                self.map.show()
                height = max(300, self.splitter.height())
                self.splitter.setSizes([height * 2 // 5, height * 3 // 5])
        else:
            self.map.hide()

    def show_missing(self, name: str) -> None:
        self.page = None
        self.links = []
        self.title.setText(name)
        self.facts.setText("Nothing in the library goes by this name now.")
        self.body.setHtml("<p>It may have been renamed, merged into another entry, or its "
                          "articles removed. Back (Alt+Left) returns to where you were.</p>")
        self.export_button.setEnabled(False)
        self.map.hide()

    def link(self, href: str) -> PageLink | None:
        url = QUrl(href)
        if url.scheme() != "page":
            return None
        try:
            return self.links[int(url.path())]
        except (ValueError, IndexError):
            return None

    def _anchor(self, url: QUrl) -> None:
        found = self.link(url.toString())
        if found is not None:
            self.linkChosen.emit(found)

    def _context_menu(self, pos: QPoint) -> None:
        found = self.link(self.body.anchorAt(pos))
        target = found.target if found is not None and found.target is not None else self.target
        if target is not None:
            self.menuRequested.emit(target, self.body.viewport().mapToGlobal(pos))


class Pages(QObject):
    """Which page is shown in the centre of the window, and Back / Forward.

    An article a page leads to opens in ``reading`` with the statement, or the entry's
    first mention, marked.

    Signals:
        shown(EntityPage): a page is displayed.
        navigable(bool, bool): whether Back and Forward can go anywhere now.
        message(str, int): a status-bar message and how long to show it (ms).
    """

    shown = Signal(EntityPage)
    navigable = Signal(bool, bool)
    message = Signal(str, int)

    def __init__(self, service: LibraryService, view: EntityPageView, stack: QStackedWidget,
                 reader: QWidget, reading: Reading, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.view = view
        self.stack = stack
        self.reader = reader
        self.reading = reading
        self.history = History()
        self._generation = 0
        self._wanted: tuple[str, str] | None = None  # the page asked for: name, kind
        self._article_key: str | None = None  # the article in the reader
        self._article_wanted = False  # an article was asked for from here or by the reader
        self._moving = False  # going back or forward: the history is not added to

    @property
    def showing(self) -> bool:
        return self.stack.currentWidget() is self.view

    def page_menu(self, curator: Curator, target: Target, where: QPoint) -> None:
        own = target == self.view.target
        curator.popup(curator.menu(target, self.view, open_item=not own), where)

    # -- pages ----------------------------------------------------------------------

    def open(self, name: str, kind: str = "") -> None:
        """Asks for the page of the entry going by ``name`` (of ``kind``, if given)."""
        if not name:
            return
        self._request([name], kind)

    def _request(self, names: list[str], kind: str = "") -> None:
        self._generation += 1
        self._wanted = (names[0], kind)
        self.service.entity_page(self._generation, names, kind)

    def loaded(self, generation: int, page: EntityPage) -> None:
        if generation != self._generation:
            return
        self.view.show_page(page)
        self.stack.setCurrentWidget(self.view)
        self._visit(Location(str(page.entity.kind), page.entity.name))
        self.shown.emit(page)

    def missing(self, generation: int, name: str) -> None:
        if generation != self._generation:
            return
        self._moving = False
        if self.showing or self.view.page is None:
            self.view.show_missing(name)
            self.stack.setCurrentWidget(self.view)
        self.message.emit(f"Nothing in the library goes by “{name}”.", 6000)

    def curation_changed(self, correction: Correction, in_force: bool) -> None:
        """After a correction (made, undone, redone): the page shown follows its entry —
        by its name, or an old one, or the name the correction gave."""
        page = self.view.page
        if page is None or not self.showing:
            return
        e = page.entity
        names = [e.name, *e.aliases]
        if correction.op in ("rename", "merge") and in_force:
            names.append(correction.value)
        elif correction.op in ("rename", "merge", "split"):
            names.append(correction.subject)
        self._generation += 1
        self.service.entity_page(self._generation, names, "")

    def export(self) -> None:
        page = self.view.page
        if page is None:
            return
        path = self.ask_path(filename(page))
        if path:
            self.write(Path(path), dossier(page))

    def ask_path(self, suggested: str) -> str:
        path, _ = QFileDialog.getSaveFileName(self.view, "Export the dossier", suggested,
                                              "Markdown (*.md);;All files (*)")
        return path

    def write(self, path: Path, text: str) -> None:
        out = QSaveFile(str(path))
        if out.open(QSaveFile.OpenModeFlag.WriteOnly) and out.write(text.encode("utf-8")) >= 0 \
                and out.commit():
            self.message.emit(f"Dossier saved to {path}.", 6000)
        else:
            self.message.emit(f"Could not save {path}: {out.errorString()}", 10000)

    # -- links ----------------------------------------------------------------------

    def link_chosen(self, link: PageLink) -> None:
        if link.kind == "statement" and link.span is not None:
            self.open_statement(link.key, *link.span)
        elif link.kind == "article":
            page = self.view.page
            kind = str(page.entity.kind) if page is not None else ""
            self.open_article(link.key, kind, link.name)
        else:
            self.open(link.name, link.kind)

    def open_article(self, key: str, kind: str = "", name: str = "") -> None:
        """Opens an article in the reader with the entry's mentions marked."""
        self._article_wanted = True
        wanted = entry_kind(kind)
        if wanted in (EntryKind.PERSON, EntryKind.PLACE) and name:
            folded = name.casefold()
            self.reading.open(key, focus=lambda: self.reading.mark_first(
                wanted, lambda e: e.name.casefold() == folded))
        else:
            self.reading.open(key)

    def open_statement(self, key: str, start: int, end: int) -> None:
        """Opens an article in the reader with a statement marked."""
        self._article_wanted = True
        self.reading.open(key, focus=lambda: self.reading.mark_first(
            EntryKind.STATEMENT, lambda e: isinstance(e.item, Statement)
            and (e.item.start, e.item.end) == (start, end)))

    def entry_activated(self, index: QModelIndex) -> None:
        """A panel's row was double-clicked: a person's or place's page opens."""
        target = target_for(index.data(Role.Item))
        if isinstance(target, EntityTarget):
            self.open(target.name, target.kind)

    # -- articles and the history ---------------------------------------------------

    def article_shown(self, article: Article) -> None:
        """The reader shows an article: it comes to the front, unless it is the article
        already there, reloaded while a page is shown (an update, a correction)."""
        key = article.info.key
        reload = key == self._article_key and not self._article_wanted
        self._article_key = key
        self._article_wanted = False
        if reload and self.showing:
            return
        self.show_reader()
        self._visit(Location("article", key))

    def show_reader(self) -> None:
        """The reader comes to the front (an article-scope panel entry was chosen...)."""
        if self.showing:
            self.stack.setCurrentWidget(self.reader)
            if self._article_key is not None:
                self._visit(Location("article", self._article_key))

    def _visit(self, location: Location) -> None:
        if not self._moving:
            self.history.visit(location)
        self._moving = False
        self.navigable.emit(self.history.can_go_back(), self.history.can_go_forward())

    def back(self) -> None:
        self._go(self.history.back())

    def forward(self) -> None:
        self._go(self.history.forward())

    def _go(self, location: Location | None) -> None:
        if location is None:
            return
        self._moving = True
        if location.is_article:
            if location.target == self._article_key:
                self.stack.setCurrentWidget(self.reader)
                self._moving = False
                self.navigable.emit(self.history.can_go_back(), self.history.can_go_forward())
            else:
                self._article_wanted = True
                self.reading.open(location.target)
        else:
            self._request([location.target], location.kind)


_NAME_FIELD = re.compile(r'\b(person|place|speaker):("([^"]*)"|[^\s()"]+)', re.IGNORECASE)


def named_in(query: str, known: Callable[[str], Sequence[str]]) -> tuple[str, str] | None:
    """The person or place a search names — by a ``person:``, ``speaker:`` or ``place:``
    term, or as the whole query, if ``known(kind)`` lists it — as (name, kind)."""
    m = _NAME_FIELD.search(query)
    if m:
        name = m.group(3) if m.group(3) is not None else m.group(2)
        return name, "place" if m.group(1).lower() == "place" else "person"
    plain = " ".join(query.strip().strip('"').split()).casefold()
    for kind in ("person", "place"):
        for name in known(kind):
            if name.casefold() == plain:
                return name, kind
    return None


def entry_kind(kind: str) -> EntryKind | None:
    try:
        return EntryKind(kind)
    except ValueError:
        return None
