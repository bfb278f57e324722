"""One update of the index: scan the sources, compare, index the text, then analyse.

An update runs in two phases. **Text first**: every new or changed article (size+mtime
first, then SHA-256) is read and its text indexed — title, body, stored blocks, no NLP, no
word pairs — and committed at once, so that every article is listed and searchable within
seconds; removed files leave the index. **Analysis after**: every article not analysed yet
(those just indexed, and those an earlier update did not reach) is analysed from its stored
text. Each is written twice: at once, with its people, places, statements and
``person:``/``place:`` terms but not its word pairs (the costly part), in commits every
:data:`COMMIT_EVERY` articles or :data:`COMMIT_SECONDS`, and at once after an article a
reader asked for (:func:`prioritise`), so readers see the analysis arrive; and whole, word
pairs too, into one segment of its own (:class:`_Bulk`) that the update's last commit puts
in place of every copy before it — a library analysed at one go ends in one segment,
as fast to search as can be, without merging the small ones. Each article's
:data:`~index.library.schema.ANALYSED` field says which phase it has been through: a
cancelled or killed analysis leaves every article searchable, and the next update goes on
where it stopped.

A full rebuild writes its text phase into a fresh generation that
:class:`index.library.storage.Storage` swaps in at once; the analysis then goes on in the
live index (so a rebuild is searchable as soon as a first index is). One file's failure is
that file's problem: it is named with its reason and the rest are indexed.

:class:`Update` is driven by :meth:`index.library.core.Library.update`, which holds the
writer lock; what it needs of the library it is given explicitly (:class:`UpdateContext`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import whoosh.index
from whoosh.writing import MERGE_SMALL, LockError

from index import paths
from index.library import schema as S
from index.library.search import vocabulary_of
from index.library.sources import SourceList
from index.library.storage import (
    PRIORITY_FILE,
    WORDS_FILE,
    Storage,
    atomic_write,
    locked_message,
)
from index.model import (
    Analysis,
    Block,
    Document,
    LibraryLocked,
    Phase,
    Problem,
    Progress,
    UpdateReport,
)

#: The analysis commits after this many articles ...
COMMIT_EVERY = 500
#: ... or this many seconds after its last commit, whichever comes first, so that readers
#: see the analysis arrive (each commit costs a new Whoosh segment and a manifest).
COMMIT_SECONDS = 10.0
#: Memory (MB) the whole-article segment of an analysis may use before Whoosh sorts its
#: postings on disk: the update may run in the window's process.
BULK_MB = 64
#: The folder (in the generation) where that segment is written; a killed update's is
#: removed by the next.
BULK_PREFIX = ".bulk-"
#: From this many texts to index, worker processes index them (one per core, each writing
#: a segment of its own): below, starting them costs more than it saves.
PARALLEL_TEXT_FROM = 300
#: The share of one article's work that is its text (the rest is its analysis), for
#: :attr:`Progress.completed`: about what the two take in time on the BBC corpus.
TEXT_WEIGHT = 0.1


class Analyser(Protocol):
    def analyse_many(self, documents: Iterator[Document]) -> Iterator[Analysis]: ...


@dataclass
class UpdateContext:
    """What an update needs of the library."""

    storage: Storage
    sources: SourceList
    ix: Any  # the live Whoosh index, or None for a rebuild
    generation: str | None  # the live generation's name
    stored_fields: Callable[[str], dict[str, Any] | None]  # what the index holds for a key
    analyser_for: Callable[[int], Analyser]  # an analyser for this many articles
    lock_timeout: float


@dataclass
class _Found:
    key: str
    path: str  # resolved
    source: Path
    size: int
    mtime: float


class Update:
    """One update; :meth:`run` does it and returns the report. ``analyse=False`` stops
    after the text phase (the articles are searchable; the next update analyses them)."""

    def __init__(
        self,
        ctx: UpdateContext,
        notify: Callable[[Progress], None],
        stop: Callable[[], bool],
        state: dict[str, dict[str, Any]],
        *,
        full: bool,
        analyse: bool = True,
        started: float | None = None,
    ) -> None:
        self.ctx = ctx
        self.notify = notify
        self.stop = stop
        self.state = state
        self.full = full
        self.analyse = analyse
        self.started = time.monotonic() if started is None else started
        self.failed: list[Problem] = []
        self.words = 0
        self.vocabulary: set[str] = set()
        self.when = datetime.now(UTC).isoformat(timespec="seconds")
        #: Set when the index is swapped or committed: the library must reopen it.
        self.swapped = False
        # The library's state as readers see it (committed), for Progress.
        self.articles = self.searchable = len(state)
        self.analysed = sum(1 for e in state.values() if e.get(S.ANALYSED))
        # This update's work, for Progress.completed.
        self.text_total = self.text_done = self.analysis_total = self.analysis_done = 0
        self.searchable_at: float | None = None

    def _fail(self, path: str, reason: str) -> None:
        self.failed.append(Problem(paths.display(path), reason, self.when))

    def progress(self, phase: Phase, done: int, total: int, path: str = "") -> None:
        work = self.text_total * TEXT_WEIGHT + self.analysis_total * (1 - TEXT_WEIGHT)
        completed = 0.0
        if work:
            completed = (self.text_done * TEXT_WEIGHT
                         + self.analysis_done * (1 - TEXT_WEIGHT)) / work
        self.notify(Progress(phase, done, total, path, self.searchable, self.analysed,
                             self.articles, completed))

    # ------------------------------------------------------------------ scanning

    def scan(self) -> list[_Found]:
        found: dict[str, _Found] = {}
        excluded = self.ctx.sources.excluded()
        for source in self.ctx.sources.all():
            try:
                source = source.resolve()
                if source.is_file():
                    entries: list[tuple[str, bool]] = [(str(source), False)]
                elif source.is_dir():
                    entries = _articles_under(source, self._fail)
                elif source.exists():
                    self._fail(str(source), "Not a regular file or folder.")
                    continue
                else:
                    self._fail(str(source), "The folder or file no longer exists.")
                    continue
            except (OSError, RuntimeError) as exc:  # a link loop, a permission
                self._fail(str(source), f"Cannot read it: {_strerror(exc)}.")
                continue
            for i, (name, is_link) in enumerate(entries):
                self.progress(Phase.SCAN, i, len(entries), name)
                if name in excluded:
                    continue
                try:
                    name.encode("utf-8")
                except UnicodeEncodeError:
                    self._fail(name, "The file name is not valid UTF-8; rename the file "
                               "to add it to the library.")
                    continue
                try:
                    st = os.stat(name)
                    if is_link:
                        path = str(Path(name).resolve(strict=True))
                        key = paths.document_key(path)
                    else:  # under a resolved folder and not a link: already resolved
                        path = name
                        key = _key_of_resolved(name)
                except (OSError, RuntimeError) as exc:
                    self._fail(name, f"Cannot read the file: {_strerror(exc)}.")
                    continue
                if not _is_regular(st.st_mode):
                    self._fail(name, "Not a regular file.")
                    continue
                if key not in found and path not in excluded:
                    found[key] = _Found(key, path, source, st.st_size, st.st_mtime)
        return list(found.values())

    # ------------------------------------------------------------------ running

    def run(self) -> UpdateReport:
        files = self.scan()
        seen = {f.key for f in files}
        removed = [k for k in self.state if k not in seen]
        to_index: list[_Found] = []
        touched: list[tuple[_Found, str]] = []  # same content, new mtime: restore, no NLP
        unchanged = 0
        for f in files:
            old = self.state.get(f.key)
            if old is None:
                to_index.append(f)
            elif old.get(S.SIZE) == f.size and old.get(S.MTIME) == f.mtime:
                unchanged += 1
            else:
                digest = _sha256(f.path)
                if digest is not None and digest == old.get(S.SHA256):
                    touched.append((f, digest))
                else:
                    to_index.append(f)
        self.articles = len(files)
        self.text_total = len(to_index)
        if self.analyse:  # an estimate until the text phase is done
            again = {f.key for f in to_index}
            self.analysis_total = len(to_index) + sum(
                1 for k, e in self.state.items()
                if k in seen and k not in again and not e.get(S.ANALYSED))
        text = _TextPhase(self, to_index, touched, removed)
        if self.full or removed or touched or to_index:
            text.run()
        if text.discarded:
            return UpdateReport(failed=tuple(self.failed), unchanged=unchanged + len(touched),
                                cancelled=True, extra={"words": self.words, "analysed": 0})
        state = text.state if text.state is not None else self.state
        waiting = [k for k, e in state.items()
                   if not e.get(S.ANALYSED) or not e.get(PAIRED, True)]
        done = 0
        cancelled = text.cancelled
        if waiting and self.analyse and not cancelled:
            analysis = _AnalysisPhase(self, text.ix or self.ctx.ix, state, waiting)
            analysis.run()
            done, cancelled = analysis.done, analysis.cancelled
        left = sum(1 for e in state.values() if not e.get(S.ANALYSED))
        if not cancelled:  # 100 % only once everything is committed
            self.progress(Phase.DONE, self.articles, self.articles)
            if not left:
                with contextlib.suppress(OSError):
                    (self.ctx.storage.data_dir / PRIORITY_FILE).unlink()
        return UpdateReport(
            added=tuple(text.added),
            updated=tuple(text.updated),
            removed=tuple(text.removed),
            failed=tuple(self.failed),
            unchanged=unchanged + len(touched) - text.reindexed,
            cancelled=cancelled,
            extra={
                "words": self.words,
                "analysed": done,
                "searchable": len(state),
                "waiting": left,
                "searchable_seconds": (None if self.searchable_at is None
                                       else self.searchable_at - self.started),
            },
        )

    def writer(self, ix: Any) -> Any:
        try:
            return ix.writer(timeout=self.ctx.lock_timeout)
        except LockError as exc:
            raise LibraryLocked(locked_message(self.ctx.storage.data_dir)) from exc

    def commit(self, writer: Any, ix: Any, state: dict[str, dict[str, Any]],
               segments: list[Any] | None = None) -> None:
        """Commits (with ``segments`` written apart: by worker processes, or the analysis's
        whole articles) and records the manifest (articles and checksums) of the commit."""
        if segments:
            # SegmentWriter.commit, with the workers' segments added to the new table of
            # contents (as Whoosh's own multi-process writer does with multisegment=True).
            writer._check_state()
            final = writer._merge_segments(_merge_policy, None, None)
            if writer._added:
                final.append(writer._finalize_segment())
            else:
                writer._close_segment()
            writer._commit_toc(final + segments)
            writer._finish()
        else:
            writer.commit(mergetype=_merge_policy)
        self.ctx.storage.write_manifest(ix, state)
        self.swapped = True

    def save_vocabulary(self, gen: Path | None) -> None:
        """Adds the new words to the word list (after the commit: a crash before it loses
        only suggestions; words of removed articles are filtered out when suggesting)."""
        words = self.vocabulary
        if gen is None:
            gen = self.ctx.storage.generation_dir(self.ctx.generation)
            if gen is None or not words:
                return
            with contextlib.suppress(OSError):
                words = words | set((gen / WORDS_FILE).read_text("utf-8").split())
        atomic_write(gen / WORDS_FILE, "\n".join(sorted(words)) + "\n")

    def load(self, f: _Found) -> Document | None:
        """The document of ``f``, or None (its problem recorded) when it cannot be read."""
        document = read_document(f.path)
        if isinstance(document, str):
            self._fail(f.path, document)
            return None
        self.words += len(document.text.split())
        self.vocabulary.update(vocabulary_of(document.text))
        return document


def read_document(path: str) -> Document | str:
    """The document at ``path``, or why it cannot be read (a sentence for the user)."""
    from index.documents import DocumentError, load_document

    try:
        return load_document(Path(path))
    except DocumentError as exc:
        return getattr(exc, "reason", None) or str(exc)
    except (OSError, ValueError, RecursionError) as exc:
        return f"Cannot read the file: {_strerror(exc)}."


class _TextPhase:
    """Phase 1: the text of new and changed articles, and the removals, in one commit."""

    def __init__(self, up: Update, to_index: list[_Found], touched: list[tuple[_Found, str]],
                 removed: list[str]) -> None:
        self.up = up
        self.to_index = to_index
        self.touched = touched
        self.removed = list(removed)
        self.added: list[str] = []
        self.updated: list[str] = []
        self.reindexed = 0  # touched files whose stored copy was missing: indexed again
        self.cancelled = False
        self.discarded = False  # a cancelled rebuild: nothing changed
        self.ix: Any = None
        self.state: dict[str, dict[str, Any]] | None = None

    def run(self) -> None:
        up = self.up
        ctx = up.ctx
        gen: Path | None = None
        if up.full:
            gen = ctx.storage.new_generation()
            ix = whoosh.index.create_in(str(gen), S.make_schema())
            writer = ix.writer(limitmb=256)
        else:
            ix = ctx.ix
            writer = up.writer(ix)
        self.ix = ix
        state = {} if up.full else dict(up.state)
        changed_texts: dict[str, str] = {}
        bookmarked = _bookmarked_keys(ctx.storage.data_dir) if up.full else set()
        to_index = list(self.to_index)
        try:
            for key in self.removed:
                writer.delete_by_term(S.KEY, key)
                state.pop(key, None)
            for f, digest in self.touched:
                stored = ctx.stored_fields(f.key)
                if stored is None:  # the manifest was wrong: index it after all
                    to_index.append(f)
                    self.reindexed += 1
                    up.text_total += 1
                    continue
                stored.update({S.SIZE: f.size, S.MTIME: f.mtime, S.SHA256: digest})
                writer.update_document(**fields_from_stored(stored))
                state[f.key] = manifest_entry(stored)
            if _processes_for(len(to_index)) > 1:
                segments = self._index_in_processes(to_index, writer, state, changed_texts,
                                                    bookmarked)
            else:
                segments = []
                self._index_here(to_index, writer, state, changed_texts, bookmarked)
            if self.cancelled and up.full:
                writer.cancel()
                self.discarded = True
            else:
                up.commit(writer, ix, state, segments)
        except BaseException:
            with contextlib.suppress(Exception):
                writer.cancel()
            if gen is not None:
                shutil.rmtree(gen, ignore_errors=True)
            raise
        if self.discarded:
            assert gen is not None
            shutil.rmtree(gen, ignore_errors=True)
            self.added, self.updated, self.removed = [], [], []
            return
        up.save_vocabulary(gen)
        if gen is not None:
            ctx.storage.swap_in(gen)
        self.state = state
        up.searchable = len(state)
        up.analysed = sum(1 for e in state.values() if e.get(S.ANALYSED))
        up.searchable_at = time.monotonic()
        if changed_texts:
            _reanchor(ctx.storage.data_dir, changed_texts)
        up.progress(Phase.COMMIT, up.text_done, up.text_total)  # announced once made

    def _indexed(self, f: _Found, entry: dict[str, Any] | None, text: str | None,
                 state: dict[str, dict[str, Any]], changed_texts: dict[str, str]) -> None:
        """Books one file's outcome: its manifest entry, or None when it could not be read
        (it leaves the index); ``text`` is its new text, when bookmarks may need it."""
        up = self.up
        if entry is None:
            up.articles -= 1
            if f.key in up.state:
                self.removed.append(f.key)
                state.pop(f.key, None)
            return
        if text is not None:
            if f.key in up.state:
                old = up.ctx.stored_fields(f.key) or {}
                if old.get(S.TEXT) != text:
                    changed_texts[f.key] = text
            else:
                # A rebuild has no old text to compare: let every bookmarked article's
                # bookmarks find their place (a no-op where it did not change).
                changed_texts[f.key] = text
        state[f.key] = entry
        (self.updated if f.key in up.state else self.added).append(f.key)

    def _index_here(self, to_index: list[_Found], writer: Any,
                    state: dict[str, dict[str, Any]], changed_texts: dict[str, str],
                    bookmarked: set[str]) -> None:
        up = self.up
        for f in to_index:
            document = up.load(f)
            if document is None:
                if f.key in up.state:
                    writer.delete_by_term(S.KEY, f.key)
                self._indexed(f, None, None, state, changed_texts)
            else:
                fields = text_fields(f, document)
                if up.full:
                    writer.add_document(**fields)
                else:
                    writer.update_document(**fields)
                wanted = f.key in up.state or f.key in bookmarked
                self._indexed(f, manifest_entry(fields), document.text if wanted else None,
                              state, changed_texts)
            up.text_done += 1
            up.progress(Phase.INDEX, up.text_done, up.text_total, f.path)
            if up.text_done < up.text_total and up.stop():
                self.cancelled = True
                break

    def _index_in_processes(self, to_index: list[_Found], writer: Any,
                            state: dict[str, dict[str, Any]], changed_texts: dict[str, str],
                            bookmarked: set[str]) -> list[Any]:
        """Indexes the files in worker processes, each writing one Whoosh segment of the
        live (or new) index, which the commit adds; returns those segments."""
        import multiprocessing
        import threading
        from multiprocessing.connection import wait

        up = self.up
        chunks = _chunks(to_index, _processes_for(len(to_index)))
        # Forking is unsafe in a process with other threads running (the window's).
        method = "fork" if threading.active_count() == 1 else "spawn"
        mp: Any = multiprocessing.get_context(method)
        cancel = mp.Value("b", 0, lock=False)
        wanted = {f.key for f in to_index if f.key in up.state or f.key in bookmarked}
        folder = str(Path(self.ix.storage.folder))
        workers = []
        for chunk in chunks:
            counter = mp.Value("i", 0, lock=False)
            receive, send = mp.Pipe(duplex=False)
            jobs = [(f.key, f.path, str(f.source), f.size, f.mtime) for f in chunk]
            process = mp.Process(target=_index_chunk, daemon=True, args=(
                folder, jobs, {f.key for f in chunk} & wanted, counter, cancel, send))
            process.start()
            send.close()
            workers.append((chunk, counter, receive, process))
        results: dict[int, Any] = {}
        try:
            while len(results) < len(workers):
                ready = wait([w[2] for i, w in enumerate(workers) if i not in results],
                             timeout=0.2)
                for i, (_chunk, _counter, receive, _process) in enumerate(workers):
                    if receive in ready:
                        try:
                            results[i] = receive.recv()
                        except EOFError:
                            results[i] = ("error", RuntimeError(
                                "a process indexing the text stopped unexpectedly"))
                done = sum(w[1].value for w in workers)
                if done != up.text_done:
                    up.text_done = done
                    up.progress(Phase.INDEX, done, up.text_total)
                if not cancel.value and done < up.text_total and up.stop():
                    cancel.value = 1
                    self.cancelled = True
        finally:
            cancel.value = 1  # (an error here: the others stop too)
            for _chunk, _counter, receive, process in workers:
                process.join(timeout=30)
                receive.close()
        segments = []
        for i, (chunk, _counter, _receive, _process) in enumerate(workers):
            result = results[i]
            if result[0] == "error":
                raise result[1]
            _, segment, outcomes, words, vocabulary, failures = result
            up.words += words
            up.vocabulary.update(vocabulary)
            for path, reason in failures:
                up._fail(path, reason)
            by_key = {f.key: f for f in chunk}
            for key, entry, text in outcomes:
                if key in up.state:
                    writer.delete_by_term(S.KEY, key)  # the old copy
                self._indexed(by_key[key], entry, text, state, changed_texts)
            if segment is not None:
                segments.append(segment)
        up.text_done = sum(len(r[2]) for r in results.values())
        return segments


def _processes_for(count: int) -> int:
    """How many processes index this many texts: one per core (at most four) from
    :data:`PARALLEL_TEXT_FROM` texts; below, starting them costs more than it saves."""
    if count < PARALLEL_TEXT_FROM:
        return 1
    return max(1, min(os.cpu_count() or 1, 4))


def _chunks(files: list[_Found], n: int) -> list[list[_Found]]:
    """``files`` in ``n`` runs of about equal size (in bytes), in order."""
    total = sum(max(f.size, 1) for f in files)
    chunks: list[list[_Found]] = [[]]
    seen = 0
    for f in files:
        if seen >= total * len(chunks) / n and len(chunks) < n:
            chunks.append([])
        chunks[-1].append(f)
        seen += max(f.size, 1)
    return [c for c in chunks if c]


def _index_chunk(folder: str, jobs: list[tuple[str, str, str, int, float]], wanted: set[str],
                 counter: Any, cancel: Any, send: Any) -> None:
    """In a worker process: indexes the text of ``jobs`` into a new segment of the index
    in ``folder`` (not committed: the parent adds it to its commit) and sends back the
    segment, each file's outcome, the words and the failures."""
    try:
        from whoosh.writing import PostingPool, SegmentWriter

        from index.library.storage import patch_whoosh

        patch_whoosh()
        ix = whoosh.index.open_dir(folder)
        writer = SegmentWriter(ix, _lk=False, limitmb=128)
        # Its own folder for sorting runs (Whoosh names one per index, not per writer).
        temp = writer.storage.temp_storage(f"MAIN.{os.getpid()}.tmp")
        writer._tempstorage = temp
        writer.pool = PostingPool(temp, writer.newsegment, limitmb=128)
        outcomes: list[tuple[str, dict[str, Any] | None, str | None]] = []
        failures: list[tuple[str, str]] = []
        words = 0
        vocabulary: set[str] = set()
        for key, path, source, size, mtime in jobs:
            if cancel.value:
                break
            document = read_document(path)
            if isinstance(document, str):
                failures.append((path, document))
                outcomes.append((key, None, None))
            else:
                fields = text_fields(_Found(key, path, Path(source), size, mtime), document)
                writer.add_document(**fields)
                words += len(document.text.split())
                vocabulary.update(vocabulary_of(document.text))
                outcomes.append((key, manifest_entry(fields),
                                 document.text if key in wanted else None))
            counter.value += 1
        segment = None
        if writer._added:
            segment = writer._finalize_segment()
        else:
            writer._close_segment()
        temp.destroy()
        send.send(("ok", segment, outcomes, words, vocabulary, failures))
    except BaseException as exc:  # sent to the parent, which raises it
        try:
            send.send(("error", exc))
        except Exception:
            send.send(("error", RuntimeError(f"indexing the text failed: {exc!r}")))
    finally:
        send.close()


