"""The :class:`Library`: what the window and the command line call.

A thin facade over three parts: :mod:`index.library.sources` (the user's folders and
files, and the problems of the last update), :mod:`index.library.storage` (the index on
disk: generations, ``CURRENT``, manifest, writer lock) and :mod:`index.library.update`
(one update run); :mod:`index.library.updating` holds :meth:`Library.update` and the
rest of its writing side, which ``Library`` inherits. The reading side — articles,
search, library-wide people, places and statements — is here.

Several ``Library`` instances (threads, processes) may read one data directory; each sees
another's committed update at its next call (:meth:`Library.state_token` tells a client
cheaply that one landed). The index is a cache: it can always be rebuilt from the sources.
"""

from __future__ import annotations

import contextlib
import dataclasses
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from index import evidence, paths
from index.curation import Correction, Curation, CurationStore
from index.library import schema as S
from index.library.decisions import DecisionCache
from index.library.entities import aggregate, entity_page, rewrite_entity_terms, unshown
from index.library.fields import analysis_dict
from index.library.query import MAX_QUERY_CHARS, check_query
from index.library.said import SaidTerms
from index.library.said import matching as said_matching
from index.library.said import search as search_statements
from index.library.said import split as said_terms
from index.library.search import hits_in as search_hits_in
from index.library.search import (
    parse_query,
    run_search,
)
from index.library.sources import SourceList
from index.library.storage import Storage, describe
from index.library.update import Analyser
from index.library.updating import _Updating
from index.model import (
    Analysis,
    Article,
    ArticleInfo,
    Block,
    EntityKind,
    EntityPage,
    LibraryCorrupt,
    LibraryEntity,
    LibraryStatement,
    Problem,
    QueryError,
    SearchCancelled,
    SearchResult,
    Span,
)


