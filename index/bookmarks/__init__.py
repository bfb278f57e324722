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

The package: :mod:`~index.bookmarks.store` (the SQLite store, read-only where it cannot
write), :mod:`~index.bookmarks.anchoring` (finding a passage again) and
:mod:`~index.bookmarks.export` (JSON and Markdown).
"""

from index.bookmarks.anchoring import CONTEXT, Anchor, find_anchor, find_quote
from index.bookmarks.export import EXPORT_VERSION, exported
from index.bookmarks.store import (
    BUSY_TIMEOUT_MS,
    FILENAME,
    SCHEMA_VERSION,
    BookmarkError,
    BookmarkNotFound,
    BookmarkStore,
    selectors,
)
from index.model import Bookmark

__all__ = [
    "BUSY_TIMEOUT_MS",
    "CONTEXT",
    "EXPORT_VERSION",
    "FILENAME",
    "SCHEMA_VERSION",
    "Anchor",
    "Bookmark",
    "BookmarkError",
    "BookmarkNotFound",
    "BookmarkStore",
    "exported",
    "find_anchor",
    "find_quote",
    "selectors",
]