class _AnalysisPhase:
    """Phase 2: every article not analysed yet, analysed from its stored text; written at
    once without its word pairs (commits batched, a reader's request first) and whole
    into one segment the last commit puts in place of every earlier copy."""

    def __init__(self, up: Update, ix: Any, state: dict[str, dict[str, Any]],
                 waiting: list[str]) -> None:
        self.up = up
        self.ix = ix
        self.state = state
        # Analysed by an update that stopped before its last commit: only their word pairs
        # are missing (no NLP).
        self.unpaired = [k for k in waiting if state[k].get(S.ANALYSED)]
        self.order: deque[str] = deque(k for k in waiting if not state[k].get(S.ANALYSED))
        self.priority = _Priority(up.ctx.storage.data_dir / PRIORITY_FILE)
        self.done = 0
        self.cancelled = False
        up.analysis_total = len(self.order)

    def documents(self, queue: deque[tuple[str, dict[str, Any]]]) -> Iterator[Document]:
        """The documents to analyse, rebuilt from the stored fields, taken lazily (a
        reader's request moves its article to the front of what is not taken yet)."""
        order = self.order
        while order:
            for key in self.priority.fresh():
                with contextlib.suppress(ValueError):
                    order.remove(key)
                    order.appendleft(key)
            key = order.popleft()
            fields = self.up.ctx.stored_fields(key)
            if fields is None or fields.get(S.ANALYSED, S.NO) != S.NO:
                self.up.analysis_total -= 1  # gone, or analysed meanwhile
                continue
            queue.append((key, fields))
            yield document_from_stored(fields)

    def run(self) -> None:
        up = self.up
        bulk = _Bulk(self.ix)
        writer: Any = None
        try:
            for key in self.unpaired:
                stored = up.ctx.stored_fields(key)
                if stored is not None and stored.get(S.ANALYSED) == S.UNPAIRED:
                    whole = fields_from_stored({**stored, S.ANALYSED: S.YES})
                    bulk.add(key, whole)
            self.analyse(bulk)
            self.finish(bulk)
        except BaseException:
            # What was analysed is kept (the analyser failed, or the update was killed):
            # whole if the last commit can be made, else without its word pairs; the next
            # update goes on from there.
            try:
                if writer is not None:
                    writer.cancel()
                    writer = None
                self.finish(bulk)
            except Exception:
                with contextlib.suppress(Exception):
                    bulk.cancel()
            raise

    def analyse(self, bulk: _Bulk) -> Any:
        """Analyses, writing each article without its pairs (committed in batches, the
        last one too) and whole into ``bulk``."""
        up = self.up
        if not self.order:
            return None
        queue: deque[tuple[str, dict[str, Any]]] = deque()
        analyses = up.ctx.analyser_for(len(self.order)).analyse_many(self.documents(queue))
        writer: Any = None
        pending = 0
        last = time.monotonic()
        try:
            for analysis in analyses:
                key, fields = queue.popleft()
                if writer is None:
                    writer = up.writer(self.ix)
                whole = analysed_fields(fields, analysis)
                bulk.add(key, whole)
                seen = unpaired_fields(whole)
                writer.update_document(**seen)
                self.state[key] = manifest_entry(seen)
                pending += 1
                self.done += 1
                up.analysis_done += 1
                up.progress(Phase.ANALYSE, up.analysis_done, up.analysis_total,
                            fields.get(S.PATH) or "")
                if up.analysis_done < up.analysis_total and up.stop():
                    self.cancelled = True
                    break
                now = time.monotonic()
                if (pending >= COMMIT_EVERY or now - last >= COMMIT_SECONDS
                        or key in self.priority.requested):
                    up.commit(writer, self.ix, self.state)
                    up.analysed += pending
                    up.progress(Phase.COMMIT, up.analysis_done, up.analysis_total)
                    writer, pending, last = None, 0, time.monotonic()
        except BaseException:
            if writer is not None:
                with contextlib.suppress(Exception):
                    writer.cancel()
            raise
        finally:
            close = getattr(analyses, "close", None)
            if close is not None:
                close()
        if writer is not None:  # every article analysed is committed before the last,
            up.commit(writer, self.ix, self.state)  # longer commit makes them whole
            up.analysed += pending
            up.progress(Phase.COMMIT, up.analysis_done, up.analysis_total)
        return None

    def finish(self, bulk: _Bulk) -> None:
        """The last commit: the whole articles' segment in place of every earlier copy."""
        if not bulk.keys:
            bulk.cancel()
            return
        up = self.up
        writer = up.writer(self.ix)
        try:
            for key in bulk.keys:
                writer.delete_by_term(S.KEY, key)
            segment = bulk.finish()
        except BaseException:
            with contextlib.suppress(Exception):
                writer.cancel()
            raise
        for key, entry in bulk.keys.items():
            self.state[key] = entry
        up.commit(writer, self.ix, self.state, [segment])
        up.progress(Phase.COMMIT, up.analysis_done, up.analysis_total)  # announced once made


