"""The library: source folders and files, their Whoosh index, search and library-wide views.

Layout of the data directory (``index.paths.data_dir()``)::

    sources.json          the folders and files the user added (the seeds are implicit)
    library.lock          held by the one process updating the index
    index/CURRENT         the name of the live index generation, replaced atomically
    index/gen-000007/     a Whoosh index and broadsheet.json (its schema version)

The index is a cache. An incremental :meth:`Library.update` rewrites only the articles whose
content changed (size+mtime first, then SHA-256) and deletes those whose files went, entities
and statements with them (they are stored in the article's document). A full rebuild — asked
for, or because the schema version differs, or the index is unreadable — is written into a
fresh generation directory and swapped in by replacing ``CURRENT``: a crash part-way leaves
the old index in use.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import hashlib
import json
import os
import shutil
import sys
import threading
import time
import warnings
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import whoosh.index
from whoosh.collectors import TopCollector
from whoosh.writing import LockError

from index import paths
from index import schema as S
from index.model import (
    Analysis,
    Block,
    Document,
    Problem,
    Progress,
    SearchHit,
    Span,
    Statement,
    UpdateReport,
)
from index.search import (
    Highlighter,
    QueryError,
    SearchResult,
    fast_phrases,
    make_snippet,
    parse_query,
    suggest,
    vocabulary_of,
)

__all__ = [
    "Article",
    "ArticleInfo",
    "Library",
    "LibraryEntity",
    "LibraryError",
    "LibraryLocked",
    "LibraryStatement",
    "QueryError",
    "SearchResult",
]

INDEX_DIR = "index"
CURRENT = "CURRENT"
VERSION_FILE = "broadsheet.json"
SOURCES_FILE = "sources.json"
LOCK_FILE = "library.lock"
#: The library's words (unstemmed, one a line) for "did you mean", in the generation dir.
WORDS_FILE = "words.txt"
#: Path, size, mtime and hash of every indexed file, for a fast incremental update.
MANIFEST_FILE = "manifest.json"

#: From this many articles to analyse, spaCy runs in two processes (when ``processes`` is
#: None): below it the fork and model copy cost more than they save.
PARALLEL_FROM = 200

#: An update into the live index commits every this many analysed articles, so that a
#: long one shows its articles as it goes (a rebuild is swapped in whole at the end).
COMMIT_EVERY = 100


def _patch_whoosh_length_lookup() -> None:
    """Whoosh 2.7.5 looks for a field's length column on disk (a ``stat``) for every
    posting of a field that has none, when writing a segment; remembering the answer makes
    committing the BBC corpus about twice as fast. Does nothing if Whoosh changed."""
    from whoosh.codec import whoosh3

    reader_class = getattr(whoosh3, "W3PerDocReader", None)
    original = getattr(reader_class, "_cached_reader", None)
    if original is None or getattr(original, "_broadsheet", False):
        return

    def _cached_reader(self: Any, fieldname: str, column: Any) -> Any:
        readers = self._readers
        if fieldname not in readers:
            readers[fieldname] = original(self, fieldname, column)
        return readers[fieldname]

    _cached_reader._broadsheet = True  # type: ignore[attr-defined]
    reader_class._cached_reader = _cached_reader  # type: ignore[union-attr]


_patch_whoosh_length_lookup()


class LibraryError(Exception):
    """Something about the library a user must know; ``message`` says what."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class LibraryLocked(LibraryError):
    """Another process holds the library's writer lock."""


class LibraryCorrupt(LibraryError):
    """The index cannot be read; the next :meth:`Library.update` rebuilds it."""


@dataclass(frozen=True)
class ArticleInfo:
    """An indexed article, without its text."""

    key: str
    path: str
    title: str
    dateline: str | None
    source: str
    size: int
    mtime: float


@dataclass(frozen=True)
class Article:
    """An indexed article with everything the reader shows; opening it needs no NLP."""

    info: ArticleInfo
    text: str
    blocks: tuple[Block, ...]
    analysis: Analysis


