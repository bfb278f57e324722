"""Value objects that cross the boundary between ``index/`` and its clients.

Everything here is a frozen dataclass of plain values: no Whoosh ``Hit``, no spaCy
``Span`` ever leaves ``index/``. Offsets are Python character offsets (code points)
into a document's *analysed text* (see :mod:`index.documents`); the GUI converts them
to Qt's UTF-16 positions in one helper.
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NewType

#: ``(start, end)`` character offsets into a document's analysed text, end exclusive.
Span = tuple[int, int]

#: An article's identity in the library: the first 16 hex digits of SHA-1 of its resolved
#: path (:func:`index.paths.document_key`); it survives edits to the file.
ArticleKey = NewType("ArticleKey", str)


class EntityKind(enum.StrEnum):
    """What a library-wide entity is. The analyser finds people and places; an entry
    becomes an organisation only when the reader says so (:mod:`index.curation`)."""

    PERSON = "person"
    PLACE = "place"
    ORGANISATION = "organisation"


class Phase(enum.StrEnum):
    """Where an update is (:attr:`Progress.phase`)."""

    SCAN = "scan"
    INDEX = "index"  # the text of new and changed articles: searchable at its commit
    ANALYSE = "analyse"  # people, places and statements, article by article
    COMMIT = "commit"
    DONE = "done"


# --------------------------------------------------------------------------- errors


class LibraryError(Exception):
    """Something about the library a user must know; ``message`` says what."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class LibraryLocked(LibraryError):
    """Another process holds the library's writer lock."""


class LibraryCorrupt(LibraryError):
    """The index cannot be read; the next update rebuilds it."""


class QueryError(LibraryError, ValueError):
    """A query the user must fix; ``message`` is one sentence saying how."""


class SearchCancelled(Exception):
    """The caller's ``should_stop`` asked to abandon a search (a newer one replaced it)."""


def _spans(raw: Any) -> tuple[Span, ...]:
    return tuple((int(a), int(b)) for a, b in raw)