class _Bulk:
    """A segment of whole analysed articles, written beside the index's commits and added
    by the analysis's last commit. It is written in a folder of its own inside the
    generation (hidden: Whoosh leaves it alone) — Whoosh's writers share one folder of
    temporary files per index, which each commit removes — and moved in when done."""

    def __init__(self, ix: Any) -> None:
        self.ix = ix
        self.folder = Path(ix.storage.folder) / f"{BULK_PREFIX}{os.getpid()}"
        self.writer: Any = None
        self.keys: dict[str, dict[str, Any]] = {}  # key -> its manifest entry

    def add(self, key: str, fields: dict[str, Any]) -> None:
        if self.writer is None:
            from whoosh.writing import SegmentWriter

            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder.mkdir()
            scratch = whoosh.index.create_in(str(self.folder), self.ix.schema)
            self.writer = SegmentWriter(scratch, _lk=False, limitmb=BULK_MB)
        if key in self.keys:
            raise ValueError(f"article {key} written twice")
        self.writer.add_document(**fields)
        self.keys[key] = manifest_entry(fields)

    def finish(self) -> Any:
        """The segment, written and moved into the index (not yet in it: a commit adds
        it)."""
        try:
            segment = self.writer._finalize_segment()
            prefix = f"{segment.segment_id()}."
            into = Path(self.ix.storage.folder)
            for name in os.listdir(self.folder):
                if name.startswith(prefix):
                    os.replace(self.folder / name, into / name)
            return segment
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def cancel(self) -> None:
        if self.writer is not None:
            with contextlib.suppress(Exception):
                self.writer._close_segment()
        shutil.rmtree(self.folder, ignore_errors=True)