@dataclass(frozen=True)
class LibraryEntity:
    """A person or place across the library: ``articles`` holds ``(key, title,
    mention_count)`` for each article naming it, most mentions first."""

    name: str
    kind: str
    articles: tuple[tuple[str, str, int], ...]


@dataclass(frozen=True)
class LibraryStatement:
    """A statement and the article it is in."""

    key: str
    title: str
    statement: Statement


@dataclass
class _Found:
    key: str
    path: str  # resolved
    source: Path
    size: int
    mtime: float


class Library:
    """A library of articles and its index; see the module docstring.

    ``analyser`` (anything with ``analyse_many(documents)``) replaces the spaCy analyser,
    for tests; ``processes`` is how many processes spaCy uses for a big batch (``None``:
    two on a multi-core machine from :data:`PARALLEL_FROM` articles, else one).
    ``lock_timeout`` is how long :meth:`update` waits for another writer.
    """

    def __init__(
        self,
        data_dir: Path | str | None = None,
        *,
        with_seeds: bool = True,
        analyser: Any = None,
        processes: int | None = 1,
        lock_timeout: float = 10.0,
    ) -> None:
        self.data_dir = paths.data_dir(data_dir)
        self.with_seeds = with_seeds
        self.lock_timeout = lock_timeout
        self.processes = processes
        self._analyser = analyser
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

    def sources(self) -> list[Path]:
        """Every source, the bundled seeds first."""
        found = [paths.seeds_dir()] if self.with_seeds else []
        for p in self._read_sources():
            if p not in found:
                found.append(p)
        return found

    def add_sources(self, sources: Iterable[Path | str]) -> None:
        """Remembers folders or files (resolved); :class:`FileNotFoundError` if one is missing."""
        current = self._read_sources()
        for source in sources:
            path = Path(source).expanduser().resolve()
            if not path.exists():
                raise FileNotFoundError(f"No such file or folder: {source}")
            if path not in current:
                current.append(path)
        self._write_sources(current)

    def remove_source(self, path: Path | str) -> None:
        """Forgets a source; the next :meth:`update` removes its articles."""
        resolved = Path(path).expanduser().resolve()
        self._write_sources([p for p in self._read_sources() if p != resolved])

    def _read_sources(self) -> list[Path]:
        try:
            data = json.loads((self.data_dir / SOURCES_FILE).read_text("utf-8"))
        except (OSError, ValueError):
            return []
        return [Path(p) for p in data.get("sources", []) if isinstance(p, str)]

    def _write_sources(self, sources: list[Path]) -> None:
        _atomic_write(
            self.data_dir / SOURCES_FILE,
            json.dumps({"sources": [str(p) for p in sources]}, indent=2) + "\n",
        )

    # ------------------------------------------------------------------ opening

    @property
    def _index_root(self) -> Path:
        return self.data_dir / INDEX_DIR

    def _read_current(self) -> str | None:
        try:
            name = (self._index_root / CURRENT).read_text("utf-8").strip()
        except OSError:
            return None
        return name or None

    def _open(self) -> None:
        """(Re)opens the generation named in CURRENT, recording a problem if it is bad."""
        self._close_index()
        self.problem = None
        name = self._read_current()
        self._current = name
        if name is None:
            return
        gen = self._index_root / name
        try:
            meta = json.loads((gen / VERSION_FILE).read_text("utf-8"))
            version = meta.get("schema_version")
        except (OSError, ValueError) as exc:
            self.problem = f"the index is unreadable ({_describe(exc)})"
            return
        if version != S.SCHEMA_VERSION:
            self.problem = (
                f"the index was written with schema version {version}, "
                f"this version of Broadsheet uses {S.SCHEMA_VERSION}"
            )
            return
        # Whoosh leaves open the file it failed to read: close such files here, quietly,
        # rather than have the garbage collector warn about them at some later moment.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            try:
                ix = whoosh.index.open_dir(str(gen))
                searcher = ix.searcher()
                reader = searcher.reader()
                if reader.doc_count():
                    next(iter(reader.all_stored_fields()), None)
            except Exception as exc:  # Whoosh raises anything from pickle to struct errors
                self.problem = f"the index is unreadable ({_describe(exc)})"
            if self.problem:
                gc.collect()
                return
        self._ix, self._searcher = ix, searcher
        self._cache.clear()

    def _close_index(self) -> None:
        if self._searcher is not None:
            with contextlib.suppress(Exception):
                self._searcher.close()
        self._ix = self._searcher = None
        self._cache.clear()

    def _fresh_searcher(self) -> Any:
        """The searcher, reopened if another process (or an update) changed the index."""
        if self._read_current() != self._current:
            self._open()
        elif self._searcher is not None:
            try:
                if not self._searcher.up_to_date():
                    self._searcher = self._searcher.refresh()
                    self._cache.clear()
            except Exception as exc:
                self._corrupt(exc)
        return self._searcher

    def _corrupt(self, exc: BaseException) -> None:
        self._close_index()
        self.problem = f"the index is unreadable ({_describe(exc)})"
        raise LibraryCorrupt(
            f"The library index is unreadable ({_describe(exc)}); "
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
        except Exception as exc:
            self._corrupt(exc)

    def documents(self) -> list[ArticleInfo]:
        """Every indexed article (no text), by title."""
        with self._lock:
            infos = [_info(f) for f in self._stored()]
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
            Analysis.from_dict(_analysis_dict(fields)),
        )

    def _stored_fields(self, key: str) -> dict[str, Any] | None:
        searcher = self._fresh_searcher()
        if searcher is None:
            return None
        try:
            fields = searcher.document(**{S.KEY: key})
        except Exception as exc:
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
                return SearchResult(query, (), 0, None)
            try:
                # No block-quality skipping and no matcher replacement: the collector then
                # counts every match as it goes, where Whoosh's default would run the query
                # a second time for the total (twice the cost of a phrase query).
                collector = TopCollector(limit=max(1, limit), usequality=False, replace=0)
                searcher.search_with_collector(fast_phrases(q), collector)
                results = collector.results()
                highlighter = Highlighter(q, searcher.reader())
                hits = []
                for hit in results:
                    fields = hit.fields()
                    text = fields.get(S.TEXT) or ""
                    analysis = _analysis_dict(fields) if highlighter.needs_analysis else None
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
            except Exception as exc:
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
        return tuple(highlighter.spans(fields.get(S.TEXT) or "", _analysis_dict(fields)))

    def _vocabulary(self) -> list[str]:
        if "words" not in self._cache:
            try:
                text = (self._index_root / str(self._current) / WORDS_FILE).read_text("utf-8")
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
                analysis = Analysis.from_dict(_analysis_dict(f))
                for p in analysis.people:
                    people[p.name].append((key, title, len(p.mentions)))
                for pl in analysis.places:
                    places[pl.name].append((key, title, len(pl.mentions)))
                statements.extend(LibraryStatement(key, title, s) for s in analysis.statements)

            def entities(kind: str, d: dict[str, list[tuple[str, str, int]]]) -> list[Any]:
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
                "person": entities("person", people),
                "place": entities("place", places),
            }
            self._cache["statements"] = statements
        return self._cache

    def entities(self, kind: str) -> list[LibraryEntity]:
        """Every person (``kind="person"``) or place (``"place"``) in the library, with the
        articles naming them; those in most articles first."""
        if kind not in ("person", "place"):
            raise ValueError(f"kind must be 'person' or 'place', not {kind!r}")
        with self._lock:
            return list(self._aggregates()["entities"][kind])

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
    ) -> UpdateReport:
        """Brings the index in line with the sources; see the module docstring.

        Raises :class:`LibraryLocked` when another process is updating the library.
        """
        started = time.monotonic()
        notify = progress or (lambda p: None)
        stop = cancel or (lambda: False)
        # The file lock keeps other writers out for the whole update; the instance's own
        # lock is taken only around its searcher, so searches go on while articles are
        # analysed.
        with _FileLock(self.data_dir / LOCK_FILE, self.lock_timeout):
            with self._lock:
                self._open()  # another process may have changed it since we opened it
            reason: str | None = None
            if rebuild:
                reason = "a rebuild was asked for"
            elif self.problem:
                reason = self.problem
            elif self._ix is None:
                reason = "there was no index yet"
            state: dict[str, dict[str, Any]] = {}
            if reason is None:
                try:
                    with self._lock:
                        state = self._manifest()
                except Exception as exc:
                    reason = f"the index is unreadable ({_describe(exc)})"
            report = _Run(self, notify, stop, state, full=reason is not None).run()
            with self._lock:
                self._open()
        report.extra["rebuilt"] = reason
        return dataclasses.replace(report, seconds=time.monotonic() - started)

    def _manifest(self) -> dict[str, dict[str, Any]]:
        """What the index holds, per key: path, size, mtime and hash. Read from the
        manifest written after the last commit when it is of the same Whoosh generation,
        else (a crash between the two) from the stored fields, which is slower."""
        ix = self._ix
        try:
            data = json.loads((Path(ix.storage.folder) / MANIFEST_FILE).read_text("utf-8"))
            if data.get("generation") == ix.latest_generation():
                return dict(data["files"])
        except (OSError, ValueError, KeyError, AttributeError):
            pass
        return {f[S.KEY]: _manifest_entry(f) for f in self._searcher.reader().all_stored_fields()}

    def _analyser_for(self, count: int) -> Any:
        if self._analyser is not None:
            return self._analyser
        from index.analysis import Analyser

        processes = self.processes
        if processes is None:
            processes = 2 if count >= PARALLEL_FROM and (os.cpu_count() or 1) >= 2 else 1
        return Analyser(n_process=max(1, processes))

    def _new_generation(self) -> Path:
        root = self._index_root
        root.mkdir(parents=True, exist_ok=True)
        numbers = [
            int(p.name.split("-")[1])
            for p in root.glob("gen-*")
            if p.name.split("-")[1].isdigit()
        ]
        gen = root / f"gen-{max(numbers, default=0) + 1:06d}"
        gen.mkdir()
        return gen

    def _swap_in(self, gen: Path) -> None:
        """Makes ``gen`` the live index (one atomic rename) and removes older ones."""
        _atomic_write(self._index_root / CURRENT, gen.name + "\n")
        self._close_index()
        for old in self._index_root.glob("gen-*"):
            if old != gen:
                shutil.rmtree(old, ignore_errors=True)