@dataclass(frozen=True)
class Person:
    """One person named in an article, all their mentions merged.

    ``name`` is the canonical full name ("Lloyd Austin"); ``role`` the title or office
    the text gives ("Secretary of Defence"), if any; ``aliases`` every other form used
    ("Mr Austin", "Austin"); ``mentions`` every occurrence, in reading order.
    """

    name: str
    role: str | None = None
    aliases: tuple[str, ...] = ()
    mentions: tuple[Span, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "role": self.role,
            "aliases": list(self.aliases),
            "mentions": [list(m) for m in self.mentions],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Person:
        return cls(d["name"], d.get("role"), tuple(d.get("aliases", ())), _spans(d["mentions"]))


@dataclass(frozen=True)
class Place:
    """One place named in an article.

    ``kind`` is one of ``country``, ``city``, ``region``, ``island``, ``sea`` or
    ``None`` where it is not known.
    """

    name: str
    kind: str | None = None
    aliases: tuple[str, ...] = ()
    mentions: tuple[Span, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "aliases": list(self.aliases),
            "mentions": [list(m) for m in self.mentions],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Place:
        return cls(d["name"], d.get("kind"), tuple(d.get("aliases", ())), _spans(d["mentions"]))


#: Values of :attr:`Statement.speaker_kind`.
SPEAKER_KINDS = ("person", "group", "organisation", "unknown")


@dataclass(frozen=True)
class Statement:
    """A direct quotation and who said it.

    ``start``/``end`` delimit the quoted text *inside* the quotation marks; ``text`` is
    exactly ``analysed_text[start:end]``. ``speaker`` is a person's canonical name when
    ``speaker_kind == "person"``, otherwise the text naming the group or organisation
    ("the two sides"), or ``None`` when unknown. ``cue`` is the verb or phrase that
    attributes it ("said", "responded", "according to", ":").
    """

    text: str
    start: int
    end: int
    speaker: str | None = None
    speaker_kind: str = "unknown"
    cue: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Statement:
        return cls(
            d["text"], int(d["start"]), int(d["end"]), d.get("speaker"),
            d.get("speaker_kind", "unknown"), d.get("cue"),
        )


#: Values of :attr:`NameEvidence.kind`.
NAME_KINDS = ("person", "place", "other")


@dataclass(frozen=True)
class NameEvidence:
    """What one article shows about one name, for deciding its kind across a library
    (see :mod:`index.evidence`).

    ``key`` is the normalised name the library adds up by; ``kind`` what the article alone
    made of it; ``name``, ``role``, ``place_kind``, ``aliases`` and ``mentions`` are enough
    to show it as a person or a place if the library decides so, without parsing again.
    ``counts`` are the cues seen, feature -> count (see :data:`index.evidence.FEATURES`).
    """

    key: str
    kind: str
    name: str
    mentions: tuple[Span, ...] = ()
    aliases: tuple[str, ...] = ()
    role: str | None = None
    place_kind: str | None = None
    counts: tuple[tuple[str, int], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"key": self.key, "kind": self.kind, "name": self.name,
                             "mentions": [list(m) for m in self.mentions]}
        if self.aliases:
            d["aliases"] = list(self.aliases)
        if self.role:
            d["role"] = self.role
        if self.place_kind:
            d["place_kind"] = self.place_kind
        if self.counts:
            d["counts"] = dict(self.counts)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> NameEvidence:
        return cls(
            d["key"], d["kind"], d["name"], _spans(d.get("mentions", ())),
            tuple(d.get("aliases", ())), d.get("role"), d.get("place_kind"),
            tuple((str(k), int(v)) for k, v in d.get("counts", {}).items()),
        )


@dataclass(frozen=True)
class Analysis:
    """What the analyser found in one document.

    ``evidence`` is what the document shows about each name it uses (people, places and
    other names alike), for the library-wide decision of :mod:`index.evidence`; it is empty
    in analyses stored before it existed.
    """

    people: tuple[Person, ...] = ()
    places: tuple[Place, ...] = ()
    statements: tuple[Statement, ...] = ()
    evidence: tuple[NameEvidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "people": [p.to_dict() for p in self.people],
            "places": [p.to_dict() for p in self.places],
            "statements": [s.to_dict() for s in self.statements],
        }
        if self.evidence:
            d["evidence"] = [e.to_dict() for e in self.evidence]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Analysis:
        return cls(
            tuple(Person.from_dict(x) for x in d.get("people", ())),
            tuple(Place.from_dict(x) for x in d.get("places", ())),
            tuple(Statement.from_dict(x) for x in d.get("statements", ())),
            tuple(NameEvidence.from_dict(x) for x in d.get("evidence", ())),
        )


#: Values of :attr:`Block.kind`.
BLOCK_KINDS = ("title", "dateline", "heading", "paragraph", "item", "quote", "code")


@dataclass(frozen=True)
class Block:
    """A structural piece of a document's analysed text, for the reader to render.

    ``kind`` is one of :data:`BLOCK_KINDS`; ``level`` is the heading level (1-6) for
    headings, else 0. Blocks never overlap and appear in text order; text between
    blocks is separator white space.
    """

    kind: str
    start: int
    end: int
    level: int = 0


@dataclass(frozen=True)
class Document:
    """A source file turned into one analysed text.

    For ``.txt`` files ``text`` is the decoded file content character for character,
    so an offset into ``text`` is an offset into the file. Markdown and HTML are reduced
    to paragraphs separated by blank lines; ``blocks`` keeps their structure.
    """

    path: Path
    text: str
    format: str  # "txt", "md" or "html"
    title: str
    dateline: str | None = None
    dateline_span: Span | None = None
    blocks: tuple[Block, ...] = ()
    encoding: str = "utf-8"
    warnings: tuple[str, ...] = ()
    sha256: str = ""
    size: int = 0
    mtime: float = 0.0


@dataclass(frozen=True)
class SearchHit:
    """One article matching a query."""

    key: str
    path: str
    title: str
    score: float
    snippet: str  # plain text with the matched terms wrapped in <b>…</b>
    hits: tuple[Span, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["hits"] = [list(h) for h in self.hits]
        return d


@dataclass(frozen=True)
class SearchResult:
    """The answer to one query: ranked ``hits`` (at most the limit asked for), the
    ``total`` number of matching articles, and a "did you mean" ``suggestion`` (a whole
    corrected query) when nothing matched and the spelling corrector knows better."""

    query: str
    hits: tuple[SearchHit, ...]
    total: int
    suggestion: str | None = None


@dataclass(frozen=True)
class ArticleInfo:
    """An indexed article, without its text. ``copies`` are the paths of byte-identical
    articles elsewhere in the library, listed once under this one. ``analysed`` is False
    while only its text is indexed: it is listed and searchable, but its people, places and
    statements are not known yet (not "none")."""

    key: str
    path: str
    title: str
    dateline: str | None
    source: str
    size: int
    mtime: float
    copies: tuple[str, ...] = ()
    analysed: bool = True


@dataclass(frozen=True)
class Article:
    """An indexed article with everything the reader shows; opening it needs no NLP."""

    info: ArticleInfo
    text: str
    blocks: tuple[Block, ...]
    analysis: Analysis

    @property
    def analysed(self) -> bool:
        """False while the article waits for its analysis: ``analysis`` is then empty
        because nothing is known yet, not because the article names no one."""
        return self.info.analysed


@dataclass(frozen=True)
class LibraryEntity:
    """A person or place across the library: ``articles`` holds ``(key, title,
    mention_count)`` for each article naming it, most mentions first; ``aliases`` every
    other form it goes by, most used first; ``roles`` ``(role, key)`` as the articles give
    them; ``hidden`` when the reader hid it."""

    name: str
    kind: EntityKind
    articles: tuple[tuple[str, str, int], ...]
    aliases: tuple[str, ...] = ()
    roles: tuple[tuple[str, str], ...] = ()
    hidden: bool = False  # the reader hid it (index.curation)

    @property
    def mentions(self) -> int:
        return sum(a[2] for a in self.articles)


@dataclass(frozen=True)
class LibraryStatement:
    """A statement and the article it is in."""

    key: str
    title: str
    statement: Statement


@dataclass(frozen=True)
class EntityArticle:
    """An article on an entity's page: how often it names the entity, and a snippet
    around the first mention (plain text)."""

    key: str
    title: str
    mentions: int
    snippet: str
    first: Span | None = None


@dataclass(frozen=True)
class EntityPage:
    """Everything the library knows about one person or place: its articles (most
    mentions first), its statements (a person's own; for a place, those of the articles
    naming it), the roles the articles give it (``(role, key, title)``), and the people and
    places that share most articles with it (``(name, shared articles)``)."""

    entity: LibraryEntity
    articles: tuple[EntityArticle, ...]
    statements: tuple[LibraryStatement, ...]
    roles: tuple[tuple[str, str, str], ...]
    people: tuple[tuple[str, int], ...]
    places: tuple[tuple[str, int], ...]

    def to_dict(self) -> dict[str, Any]:
        e = self.entity
        return {
            "name": e.name,
            "kind": str(e.kind),
            "aliases": list(e.aliases),
            "roles": [{"role": r, "key": k, "title": t} for r, k, t in self.roles],
            "articles": [{"key": a.key, "title": a.title, "mentions": a.mentions,
                          "snippet": a.snippet} for a in self.articles],
            "statements": [{"key": s.key, "title": s.title, "start": s.statement.start,
                            "end": s.statement.end, "text": s.statement.text,
                            "speaker": s.statement.speaker} for s in self.statements],
            "people": [{"name": n, "articles": c} for n, c in self.people],
            "places": [{"name": n, "articles": c} for n, c in self.places],
        }


@dataclass(frozen=True)
class Bookmark:
    """A bookmarked passage: the W3C TextQuote (quote, prefix, suffix) and
    TextPosition (start, end) selectors of one article, a note and a creation time."""

    id: int
    key: str
    path: str
    quote: str
    prefix: str
    suffix: str
    start: int
    end: int
    note: str = ""
    created: str = ""  # ISO 8601, UTC
    orphaned: bool = False

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class Problem:
    """A file that could not be read, with the reason in words a user understands, and
    when (ISO 8601, UTC) the update that found it ran."""

    path: str
    reason: str
    when: str = ""


@dataclass(frozen=True)
class Progress:
    """Where a long job is: ``done`` of ``total`` files in ``phase`` (a :class:`Phase`).

    An update tells the library's state in two counts as well: of its ``articles``,
    ``searchable`` are in the committed index and ``analysed`` of those have their people,
    places and statements ("2,225 searchable · 812 of 2,225 analysed"; see
    :meth:`counts`). ``completed`` is the share of the update's work done (the text phase
    weighs less than the analysis, as it takes less time). ``fraction`` reaches 1.0 only
    in ``done``, when every article is searchable *and* analysed, or the update stopped.
    """

    phase: Phase
    done: int
    total: int
    path: str = ""
    searchable: int = 0
    analysed: int = 0
    articles: int = 0
    completed: float | None = None

    @property
    def fraction(self) -> float:
        if self.phase == "done":
            return 1.0
        if self.completed is not None:
            return min(max(self.completed, 0.0), 0.99)
        if not self.total:
            return 0.0
        return min(self.done / self.total, 0.99)

    def counts(self) -> str:
        """The two counts in words, as the window's status bar and the terminal show them:
        ``"2,225 searchable · 812 of 2,225 analysed"`` (empty before an update knows them)."""
        if not self.articles and not self.searchable:
            return ""
        return (f"{self.searchable:,} searchable · "
                f"{self.analysed:,} of {max(self.articles, self.searchable):,} analysed")


@dataclass(frozen=True)
class UpdateReport:
    """What an index update did. ``added``, ``updated`` and ``removed`` are article keys;
    ``failed`` holds the files whose problem is new (or changed) in this update — the whole
    list is :meth:`index.library.Library.problems`."""

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    failed: tuple[Problem, ...] = ()
    unchanged: int = 0
    cancelled: bool = False
    seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)
