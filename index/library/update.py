"""One update of the index: scan the sources, compare, analyse what changed, write, commit.

An incremental update rewrites only the articles whose content changed (size+mtime first,
then SHA-256) and deletes those whose files went, entities and statements with them (they
are stored in the article's document). A full rebuild writes a fresh generation that
:class:`index.library.storage.Storage` swaps in at the end. One file's failure is that
file's problem: it is named with its reason and the rest are indexed.

:class:`Update` is driven by :meth:`index.library.core.Library.update`, which holds the
writer lock; what it needs of the library it is given explicitly (:class:`UpdateContext`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import whoosh.index
from whoosh.writing import LockError

from index import paths
from index.library import schema as S
from index.library.search import vocabulary_of
from index.library.sources import SourceList
from index.library.storage import WORDS_FILE, Storage, atomic_write, locked_message
from index.model import (
    Analysis,
    Document,
    LibraryLocked,
    Phase,
    Problem,
    Progress,
    UpdateReport,
)

#: An update into the live index commits every this many analysed articles, so that a
#: long one shows its articles as it goes (a rebuild is swapped in whole at the end).
COMMIT_EVERY = 100


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
    """One update; :meth:`run` does it and returns the report."""

    def __init__(
        self,
        ctx: UpdateContext,
        notify: Callable[[Progress], None],
        stop: Callable[[], bool],
        state: dict[str, dict[str, Any]],
        *,
        full: bool,
    ) -> None:
        self.ctx = ctx
        self.notify = notify
        self.stop = stop
        self.state = state
        self.full = full
        self.failed: list[Problem] = []
        self.words = 0
        self.vocabulary: set[str] = set()
        self.when = datetime.now(UTC).isoformat(timespec="seconds")
        #: Set when the index is swapped or committed: the library must reopen it.
        self.swapped = False

    def _fail(self, path: str, reason: str) -> None:
        self.failed.append(Problem(paths.display(path), reason, self.when))

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
                self.notify(Progress(Phase.SCAN, i, len(entries), name))
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
            self.notify(Progress(Phase.DONE, total, total))  # nothing to write
            return UpdateReport(failed=tuple(self.failed), unchanged=unchanged,
                                extra={"words": 0, "analysed": 0})
        gen: Path | None = None
        if self.full:
            gen = self.ctx.storage.new_generation()
            ix = whoosh.index.create_in(str(gen), S.make_schema())
            writer = ix.writer(limitmb=256)
        else:
            ix = self.ctx.ix
            writer = self._writer(ix)

        new_state = {} if self.full else dict(self.state)
        added: list[str] = []
        updated: list[str] = []
        changed_texts: dict[str, str] = {}
        bookmarked = _bookmarked_keys(self.ctx.storage.data_dir) if self.full else set()
        cancelled = False
        done = 0
        try:
            for key in removed:
                writer.delete_by_term(S.KEY, key)
                new_state.pop(key, None)
            for f, digest in touched:
                stored = self.ctx.stored_fields(f.key)
                if stored is None:  # the manifest was wrong: analyse it after all
                    to_analyse.append(f)
                    continue
                stored.update({S.SIZE: f.size, S.MTIME: f.mtime, S.SHA256: digest})
                writer.update_document(**fields_from_stored(stored))
                new_state[f.key] = manifest_entry(stored)
            for f, document, analysis in self.analysed(to_analyse):
                if analysis is None or document is None:  # unreadable: it leaves the index
                    if f.key in self.state:
                        writer.delete_by_term(S.KEY, f.key)
                        removed.append(f.key)
                        new_state.pop(f.key, None)
                else:
                    fields = article_fields(f, document, analysis)
                    if f.key in self.state:
                        old = self.ctx.stored_fields(f.key) or {}
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
                    new_state[f.key] = manifest_entry(fields)
                    (updated if f.key in self.state else added).append(f.key)
                done += 1
                self.notify(Progress(Phase.ANALYSE, done, len(to_analyse), f.path))
                if done < len(to_analyse) and self.stop():
                    cancelled = True
                    break
                if not self.full and done % COMMIT_EVERY == 0 and done < len(to_analyse):
                    # A long update into a live index shows its articles as it goes: the
                    # readers (the window, a search) see each commit, announced once made.
                    writer.commit()
                    self.ctx.storage.write_manifest(ix, new_state)
                    self.swapped = True
                    self.notify(Progress(Phase.COMMIT, done, len(to_analyse), f.path))
                    writer = self._writer(ix)
            if cancelled and self.full:
                writer.cancel()
            else:
                self.notify(Progress(Phase.COMMIT, total, total))
                writer.commit()
                self.ctx.storage.write_manifest(ix, new_state)
                self.swapped = True
        except BaseException:
            with contextlib.suppress(Exception):
                writer.cancel()
            if gen is not None:
                shutil.rmtree(gen, ignore_errors=True)
            raise
        discarded = cancelled and self.full
        if not discarded:
            self.save_vocabulary(gen)
        if gen is not None:
            if cancelled:
                shutil.rmtree(gen, ignore_errors=True)
            else:
                self.ctx.storage.swap_in(gen)
        if changed_texts and not discarded:
            _reanchor(self.ctx.storage.data_dir, changed_texts)
        if not discarded:  # 100 % only once the index is committed
            self.notify(Progress(Phase.DONE, total, total))
        return UpdateReport(
            added=() if discarded else tuple(added),
            updated=() if discarded else tuple(updated),
            removed=() if discarded else tuple(removed),
            failed=tuple(self.failed),
            unchanged=unchanged + len(touched),
            cancelled=cancelled,
            extra={"words": self.words, "analysed": done},
        )

    def _writer(self, ix: Any) -> Any:
        try:
            return ix.writer(timeout=self.ctx.lock_timeout)
        except LockError as exc:
            raise LibraryLocked(locked_message(self.ctx.storage.data_dir)) from exc

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
                    self._fail(f.path, getattr(exc, "reason", None) or str(exc))
                    queue.append((f, None))
                    continue
                except (OSError, ValueError, RecursionError) as exc:
                    self._fail(f.path, f"Cannot read the file: {_strerror(exc)}.")
                    queue.append((f, None))
                    continue
                self.words += len(document.text.split())
                self.vocabulary.update(vocabulary_of(document.text))
                queue.append((f, document))
                yield document

        analyses = self.ctx.analyser_for(len(files)).analyse_many(documents())
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


def article_fields(f: _Found, document: Document, analysis: Analysis) -> dict[str, Any]:
    """The stored and indexed fields of one article."""
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


def analysis_dict(fields: dict[str, Any]) -> dict[str, Any]:
    raw = fields.get(S.ANALYSIS)
    if isinstance(raw, str):
        loaded: dict[str, Any] = json.loads(raw)
        return loaded
    return raw or {}


def manifest_entry(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: fields.get(k) for k in (S.PATH, S.SIZE, S.MTIME, S.SHA256)}


def fields_from_stored(stored: dict[str, Any]) -> dict[str, Any]:
    """The fields to write again for a document rebuilt from what the index stored."""
    analysis = Analysis.from_dict(analysis_dict(stored))
    fields = {k: v for k, v in stored.items() if k not in (S.PERSON, S.PLACE)}
    fields[S.PERSON] = S.person_keywords(analysis.people)
    fields[S.PLACE] = S.place_keywords(analysis.places)
    fields[S.PAIRS] = stored.get(S.TEXT) or ""
    return fields


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
