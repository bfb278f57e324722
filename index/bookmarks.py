"""Bookmarks: passages the user keeps, stored apart from the index, that follow edits.

The Whoosh index is a cache that can be rebuilt at any time; bookmarks are the user's data.
They live in their own SQLite database, ``data_dir/bookmarks.sqlite3``, in WAL mode with
``synchronous=FULL``: every call that writes is one short ``BEGIN IMMEDIATE`` transaction, so
a crash (or ``kill -9``) between calls loses no committed bookmark, and ``busy_timeout`` lets
several processes (the window and the command line) share the file.

A bookmark carries the two W3C Web Annotation selectors of its passage: the TextQuote
selector (the quoted text with up to :data:`CONTEXT` characters of prefix and suffix, as the
Hypothesis client keeps) and the TextPosition selector (``start``/``end`` code-point offsets
into the article's analysed text). When an article changes, :meth:`BookmarkStore.reanchor`
finds each passage again the way Hypothesis's ``match-quote`` does:

1. exact occurrences of the quote; if there are several, the one whose prefix, suffix and
   position fit best;
2. otherwise approximate occurrences with at most ``min(256, len(quote) // 2)`` edits, each
   scored ``50·quote + 20·prefix + 20·suffix + 2·position`` (each part a similarity in
   0..1) and the best one taken;
3. a candidate is accepted only if it is convincing (see :func:`find_anchor`); otherwise the
   bookmark is kept, marked ``orphaned``, with its old text — never dropped, and never left
   pointing at a passage that is not the one the user chose.

Matching library: approximate *substring* search is Myers' bit-parallel algorithm (the one
Hypothesis's ``approx-string-match`` implements) on Python integers — linear in the article
and exact Levenshtein semantics, which rapidfuzz does not offer for "every place this pattern
occurs with at most k edits" (its ``partial_ratio_alignment`` gives a single best window by
Indel ratio, so context could not choose between candidates). rapidfuzz's C++ Levenshtein
then does the small fixed-size work: where each candidate starts and how well the context
fits. diff-match-patch was not needed: it allows only 32-character patterns.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rapidfuzz.distance import Levenshtein

from index.model import Bookmark

#: File name of the store inside the data directory.
FILENAME = "bookmarks.sqlite3"
#: Characters of context kept on each side of a passage (Hypothesis keeps 32).
CONTEXT = 32
#: Version of the table layout, kept in ``PRAGMA user_version``.
SCHEMA_VERSION = 1
#: How long a writer waits for another process's transaction before giving up.
BUSY_TIMEOUT_MS = 5000
#: Version of the JSON export format.
EXPORT_VERSION = 1

# Hypothesis's weights (client/src/annotator/anchoring/match-quote.ts).
_W_QUOTE, _W_PREFIX, _W_SUFFIX, _W_POS = 50.0, 20.0, 20.0, 2.0
_W_TOTAL = _W_QUOTE + _W_PREFIX + _W_SUFFIX + _W_POS
#: Characters at each end of a long quote that decide where an approximate match begins/ends.
_EDGE = 64
#: Fewest approximate candidates scored per bookmark, kept to bound the work on long articles.
_MAX_CANDIDATES = 64

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


# --------------------------------------------------------------------------- anchoring


@dataclass(frozen=True)
class Anchor:
    """Where a passage was found: ``text[start:end]``, how well it fits (0..1), and how."""

    start: int
    end: int
    score: float
    exact: bool


def selectors(text: str, start: int, end: int) -> tuple[str, str, str]:
    """The TextQuote selector ``(quote, prefix, suffix)`` of ``text[start:end]``."""
    if not 0 <= start < end <= len(text):
        raise BookmarkError(f"the passage {start}..{end} is not inside the article")
    return text[start:end], text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT]


def find_quote(text: str, quote: str) -> list[tuple[int, int]]:
    """Every place ``quote`` occurs in ``text``, any run of white space matching any other.

    What a user types on a command line rarely has the article's line breaks; this is how
    ``bookmarks add --quote`` finds the passage. Returns ``(start, end)`` spans.
    """
    words = quote.split()
    if not words:
        return []
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words))
    spans: list[tuple[int, int]] = []
    pos = 0
    while (m := pattern.search(text, pos)) is not None:
        spans.append(m.span())
        pos = m.start() + 1
    return spans


def find_anchor(
    text: str, quote: str, prefix: str = "", suffix: str = "", hint: int | None = None
) -> Anchor | None:
    """Find a passage again in a changed ``text``, or ``None`` if it cannot be found surely.

    Candidates are exact occurrences of ``quote`` or, when there are none that convince,
    approximate ones (at most ``min(256, len(quote) // 2)`` edits, their ends then moved to
    where the old prefix ends and the old suffix begins, never inside a word); each is
    scored as Hypothesis does (quote 50, prefix 20, suffix 20, position 2) and the best is
    taken. Hypothesis always takes the best; here it must also be convincing, since a
    bookmark on the wrong passage is worse than one marked orphaned:

    * an exact quote is accepted if it is the only occurrence and long enough
      (:data:`UNIQUE_QUOTE_MIN` characters) to mean the same passage, or if enough of its
      context survived (mean prefix and suffix similarity at least :data:`CONTEXT_MIN`: one
      side intact is enough);
    * an approximate one needs its quote similarity at least :data:`FUZZY_QUOTE_MIN` with
      that much context, or at least 0.5 with context :data:`FUZZY_CONTEXT_MIN`.
    """
    if not quote:
        return None
    exact = [(s, s + len(quote), 0) for s in _occurrences(text, quote)]
    unique = len(exact) == 1 and len(quote) >= UNIQUE_QUOTE_MIN
    if exact:
        anchor = _best(text, quote, prefix, suffix, hint, exact, unique)
        if anchor is not None:
            return anchor
    # No exact occurrence, or none in its place (the passage itself was edited and the same
    # words occur elsewhere): look for approximate ones, which include the exact ones.
    max_errors = min(256, len(quote) // 2)
    fuzzy = [
        _refine(text, quote, prefix, suffix, start, end, max(max_errors, CONTEXT))
        for start, end, _errors in _approx_matches(text, quote, max_errors)
    ]
    # A passage that began (ended) on a word boundary must still do so: never half a word.
    starts_word = _boundary(prefix[-1:] + quote, len(prefix[-1:]))
    ends_word = _boundary(quote + suffix[:1], len(quote))
    fuzzy = [
        (s, e, n)
        for s, e, n in fuzzy
        if (_boundary(text, s) or not starts_word) and (_boundary(text, e) or not ends_word)
    ]
    return _best(text, quote, prefix, suffix, hint, fuzzy, unique) if fuzzy else None


def _boundary(text: str, i: int) -> bool:
    """Whether offset ``i`` does not cut a word of ``text`` in two."""
    return not (0 < i < len(text) and text[i - 1].isalnum() and text[i].isalnum())


def _refine(
    text: str, quote: str, prefix: str, suffix: str, start: int, end: int, slack: int
) -> tuple[int, int, int]:
    """Move an approximate match's ends to where its context says the passage ends.

    The fewest-edit window for a quote whose first or last word was rewritten leaves that
    word out ("California have [asked]" → "California have " before "Xylophonic to see…");
    the passage the user chose runs up to where the old suffix begins and from where the old
    prefix ends. Each end moves by at most ``slack``; returns ``(start, end, errors)``.
    """

    def before(s: int) -> int:
        return int(Levenshtein.distance(prefix, text[max(0, s - len(prefix)) : s])) if prefix else 0

    def after(e: int) -> int:
        return int(Levenshtein.distance(suffix, text[e : e + len(suffix)])) if suffix else 0

    ends = range(max(start + 1, end - slack), min(len(text), end + slack) + 1)
    if len(quote) <= _EDGE:

        def cost(s: int, e: int) -> int:
            return int(Levenshtein.distance(quote, text[s:e])) + before(s) + after(e)

        end = min(ends, key=lambda e: (cost(start, e), abs(e - end)))
        starts = range(max(0, start - slack), min(end - 1, start + slack) + 1)
        start = min(starts, key=lambda s: (cost(s, end), abs(s - start)))
    else:
        # A long quote: each end is decided by the _EDGE characters of the quote next to it,
        # so every comparison stays small however long the passage is.
        # (Where the tail begins, and the head ends, is taken from the first estimate.)
        head, tail = quote[:_EDGE], quote[-_EDGE:]
        tail_at, head_end = max(start, end - _EDGE), min(end, start + _EDGE)

        def end_cost(e: int) -> int:
            return int(Levenshtein.distance(tail, text[tail_at:e])) + after(e)

        def start_cost(s: int) -> int:
            return int(Levenshtein.distance(head, text[s:head_end])) + before(s)

        end = min(ends, key=lambda e: (end_cost(e), abs(e - end)))
        starts = range(max(0, start - slack), min(end - 1, start + slack) + 1)
        start = min(starts, key=lambda s: (start_cost(s), abs(s - start)))
    return start, end, int(Levenshtein.distance(quote, text[start:end]))


def _best(
    text: str,
    quote: str,
    prefix: str,
    suffix: str,
    hint: int | None,
    candidates: list[tuple[int, int, int]],
    unique: bool,
) -> Anchor | None:
    """The best-scoring candidate ``(start, end, errors)`` if it is convincing, else None."""
    best: tuple[float, int, int, int, float] | None = None
    for start, end, errors in candidates:
        quote_sim = 1.0 - errors / len(quote)
        context = _context_fit(text, start, end, prefix, suffix)
        position = 1.0 if hint is None or not text else 1.0 - abs(start - hint) / len(text)
        score = (
            _W_QUOTE * quote_sim
            + _W_PREFIX * context[0]
            + _W_SUFFIX * context[1]
            + _W_POS * max(0.0, position)
        ) / _W_TOTAL
        if best is None or score > best[0]:
            best = (score, start, end, errors, (context[0] + context[1]) / 2)
    if best is None:
        return None
    score, start, end, errors, context_fit = best
    if errors == 0:
        if unique or context_fit >= CONTEXT_MIN:
            return Anchor(start, end, score, True)
        return None
    quote_sim = 1.0 - errors / len(quote)
    if (quote_sim >= FUZZY_QUOTE_MIN and context_fit >= CONTEXT_MIN) or (
        quote_sim >= 0.5 and context_fit >= FUZZY_CONTEXT_MIN
    ):
        return Anchor(start, end, score, False)
    return None


# The acceptance thresholds were chosen on 6,100 simulated edits of 400 BBC articles
# (text inserted before the passage, a word inside it replaced, both, the passage's paragraph
# deleted, the sentences around it rewritten), as the values that put no bookmark on a wrong
# passage while re-anchoring every insertion; see the module's tests for the cases.
#: An exact quote this long that occurs once is taken to be the passage whatever its context.
UNIQUE_QUOTE_MIN = 32
#: Mean similarity (0..1) of prefix and suffix that vouches for a candidate.
CONTEXT_MIN = 0.55
#: Similarity (0..1) an approximate quote must reach with that context…
FUZZY_QUOTE_MIN = 0.7
#: …or the context an approximate quote needs when its similarity is only 0.5 to 0.7 (a short
#: quote with a word changed, between a prefix and a suffix that are still there).
FUZZY_CONTEXT_MIN = 0.8


def _occurrences(text: str, quote: str) -> Iterator[int]:
    pos = text.find(quote)
    while pos != -1:
        yield pos
        pos = text.find(quote, pos + 1)


def _context_fit(text: str, start: int, end: int, prefix: str, suffix: str) -> tuple[float, float]:
    """How well the text around ``start..end`` matches the old prefix and suffix (0..1 each).

    An empty prefix (suffix) means the passage began (ended) the article: it fits only there.
    """
    before = text[max(0, start - (len(prefix) or 1)) : start]
    after = text[end : end + (len(suffix) or 1)]
    return _similarity(prefix, before), _similarity(suffix, after)


def _similarity(expected: str, actual: str) -> float:
    if not expected:
        return 0.0 if actual else 1.0
    return float(Levenshtein.normalized_similarity(expected, actual))


def _approx_ends(text: str, pattern: str, max_errors: int) -> list[tuple[int, int]]:
    """``(end, errors)`` for each ``end`` where some ``text[s:end]`` is within ``max_errors``
    edits (Levenshtein) of ``pattern``, ``errors`` being the fewest.

    Myers (1999), "A fast bit-vector algorithm for approximate string matching based on
    dynamic programming", in Hyyrö's formulation, one bit per pattern character.
    """
    m = len(pattern)
    if m == 0:
        return []
    peq: dict[str, int] = {}
    for i, ch in enumerate(pattern):
        peq[ch] = peq.get(ch, 0) | (1 << i)
    mask = (1 << m) - 1
    high = 1 << (m - 1)
    pv, mv, score = mask, 0, m
    found: list[tuple[int, int]] = []
    for j, ch in enumerate(text):
        eq = peq.get(ch, 0)
        xv = eq | mv
        xh = ((((eq & pv) + pv) & mask) ^ pv) | eq
        ph = mv | (~(xh | pv) & mask)
        mh = pv & xh
        if ph & high:
            score += 1
        elif mh & high:
            score -= 1
        ph = (ph << 1) & mask
        mh = (mh << 1) & mask
        pv = mh | (~(xv | ph) & mask)
        mv = ph & xv
        if score <= max_errors:
            found.append((j + 1, score))
    return found


def _approx_matches(text: str, pattern: str, max_errors: int) -> list[tuple[int, int, int]]:
    """Approximate occurrences ``(start, end, errors)``: the best end of each run of ends."""
    if max_errors <= 0:
        return []
    ends = _approx_ends(text, pattern, max_errors)
    # Ends come in runs around each occurrence; keep the fewest-error end of each run.
    best_ends: list[tuple[int, int]] = []
    run: list[tuple[int, int]] = []
    for item in ends:
        if run and item[0] != run[-1][0] + 1:
            best_ends.append(min(run, key=lambda e: e[1]))
            run = []
        run.append(item)
    if run:
        best_ends.append(min(run, key=lambda e: e[1]))
    best_ends.sort(key=lambda e: e[1])
    m = len(pattern)
    matches = []
    for end, errors in best_ends[:_MAX_CANDIDATES]:
        # The start: the window ending at `end` that reaches the fewest errors, the one whose
        # length is closest to the pattern's when several do.
        lo, hi = max(0, end - m - errors), max(0, end - m + errors)
        starts = sorted(range(lo, min(hi, end - 1) + 1), key=lambda s: abs(end - s - m))
        for s in starts:
            if Levenshtein.distance(pattern, text[s:end], score_cutoff=errors) <= errors:
                matches.append((s, end, errors))
                break
    return matches


# --------------------------------------------------------------------------- the store


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _row(row: sqlite3.Row | tuple[Any, ...]) -> Bookmark:
    id_, key, path, quote, prefix, suffix, start, end, note, created, orphaned = row
    return Bookmark(
        int(id_), key, path, quote, prefix, suffix, int(start), int(end), note, created,
        bool(orphaned),
    )


_Bookmarks = list[Bookmark]  # (inside the class, `list` names the method)
_Updates = list[tuple[Bookmark, Bookmark]]


class BookmarkStore:
    """The user's bookmarks, in ``data_dir/bookmarks.sqlite3``.

    Every method is one short transaction, safe to call from the GUI thread for the small
    writes a user makes (add, note saved, remove, undo) and from several processes at once.
    One store may be shared between threads (calls are serialised by a lock).
    """

    def __init__(self, data_dir: Path) -> None:
        data_dir = Path(data_dir)
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / FILENAME
        self._lock = threading.RLock()
        try:
            self._conn = sqlite3.connect(
                self.path,
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,  # we open our own transactions: BEGIN IMMEDIATE
                check_same_thread=False,  # the lock above serialises use
            )
        except sqlite3.Error as exc:
            raise BookmarkError(f"cannot open the bookmarks in {self.path}: {exc}") from exc
        try:
            self._conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            mode = self._write_ahead_logging()
            if str(mode).lower() != "wal":
                raise BookmarkError(f"cannot use write-ahead logging for {self.path} ({mode})")
            # FULL: a transaction is durable once commit returns, even on power loss.
            self._conn.execute("PRAGMA synchronous = FULL")
            self._migrate()
        except BaseException:
            self._conn.close()
            raise

    def _write_ahead_logging(self) -> str:
        """Switches the database to WAL. SQLite does not wait (busy_timeout) for this
        switch: two processes opening a new store at once (the window and the command
        line) get "database is locked", so it is retried for as long as a write would wait."""
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
            self._conn.close()

    def __enter__(self) -> BookmarkStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; the write lock is taken at once, so it cannot deadlock."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def _migrate(self) -> None:
        with self._write() as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise BookmarkError(
                    f"{self.path} was written by a newer Broadsheet (format {version}); "
                    "it is left untouched"
                )
            if version < SCHEMA_VERSION:
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    # -- reading

    def list(self, key: str | None = None) -> list[Bookmark]:
        """Every bookmark in the order they were made, or one article's in text order.

        Orphaned bookmarks are included (``orphaned`` is true): they are never hidden.
        """
        with self._lock:
            if key is None:
                rows = self._conn.execute(f"SELECT {_COLUMNS} FROM bookmarks ORDER BY id")
            else:
                rows = self._conn.execute(
                    f"SELECT {_COLUMNS} FROM bookmarks WHERE key = ? ORDER BY start, id", (key,)
                )
            return [_row(r) for r in rows.fetchall()]

    def get(self, id: int) -> Bookmark:
        """The bookmark with this id; :class:`BookmarkNotFound` if there is none."""
        with self._lock:
            row = self._conn.execute(
                f"SELECT {_COLUMNS} FROM bookmarks WHERE id = ?", (int(id),)
            ).fetchone()
        if row is None:
            raise BookmarkNotFound(id)
        return _row(row)

    def keys(self) -> set[str]:
        """The articles that have bookmarks."""
        with self._lock:
            return {r[0] for r in self._conn.execute("SELECT DISTINCT key FROM bookmarks")}

    # -- writing

    def add(
        self, key: str, path: str, text: str, start: int, end: int, note: str = ""
    ) -> Bookmark:
        """Bookmark ``text[start:end]`` of the article ``key`` (``text`` is its analysed text)."""
        quote, prefix, suffix = selectors(text, start, end)
        with self._write() as db:
            cur = db.execute(
                "INSERT INTO bookmarks (key, path, quote, prefix, suffix, start, end_, note,"
                " created, orphaned) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
                (key, str(path), quote, prefix, suffix, start, end, note, _now()),
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
            bookmark.key, bookmark.path, bookmark.quote, bookmark.prefix, bookmark.suffix,
            bookmark.start, bookmark.end, bookmark.note, bookmark.created or _now(),
            int(bookmark.orphaned),
        )
        with self._write() as db:
            row = db.execute(
                f"SELECT {_COLUMNS} FROM bookmarks WHERE id = ?", (bookmark.id,)
            ).fetchone()
            if row is not None and _row(row) == replace(bookmark, created=row[9]):
                return _row(row)
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
        before = self.list(key)
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
        return json.dumps(
            {
                "format": "broadsheet-bookmarks",
                "version": EXPORT_VERSION,
                "exported": _now(),
                "bookmarks": [b.to_dict() for b in self.list()],
            },
            ensure_ascii=False,
            indent=2,
        ) + "\n"

    def export_markdown(self, titles: Mapping[str, str]) -> str:
        """Every bookmark as Markdown: one section per article (``titles`` maps key to title;
        the file name stands in for a missing one), each passage a block quote with its note.
        """
        by_key: dict[str, list[Bookmark]] = {}
        for b in self.list():
            by_key.setdefault(b.key, []).append(b)
        out = ["# Bookmarks", ""]
        if not by_key:
            out += ["No bookmarks yet.", ""]

        def title_of(key: str) -> str:
            return titles.get(key) or Path(by_key[key][0].path).name

        for key in sorted(by_key, key=lambda k: (title_of(k).casefold(), k)):
            marks = sorted(by_key[key], key=lambda b: (b.start, b.id))
            out += [f"## {_md_escape(title_of(key))}", "", f"`{marks[0].path}`", ""]
            for b in marks:
                out += ["> " + line if line else ">" for line in _md_escape(b.quote).splitlines()]
                out.append("")
                if b.note.strip():
                    out += [b.note.strip(), ""]
                meta = f"*Bookmark #{b.id}, {b.created.replace('T', ' ').replace('Z', ' UTC')}"
                if b.orphaned:
                    meta += " — no longer found in the article; this is the text as it was"
                out += [meta.rstrip() + "*", ""]
        return "\n".join(out).rstrip("\n") + "\n"


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


# Characters that Markdown (CommonMark and Python-Markdown alike) would read as markup, each
# escaped as both understand: a backslash where both allow one, an entity otherwise.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]>])")
_MD_ENTITY = re.compile(r"<|&(?=#?\w+;)")
_MD_LINE_START = re.compile(r"^(\s*)([#+\-])", re.MULTILINE)
_MD_NUMBERED = re.compile(r"^(\s*\d+)([.)])", re.MULTILINE)
_MD_SETEXT = re.compile(r"^(\s*)=", re.MULTILINE)


def _md_escape(text: str) -> str:
    """Plain text made safe to put in Markdown: it reads as itself, not as markup."""
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _MD_ENTITY.sub(lambda m: "&lt;" if m.group() == "<" else "&amp;", text)
    text = _MD_LINE_START.sub(r"\1\\\2", text)
    text = _MD_SETEXT.sub(r"\1&#61;", text)
    return _MD_NUMBERED.sub(r"\1\\\2", text)
