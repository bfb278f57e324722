"""Broadsheet's engine: documents, extraction, the Whoosh library, bookmarks, the command line.

Nothing in this package imports Qt; the window in ``desktop/`` is one client of it and the
command line another.
"""

__version__ = "0.1.0"
