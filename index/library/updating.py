"""The writing side of :class:`index.library.core.Library` (a base class it inherits):
:meth:`~_Updating.update` under the writer lock — the rebuild decision, the problems
bookkeeping, the read-only check — and what readers ask of a running update (priority,
analysis state)."""

from __future__ import annotations

import contextlib
import dataclasses
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh.query import Term

from index.library import schema as S
from index.library.analysisphase import prioritise
from index.library.sources import SourceList
from index.library.storage import Storage, describe
from index.library.update import Analyser, Update, UpdateContext
from index.model import LibraryError, Progress, UpdateReport


class _Updating:
    """:class:`index.library.core.Library`'s update methods; the state they use is the
    library's (see :meth:`index.library.core.Library.__init__`)."""

    data_dir: Path
    lock_timeout: float
    processes: int | None
    problem: str | None
    _analyser: Analyser | None
    _storage: Storage
    _sources: SourceList
    _lock: threading.RLock
    _ix: Any
    _searcher: Any
    _current: str | None
    _cache: dict[str, Any]

    if TYPE_CHECKING:
        def _open(self) -> None: ...
        def _fresh_searcher(self) -> Any: ...
        def _corrupt(self, exc: BaseException) -> None: ...
        def _stored_fields(self, key: str) -> dict[str, Any] | None: ...

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
        writer_lock = self._storage.lock(self.lock_timeout)
        try:
            writer_lock.__enter__()
        except OSError as exc:  # a read-only data directory: fine while nothing changed
            return self._unchanged_or_unwritable(exc, started)
        with contextlib.ExitStack() as held:
            held.push(writer_lock)
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

    def _unchanged_or_unwritable(self, exc: OSError, started: float) -> UpdateReport:
        """What an update says where the data directory cannot be written: nothing, when
        the index already matches the sources; else one sentence (:class:`LibraryError`)."""
        with self._lock:
            self._open()
            state = self._manifest() if self._ix is not None and not self.problem else {}
            waiting = self._waiting(self._searcher) if self._searcher is not None else 0
        ctx = UpdateContext(
            storage=self._storage, sources=self._sources, ix=self._ix,
            generation=self._current, stored_fields=self._locked_stored_fields,
            analyser_for=self._analyser_for, lock_timeout=self.lock_timeout,
        )
        files = Update(ctx, lambda p: None, lambda: False, state, full=False).scan()
        changed = sum(
            1 for f in files
            if (old := state.get(f.key)) is None
            or (old.get(S.SIZE), old.get(S.MTIME)) != (f.size, f.mtime)
        ) + len(set(state) - {f.key for f in files})
        if changed or waiting or self.problem or self._ix is None:
            todo = f"{changed} changed article(s)" if changed else "the index"
            raise LibraryError(
                f"{self.data_dir} is read-only ({exc.strerror or exc}): {todo} cannot be "
                "written; the library stays as it was."
            )
        return UpdateReport(unchanged=len(files), seconds=time.monotonic() - started,
                            extra={"rebuilt": None, "analysed": 0, "words": 0})

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
                waiting = self._count(searcher, S.NO)
            except Exception as exc:  # Whoosh raises anything from pickle to struct errors
                self._corrupt(exc)
        return total - waiting, total

    def _waiting(self, searcher: Any) -> int:
        """How many articles have no word pairs yet (not analysed, or analysed by an update
        that has not made its last commit)."""
        return self._count(searcher, S.NO) + self._count(searcher, S.UNPAIRED)

    def _count(self, searcher: Any, state: str) -> int:
        """How many live articles have this :data:`S.ANALYSED` (cached per searcher)."""
        cached = self._cache.get(f"analysed:{state}")
        if cached is None or cached[0] is not searcher:
            found = searcher.docs_for_query(Term(S.ANALYSED, state))
            cached = (searcher, sum(1 for _ in found))
            self._cache[f"analysed:{state}"] = cached
        return int(cached[1])

    def _locked_stored_fields(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            return self._stored_fields(key)

    def _manifest(self) -> dict[str, dict[str, Any]]:
        """What the index holds, per key: path, size, mtime and hash. Read from the
        manifest written after the last commit when it is of the same Whoosh generation,
        else (a crash between the two) from the stored fields, which is slower."""
        from index.library.fields import manifest_entry

        found = self._storage.read_manifest(self._ix)
        if found is not None:
            return found
        return {f[S.KEY]: manifest_entry(f) for f in self._searcher.reader().all_stored_fields()}

    def _analyser_for(self, count: int) -> Analyser:
        if self._analyser is not None:
            return self._analyser
        from index.analysis import Analyser as SpacyAnalyser
        from index.analysis import processes_for

        processes = self.processes if self.processes is not None else processes_for(count)
        return SpacyAnalyser(n_process=max(1, processes))
