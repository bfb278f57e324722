"""``speaker:`` and ``quote:``: search what people said.

``speaker:Hayashi`` finds the statements of the person who goes by "Hayashi" (any alias,
after the reader's corrections); ``quote:China`` the statements whose quoted words include
"China" (stemmed, as the text is searched; a "phrase" must appear as written, in order).
They are answered from the library-wide statements (:mod:`index.library.entities`) rather
than from index fields, so a correction applies at once; the rest of the query narrows the
articles as usual. They combine with the other terms by AND only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from whoosh import query as wq
from whoosh.collectors import TopCollector

from index.library import schema as S
from index.library.query import expand_terms
from index.library.schema import TEXT_ANALYZER
from index.library.search import (
    Highlighter,
    fast_phrases,
    parse_query,
    query_failures,
    stored_analysis,
    stored_hit,
)
from index.model import LibraryStatement, QueryError, SearchResult, Span

FIELDS = ("speaker", "quote")

_TERM = re.compile(r'(?<![\w:])(speaker|quote):(?:"([^"]*)"|([^\s()"]+))', re.IGNORECASE)
_NOT_AND = frozenset({"OR", "NOT", "ANDNOT", "ANDMAYBE"})


@dataclass(frozen=True)
class SaidTerms:
    """The ``speaker:`` and ``quote:`` terms of a query; every one must match."""

    speakers: tuple[str, ...] = ()
    quotes: tuple[str, ...] = ()


def split(query: str) -> tuple[str, SaidTerms | None]:
    """``query`` without its ``speaker:``/``quote:`` terms, and those terms (None when it
    has none). :class:`QueryError` where they are combined otherwise than by AND."""
    found = list(_TERM.finditer(query))
    if not found:
        return query, None
    speakers: list[str] = []
    quotes: list[str] = []
    for m in found:
        value = (m.group(2) if m.group(2) is not None else m.group(3)).strip()
        if not value:
            raise QueryError(f"“{m.group(1).lower()}:” needs a word or a \"phrase\" after it.")
        (speakers if m.group(1).lower() == "speaker" else quotes).append(value)
    rest = _TERM.sub(" ", query)
    tokens = rest.split()
    if "(" in rest or ")" in rest or _NOT_AND & set(tokens):
        raise QueryError(
            "speaker: and quote: combine with other words by AND only (no OR, NOT or "
            "parentheses around them)."
        )
    return " ".join(t for t in tokens if t != "AND"), SaidTerms(tuple(speakers), tuple(quotes))


def _stems(text: str) -> list[str]:
    return [t.text for t in TEXT_ANALYZER(text)]


def _contains(haystack: Sequence[str], needle: Sequence[str]) -> bool:
    n = len(needle)
    return any(list(haystack[i:i + n]) == list(needle) for i in range(len(haystack) - n + 1))


def matching(
    statements: Sequence[LibraryStatement],
    terms: SaidTerms,
    speaker_name: Callable[[str], str | None],
) -> list[LibraryStatement]:
    """The statements that every term matches. ``speaker_name`` gives the name a
    ``speaker:`` term stands for (the entry going by it), or None when no entry does — then
    a speaker matches when one of the words of their name is the term."""
    wanted = []
    for term in terms.speakers:
        name = speaker_name(term)
        wanted.append((name.casefold(), True) if name else (term.casefold(), False))
    phrases = [s for q in terms.quotes if (s := _stems(q))]
    if terms.quotes and not phrases:
        raise QueryError("quote: needs a word that is not a stop word (like “the”).")
    out = []
    for ls in statements:
        speaker = (ls.statement.speaker or "").casefold()
        if not all(speaker == w if exact else w in speaker.split() for w, exact in wanted):
            continue
        if phrases:
            stems = _stems(ls.statement.text)
            if not all(_contains(stems, p) for p in phrases):
                continue
        out.append(ls)
    return out


def search(
    searcher: Any, query: str, rest: str, groups: Mapping[str, Sequence[Span]], limit: int
) -> SearchResult:
    """The articles holding the matching statements (``groups``: their spans per article
    key) that the ``rest`` of the query also finds, the statements marked; those with most
    matching statements first. Fails as :func:`index.library.search.run_search` does."""
    reader = searcher.reader()
    with query_failures(reader):
        restrict = wq.Or([wq.Term(S.KEY, k) for k in groups])
        rest_q = expand_terms(parse_query(rest), reader, rest) if rest else None
        q = wq.And([rest_q, restrict]) if rest_q is not None else restrict
        collector = TopCollector(limit=len(groups), usequality=False, replace=0)
        searcher.search_with_collector(fast_phrases(q), collector)
        highlighter = Highlighter(rest_q, reader) if rest_q is not None else None
        hits = []
        for hit in collector.results():
            fields = hit.fields()
            spans = list(groups[fields[S.KEY]])
            score = float(len(spans))
            if highlighter is not None:
                text = fields.get(S.TEXT) or ""
                spans += highlighter.spans(text, stored_analysis(fields))
                score += float(hit.score or 0.0)
            hits.append(stored_hit(fields, sorted(set(spans)), score))
    hits.sort(key=lambda h: (-h.score, h.title.casefold()))
    return SearchResult(query, tuple(hits[: max(1, limit)]), len(hits), None)
