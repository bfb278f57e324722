"""The library: source folders and files, their Whoosh index, search and library-wide views.

:class:`Library` (in :mod:`index.library.core`) is what the window and the command line
call. Its parts: :mod:`~index.library.sources` (the user's list of sources and problems),
:mod:`~index.library.storage` (generations, ``CURRENT``, manifest, lock),
:mod:`~index.library.update` (one update run: :mod:`~index.library.textphase`,
:mod:`~index.library.analysisphase`, :mod:`~index.library.files`, :mod:`~index.library.fields`;
:mod:`~index.library.updating` drives it), :mod:`~index.library.schema` (the Whoosh
fields) and :mod:`~index.library.search` (queries, highlighting, snippets). The value
objects and errors it answers with live in :mod:`index.model` (re-exported here).
"""

from index.library.core import Library
from index.model import (
    Article,
    ArticleInfo,
    LibraryCorrupt,
    LibraryEntity,
    LibraryError,
    LibraryLocked,
    LibraryStatement,
    QueryError,
    SearchResult,
)

__all__ = [
    "Article",
    "ArticleInfo",
    "Library",
    "LibraryCorrupt",
    "LibraryEntity",
    "LibraryError",
    "LibraryLocked",
    "LibraryStatement",
    "QueryError",
    "SearchResult",
]
