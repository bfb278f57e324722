"""Small fakes of :mod:`index.library` and :mod:`index.bookmarks` for widget tests.

They follow the API in docs/ARCHITECTURE.md and answer synchronously from memory, so a
widget test needs neither Whoosh nor spaCy. The analysis of the seed article is written
out by hand (names found with regular expressions), which is enough to check what the
window marks.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import ClassVar

from index.library import (
    Article,
    ArticleInfo,
    LibraryEntity,
    LibraryStatement,
    QueryError,
    SearchResult,
)
from index.model import (
    Analysis,
    Block,
    Bookmark,
    Person,
    Place,
    Progress,
    SearchHit,
    Span,
    Statement,
    UpdateReport,
)


def _find(text: str, *patterns: str) -> tuple[Span, ...]:
    spans: list[Span] = []
    taken: list[Span] = []
    for pattern in patterns:
        for m in re.finditer(pattern, text):
            if any(a <= m.start() < b for a, b in taken):
                continue
            spans.append(m.span())
            taken.append(m.span())
    return tuple(sorted(spans))


def analyse(text: str) -> Analysis:
    """A hand-made analysis: enough people, places and quotations for the seed."""
    people = []
    for name, role, surname in [
        ("Lloyd Austin", "Secretary of Defence", "Austin"),
        ("Antony Blinken", "Secretary of State", "Blinken"),
        ("Yoshimasa Hayashi", "Foreign Minister", "Hayashi"),
        ("Yasukazu Hamada", "Defence Minister", "Hamada"),
        ("Joe Biden", "President", "Biden"),
        ("Fumio Kishida", "Prime Minister", "Kishida"),
    ]:
        mentions = _find(text, re.escape(name), rf"Mr {surname}", rf"\b{surname}\b")
        if mentions:
            people.append(Person(name, role, (f"Mr {surname}",), mentions))
    places = []
    for name, kind in [
        ("Japan", "country"), ("United States", "country"), ("China", "country"),
        ("Taiwan", "island"), ("Okinawa", "region"), ("Washington", "city"),
        ("East China Sea", "sea"), ("Ukraine", "country"),
    ]:
        mentions = _find(text, re.escape(name) if name != "Washington" else "WASHINGTON")
        if name == "China":
            mentions = tuple(m for m in mentions if text[m[1]:m[1] + 4] != " Sea")
        if mentions:
            places.append(Place(name, kind, (), mentions))
    statements = []
    for m in re.finditer(r"“([^”]{20,})”", text):
        after = text[m.end():m.end() + 40]
        speaker, kind = (None, "unknown")
        if "he said" in after or "Austin" in text[m.start() - 40:m.start()]:
            speaker, kind = "Lloyd Austin", "person"
        elif "they said" in after:
            speaker, kind = "the two sides", "group"
        statements.append(Statement(m.group(1), m.start(1), m.end(1), speaker, kind, "said"))
    return Analysis(tuple(people), tuple(places), tuple(statements))


class FakeLibrary:
    """In-memory :class:`index.library.Library` over plain-text files."""

    def __init__(self, data_dir: Path | None = None, *, with_seeds: bool = True,
                 seeds: Iterable[Path] = ()) -> None:
        self.data_dir = data_dir
        self._sources: list[Path] = list(seeds) if with_seeds else []
        self._articles: dict[str, Article] = {}
        self.updates = 0
        self.closed = False

    def sources(self) -> list[Path]:
        return list(self._sources)

    def add_sources(self, paths: Iterable[Path]) -> None:
        for p in paths:
            if Path(p) not in self._sources:
                self._sources.append(Path(p))

    def remove_source(self, path: Path) -> None:
        self._sources.remove(Path(path))

    def _files(self) -> list[Path]:
        files: list[Path] = []
        for s in self._sources:
            files.extend(sorted(s.rglob("*.txt")) if s.is_dir() else [s])
        return files

    def update(self, progress: Callable[[Progress], None] | None = None,
               cancel: Callable[[], bool] | None = None, *, rebuild: bool = False
               ) -> UpdateReport:
        from index.paths import document_key

        self.updates += 1
        files = self._files()
        added: list[str] = []
        updated: list[str] = []
        for i, path in enumerate(files):
            if cancel and cancel():
                return UpdateReport(tuple(added), tuple(updated), cancelled=True)
            if progress:
                progress(Progress("analyse", i, len(files), str(path)))
            text = path.read_text(encoding="utf-8")
            key = document_key(path)
            old = self._articles.get(key)
            if old and old.text == text:
                continue
            first = text.split("\n", 1)[0]
            dateline = first.split(" – ")[0] if " – " in first[:40] else None
            info = ArticleInfo(key, path, (path.stem if dateline is None else first[:60]),
                               dateline, str(path.parent), len(text), path.stat().st_mtime)
            blocks = tuple(Block("paragraph", m.start(), m.end())
                           for m in re.finditer(r"[^\n]+", text))
            self._articles[key] = Article(info, text, blocks, analyse(text))
            (updated if old else added).append(key)
        if progress:
            progress(Progress("done", len(files), len(files)))
        return UpdateReport(tuple(added), tuple(updated))

    def documents(self) -> list[ArticleInfo]:
        return [a.info for a in self._articles.values()]

    def article(self, key: str) -> Article:
        return self._articles[key]

    def key_for_path(self, path: Path) -> str | None:
        from index.paths import document_key

        key = document_key(path)
        return key if key in self._articles else None

    def _terms(self, query: str) -> list[str]:
        if query.count('"') % 2 or query.strip().endswith(("AND", "OR")) or "((" in query:
            raise QueryError(f"Cannot understand the query {query!r}")
        return [t for t in re.split(r"\s+", query.strip()) if t]

    def hits_in(self, key: str, query: str) -> tuple[Span, ...]:
        text = self._articles[key].text
        spans: list[Span] = []
        for term in self._terms(query):
            spans.extend(m.span() for m in re.finditer(re.escape(term), text, re.I))
        return tuple(sorted(spans))

    def search(self, query: str, limit: int = 20) -> SearchResult:
        terms = self._terms(query)
        hits = []
        for key, a in self._articles.items():
            spans = self.hits_in(key, query)
            if terms and spans:
                s, e = spans[0]
                snippet = (a.text[max(0, s - 30):s] + "<b>" + a.text[s:e] + "</b>"
                           + a.text[e:e + 30])
                hits.append(SearchHit(key, str(a.info.path), a.info.title, float(len(spans)),
                                      snippet, spans))
        suggestion = None if hits else "anti-ship" if "ship" in query else None
        return SearchResult(query, tuple(hits[:limit]), len(hits), suggestion)

    def entities(self, kind: str) -> list[LibraryEntity]:
        found: dict[str, list[tuple[str, str, int]]] = {}
        for key, a in self._articles.items():
            items = a.analysis.people if kind == "person" else a.analysis.places
            for item in items:
                found.setdefault(item.name, []).append((key, a.info.title, len(item.mentions)))
        return [LibraryEntity(n, kind, tuple(v)) for n, v in sorted(found.items())]

    def statements(self, speaker: str | None = None) -> list[LibraryStatement]:
        return [LibraryStatement(key, a.info.title, s)
                for key, a in self._articles.items() for s in a.analysis.statements
                if speaker is None or s.speaker == speaker]

    def close(self) -> None:
        self.closed = True


class FakeBookmarkStore:
    """In-memory :class:`index.bookmarks.BookmarkStore`; ``shared`` keeps it across
    instances, like the SQLite file does."""

    shared: ClassVar[dict[Path, dict[int, Bookmark]]] = {}

    def __init__(self, data_dir: Path) -> None:
        self._items = self.shared.setdefault(Path(data_dir), {})

    def add(self, key: str, path: str, text: str, start: int, end: int,
            note: str = "") -> Bookmark:
        new_id = max(self._items, default=0) + 1
        b = Bookmark(new_id, key, path, text[start:end], text[max(0, start - 32):start],
                     text[end:end + 32], start, end, note,
                     dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
        self._items[new_id] = b
        return b

    def list(self, key: str | None = None) -> list[Bookmark]:
        return [b for b in self._items.values() if key is None or b.key == key]

    def get(self, id: int) -> Bookmark:
        return self._items[id]

    def set_note(self, id: int, note: str) -> Bookmark:
        b = self._items[id] = replace(self._items[id], note=note)
        return b

    def remove(self, id: int) -> Bookmark:
        return self._items.pop(id)

    def restore(self, bookmark: Bookmark) -> Bookmark:
        self._items[bookmark.id] = bookmark
        return bookmark

    def reanchor(self, key: str, text: str) -> list[Bookmark]:
        return self.list(key)

    def export_markdown(self, titles: Mapping[str, str]) -> str:
        lines = ["# Bookmarks", ""]
        for b in self._items.values():
            lines.append(f"> {b.quote}\n\n— *{titles.get(b.key, b.path)}*  {b.note}\n")
        return "\n".join(lines)

    def export_json(self) -> str:
        import json

        return json.dumps([b.to_dict() for b in self._items.values()])
