"""The store: the user's bookmarks in SQLite, safe against crashes and shared by processes.

See :mod:`index.bookmarks`. A store on a place that cannot be written (a read-only data
directory or file) opens read-only: listing and exporting work, and a write says in one
sentence what cannot be written (:class:`BookmarkError`). Opening never writes unless the
database must be created or its table layout upgraded.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from index import paths
from index.bookmarks.anchoring import CONTEXT, find_anchor
from index.bookmarks.export import to_json, to_markdown
from index.model import Bookmark

#: File name of the store inside the data directory.
FILENAME = "bookmarks.sqlite3"
#: Version of the table layout, kept in ``PRAGMA user_version``.
SCHEMA_VERSION = 1
#: How long a writer waits for another process's transaction before giving up.
BUSY_TIMEOUT_MS = 5000

_COLUMNS = "id, key, path, quote, prefix, suffix, start, end_, note, created, orphaned"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS bookmarks (
    -- AUTOINCREMENT: an id is never reused, so undoing a removal can give the old id back.
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    key      TEXT    NOT NULL,             -- index.paths.document_key of the article's file
    path     TEXT    NOT NULL,             -- the file, absolute, for export and display
    quote    TEXT    NOT NULL,             -- TextQuoteSelector.exact
    prefix   TEXT    NOT NULL DEFAULT '',  -- TextQuoteSelector.prefix (up to CONTEXT chars)
    suffix   TEXT    NOT NULL DEFAULT '',  -- TextQuoteSelector.suffix
    start    INTEGER NOT NULL,             -- TextPositionSelector, code points, end exclusive
    end_     INTEGER NOT NULL,
    note     TEXT    NOT NULL DEFAULT '',
    created  TEXT    NOT NULL,             -- ISO 8601, UTC
    orphaned INTEGER NOT NULL DEFAULT 0    -- 1: the passage was not found after an edit
);
CREATE INDEX IF NOT EXISTS bookmarks_by_key ON bookmarks (key, start);
"""


class BookmarkError(Exception):
    """A bookmark operation that cannot be done, in words a user understands."""


class BookmarkNotFound(BookmarkError, LookupError):
    """No bookmark has this id."""

    def __init__(self, id: int) -> None:
        super().__init__(f"there is no bookmark #{id}")
        self.id = id



def selectors(text: str, start: int, end: int) -> tuple[str, str, str]:
    """The TextQuote selector ``(quote, prefix, suffix)`` of ``text[start:end]``."""
    if not 0 <= start < end <= len(text):
        raise BookmarkError(f"the passage {start}..{end} is not inside the article")
    return text[start:end], text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT]




# --------------------------------------------------------------------------- the store


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _row(row: sqlite3.Row | tuple[Any, ...]) -> Bookmark:
    id_, key, path, quote, prefix, suffix, start, end, note, created, orphaned = row
    if isinstance(path, bytes):  # a file name that is not UTF-8 (see _db_path)
        path = os.fsdecode(path)
    return Bookmark(
        int(id_), key, path, quote, prefix, suffix, int(start), int(end), note, created,
        bool(orphaned),
    )


def _db_path(path: str | os.PathLike[str]) -> str | bytes:
    """A file's path as SQLite can keep it: text, or where the name is not valid UTF-8 (a
    surrogate escape, which SQLite refuses), the file system's bytes, read back exactly."""
    text = os.fspath(path)
    if isinstance(text, bytes):
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(text)
    return text


def _with_files_checked(bookmarks: list[Bookmark]) -> list[Bookmark]:
    """``bookmarks`` with those whose article's file no longer exists marked orphaned."""
    return [
        b if b.orphaned or os.path.exists(b.path) else replace(b, orphaned=True)
        for b in bookmarks
    ]


def _writable(data_dir: Path, store: Path) -> bool:
    """Whether the store can be written: the folder (for a new store and SQLite's journal
    files) and the file, if it exists. ``False`` only when known not to be."""
    folder = data_dir if data_dir.exists() else next(
        (p for p in data_dir.parents if p.exists()), data_dir
    )
    if not os.access(folder, os.W_OK):
        return False
    return not store.exists() or os.access(store, os.W_OK)


