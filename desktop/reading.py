"""Which article is shown, and what is marked in it.

:class:`Reading` asks the service for an article, shows the newest one asked for (older
answers are dropped), fills the three panels' "this article" lists, and keeps the marks:
the chosen person, place or statement (one at a time, across the panels), search hits,
the highlighter pen. It decides which article opens at start-up: a file handed over on the
command line, else the one read last, else the first.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from pathlib import PurePath

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.entries import Entry, article_panel_entries
from desktop.kinds import EntryKind, Scope
from desktop.marks import Mark
from desktop.pane import ReaderPane
from desktop.panels import EntityPanel
from desktop.reader import Layer, MarkKind
from desktop.service import LibraryService
from desktop.settings import Settings
from index.model import Article, ArticleInfo, Span, UpdateReport

log = logging.getLogger(__name__)


def merge_adjacent(text: str, spans: Iterable[Span]) -> list[Span]:
    """Joins hits separated only by a hyphen or a slash ("anti" "ship" -> "anti-ship"), so
    that a hyphenated query is one mark to step to, not two."""
    merged: list[Span] = []
    for start, end in sorted(set(spans)):
        if merged and text[merged[-1][1]:start] in ("", "-", "‐", "/"):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _entry_marks(entry: Entry, kind: MarkKind | None = None) -> list[Mark]:
    return [Mark(s, e, kind or MarkKind(entry.kind.value), entry.tooltip, entry)
            for s, e in entry.spans]


def analysed_part(text: str) -> str:
    """Says how much of a very long article is analysed ("" when all of it is)."""
    from index.analysis import analysed_length  # (no spaCy: only where the text is cut)

    end = analysed_length(text)
    if end == len(text):
        return ""
    return f"people, places and statements from its first {end:,} of {len(text):,} characters"


class Reading(QObject):
    """The article in the reader and its marks.

    Signals:
        shown(Article): an article is displayed (analysis and all; a first run's preview
            has no analysis yet).
        marksChanged(str, int): what is being stepped through ("Lloyd Austin", "search")
            and how many marks it has.
        panelWanted(EntryKind): a mark of this kind was clicked: show its panel.
        message(str, int): a status-bar message and how long to show it (ms).
    """

    shown = Signal(Article)
    marksChanged = Signal(str, int)
    panelWanted = Signal(EntryKind)
    message = Signal(str, int)

    def __init__(self, service: LibraryService, pane: ReaderPane,
                 panels: Mapping[EntryKind, EntityPanel], settings: Settings,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.pane = pane
        self.view = pane.view
        self.navigator = pane.navigator
        self.panels = panels
        self.settings = settings
        self.article: Article | None = None
        self.preview = False  # the article shown is a first run's unanalysed preview
        self.entries: dict[EntryKind, list[Entry]] = {}
        self.listing: dict[str, ArticleInfo] = {}  # the library's articles, by key
        self.highlight = False
        self._generation = 0
        self._requested: str | None = None  # the article last asked for
        self._wanted: str | None = None  # a handed-over file, until it is indexed
        self._files_coming = False  # paths were handed over: wait for their keys
        self._listed = False
        self._focus: Callable[[], None] | None = None
        self._scroll: int | None = None

    # -- which article --------------------------------------------------------------

    @property
    def key(self) -> str | None:
        return self.article.info.key if self.article is not None else None

    def open(self, key: str, *, focus: Callable[[], None] | None = None,
             keep_place: bool = False) -> None:
        """Loads an article in the reader thread and shows it; ``focus`` runs once it is
        shown (and is dropped if another article is asked for first)."""
        if keep_place and self.article is not None:
            self._scroll = self.view.verticalScrollBar().value()
        self._generation += 1
        self._requested = key
        self._focus = focus
        self.service.article(self._generation, key)

    def expect_files(self) -> None:
        """Paths were handed over (the command line, a drop): the article to open is the
        first file among them, once the writer has said which they are."""
        self._files_coming = True

    def handed_over(self, keys: list[str]) -> None:
        """The keys of the files among the paths handed over."""
        self._files_coming = False
        if keys:
            self._wanted = keys[0]
            self._open_wanted()
        elif self._listed:
            self._open_default()

    def listed(self, documents: list[ArticleInfo]) -> None:
        """The library's articles, at start and after every update."""
        first = not self._listed
        self._listed = True
        self.listing = {d.key: d for d in documents}
        if self._open_wanted():
            return
        current = self.key
        if self.preview and current in self.listing and self._requested in (None, current):
            assert current is not None
            self.open(current)  # the analysed article replaces the preview
        elif self._outdated() and self._requested is None:
            assert current is not None
            self.open(current, keep_place=True)  # its analysis, or another process's edit
        elif first or self.article is None:
            self._open_default(documents)

    def _outdated(self) -> bool:
        """Whether the listing says the article shown has changed since it was loaded:
        analysed since, or its file indexed again (by this window's update or another's)."""
        if self.article is None or self.preview:
            return False
        shown, listed = self.article.info, self.listing.get(self.article.info.key)
        return listed is not None and (
            (listed.analysed and not shown.analysed)
            or (listed.mtime, listed.size) != (shown.mtime, shown.size))

    def _open_wanted(self) -> bool:
        if self._wanted is not None and self._wanted in self.listing:
            key, self._wanted = self._wanted, None
            self.open(key)
            return True
        return False

    def _open_default(self, documents: list[ArticleInfo] | None = None) -> None:
        """The article read last, else the first: unless something else is on its way."""
        if (self.article is not None and not self.preview) or self._requested is not None \
                or self._wanted is not None or self._files_coming or not self.listing:
            return
        last = self.settings.get_str("reader/last_article")
        if last in self.listing:
            self._scroll = self.settings.get_int("reader/scroll", 0)
            self.open(last)
        elif documents:
            self.open(documents[0].key)
        else:
            self.open(min(self.listing))

    def loaded(self, generation: int, article: Article) -> None:
        if generation != self._generation:
            return  # a newer article was asked for
        self._requested = None
        self._display(article, preview=False)
        focus, self._focus = self._focus, None
        if self._scroll is not None:
            value, self._scroll = self._scroll, None
            QTimer.singleShot(0, lambda: self.view.verticalScrollBar().setValue(value))
        if focus is not None:
            focus()
        self.settings.set("reader/last_article", article.info.key)

    def missing(self, generation: int, key: str) -> None:
        if generation == self._generation:
            self._requested = None
            self.message.emit("That article is no longer in the library.", 8000)

    def show_preview(self, article: Article) -> None:
        if self.article is None and self._requested is None:
            self._display(article, preview=True)
            self.message.emit("Analysing the article: people, places and statements appear "
                              "in a moment…", 0)

    def update_finished(self, report: UpdateReport) -> None:
        """Reloads the article shown if the update changed it."""
        key = self.key
        if key is not None and not self.preview and key in report.updated:
            self.open(key, keep_place=True)

    def _display(self, article: Article, *, preview: bool) -> None:
        self.article, self.preview = article, preview
        info = article.info
        blocks = tuple(article.blocks)
        has_title = any(b.kind == "title" for b in blocks)
        dateline_span = None
        if info.dateline and not any(b.kind == "dateline" for b in blocks):
            at = article.text.find(info.dateline, 0, 200)
            if at >= 0:
                dateline_span = (at, at + len(info.dateline))
        self.view.set_article(article.text, blocks, dateline_span)
        n = len(self.listing.get(info.key, info).copies)  # the listing knows the copies
        copies = f"{n} identical cop{'y' if n == 1 else 'ies'}" if n else ""
        meta = " · ".join(x for x in (info.dateline or "", PurePath(info.path).name, copies,
                                      analysed_part(article.text)) if x)
        # The title is the text's own first block when it has one: shown once, there.
        self.pane.set_header("" if has_title else info.title, meta)
        self.navigator.clear()
        analysis = article.analysis
        self.entries = article_panel_entries(analysis.people, analysis.places,
                                             analysis.statements)
        waiting = ""
        if preview:
            waiting = "Being analysed: the people, places and statements appear in a moment."
        elif not info.analysed:
            # Its text is indexed, its analysis still to come: it is put first in line, and
            # shown again when its analysis is committed (see listed()).
            waiting = "Not analysed yet — it is next in line."
            self.service.prioritise(info.key)
        for kind, panel in self.panels.items():
            panel.set_entries(self.entries[kind], Scope.ARTICLE, waiting=waiting)
        self.set_highlighter(self.highlight)
        self.shown.emit(article)

    # -- marks ----------------------------------------------------------------------

    def mark_entry(self, entry: Entry, *, go_first: bool = True) -> None:
        """Marks every mention of a person or place (or a statement's quotation), goes to
        the first, and lets next/previous step through them. The entry is the one marked
        entry: the other panels let go of theirs."""
        if self.article is None:
            return
        self.view.clear_marks(Layer.SEARCH)
        self.view.set_marks(Layer.ENTRY, _entry_marks(entry))
        what = entry.name if entry.kind != EntryKind.STATEMENT else "Statement"
        self.navigator.set_spans(what, MarkKind(entry.kind.value), entry.spans,
                                 go_first=go_first)
        for kind, panel in self.panels.items():
            if kind != entry.kind:
                panel.clear_choice()
        self.marksChanged.emit(what, len(entry.spans))

    def mark_first(self, kind: EntryKind, match: Callable[[Entry], bool]) -> None:
        """Marks the first of the article's entries of ``kind`` that ``match`` accepts,
        and makes it its panel's current row."""
        entry = next((e for e in self.entries.get(kind, ()) if match(e)), None)
        if entry is not None:
            panel = self.panels[kind]
            if panel.scope == Scope.ARTICLE:
                panel.select(entry.same)
            self.mark_entry(entry)

    def mark_hits(self, what: str, spans: Iterable[Span], *, go_first: bool) -> None:
        """Marks a search's hits in the article (none: the old ones go); ``what`` names
        the search (“anti-ship”)."""
        merged = merge_adjacent(self.article.text if self.article else "", spans)
        self.view.set_marks(Layer.SEARCH, [Mark(s, e, MarkKind.SEARCH, f"Matches {what}")
                                           for s, e in merged])
        if merged:
            self.view.clear_marks(Layer.ENTRY)
            for panel in self.panels.values():
                panel.clear_choice()
            self.navigator.set_spans(what, MarkKind.SEARCH, merged, go_first=go_first)
            self.marksChanged.emit("search", len(merged))
        elif self.navigator.kind == MarkKind.SEARCH:
            self.navigator.clear()

    def clear_search(self) -> None:
        self.view.clear_marks(Layer.SEARCH)
        if self.navigator.kind == MarkKind.SEARCH:
            self.navigator.clear()

    def clear_marks(self) -> None:
        for layer in (Layer.ENTRY, Layer.SEARCH):
            self.view.clear_marks(layer)
        self.navigator.clear()
        for panel in self.panels.values():
            if panel.scope == Scope.ARTICLE:
                panel.clear_choice()

    def mark_clicked(self, mark: Mark) -> None:
        """A marked name or quotation was clicked: its panel shows it, and next/previous
        step on from there."""
        entry = mark.payload
        if entry is None or entry.kind not in self.panels:
            return
        panel = self.panels[entry.kind]
        self.panelWanted.emit(entry.kind)
        if panel.scope != Scope.ARTICLE:
            panel.set_scope(Scope.ARTICLE)
        panel.select(entry.same)
        self.mark_entry(entry, go_first=False)
        self.navigator.point_at((mark.start, mark.end))

    def set_highlighter(self, on: bool) -> None:
        """The highlighter pen: every person, place and statement marked at once."""
        self.highlight = on
        if not on or self.article is None:
            self.view.clear_marks(Layer.HIGHLIGHT)
            return
        marks: list[Mark] = []
        for kind in (EntryKind.STATEMENT, EntryKind.PLACE, EntryKind.PERSON):
            for entry in self.entries.get(kind, ()):
                marks.extend(_entry_marks(entry, MarkKind(f"highlight-{kind.value}")))
        self.view.set_marks(Layer.HIGHLIGHT, marks)

    def save_place(self) -> None:
        if self.article is not None and not self.preview:
            self.settings.set("reader/last_article", self.article.info.key)
            self.settings.set("reader/scroll", self.view.verticalScrollBar().value())
