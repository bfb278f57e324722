"""People and places in one article, from spaCy's named entities.

Minimal first version: spaCy PERSON -> :class:`Person`, GPE/LOC -> :class:`Place`, grouped
by surface text. The dateline place is counted as a mention.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from index.model import Document, Person, Place, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc

_PLACE_LABELS = frozenset({"GPE", "LOC"})


def extract_entities(doc: Doc, document: Document) -> tuple[list[Person], list[Place]]:
    """The people and places named in ``document`` (whose parsed text is ``doc``)."""
    people: dict[str, list[Span]] = {}
    places: dict[str, list[Span]] = {}
    for ent in doc.ents:
        span = (ent.start_char, ent.end_char)
        if ent.label_ == "PERSON":
            people.setdefault(ent.text, []).append(span)
        elif ent.label_ in _PLACE_LABELS:
            places.setdefault(ent.text, []).append(span)
    if document.dateline_span:
        start, end = document.dateline_span
        name = document.text[start:end].strip(" \t–—-,:").strip()
        if name:
            s = document.text.index(name, start)
            span = (s, s + len(name))
            if not any(span in spans for spans in places.values()):
                places.setdefault(name.title() if name.isupper() else name, []).append(span)
    return (
        [Person(n, mentions=tuple(sorted(m))) for n, m in people.items()],
        [Place(n, mentions=tuple(sorted(m))) for n, m in places.items()],
    )