class _ReadOnlyPlace(Exception):
    """Opening for writing found the place read-only."""


def _is_read_only_error(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "readonly" in text or "read-only" in text or "unable to open" in text


_Bookmarks = list[Bookmark]  # (inside the class, `list` names the method)
_Updates = list[tuple[Bookmark, Bookmark]]


class BookmarkStore:
    """The user's bookmarks, in ``data_dir/bookmarks.sqlite3``.

    Every method is one short transaction, safe to call from the GUI thread for the small
    writes a user makes (add, note saved, remove, undo) and from several processes at once.
    One store may be shared between threads (calls are serialised by a lock).
    """

    def __init__(self, data_dir: Path, *, read_only: bool = False) -> None:
        data_dir = Path(data_dir)
        self.path = data_dir / FILENAME
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        #: True when this store cannot write (asked for, or the place is read-only).
        self.read_only = read_only or not _writable(data_dir, self.path)
        if not self.read_only:
            try:
                data_dir.mkdir(parents=True, exist_ok=True)
                self._open_for_writing()
                return
            except _ReadOnlyPlace:
                self.read_only = True
        self._open_read_only()

    def _connect(self, target: str, *, uri: bool = False) -> sqlite3.Connection:
        try:
            return sqlite3.connect(
                target,
                uri=uri,
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,  # we open our own transactions: BEGIN IMMEDIATE
                check_same_thread=False,  # the lock above serialises use
            )
        except sqlite3.Error as exc:
            raise BookmarkError(
                f"cannot open the bookmarks in {paths.display(self.path)}: {exc}"
            ) from exc

    def _open_for_writing(self) -> None:
        conn = self._connect(str(self.path))
        self._conn = conn
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            # Opening writes only what must be written: WAL mode and the table layout are
            # set once, when the store is new (or older), so that a store that cannot be
            # written is still read (issue 13: `bookmarks list` failed on a read-only one).
            version = self._version()
            if str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
                mode = self._write_ahead_logging()
                if str(mode).lower() != "wal":
                    raise BookmarkError(
                        f"cannot use write-ahead logging for {paths.display(self.path)} ({mode})"
                    )
            # FULL: a transaction is durable once commit returns, even on power loss.
            conn.execute("PRAGMA synchronous = FULL")
            if version < SCHEMA_VERSION:
                self._migrate()
        except sqlite3.OperationalError as exc:
            conn.close()
            self._conn = None
            if _is_read_only_error(exc):
                raise _ReadOnlyPlace() from exc
            raise BookmarkError(
                f"cannot open the bookmarks in {paths.display(self.path)}: {exc}"
            ) from exc
        except BaseException:
            conn.close()
            self._conn = None
            raise

    def _open_read_only(self) -> None:
        """Opens the store for reading only; with no store file there is nothing to read."""
        if not self.path.exists():
            return
        from urllib.parse import quote

        base = "file:" + quote(os.fsencode(self.path.absolute()).decode("utf-8", "surrogateescape"))
        # A WAL database is read through its shared-memory file; where that cannot be
        # made (a read-only folder after a clean close), read the file as it is.
        for options in ("?mode=ro", "?mode=ro&immutable=1"):
            conn = self._connect(base + options, uri=True)
            try:
                conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                self._conn = conn
                self._version()
                return
            except sqlite3.OperationalError:
                conn.close()
                self._conn = None
        raise BookmarkError(f"cannot read the bookmarks in {paths.display(self.path)}")

    def _version(self) -> int:
        """The table layout's version; :class:`BookmarkError` if newer than this program's."""
        assert self._conn is not None
        version = int(self._conn.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise BookmarkError(
                f"{paths.display(self.path)} was written by a newer Broadsheet "
                f"(format {version}); it is left untouched"
            )
        return version

    def _write_ahead_logging(self) -> str:
        """Switches the database to WAL. SQLite does not wait (busy_timeout) for this
        switch: two processes opening a new store at once (the window and the command
        line) get "database is locked", so it is retried for as long as a write would wait."""
        assert self._conn is not None
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                return str(self._conn.execute("PRAGMA journal_mode = WAL").fetchone()[0])
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    # -- life cycle

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()

    def __enter__(self) -> BookmarkStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _cannot_write(self) -> BookmarkError:
        where = self.path if self.path.exists() else self.path.parent
        return BookmarkError(
            f"Bookmarks cannot be saved: {paths.display(where)} is read-only."
        )

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; the write lock is taken at once, so it cannot deadlock."""
        if self.read_only or self._conn is None:
            raise self._cannot_write()
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                if _is_read_only_error(exc):
                    raise self._cannot_write() from exc
                raise
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            try:
                self._conn.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                self._conn.execute("ROLLBACK")
                if _is_read_only_error(exc):
                    raise self._cannot_write() from exc
                raise

    def _migrate(self) -> None:
        with self._write() as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise BookmarkError(
                    f"{paths.display(self.path)} was written by a newer Broadsheet "
                    f"(format {version}); it is left untouched"
                )
            if version < SCHEMA_VERSION:
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[Bookmark]:
        """Bookmarks as stored (``orphaned``: the passage was not found after an edit)."""
        with self._lock:
            if self._conn is None or (self.read_only and self._version() < SCHEMA_VERSION):
                return []  # no store yet (a read-only place where none was ever made)
            return [_row(r) for r in self._conn.execute(sql, params).fetchall()]

    # -- reading

    def list(self, key: str | None = None) -> list[Bookmark]:
        """Every bookmark in the order they were made, or one article's in text order.

        Orphaned bookmarks are included (``orphaned`` is true): they are never hidden. A
        bookmark is orphaned when its passage was not found after an edit, or when its
        article's file no longer exists (decided now, from the file).
        """
        if key is None:
            stored = self._rows(f"SELECT {_COLUMNS} FROM bookmarks ORDER BY id")
        else:
            stored = self._rows(
                f"SELECT {_COLUMNS} FROM bookmarks WHERE key = ? ORDER BY start, id", (key,)
            )
        return _with_files_checked(stored)

    def get(self, id: int) -> Bookmark:
        """The bookmark with this id; :class:`BookmarkNotFound` if there is none."""
        found = self._rows(f"SELECT {_COLUMNS} FROM bookmarks WHERE id = ?", (int(id),))
        if not found:
            raise BookmarkNotFound(id)
        return _with_files_checked(found)[0]

    def keys(self) -> set[str]:
        """The articles that have bookmarks."""
        return {b.key for b in self._rows(f"SELECT {_COLUMNS} FROM bookmarks")}

    # -- writing

    def add(
        self, key: str, path: str, text: str, start: int, end: int, note: str = ""
    ) -> Bookmark:
        """Bookmark ``text[start:end]`` of the article ``key`` (``text`` is its analysed text).

        White space at either end of the passage is left out (a selection dragged past a
        word takes the space after it); a passage of white space only is refused."""
        selectors(text, start, end)  # inside the text at all
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start == end:
            raise BookmarkError("the passage is only white space")
        quote, prefix, suffix = selectors(text, start, end)
        with self._write() as db:
            cur = db.execute(
                "INSERT INTO bookmarks (key, path, quote, prefix, suffix, start, end_, note,"
                " created, orphaned) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
                (key, _db_path(path), quote, prefix, suffix, start, end, note, _now()),
            )
            id_ = cur.lastrowid
        assert id_ is not None
        return self.get(id_)

    def set_note(self, id: int, note: str) -> Bookmark:
        """Save a bookmark's note (call it when the user saves, not on every keystroke)."""
        with self._write() as db:
            cur = db.execute("UPDATE bookmarks SET note = ? WHERE id = ?", (note, int(id)))
            if cur.rowcount == 0:
                raise BookmarkNotFound(id)
        return self.get(id)

    def remove(self, id: int) -> Bookmark:
        """Delete a bookmark and return it, so that :meth:`restore` can undo."""
        with self._write() as db:
            row = db.execute(
                f"SELECT {_COLUMNS} FROM bookmarks WHERE id = ?", (int(id),)
            ).fetchone()
            if row is None:
                raise BookmarkNotFound(id)
            db.execute("DELETE FROM bookmarks WHERE id = ?", (int(id),))
        return _row(row)

    def restore(self, bookmark: Bookmark) -> Bookmark:
        """Put back a removed bookmark, under its old id when that is free (undo of remove).

        Restoring one that is already there changes nothing and returns it.
        """
        values = (
            bookmark.key, _db_path(bookmark.path), bookmark.quote, bookmark.prefix, bookmark.suffix,
            bookmark.start, bookmark.end, bookmark.note, bookmark.created or _now(),
            int(bookmark.orphaned),
        )
        with self._write() as db:
            row = db.execute(
                f"SELECT {_COLUMNS} FROM bookmarks WHERE id = ?", (bookmark.id,)
            ).fetchone()
            if row is not None and replace(_row(row), orphaned=False) == replace(
                bookmark, created=row[9], orphaned=False
            ):
                return _with_files_checked([_row(row)])[0]
            if row is None and bookmark.id > 0:
                db.execute(
                    "INSERT INTO bookmarks (id, key, path, quote, prefix, suffix, start, end_,"
                    " note, created, orphaned) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (bookmark.id, *values),
                )
                id_: int | None = bookmark.id
            else:  # the id is taken by another bookmark: give this one a new id
                id_ = db.execute(
                    "INSERT INTO bookmarks (key, path, quote, prefix, suffix, start, end_, note,"
                    " created, orphaned) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    values,
                ).lastrowid
        assert id_ is not None
        return self.get(id_)

    def reanchor(self, key: str, text: str) -> _Bookmarks:
        """Follow an article's edit: find each of its bookmarks in the new ``text``.

        A bookmark found again takes the new quote, context and offsets (and stops being
        orphaned); one that cannot be found surely is kept, marked orphaned, with its old
        text. Returns the article's bookmarks afterwards, in text order.

        The matching runs outside any transaction; the results are written in one short
        transaction, skipping a bookmark that someone changed meanwhile.
        """
        before = self._rows(
            f"SELECT {_COLUMNS} FROM bookmarks WHERE key = ? ORDER BY start, id", (key,)
        )
        updates: _Updates = []
        for old in before:
            new = _reanchored(old, text)
            if new != old:
                updates.append((old, new))
        if updates:
            with self._write() as db:
                for old, new in updates:
                    db.execute(
                        "UPDATE bookmarks SET quote = ?, prefix = ?, suffix = ?, start = ?,"
                        " end_ = ?, orphaned = ? WHERE id = ? AND quote = ? AND prefix = ?"
                        " AND suffix = ? AND start = ? AND end_ = ? AND orphaned = ?",
                        (
                            new.quote, new.prefix, new.suffix, new.start, new.end,
                            int(new.orphaned), old.id, old.quote, old.prefix, old.suffix,
                            old.start, old.end, int(old.orphaned),
                        ),
                    )
        return self.list(key)

    # -- export

    def export_json(self) -> str:
        """Every bookmark, as a JSON document a person or a program can read back."""
        return to_json(self.list(), _now())

    def export_markdown(self, titles: Mapping[str, str]) -> str:
        """Every bookmark as Markdown: one section per article (``titles`` maps key to title;
        the file name stands in for a missing one), each passage a block quote with its note.
        """
        return to_markdown(self.list(), titles)


def _reanchored(b: Bookmark, text: str) -> Bookmark:
    # Unchanged passage: nothing to do (the common case when another part was edited).
    if (
        not b.orphaned
        and b.end <= len(text)
        and text[b.start : b.end] == b.quote
        and selectors(text, b.start, b.end) == (b.quote, b.prefix, b.suffix)
    ):
        return b
    anchor = find_anchor(text, b.quote, b.prefix, b.suffix, b.start)
    if anchor is None:
        return replace(b, orphaned=True)
    quote, prefix, suffix = selectors(text, anchor.start, anchor.end)
    return replace(
        b, quote=quote, prefix=prefix, suffix=suffix, start=anchor.start, end=anchor.end,
        orphaned=False,
    )