class Library(_Updating):
    """A library of articles and its index; see the module docstring.

    ``with_seeds`` puts the bundled seed articles in the library or leaves them out; None
    (the default) does as the last update that was told did (an update remembers it).

    ``analyser`` (anything with ``analyse_many(documents)``) replaces the spaCy analyser,
    for tests; ``processes`` is how many processes spaCy uses for a big batch (``None``:
    :func:`index.analysis.processes_for`, one per usable core for enough articles).
    ``lock_timeout`` is how long :meth:`update` waits for another writer.
    """

    def __init__(
        self,
        data_dir: Path | str | None = None,
        *,
        with_seeds: bool | None = None,
        analyser: Analyser | None = None,
        processes: int | None = 1,
        lock_timeout: float = 10.0,
    ) -> None:
        self.data_dir = paths.data_dir(data_dir)
        self.lock_timeout = lock_timeout
        self.processes = processes
        self._analyser = analyser
        self._storage = Storage(self.data_dir)
        self._sources = SourceList(self.data_dir, with_seeds=with_seeds, timeout=lock_timeout)
        self._curation_store = CurationStore(self.data_dir)
        self._lock = threading.RLock()
        self._ix: Any = None
        self._searcher: Any = None
        self._current: str | None = None
        self._cache: dict[str, Any] = {}
        self._decision_cache = DecisionCache()
        #: Why the index must be rebuilt (unreadable, other schema), or None.
        self.problem: str | None = None
        with self._lock:
            self._open()

    # ------------------------------------------------------------------ sources

    @property
    def with_seeds(self) -> bool:
        """Whether the bundled seeds are in the library: as the caller said, else as the
        last update that was told remembered (in ``sources.json``), else yes."""
        return self._sources.with_seeds

    def sources(self) -> list[Path]:
        """Every source, the bundled seeds first."""
        return self._sources.all()

    def add_sources(self, sources: Iterable[Path | str]) -> None:
        """Remembers folders or files (resolved); :class:`FileNotFoundError` if one is missing."""
        self._sources.add(sources)

    def remove_source(self, path: Path | str) -> bool:
        """Forgets a source, or excludes a file inside a source folder; the next
        :meth:`update` removes the articles. False when ``path`` was not in the library."""
        self._sources.forget_problem(path)
        return self._sources.remove(path)

    def problems(self) -> list[Problem]:
        """The files the last update could not read, with the reason and when."""
        return self._sources.problems()

    def retry(self, path: Path | str) -> None:
        """Forgets the problem recorded for ``path``: the next update reads it again and
        reports it anew if it still fails."""
        self._sources.forget_problem(path)

    def state_token(self) -> str:
        """Changes whenever any process commits an update to this data directory; cheap
        (two ``stat`` calls), for a window to poll."""
        return self._storage.state_token()

    # ------------------------------------------------------------------ opening

    def _open(self) -> None:
        """(Re)opens the generation named in CURRENT, recording a problem if it is bad."""
        self._close_index()
        opened = self._storage.open()
        self._current = opened.name
        self.problem = opened.problem
        self._ix, self._searcher = opened.ix, opened.searcher

    def _close_index(self) -> None:
        if self._searcher is not None:
            with contextlib.suppress(Exception):
                self._searcher.close()
        self._ix = self._searcher = None
        self._cache.clear()

    def _fresh_searcher(self) -> Any:
        """The searcher, reopened if another process (or an update) changed the index."""
        current = self._storage.current()
        if current != self._current or (self._searcher is None and current is not None):
            self._open()
        elif self._searcher is not None:
            try:
                if not self._searcher.up_to_date():
                    # Not Searcher.refresh(): it reuses the readers of unchanged segments
                    # with the deletions they had, so an article updated by another
                    # instance would be found twice, its old text first.
                    old, self._searcher = self._searcher, self._ix.searcher()
                    old.close()
                    self._cache.clear()
            except Exception as exc:  # Whoosh raises anything from pickle to struct errors
                self._corrupt(exc)
        return self._searcher

    def _corrupt(self, exc: BaseException) -> None:
        self._close_index()
        self.problem = f"the index is unreadable ({describe(exc)})"
        raise LibraryCorrupt(
            f"The library index is unreadable ({describe(exc)}); "
            "updating the library rebuilds it from the sources."
        ) from exc

    def close(self) -> None:
        with self._lock:
            self._close_index()
            self._curation_store.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ reading

    def _stored(self) -> Iterator[dict[str, Any]]:
        searcher = self._fresh_searcher()
        if searcher is None:
            return
        try:
            yield from searcher.reader().all_stored_fields()
        except Exception as exc:  # Whoosh raises anything from pickle to struct errors
            self._corrupt(exc)

    def documents(self) -> list[ArticleInfo]:
        """Every indexed article (no text), by title; byte-identical articles are listed
        once, under the first path, with the others in :attr:`ArticleInfo.copies`."""
        with self._lock:
            self._fresh_searcher()  # a commit since (any process's) clears the cached list
            listed = self._listing()["documents"]
        return list(listed)

    def _listing(self) -> dict[str, Any]:
        """The article list, each article's copies and the library-wide decisions
        (:mod:`index.evidence`), from one read of the stored articles per index state."""
        self._fresh_searcher()  # forgets what it knew if the index changed
        if "documents" not in self._cache:
            stored: list[tuple[ArticleInfo, str]] = []

            def each() -> Iterator[dict[str, Any]]:  # one article's fields at a time
                for f in self._stored():
                    stored.append((_info(f), f.get(S.SHA256) or ""))
                    yield f

            # after a commit only the articles that changed are parsed again
            decisions = self._decision_cache.decisions(each())
            self._cache.setdefault("decisions", decisions)
            by_content: dict[str, list[ArticleInfo]] = defaultdict(list)
            infos: list[ArticleInfo] = []
            copies: dict[str, tuple[str, ...]] = {}
            for info, digest in stored:
                if digest:
                    by_content[digest].append(info)
                else:
                    infos.append(info)
            for group in by_content.values():
                group.sort(key=lambda i: i.path)
                for info in group:
                    copies[info.key] = tuple(o.path for o in group if o is not info)
                first = group[0]
                infos.append(dataclasses.replace(first, copies=copies[first.key]))
            infos.sort(key=lambda i: (i.title.casefold(), i.path))
            self._cache["documents"] = infos
            self._cache["copies"] = copies
        return self._cache

    def article(self, key: str) -> Article:
        """The stored article; :class:`KeyError` if the key is not in the index."""
        with self._lock:
            fields = self._stored_fields(key)
        if fields is None:
            raise KeyError(key)
        text = fields[S.TEXT]
        with self._lock:
            curation = self._curation()
            listing = self._listing()
            copies, decisions = listing["copies"].get(key, ()), listing["decisions"]
        raw = Analysis.from_dict(analysis_dict(fields))
        shown = evidence.apply(raw, decisions)
        return Article(
            dataclasses.replace(_info(fields), copies=copies),
            text,
            tuple(Block(k, a, b, lv) for k, a, b, lv in fields.get(S.BLOCKS) or ()),
            curation.apply(shown, text, key, unshown(raw, shown)).analysis,
        )

    def _stored_fields(self, key: str) -> dict[str, Any] | None:
        searcher = self._fresh_searcher()
        if searcher is None:
            return None
        try:
            fields = searcher.document(**{S.KEY: key})
        except Exception as exc:  # Whoosh raises anything from pickle to struct errors
            self._corrupt(exc)
        return dict(fields) if fields else None

    def key_for_path(self, path: Path | str) -> str | None:
        key = paths.document_key(path)
        with self._lock:
            searcher = self._fresh_searcher()
            if searcher is None:
                return None
            return key if searcher.document_number(**{S.KEY: key}) is not None else None

    # ------------------------------------------------------------------ search

    def search(
        self, query: str, limit: int = 20, *, should_stop: Callable[[], bool] | None = None
    ) -> SearchResult:
        """Ranked hits with snippets and hit offsets. Raises :class:`QueryError` if the
        query is malformed or too costly, :class:`SearchCancelled` when ``should_stop``
        (asked now and then) says a newer search replaced this one, and
        :class:`LibraryCorrupt` only on evidence that the index is damaged. ``speaker:``
        and ``quote:`` terms are answered by :mod:`index.library.said`."""
        rest, said = said_terms(_bounded(query))
        if said is not None:
            return self._search_said(query, rest, said, limit)
        with self._lock:
            searcher = self._fresh_searcher()
            if searcher is None:
                parse_query(query)  # a malformed query is still said to be one
                if self.problem:  # never "no articles match" from a missing or damaged index
                    raise LibraryCorrupt(
                        f"The library cannot be searched: {self.problem}; "
                        "updating the library rebuilds it from the sources.")
                return SearchResult(query, (), 0, None)
            try:
                # Phrases come from the word pairs, which an article has once analysed;
                # while some are not, from the text's positions (slower, same matches).
                return run_search(searcher, self._curated_query(query), limit,
                                  vocabulary=self._vocabulary, should_stop=should_stop,
                                  shown=query, pairs=not self._waiting(searcher))
            except (QueryError, SearchCancelled):
                raise
            except Exception as exc:  # query_failures let through only damage
                self._corrupt(exc)
        raise AssertionError("unreachable")  # pragma: no cover

    def _said(self, said: SaidTerms) -> dict[str, list[Span]]:
        """The statements matching ``said``, as spans per article key (reading order)."""
        def speaker_name(term: str) -> str | None:
            entity = self.find_entity(term, EntityKind.PERSON)
            return entity.name if entity else None

        with self._lock:
            statements = self._aggregates()["statements"]
            found = said_matching(statements, said, speaker_name)
        groups: dict[str, list[Span]] = {}
        for ls in found:
            groups.setdefault(ls.key, []).append((ls.statement.start, ls.statement.end))
        return groups

    def _search_said(self, query: str, rest: str, said: SaidTerms, limit: int) -> SearchResult:
        rest_text = self._curated_query(rest) if rest.strip() else ""
        if rest_text:
            parse_query(rest_text)  # a malformed rest is said to be so before anything runs
        groups = self._said(said)
        with self._lock:
            searcher = self._fresh_searcher()
            if searcher is None or not groups:
                return SearchResult(query, (), 0, None)
            try:
                return search_statements(searcher, query, rest_text, groups, limit)
            except QueryError:
                raise
            except Exception as exc:  # query_failures let through only damage
                self._corrupt(exc)
        raise AssertionError("unreachable")  # pragma: no cover

    def hits_in(self, key: str, query: str) -> tuple[Span, ...]:
        """Where ``query`` matches in the article ``key``, for the reader to mark."""
        rest, said = said_terms(_bounded(query))
        spans: list[Span] = []
        if said is not None:
            spans = self._said(said).get(key, [])
            if not rest.strip():
                return tuple(spans)
            query = rest
        with self._lock:
            searcher = self._fresh_searcher()
            fields = self._stored_fields(key)
            if searcher is None or fields is None:
                return ()
            try:
                found = search_hits_in(searcher.reader(), self._curated_query(query), fields)
            except QueryError:
                raise
            except Exception as exc:  # query_failures let through only damage
                self._corrupt(exc)
        return tuple(sorted(set(spans) | set(found)))

    def _curated_query(self, query: str) -> str:
        """``person:``/``place:`` terms that name a corrected entry (renamed, merged, moved)
        rewritten to the names the index holds."""
        with self._lock:
            if not self._curation():
                return query
            forms = self._aggregates()["forms"]
        rewritten = rewrite_entity_terms(query, forms)
        return rewritten if len(rewritten) <= MAX_QUERY_CHARS else query

    def _vocabulary(self) -> list[str]:
        if "words" not in self._cache:
            from index.library.storage import WORDS_FILE

            gen = self._storage.generation_dir(self._current)
            try:
                text = (gen / WORDS_FILE).read_text("utf-8") if gen else ""
            except OSError:
                text = ""
            self._cache["words"] = text.split()
        words: list[str] = self._cache["words"]
        return words

    # ------------------------------------------------------------------ library-wide

    def _curation(self) -> Curation:
        """The reader's corrections, reloaded when another instance or process changed
        them (a ``stat`` of the database and its log)."""
        token = self._curation_store.token()
        if self._cache.get("curation_token") != token:
            for name in ("curation", "entities", "statements", "entity_index"):
                self._cache.pop(name, None)
            self._cache["curation"] = self._curation_store.curation()
            self._cache["curation_token"] = token
        curation: Curation = self._cache["curation"]
        return curation

    def _aggregates(self) -> dict[str, Any]:
        self._fresh_searcher()  # forgets what it knew if the index changed
        curation = self._curation()
        if "entities" not in self._cache:
            # The decisions of the article list (kept up to date cheaply), so that the
            # stored articles are read one at a time.
            decisions = self._listing()["decisions"]
            self._cache.update(aggregate(self._stored(), curation, decisions))
        return self._cache

    def entities(self, kind: EntityKind | str, *, hidden: bool = False) -> list[LibraryEntity]:
        """Every person (``kind="person"``) or place (``"place"``) — or organisation, as
        the reader corrected them — in the library, with the articles naming them; those
        in most articles first. ``hidden``: the entries the reader hid, instead."""
        try:
            wanted = EntityKind(kind)
        except ValueError:
            raise ValueError(
                f"kind must be 'person', 'place' or 'organisation', not {kind!r}"
            ) from None
        with self._lock:
            table = self._aggregates()["hidden" if hidden else "entities"]
            return list(table[wanted])

    def statements(self, speaker: str | None = None) -> list[LibraryStatement]:
        """Every statement in the library, or those of one speaker (case-insensitive, any
        of the speaker's names)."""
        with self._lock:
            found = list(self._aggregates()["statements"])
            if speaker is None:
                return found
            entity = self.find_entity(speaker, EntityKind.PERSON)
            forms = {self._curation().resolve(speaker).casefold()} if entity is None else {
                f.casefold() for f in (entity.name, *entity.aliases)}
        return [s for s in found if (s.statement.speaker or "").casefold() in forms]

    def find_entity(self, name: str, kind: EntityKind | str | None = None) -> LibraryEntity | None:
        """The entry that goes by ``name`` (its name or any alias, case-insensitive), the
        one in most articles where several do; hidden ones last."""
        wanted = " ".join(name.split()).casefold()
        with self._lock:
            agg = self._aggregates()
            for table in ("entities", "hidden"):
                for k, entries in agg[table].items():
                    if kind is not None and k != EntityKind(kind):
                        continue
                    for e in entries:
                        if wanted in {f.casefold() for f in (e.name, *e.aliases)}:
                            return e
        return None

    def entity_page(self, name: str, kind: EntityKind | str | None = None) -> EntityPage:
        """What the library knows about the entry going by ``name`` (any alias);
        :class:`KeyError` if none does."""
        entity = self.find_entity(name, kind)
        if entity is None:
            raise KeyError(name)
        with self._lock:
            return entity_page(entity, self._aggregates())

    # ------------------------------------------------------------------ corrections

    def correct(self, op: str, subject: str, value: str = "") -> Correction:
        """Stores a correction (see :mod:`index.curation`); it applies from the next read."""
        return self._curation_store.add(op, subject, value)

    def corrections(self) -> list[Correction]:
        return self._curation_store.list()

    def unused_corrections(self) -> list[Correction]:
        """Corrections whose subject is not in the library any more (kept, not dropped)."""
        with self._lock:
            names = self._aggregates()["names"]
            return self._curation().unused(names)

    def undo_correction(self, id: int) -> Correction:
        return self._curation_store.remove(id)

    def redo_correction(self, correction: Correction) -> Correction:
        return self._curation_store.restore(correction)


def _bounded(query: str) -> str:
    """``query``, if it is not longer than a query may be (:class:`QueryError`)."""
    if len(query) > MAX_QUERY_CHARS:
        check_query(query)  # says so, in the words the other limits use
    return query


def _info(fields: dict[str, Any]) -> ArticleInfo:
    return ArticleInfo(
        key=fields[S.KEY],
        path=fields[S.PATH],
        title=fields.get(S.TITLE) or "",
        dateline=fields.get(S.DATELINE),
        source=fields.get(S.SOURCE) or "",
        size=int(fields.get(S.SIZE) or 0),
        mtime=float(fields.get(S.MTIME) or 0.0),
        analysed=fields.get(S.ANALYSED, S.YES) != S.NO,
    )
