"""What a side panel's row stands for: :class:`Entry`, and the rows of a value object.

An :class:`Entry` keeps the value object it was made from (``Person``, ``Place``,
``Statement``, or for the whole library ``LibraryEntity`` / ``LibraryStatement``): the
models never copy domain data into item widgets. The functions here turn value objects
into entries; they are plain Python (no Qt), so they are easy to test.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from desktop.kinds import EntryKind
from index.model import (
    LibraryEntity,
    LibraryStatement,
    Person,
    Place,
    Span,
    Statement,
)

#: The value objects an entry stands for.
Item = Person | Place | Statement | LibraryEntity | LibraryStatement


@dataclass(frozen=True)
class Entry:
    """One row of a panel: what to show, and the value object behind it."""

    kind: EntryKind
    label: str
    item: Item
    detail: str = ""
    tooltip: str = ""
    spans: tuple[Span, ...] = ()
    key: str = ""
    order: int = 0

    @property
    def name(self) -> str:
        """A person's or place's canonical name; otherwise the label."""
        if isinstance(self.item, Person | Place | LibraryEntity):
            return self.item.name
        return self.label

    def same(self, other: Entry) -> bool:
        """The same row of the same article (an entry is made again for each display)."""
        return (self.kind, self.label, self.spans, self.key) == (
            other.kind, other.label, other.spans, other.key)


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def clip(text: str, limit: int = 140) -> str:
    """``text`` on one line, cut with an ellipsis after ``limit`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def speaker_text(s: Statement) -> str:
    return s.speaker or "speaker unknown"


def person_entries(people: Iterable[Person]) -> list[Entry]:
    out = []
    for p in people:
        mentions = tuple(p.mentions)
        detail = " · ".join(x for x in (p.role or "", plural(len(mentions), "mention")) if x)
        aliases = f"\nAlso: {', '.join(p.aliases)}" if p.aliases else ""
        out.append(Entry(EntryKind.PERSON, p.name, p, detail,
                         f"{p.name}\n{p.role or 'Person'}{aliases}", mentions,
                         order=mentions[0][0] if mentions else 0))
    return out


def place_entries(places: Iterable[Place]) -> list[Entry]:
    out = []
    for p in places:
        mentions = tuple(p.mentions)
        kind = (p.kind or "place").capitalize()
        detail = " · ".join((kind, plural(len(mentions), "mention")))
        out.append(Entry(EntryKind.PLACE, p.name, p, detail, f"{p.name}\n{kind}", mentions,
                         order=mentions[0][0] if mentions else 0))
    return out


def statement_entries(statements: Iterable[Statement]) -> list[Entry]:
    return [
        Entry(EntryKind.STATEMENT, f"“{clip(s.text)}”", s, f"— {speaker_text(s)}",
              f"{speaker_text(s)}{' (' + s.cue + ')' if s.cue else ''}:\n“{clip(s.text, 400)}”",
              ((s.start, s.end),), order=s.start)
        for s in statements
    ]


def library_entity_entries(entities: Iterable[LibraryEntity]) -> list[Entry]:
    out = []
    for e in entities:
        mentions = sum(n for _, _, n in e.articles)
        out.append(Entry(EntryKind(e.kind), e.name, e,
                         f"{plural(len(e.articles), 'article')} · {plural(mentions, 'mention')}",
                         e.name, order=-mentions))
    return out


def library_statement_entries(statements: Iterable[LibraryStatement]) -> list[Entry]:
    return [
        Entry(EntryKind.STATEMENT, f"“{clip(ls.statement.text)}”", ls,
              f"— {speaker_text(ls.statement)} · {ls.title}",
              f"{speaker_text(ls.statement)}, in “{ls.title}”:\n“{clip(ls.statement.text, 400)}”",
              ((ls.statement.start, ls.statement.end),), key=ls.key, order=i)
        for i, ls in enumerate(statements)
    ]


def article_entries(entity: LibraryEntity) -> list[Entry]:
    """The articles a library-wide person or place appears in."""
    return [Entry(EntryKind.ARTICLE, title, entity, plural(n, "mention"), title, key=key,
                  order=-n)
            for key, title, n in entity.articles]


def article_panel_entries(people: Iterable[Person], places: Iterable[Place],
                          statements: Iterable[Statement]) -> dict[EntryKind, list[Entry]]:
    """The three panels' rows for one article's analysis."""
    return {EntryKind.PERSON: person_entries(people), EntryKind.PLACE: place_entries(places),
            EntryKind.STATEMENT: statement_entries(statements)}