class _Priority:
    """The keys readers asked to have analysed first (:data:`PRIORITY_FILE`, one a line,
    appended by :meth:`index.library.core.Library.prioritise`), read again when it changes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.stamp: tuple[int, int] | None = None
        self.requested: set[str] = set()

    def fresh(self) -> list[str]:
        """Keys asked for since the last call, the most recent last."""
        try:
            st = os.stat(self.path)
            stamp = (st.st_size, st.st_mtime_ns)
            if stamp == self.stamp:
                return []
            self.stamp = stamp
            keys = self.path.read_text("utf-8", errors="replace").split()
        except OSError:
            return []
        fresh = [k for k in dict.fromkeys(keys) if k not in self.requested]
        self.requested.update(fresh)
        return fresh


def prioritise(data_dir: Path, key: str) -> None:
    """Asks the running (or next) update to analyse article ``key`` next: one line
    appended to :data:`PRIORITY_FILE` (an append is atomic; no lock needed)."""
    if not key or not key.isalnum():
        raise ValueError(f"not an article key: {key!r}")
    fd = os.open(data_dir / PRIORITY_FILE, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, f"{key}\n".encode("ascii"))
    finally:
        os.close(fd)


def _merge_policy(writer: Any, segments: list[Any]) -> list[Any]:
    """Whoosh's MERGE_SMALL, after dropping the segments whose every document was
    replaced (the analysis phase rewrites every article of the text phase's segment)."""
    live = [s for s in segments if s.deleted_count() < s.doc_count_all()]
    return list(MERGE_SMALL(writer, live))


def _is_regular(mode: int) -> bool:
    import stat

    return stat.S_ISREG(mode)


def _strerror(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    if isinstance(exc, RecursionError):
        return "it is nested too deeply"
    return str(exc) or type(exc).__name__


def _articles_under(folder: Path, fail: Callable[[str, str], None]) -> list[tuple[str, bool]]:
    """The articles under ``folder`` (sorted, hidden ones left out), each with whether it
    is a symbolic link; links to folders are not followed (no loops). An entry that cannot
    be read is reported through ``fail`` and skipped."""
    found: list[tuple[str, bool]] = []
    suffixes = tuple(paths.ARTICLE_FORMATS)

    def walk(directory: str) -> None:
        try:
            with os.scandir(directory) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            if directory != str(folder):
                fail(directory, f"Cannot read the folder: {_strerror(exc)}.")
            else:
                raise
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path)
                elif entry.name.lower().endswith(suffixes):
                    found.append((entry.path, entry.is_symlink()))
            except OSError as exc:
                fail(entry.path, f"Cannot read it: {_strerror(exc)}.")

    walk(str(folder))
    return found


def _key_of_resolved(posix_path: str) -> str:
    # index.paths.document_key without resolving again (2 stat calls per file): the
    # same digest of the same string, checked by tests/index/test_library.py.
    return hashlib.sha1(posix_path.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def text_fields(f: _Found, document: Document) -> dict[str, Any]:
    """The fields of an article's text (phase 1): stored and searchable, not analysed."""
    return {
        S.KEY: f.key,
        S.PATH: f.path,
        S.SOURCE: str(f.source),
        S.TITLE: document.title or Path(f.path).stem,
        S.DATELINE: document.dateline,
        S.DATELINE_SPAN: list(document.dateline_span) if document.dateline_span else None,
        S.TEXT: document.text,
        S.SIZE: f.size,
        S.MTIME: f.mtime,
        S.SHA256: document.sha256 or _sha256(f.path) or "",
        S.FORMAT: document.format,
        S.ENCODING: document.encoding,
        S.WARNINGS: list(document.warnings),
        S.BLOCKS: [[b.kind, b.start, b.end, b.level] for b in document.blocks],
        S.ANALYSED: S.NO,
    }


def analysed_fields(stored: dict[str, Any], analysis: Analysis) -> dict[str, Any]:
    """The fields of an analysed article (phase 2): its stored text fields, the word
    pairs, the people and places, and the analysis."""
    fields = {k: v for k, v in stored.items() if k not in _ANALYSIS_FIELDS}
    fields[S.PAIRS] = stored.get(S.TEXT) or ""
    fields[S.PERSON] = S.person_keywords(analysis.people)
    fields[S.PLACE] = S.place_keywords(analysis.places)
    fields[S.ANALYSIS] = json.dumps(analysis.to_dict(), ensure_ascii=False)
    fields[S.ANALYSED] = S.YES
    return fields


_ANALYSIS_FIELDS = (S.PAIRS, S.PERSON, S.PLACE, S.ANALYSIS, S.ANALYSED)


def unpaired_fields(whole: dict[str, Any]) -> dict[str, Any]:
    """An analysed article's fields without its word pairs (:data:`S.UNPAIRED`)."""
    fields = {k: v for k, v in whole.items() if k != S.PAIRS}
    fields[S.ANALYSED] = S.UNPAIRED
    return fields


def article_fields(f: _Found, document: Document, analysis: Analysis) -> dict[str, Any]:
    """The fields of an article written in one go (text and analysis)."""
    return analysed_fields(text_fields(f, document), analysis)


def document_from_stored(fields: dict[str, Any]) -> Document:
    """The document the analyser reads, as the index stores it (its offsets are those of
    the stored text, whatever happened to the file since)."""
    span = fields.get(S.DATELINE_SPAN)
    return Document(
        path=Path(fields.get(S.PATH) or ""),
        text=fields.get(S.TEXT) or "",
        format=fields.get(S.FORMAT) or "txt",
        title=fields.get(S.TITLE) or "",
        dateline=fields.get(S.DATELINE),
        dateline_span=(int(span[0]), int(span[1])) if span else None,
        blocks=tuple(Block(k, a, b, lv) for k, a, b, lv in fields.get(S.BLOCKS) or ()),
        encoding=fields.get(S.ENCODING) or "utf-8",
        warnings=tuple(fields.get(S.WARNINGS) or ()),
        sha256=fields.get(S.SHA256) or "",
        size=int(fields.get(S.SIZE) or 0),
        mtime=float(fields.get(S.MTIME) or 0.0),
    )


def analysis_dict(fields: dict[str, Any]) -> dict[str, Any]:
    raw = fields.get(S.ANALYSIS)
    if isinstance(raw, str):
        loaded: dict[str, Any] = json.loads(raw)
        return loaded
    return raw or {}


def manifest_entry(fields: dict[str, Any]) -> dict[str, Any]:
    entry = {k: fields.get(k) for k in (S.PATH, S.SIZE, S.MTIME, S.SHA256)}
    entry[S.ANALYSED] = fields.get(S.ANALYSED) in (S.YES, S.UNPAIRED)
    entry[PAIRED] = fields.get(S.ANALYSED) == S.YES
    return entry


#: In a manifest entry: the article's word pairs are written (it is whole).
PAIRED = "paired"


def fields_from_stored(stored: dict[str, Any]) -> dict[str, Any]:
    """The fields to write again for a document rebuilt from what the index stored."""
    state = stored.get(S.ANALYSED)
    if state not in (S.YES, S.UNPAIRED):
        return {k: v for k, v in stored.items() if k not in _ANALYSIS_FIELDS} | {
            S.ANALYSED: S.NO}
    whole = analysed_fields(stored, Analysis.from_dict(analysis_dict(stored)))
    return whole if state == S.YES else unpaired_fields(whole)


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
    from index.bookmarks import BookmarkStore

    with BookmarkStore(data_dir) as store:
        return set(store.keys())


def _reanchor(data_dir: Path, texts: dict[str, str]) -> None:
    """Lets the bookmarks follow articles whose text changed."""
    if not (data_dir / "bookmarks.sqlite3").exists():
        return
    from index.bookmarks import BookmarkStore

    with BookmarkStore(data_dir) as store:
        marked = store.keys()
        for key, text in texts.items():
            if key in marked:
                store.reanchor(key, text)
