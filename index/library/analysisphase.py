"""An update's analysis phase: every article not analysed yet, written without its word
pairs in batched commits (a reader's request first), then, once every one is analysed,
whole into one bulk segment."""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import whoosh.index

from index.library import schema as S
from index.library.fields import (
    analysed_fields,
    document_from_stored,
    fields_from_stored,
    manifest_entry,
    unpaired_fields,
)
from index.library.storage import PRIORITY_FILE
from index.model import Document, Phase

if TYPE_CHECKING:
    from index.library.update import Update


#: The analysis commits after this many articles ...
COMMIT_EVERY = 500
#: ... or this many seconds after its last commit, whichever comes first, so that readers
#: see the analysis arrive (each commit costs a new Whoosh segment and a manifest).
COMMIT_SECONDS = 10.0
#: Memory (MB) the whole-article segment of an analysis may use before Whoosh sorts its
#: postings on disk (the window's update runs in a child process of its own:
#: :mod:`index.library.worker`).
BULK_MB = 64
#: The folder (in the generation) where that segment is written; a killed update's is
#: removed by the next.
BULK_PREFIX = ".bulk-"


class _AnalysisPhase:
    """Phase 2: every article not analysed yet, analysed from its stored text; written at
    once without its word pairs (commits batched, a reader's request first), and, when
    all are analysed, whole into one segment the last commit puts in place of every
    earlier copy."""

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
        self.analysed: list[str] = []  # by this update, in the order committed
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
        bulk = _Bulk(self.ix)
        try:
            self.analyse()
            self.pair(bulk, [*self.unpaired, *self.analysed])
            self.finish(bulk)
        except BaseException:
            # What was analysed is kept (see analyse): whole if the last commit can be
            # made, else without its word pairs; the next update goes on from there.
            try:
                self.pair(bulk, self.analysed)
                self.finish(bulk)
            except Exception:
                with contextlib.suppress(Exception):
                    bulk.cancel()
            raise

    def pair(self, bulk: _Bulk, keys: list[str]) -> None:
        """Writes the articles of ``keys`` that are committed without their word pairs
        whole into ``bulk``, from what the index stores (no NLP). It runs once every
        article is analysed and committed: written whole meanwhile, they took two fifths of
        this process's CPU time during the analysis (400 BBC articles: 4.6 s against
        2.6 s), on the cores the analysis workers need."""
        up = self.up
        for key in keys:
            if up.stop():
                self.cancelled = True  # the rest is paired by the next update
                break
            if key in bulk.keys:
                continue
            stored = up.ctx.stored_fields(key)
            if stored is not None and stored.get(S.ANALYSED) == S.UNPAIRED:
                bulk.add(key, fields_from_stored({**stored, S.ANALYSED: S.YES}))

    def analyse(self) -> Any:
        """Analyses, writing each article without its word pairs (committed in batches,
        the last one too); :attr:`analysed` lists them."""
        up = self.up
        if not self.order:
            return None
        queue: deque[tuple[str, dict[str, Any]]] = deque()
        analyses = up.ctx.analyser_for(len(self.order)).analyse_many(self.documents(queue))
        writer: Any = None
        pending = 0
        was: dict[str, Any] = {}  # the state entries the uncommitted articles replace
        last = time.monotonic()
        try:
            for analysis in analyses:
                key, fields = queue.popleft()
                if writer is None:
                    writer = up.writer(self.ix)
                seen = unpaired_fields(analysed_fields(fields, analysis))
                self.analysed.append(key)
                writer.update_document(**seen)
                was.setdefault(key, self.state.get(key))
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
                    # no merging: the last commit replaces these segments whole
                    up.commit(writer, self.ix, self.state, merge=False)
                    up.analysed += pending
                    up.progress(Phase.COMMIT, up.analysis_done, up.analysis_total)
                    writer, pending, last = None, 0, time.monotonic()
                    was.clear()
        except BaseException:
            # What was analysed is kept (the analyser failed, or the update was killed):
            # committed without its word pairs, which the next update writes.
            if writer is not None:
                try:
                    up.commit(writer, self.ix, self.state)
                    up.analysed += pending
                except Exception:
                    with contextlib.suppress(Exception):
                        writer.cancel()
                    for key, entry in was.items():
                        if entry is None:
                            self.state.pop(key, None)
                        else:
                            self.state[key] = entry
            raise
        finally:
            close = getattr(analyses, "close", None)
            if close is not None:
                close()
        if writer is not None:  # every article analysed is committed before the last,
            up.commit(writer, self.ix, self.state, merge=False)  # which makes them whole
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
