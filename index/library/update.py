"""One update of the index: scan the sources, compare, index the text, then analyse.

An update runs in two phases. **Text first**: every new or changed article (size+mtime
first, then SHA-256) is read and its text indexed — title, body, stored blocks, no NLP, no
word pairs — and committed at once, so that every article is listed and searchable within
seconds; removed files leave the index. **Analysis after**: every article not analysed yet
(those just indexed, and those an earlier update did not reach) is analysed from its stored
text. Each is written twice: at once, with its people, places, statements and
``person:``/``place:`` terms but not its word pairs (the costly part), in commits every
:data:`COMMIT_EVERY` articles or :data:`COMMIT_SECONDS`, and at once after an article a
reader asked for (:func:`prioritise`), so readers see the analysis arrive; and, once every
article is analysed (written whole meanwhile, they took two fifths of this process's CPU
time during the analysis of 400 BBC articles, on the cores the analysis workers need),
whole, word pairs too, into one segment of its own (:class:`_Bulk`) that the update's last
commit puts in place of every copy before it — a library analysed at one go ends in one
segment, as fast to search as can be, without merging the small ones. Each article's
:data:`~index.library.schema.ANALYSED` field says which phase it has been through: a
cancelled or killed analysis leaves every article searchable, and the next update goes on
where it stopped.

A full rebuild writes its text phase into a fresh generation that
:class:`index.library.storage.Storage` swaps in at once; the analysis then goes on in the
live index (so a rebuild is searchable as soon as a first index is). One file's failure is
that file's problem: it is named with its reason and the rest are indexed.

:class:`Update` is driven by :meth:`index.library.core.Library.update`, which holds the
writer lock; what it needs of the library it is given explicitly (:class:`UpdateContext`).
The two phases are :mod:`index.library.textphase` and :mod:`index.library.analysisphase`
(where :data:`COMMIT_EVERY`, :func:`prioritise` and :class:`_Bulk` are); the files they read
and the fields they write, :mod:`index.library.files` and :mod:`index.library.fields`.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from whoosh.writing import MERGE_SMALL, LockError

from index import paths
from index.library import schema as S
from index.library.analysisphase import _AnalysisPhase
from index.library.fields import PAIRED
from index.library.files import (
    _articles_under,
    _Found,
    _is_regular,
    _key_of_resolved,
    _sha256,
    _strerror,
    read_document,
)
from index.library.search import vocabulary_of
from index.library.sources import SourceList
from index.library.storage import PRIORITY_FILE, WORDS_FILE, Storage, atomic_write, locked_message
from index.library.textphase import _TextPhase
from index.model import Analysis, Document, LibraryLocked, Phase, Problem, Progress, UpdateReport

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
               segments: list[Any] | None = None, *, merge: bool = True) -> None:
        """Commits (with ``segments`` written apart: by worker processes, or the analysis's
        whole articles) and records the manifest (articles and checksums) of the commit.
        ``merge=False`` (the analysis's batches, which its last commit replaces) merges
        no segment but the tiny ones (:func:`_merge_tiny`)."""
        if not merge:
            writer.commit(mergetype=_merge_tiny)
        elif segments:
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



def _merge_tiny(writer: Any, segments: list[Any]) -> list[Any]:
    """Drops the segments whose every document was replaced and merges those of fewer
    than :data:`TINY_SEGMENT` documents (an article a reader asked for is committed
    alone), leaving the rest as they are."""
    from whoosh.reading import SegmentReader

    live = [s for s in segments if s.deleted_count() < s.doc_count_all()]
    tiny = [s for s in live if s.doc_count_all() < TINY_SEGMENT]
    if len(tiny) < 2:
        return live
    for segment in tiny:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [s for s in live if s.doc_count_all() >= TINY_SEGMENT]


#: Segments of fewer documents than this are merged by every commit.
TINY_SEGMENT = 10


def _merge_policy(writer: Any, segments: list[Any]) -> list[Any]:
    """Whoosh's MERGE_SMALL, after dropping the segments whose every document was
    replaced (the analysis phase rewrites every article of the text phase's segment)."""
    live = [s for s in segments if s.deleted_count() < s.doc_count_all()]
    return list(MERGE_SMALL(writer, live))
