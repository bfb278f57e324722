"""The :class:`Library`: what the window and the command line call.

A thin facade over three parts: :mod:`index.library.sources` (the user's folders and
files, and the problems of the last update), :mod:`index.library.storage` (the index on
disk: generations, ``CURRENT``, manifest, writer lock) and :mod:`index.library.update`
(one update run). The reading side — articles, search, library-wide people, places and
statements — is here.

Several ``Library`` instances (threads, processes) may read one data directory; each sees
another's committed update at its next call (:meth:`Library.state_token` tells a client
cheaply that one landed). The index is a cache: it can always be rebuilt from the sources.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from whoosh.collectors import TopCollector
from whoosh.query import Term

from index import paths
from index.library import schema as S
from index.library.search import (
    Highlighter,
    fast_phrases,
    make_snippet,
    parse_query,
    suggest,
)
from index.library.sources import SourceList
from index.library.storage import Storage, describe
from index.library.update import Analyser, Update, UpdateContext, analysis_dict, prioritise
from index.model import (
    Analysis,
    Article,
    ArticleInfo,
    Block,
    EntityKind,
    LibraryCorrupt,
    LibraryEntity,
    LibraryError,
    LibraryStatement,
    Problem,
    Progress,
    QueryError,
    SearchHit,
    SearchResult,
    Span,
    UpdateReport,
)

#: From this many articles to analyse, spaCy runs in two processes (when ``processes`` is
#: None): below it the fork and model copy cost more than they save.
PARALLEL_FROM = 200


class Library:
    """A library of articles and its index; see the module docstring.

    ``with_seeds`` puts the bundled seed articles in the library or leaves them out; None
    (the default) does as the last update that was told did (an update remembers it).

    ``analyser`` (anything with ``analyse_many(documents)``) replaces the spaCy analyser,
    for tests; ``processes`` is how many processes spaCy uses for a big batch (``None``:
    two on a multi-core machine from :data:`PARALLEL_FROM` articles, else one).
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
        self._lock = threading.RLock()
        self._ix: Any = None
        self._searcher: Any = None
        self._current: str | None = None
        self._cache: dict[str, Any] = {}
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
                    self._searcher = self._searcher.refresh()
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
            stored = [(_info(f), f.get(S.SHA256) or "") for f in self._stored()]
        by_content: dict[str, list[ArticleInfo]] = defaultdict(list)
        infos: list[ArticleInfo] = []
        for info, digest in stored:
            if digest:
                by_content[digest].append(info)
            else:
                infos.append(info)
        for group in by_content.values():
            group.sort(key=lambda i: i.path)
            first, *others = group
            infos.append(
                dataclasses.replace(first, copies=tuple(o.path for o in others))
                if others else first
            )
        return sorted(infos, key=lambda i: (i.title.casefold(), i.path))

    def article(self, key: str) -> Article:
        """The stored article; :class:`KeyError` if the key is not in the index."""
        with self._lock:
            fields = self._stored_fields(key)
        if fields is None:
            raise KeyError(key)
        return Article(
            _info(fields),
            fields[S.TEXT],
            tuple(Block(k, a, b, lv) for k, a, b, lv in fields.get(S.BLOCKS) or ()),
            Analysis.from_dict(analysis_dict(fields)),
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

    def search(self, query: str, limit: int = 20) -> SearchResult:
        """Ranked hits with snippets and hit offsets; :class:`QueryError` if malformed."""
        q = parse_query(query)
        with self._lock:
            searcher = self._fresh_searcher()
            if searcher is None:
                if self.problem:  # never "no articles match" from a missing or damaged index
                    raise LibraryCorrupt(
                        f"The library cannot be searched: {self.problem}; "
                        "updating the library rebuilds it from the sources.")
                return SearchResult(query, (), 0, None)
            try:
                # No block-quality skipping and no matcher replacement: the collector then
                # counts every match as it goes, where Whoosh's default would run the query
                # a second time for the total (twice the cost of a phrase query).
                collector = TopCollector(limit=max(1, limit), usequality=False, replace=0)
                # Phrases come from the word pairs, which an article has once analysed;
                # while some are not, from the text's positions (slower, same matches).
                runnable = fast_phrases(q) if not self._waiting(searcher) else q
                searcher.search_with_collector(runnable, collector)
                results = collector.results()
                highlighter = Highlighter(q, searcher.reader())
                hits = []
                for hit in results:
                    fields = hit.fields()
                    text = fields.get(S.TEXT) or ""
                    analysis = analysis_dict(fields) if highlighter.needs_analysis else None
                    spans = highlighter.spans(text, analysis)
                    hits.append(
                        SearchHit(
                            key=fields[S.KEY],
                            path=fields[S.PATH],
                            title=fields.get(S.TITLE) or "",
                            score=float(hit.score or 0.0),
                            snippet=make_snippet(text, spans),
                            hits=tuple(spans),
                        )
                    )
                total = len(results)
                suggestion = None
                if not total:
                    suggestion = suggest(q, query, searcher.reader(), self._vocabulary())
            except QueryError:
                raise
            except Exception as exc:  # Whoosh raises anything from pickle to struct errors
                self._corrupt(exc)
        return SearchResult(query, tuple(hits), total, suggestion)

    def hits_in(self, key: str, query: str) -> tuple[Span, ...]:
        """Where ``query`` matches in the article ``key``, for the reader to mark."""
        q = parse_query(query)
        with self._lock:
            searcher = self._fresh_searcher()
            fields = self._stored_fields(key)
            if searcher is None or fields is None:
                return ()
            highlighter = Highlighter(q, searcher.reader())
        return tuple(highlighter.spans(fields.get(S.TEXT) or "", analysis_dict(fields)))

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

    def _aggregates(self) -> dict[str, Any]:
        if "entities" not in self._cache:
            people: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
            places: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
            statements: list[LibraryStatement] = []
            for f in self._stored():
                key, title = f[S.KEY], f.get(S.TITLE) or ""
                analysis = Analysis.from_dict(analysis_dict(f))
                for p in analysis.people:
                    people[p.name].append((key, title, len(p.mentions)))
                for pl in analysis.places:
                    places[pl.name].append((key, title, len(pl.mentions)))
                statements.extend(LibraryStatement(key, title, s) for s in analysis.statements)

            def entities(
                kind: EntityKind, d: dict[str, list[tuple[str, str, int]]]
            ) -> list[LibraryEntity]:
                out = [
                    LibraryEntity(
                        name, kind, tuple(sorted(arts, key=lambda a: (-a[2], a[1].casefold())))
                    )
                    for name, arts in d.items()
                ]
                out.sort(key=lambda e: (-len(e.articles), e.name.casefold()))
                return out

            statements.sort(key=lambda s: (s.title.casefold(), s.key, s.statement.start))
            self._cache["entities"] = {
                EntityKind.PERSON: entities(EntityKind.PERSON, people),
                EntityKind.PLACE: entities(EntityKind.PLACE, places),
            }
            self._cache["statements"] = statements
        return self._cache

    def entities(self, kind: EntityKind | str) -> list[LibraryEntity]:
        """Every person (``kind="person"``) or place (``"place"``) in the library, with the
        articles naming them; those in most articles first."""
        try:
            wanted = EntityKind(kind)
        except ValueError:
            raise ValueError(f"kind must be 'person' or 'place', not {kind!r}") from None
        with self._lock:
            return list(self._aggregates()["entities"][wanted])

    def statements(self, speaker: str | None = None) -> list[LibraryStatement]:
        """Every statement in the library, or those of one speaker (case-insensitive)."""
        with self._lock:
            found = list(self._aggregates()["statements"])
        if speaker is not None:
            wanted = speaker.casefold()
            found = [s for s in found if (s.statement.speaker or "").casefold() == wanted]
        return found

    # ------------------------------------------------------------------ updating

    def update(
        self,
        progress: Callable[[Progress], None] | None = None,
        cancel: Callable[[], bool] | None = None,
        *,
        rebuild: bool = False,
        analyse: bool = True,
    ) -> UpdateReport:
        """Brings the index in line with the sources (see :mod:`index.library.update`): the
        text of new and changed articles first (every article searchable at its commit),
        then the analysis of every article not analysed yet (``analyse=False`` leaves it
        to the next update). A cancel leaves every article indexed so far searchable.

        Raises :class:`~index.model.LibraryLocked` when another process is updating the
        library, :class:`~index.model.LibraryError` when the list of sources is damaged.
        ``failed`` in the report holds the problems that are new in this update; all of
        them are :meth:`problems`. ``extra`` holds ``analysed`` (articles analysed by this
        update), ``waiting`` (articles left to analyse), ``searchable`` and
        ``searchable_seconds`` (when the text phase committed), ``words`` and ``rebuilt``
        (why the index was rebuilt, or None).
        """
        started = time.monotonic()
        notify = progress or (lambda p: None)
        stop = cancel or (lambda: False)
        # The file lock keeps other writers out for the whole update; the instance's own
        # lock is taken only around its searcher, so searches go on while articles are
        # analysed.
        with self._storage.lock(self.lock_timeout):
            self._sources.all()  # a damaged list of sources stops here, before any change
            with contextlib.suppress(OSError, LibraryError):  # remembered for `search`
                self._sources.remember_seeds()
            with self._lock:
                self._open()  # another process may have changed it since we opened it
            self._storage.remove_strays()  # what a killed rebuild left
            reason: str | None = None
            if rebuild:
                reason = "a rebuild was asked for"
            elif self.problem:
                reason = self.problem
            elif self._ix is None:
                reason = "there was no index yet"
            elif (gen := self._storage.generation_dir(self._current)) is not None:
                reason = self._storage.verify(gen, full=True)
            state: dict[str, dict[str, Any]] = {}
            if reason is None:
                try:
                    with self._lock:
                        state = self._manifest()
                except Exception as exc:  # Whoosh raises anything from pickle to struct errors
                    reason = f"the index is unreadable ({describe(exc)})"
            ctx = UpdateContext(
                storage=self._storage,
                sources=self._sources,
                ix=None if reason else self._ix,
                generation=self._current,
                stored_fields=self._locked_stored_fields,
                analyser_for=self._analyser_for,
                lock_timeout=self.lock_timeout,
            )
            run = Update(ctx, notify, stop, state, full=reason is not None, analyse=analyse,
                         started=started)
            try:
                report = run.run()
            finally:
                with self._lock:
                    self._open()
            before = self._sources.problems()
            known = {(p.path, p.reason) for p in before}
            new = tuple(p for p in report.failed if (p.path, p.reason) not in known)
            current = list(report.failed)
            if report.cancelled:  # files not reached keep their problem
                reached = {p.path for p in current}
                current += [p for p in before if p.path not in reached]
            with contextlib.suppress(OSError):  # a read-only data directory
                self._sources.save_problems(current)
        report = dataclasses.replace(report, failed=new)
        report.extra["rebuilt"] = reason
        return dataclasses.replace(report, seconds=time.monotonic() - started)

    def prioritise(self, key: str) -> None:
        """Asks for article ``key`` to be analysed next: the running update (in this process
        or another) takes it before the others it has not started, and commits it at once;
        without one, the next update does. For a window opening an article that is not
        analysed yet (:attr:`Article.analysed`); a no-op in a read-only data directory."""
        with contextlib.suppress(OSError):
            prioritise(self.data_dir, key)

    def analysis_state(self) -> tuple[int, int]:
        """``(analysed, searchable)``: how many of the articles in the index are analysed,
        for a client that did not start the update ("812 of 2,225 analysed")."""
        with self._lock:
            searcher = self._fresh_searcher()
            if searcher is None:
                return 0, 0
            try:
                total = searcher.doc_count()
                waiting = self._waiting(searcher)
            except Exception as exc:  # Whoosh raises anything from pickle to struct errors
                self._corrupt(exc)
        return total - waiting, total

    def _waiting(self, searcher: Any) -> int:
        """How many articles wait for their analysis (cached per searcher)."""
        cached = self._cache.get("waiting")
        if cached is None or cached[0] is not searcher:
            found = searcher.docs_for_query(Term(S.ANALYSED, S.NO))
            cached = (searcher, sum(1 for _ in found))
            self._cache["waiting"] = cached
        return int(cached[1])

    def _locked_stored_fields(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            return self._stored_fields(key)

    def _manifest(self) -> dict[str, dict[str, Any]]:
        """What the index holds, per key: path, size, mtime and hash. Read from the
        manifest written after the last commit when it is of the same Whoosh generation,
        else (a crash between the two) from the stored fields, which is slower."""
        from index.library.update import manifest_entry

        found = self._storage.read_manifest(self._ix)
        if found is not None:
            return found
        return {f[S.KEY]: manifest_entry(f) for f in self._searcher.reader().all_stored_fields()}

    def _analyser_for(self, count: int) -> Analyser:
        if self._analyser is not None:
            return self._analyser
        from index.analysis import Analyser as SpacyAnalyser

        processes = self.processes
        if processes is None:
            processes = 2 if count >= PARALLEL_FROM and (os.cpu_count() or 1) >= 2 else 1
        return SpacyAnalyser(n_process=max(1, processes))


def _info(fields: dict[str, Any]) -> ArticleInfo:
    return ArticleInfo(
        key=fields[S.KEY],
        path=fields[S.PATH],
        title=fields.get(S.TITLE) or "",
        dateline=fields.get(S.DATELINE),
        source=fields.get(S.SOURCE) or "",
        size=int(fields.get(S.SIZE) or 0),
        mtime=float(fields.get(S.MTIME) or 0.0),
        analysed=fields.get(S.ANALYSED, S.YES) == S.YES,
    )
