"""The kinds the window's parts share: what a panel row is, what a panel looks at.

Plain enums with no import of :mod:`index`, so the widgets painted first need nothing more.
"""

from __future__ import annotations

import enum


class Scope(enum.StrEnum):
    """What a panel (or the search field) looks at."""

    ARTICLE = "article"
    LIBRARY = "library"


class EntryKind(enum.StrEnum):
    """What a panel row is; also the kind of the marks it makes in the reader. A person's
    or place's value is the library's :class:`index.model.EntityKind` value."""

    PERSON = "person"
    PLACE = "place"
    STATEMENT = "statement"
    ARTICLE = "article"  # an article a library-wide person or place appears in
