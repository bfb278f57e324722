"""An update's text phase: the text of new and changed articles indexed (in worker
processes for many) and the removals, in one commit."""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import whoosh.index

from index.library import schema as S
from index.library.fields import fields_from_stored, manifest_entry, text_fields
from index.library.files import _Found, read_document
from index.library.search import vocabulary_of
from index.model import Phase

if TYPE_CHECKING:
    from index.library.update import Update


#: From this many texts to index, worker processes index them (one per core, each writing
#: a segment of its own): below, starting them costs more than it saves.
PARALLEL_TEXT_FROM = 300


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
            whoosh.index.create_in(str(gen), S.make_schema())
            # opened from disk, its analysers are those of a stored schema, with the
            # patched stem cache (index.library.whoosh_fixes.patch_whoosh), not the module's
            ix = whoosh.index.open_dir(str(gen))
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

        from index.library.whoosh_fixes import patch_whoosh

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