def _write_manifest(ix: Any, files: dict[str, dict[str, Any]]) -> None:
    _atomic_write(
        Path(ix.storage.folder) / MANIFEST_FILE,
        json.dumps({"generation": ix.latest_generation(), "files": files}),
    )


class _Run:
    """One update: scan, compare, analyse what changed, write, commit."""

    def __init__(
        self,
        library: Library,
        notify: Callable[[Progress], None],
        stop: Callable[[], bool],
        state: dict[str, dict[str, Any]],
        *,
        full: bool,
    ) -> None:
        self.lib = library
        self.notify = notify
        self.stop = stop
        self.state = state
        self.full = full
        self.failed: list[Problem] = []
        self.words = 0
        self.vocabulary: set[str] = set()

    def scan(self) -> list[_Found]:
        found: dict[str, _Found] = {}
        for source in self.lib.sources():
            source = source.resolve()
            if source.is_file():
                entries: list[tuple[str, bool]] = [(str(source), False)]
            elif source.is_dir():
                entries = _articles_under(source)
            else:
                self.failed.append(Problem(str(source), "The folder or file no longer exists."))
                continue
            for i, (name, is_link) in enumerate(entries):
                self.notify(Progress("scan", i, len(entries), name))
                try:
                    st = os.stat(name)
                except OSError as exc:
                    reason = f"Cannot read the file: {exc.strerror}."
                    self.failed.append(Problem(name, reason))
                    continue
                if is_link:
                    path = str(Path(name).resolve())
                    key = paths.document_key(path)
                else:  # under a resolved folder and not a link: already resolved
                    path = name
                    key = _key_of_resolved(name)
                if key not in found:
                    found[key] = _Found(key, path, source, st.st_size, st.st_mtime)
        return list(found.values())

    def run(self) -> UpdateReport:
        files = self.scan()
        total = len(files)
        seen = {f.key for f in files}
        removed = [k for k in self.state if k not in seen]
        to_analyse: list[_Found] = []
        touched: list[tuple[_Found, str]] = []  # same content, new mtime: restore, no NLP
        unchanged = 0
        for f in files:
            old = self.state.get(f.key)
            if old is None:
                to_analyse.append(f)
            elif old.get(S.SIZE) == f.size and old.get(S.MTIME) == f.mtime:
                unchanged += 1
            else:
                digest = _sha256(f.path)
                if digest is not None and digest == old.get(S.SHA256):
                    touched.append((f, digest))
                else:
                    to_analyse.append(f)

        if not (self.full or removed or touched or to_analyse):
            self.notify(Progress("done", total, total))  # nothing to write
            return UpdateReport(failed=tuple(self.failed), unchanged=unchanged,
                                extra={"words": 0, "analysed": 0})
        if self.full:
            gen = self.lib._new_generation()
            _atomic_write(gen / VERSION_FILE, json.dumps({"schema_version": S.SCHEMA_VERSION}))
            ix = whoosh.index.create_in(str(gen), S.make_schema())
            writer = ix.writer(limitmb=256)
        else:
            gen = None
            ix = self.lib._ix
            try:
                writer = ix.writer(timeout=self.lib.lock_timeout)
            except LockError as exc:
                raise LibraryLocked(_locked_message(self.lib.data_dir)) from exc

        new_state = {} if self.full else dict(self.state)
        added: list[str] = []
        updated: list[str] = []
        changed_texts: dict[str, str] = {}
        bookmarked = _bookmarked_keys(self.lib.data_dir) if self.full else set()
        cancelled = False
        try:
            for key in removed:
                writer.delete_by_term(S.KEY, key)
                new_state.pop(key, None)
            for f, digest in touched:
                with self.lib._lock:
                    stored = self.lib._stored_fields(f.key)
                if stored is None:  # the manifest was wrong: analyse it after all
                    to_analyse.append(f)
                    continue
                stored.update({S.SIZE: f.size, S.MTIME: f.mtime, S.SHA256: digest})
                writer.update_document(**_fields_from_stored(stored))
                new_state[f.key] = _manifest_entry(stored)
            done = 0
            for f, document, analysis in self.analysed(to_analyse):
                if analysis is None or document is None:  # unreadable: it leaves the index
                    if f.key in self.state:
                        writer.delete_by_term(S.KEY, f.key)
                        removed.append(f.key)
                        new_state.pop(f.key, None)
                else:
                    fields = _fields(f, document, analysis)
                    if f.key in self.state:
                        with self.lib._lock:
                            old = self.lib._stored_fields(f.key) or {}
                        if old.get(S.TEXT) != document.text:
                            changed_texts[f.key] = document.text
                    elif f.key in bookmarked:
                        # A rebuild has no old text to compare: let every bookmarked
                        # article's bookmarks find their place (a no-op where it did
                        # not change).
                        changed_texts[f.key] = document.text
                    if self.full:
                        writer.add_document(**fields)
                    else:
                        writer.update_document(**fields)
                    new_state[f.key] = _manifest_entry(fields)
                    if f.key in self.state:
                        updated.append(f.path)
                    else:
                        added.append(f.path)
                done += 1
                self.notify(Progress("analyse", done, len(to_analyse), f.path))
                if done < len(to_analyse) and self.stop():
                    cancelled = True
                    break
                if not self.full and done % COMMIT_EVERY == 0 and done < len(to_analyse):
                    # A long update into a live index shows its articles as it goes: the
                    # readers (the window, a search) see each commit, announced once made.
                    writer.commit()
                    _write_manifest(ix, new_state)
                    self.notify(Progress("commit", done, len(to_analyse), f.path))
                    try:
                        writer = ix.writer(timeout=self.lib.lock_timeout)
                    except LockError as exc:
                        raise LibraryLocked(_locked_message(self.lib.data_dir)) from exc
            if cancelled and self.full:
                writer.cancel()
            else:
                self.notify(Progress("commit", total, total))
                writer.commit()
                _write_manifest(ix, new_state)
        except BaseException:
            with contextlib.suppress(Exception):
                writer.cancel()
            if gen is not None:
                shutil.rmtree(gen, ignore_errors=True)
            raise
        if not (cancelled and self.full):
            self.save_vocabulary(gen)
        if gen is not None:
            if cancelled:
                shutil.rmtree(gen, ignore_errors=True)
            else:
                with self.lib._lock:
                    self.lib._swap_in(gen)
        if changed_texts and not (cancelled and self.full):
            _reanchor(self.lib.data_dir, changed_texts)
        if not (cancelled and self.full):  # 100 % only once the index is committed
            self.notify(Progress("done", total, total))
        removed_paths = tuple(
            str(self.state[k].get(S.PATH, k)) for k in removed if not (cancelled and self.full)
        )
        if cancelled and self.full:
            added, updated = [], []
        return UpdateReport(
            added=tuple(added),
            updated=tuple(updated),
            removed=removed_paths,
            failed=tuple(self.failed),
            unchanged=unchanged + len(touched),
            cancelled=cancelled,
            extra={"words": self.words, "analysed": done},
        )

    def save_vocabulary(self, gen: Path | None) -> None:
        """Adds the new words to the word list (after the commit: a crash before it loses
        only suggestions; words of removed articles are filtered out when suggesting)."""
        words = self.vocabulary
        if gen is None:
            gen = self.lib._index_root / str(self.lib._current)
            if not words:
                return
            with contextlib.suppress(OSError):
                words = words | set((gen / WORDS_FILE).read_text("utf-8").split())
        _atomic_write(gen / WORDS_FILE, "\n".join(sorted(words)) + "\n")

    def analysed(
        self, files: list[_Found]
    ) -> Iterator[tuple[_Found, Document | None, Analysis | None]]:
        """Each file with its document and analysis, or ``None``s when it cannot be read;
        the files are read lazily, as the analyser asks for them."""
        if not files:
            return
        from index.documents import DocumentError, load_document

        queue: deque[tuple[_Found, Document | None]] = deque()

        def documents() -> Iterator[Document]:
            for f in files:
                try:
                    document = load_document(Path(f.path))
                except DocumentError as exc:
                    reason = getattr(exc, "reason", None) or str(exc)
                    self.failed.append(Problem(f.path, reason))
                    queue.append((f, None))
                    continue
                except OSError as exc:
                    self.failed.append(Problem(f.path, f"Cannot read the file: {exc}."))
                    queue.append((f, None))
                    continue
                self.words += len(document.text.split())
                self.vocabulary.update(vocabulary_of(document.text))
                queue.append((f, document))
                yield document

        analyses = self.lib._analyser_for(len(files)).analyse_many(documents())
        try:
            for analysis in analyses:
                # Failures queued before this document come out first, in file order.
                while queue and queue[0][1] is None:
                    yield queue.popleft()[0], None, None
                f, document = queue.popleft()
                yield f, document, analysis
            while queue:
                f, document = queue.popleft()
                yield f, None, None
        finally:
            close = getattr(analyses, "close", None)
            if close is not None:
                close()


