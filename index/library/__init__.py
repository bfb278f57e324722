"""The library: source folders and files, their Whoosh index, search and library-wide views.

:class:`Library` (in :mod:`index.library.core`) is what the window and the command line
call; the value objects and errors it answers with live in :mod:`index.model`. Its parts
are listed in docs/ARCHITECTURE.md: sources, storage, the update run and its two phases,
the schema, the query language, search, snippets, the library-wide view and corrections.
"""

from index.library.core import Library

__all__ = ["Library"]