def _articles_under(folder: Path) -> list[tuple[str, bool]]:
    """The articles under ``folder`` (sorted, hidden ones left out), each with whether it
    is a symbolic link; links to folders are not followed (no loops)."""
    found: list[tuple[str, bool]] = []
    suffixes = tuple(paths.ARTICLE_FORMATS)

    def walk(directory: str) -> None:
        try:
            with os.scandir(directory) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                walk(entry.path)
            elif entry.name.lower().endswith(suffixes) and entry.is_file():
                found.append((entry.path, entry.is_symlink()))

    walk(str(folder))
    return found


def _key_of_resolved(posix_path: str) -> str:
    # index.paths.document_key without resolving again (2 stat calls per file): the
    # same digest of the same string, checked by tests/index/test_library.py.
    return hashlib.sha1(posix_path.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def _fields(f: _Found, document: Document, analysis: Analysis) -> dict[str, Any]:
    return {
        S.KEY: f.key,
        S.PATH: f.path,
        S.SOURCE: str(f.source),
        S.TITLE: document.title or Path(f.path).stem,
        S.DATELINE: document.dateline,
        S.TEXT: document.text,
        S.PAIRS: document.text,
        S.PERSON: S.person_keywords(analysis.people),
        S.PLACE: S.place_keywords(analysis.places),
        S.SIZE: f.size,
        S.MTIME: f.mtime,
        S.SHA256: document.sha256 or _sha256(f.path) or "",
        S.FORMAT: document.format,
        S.ENCODING: document.encoding,
        S.WARNINGS: list(document.warnings),
        S.BLOCKS: [[b.kind, b.start, b.end, b.level] for b in document.blocks],
        S.ANALYSIS: json.dumps(analysis.to_dict(), ensure_ascii=False),
    }


def _analysis_dict(fields: dict[str, Any]) -> dict[str, Any]:
    raw = fields.get(S.ANALYSIS)
    if isinstance(raw, str):
        loaded: dict[str, Any] = json.loads(raw)
        return loaded
    return raw or {}


def _manifest_entry(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: fields.get(k) for k in (S.PATH, S.SIZE, S.MTIME, S.SHA256)}


def _fields_from_stored(stored: dict[str, Any]) -> dict[str, Any]:
    """The fields to write again for a document rebuilt from what the index stored."""
    analysis = Analysis.from_dict(_analysis_dict(stored))
    fields = {k: v for k, v in stored.items() if k not in (S.PERSON, S.PLACE)}
    fields[S.PERSON] = S.person_keywords(analysis.people)
    fields[S.PLACE] = S.place_keywords(analysis.places)
    fields[S.PAIRS] = stored.get(S.TEXT) or ""
    return fields


def _info(fields: dict[str, Any]) -> ArticleInfo:
    return ArticleInfo(
        key=fields[S.KEY],
        path=fields[S.PATH],
        title=fields.get(S.TITLE) or "",
        dateline=fields.get(S.DATELINE),
        source=fields.get(S.SOURCE) or "",
        size=int(fields.get(S.SIZE) or 0),
        mtime=float(fields.get(S.MTIME) or 0.0),
    )


def _sha256(path: str | Path) -> str | None:
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return None
    return h.hexdigest()


def _bookmarked_keys(data_dir: Path) -> set[str]:
    """The keys of articles with bookmarks (none if there is no bookmark store yet)."""
    if not (data_dir / "bookmarks.sqlite3").exists():
        return set()
    try:
        from index.bookmarks import BookmarkStore

        with BookmarkStore(data_dir) as store:
            return set(store.keys())
    except (ImportError, AttributeError):
        return set()


def _reanchor(data_dir: Path, texts: dict[str, str]) -> None:
    """Lets the bookmarks follow articles whose text changed."""
    try:
        from index.bookmarks import BookmarkStore

        store = BookmarkStore(data_dir)
    except (ImportError, AttributeError):
        return
    try:
        keys = getattr(store, "keys", None)
        marked = keys() if keys is not None else set(texts)
        for key, text in texts.items():
            if key in marked:
                store.reanchor(key, text)
    except AttributeError:  # a BookmarkStore without reanchor yet
        pass
    finally:
        close = getattr(store, "close", None)
        if close is not None:
            close()


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def _locked_message(data_dir: Path) -> str:
    return (
        f"Another Broadsheet process is updating the library in {data_dir}; "
        "try again when it has finished."
    )


class _FileLock:
    """An exclusive lock on a file, held by one process at a time, with a timeout."""

    def __init__(self, path: Path, timeout: float) -> None:
        self.path = path
        self.timeout = timeout
        self._fh: Any = None

    def __enter__(self) -> _FileLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+b")  # held until __exit__
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                _lock_file(fh)
                break
            except OSError:
                if time.monotonic() >= deadline:
                    fh.close()
                    raise LibraryLocked(_locked_message(self.path.parent)) from None
                time.sleep(0.05)
        self._fh = fh
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fh is not None:
            with contextlib.suppress(OSError):
                _unlock_file(self._fh)
            self._fh.close()
            self._fh = None


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock_file(fh: Any) -> None:
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock_file(fh: Any) -> None:
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock_file(fh: Any) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock_file(fh: Any) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
