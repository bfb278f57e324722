"""Running a query: the search itself, a fast highlighter, "did you mean" and snippets.

:func:`run_search` runs what the user typed (parsed and bounded by
:mod:`index.library.query`) on a Whoosh searcher and returns a :class:`SearchResult`. It
sorts every failure into one of three kinds, so that the library can tell the user the
right thing (:func:`query_failures` does the sorting for a caller's own Whoosh work):

* :class:`QueryError` — the query's fault (malformed, too costly, or it made Whoosh fail
  while the index still reads well): said under the search field;
* :class:`SearchCancelled` — the caller's ``should_stop`` asked to stop;
* anything else — evidence that the index is damaged (:func:`is_damage`).

:class:`Highlighter` replaces Whoosh's highlighter, which re-analyses every hit's text and
dominates the cost of a search. It expands the query's terms against the index once per
query, compiles one regular expression of their stems' prefixes, and over each stored text
lets ``re`` find the few candidate words, each confirmed by stemming it (cached) exactly as
the index did. People and places (``person:``/``place:``) are marked at their stored
mentions. :func:`make_snippet` cuts the window holding the most hits, never running an
article's title into its body.
"""

from __future__ import annotations

import functools
import itertools
import json
import pickle
import re
import struct
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from rapidfuzz import process as fuzz_process
from rapidfuzz.distance import Levenshtein
from whoosh import query as wq
from whoosh.analysis import STOP_WORDS
from whoosh.collectors import TopCollector, WrappingCollector
from whoosh.lang.porter import stem as porter_stem

from index.library import schema as S
from index.library.query import (
    STOP_EVERY,
    QueryError,
    SearchCancelled,
    StopCheck,
    check_query,
    expand_terms,
    parse_query,
)
from index.library.snippets import make_snippet, title_span
from index.model import Person, Place, SearchHit, SearchResult, Span

__all__ = [
    "Highlighter",
    "QueryError",
    "SearchCancelled",
    "SearchResult",
    "check_query",
    "hits_in",
    "is_damage",
    "make_snippet",
    "parse_query",
    "query_failures",
    "run_search",
    "stoppable",
    "stored_hit",
    "suggest",
    "title_span",
]



# --------------------------------------------------------------------------- running


def run_search(
    searcher: Any,
    text: str,
    limit: int = 20,
    *,
    vocabulary: Callable[[], Sequence[str]] = tuple,
    should_stop: StopCheck | None = None,
    shown: str | None = None,
    pairs: bool = True,
) -> SearchResult:
    """The best ``limit`` articles for the query ``text`` on a Whoosh ``searcher``, with
    snippets and hit offsets.

    ``pairs=False`` answers phrases from the text's positions only, not from the word
    pairs (:func:`fast_phrases`): while some article is not analysed, it has no pairs yet.

    ``vocabulary`` gives the library's unstemmed words, asked for only when nothing matched
    (for "did you mean"); ``should_stop`` is asked between steps (see
    :mod:`index.library.query`); ``shown`` is the query as the user typed it, for the
    result, when ``text`` is a rewriting of it.

    Byte-identical copies of an article are shown once (``total`` still counts every file
    that matched).

    Raises :class:`QueryError` (the query's fault), :class:`SearchCancelled`, or — only
    when :func:`is_damage` says the index is damaged — the exception that shows it.
    """
    q = parse_query(text)
    reader = searcher.reader()
    with query_failures(reader):
        q = expand_terms(q, reader, text, should_stop)
        # No block-quality skipping and no matcher replacement: the collector then counts
        # every match as it goes, where Whoosh's default would run the query a second time
        # for the total (twice the cost of a phrase query).
        collector = TopCollector(limit=max(1, limit), usequality=False, replace=0)
        runnable = fast_phrases(q) if pairs else q
        searcher.search_with_collector(runnable, stoppable(collector, should_stop))
        results = collector.results()
        highlighter = Highlighter(q, reader)
        hits = []
        shown_contents: set[str] = set()
        for hit in results:
            if should_stop is not None and should_stop():
                raise SearchCancelled()
            fields = hit.fields()
            digest = fields.get(S.SHA256) or ""
            if digest and digest in shown_contents:
                continue  # a byte-identical copy of a hit already shown
            shown_contents.add(digest)
            analysis = stored_analysis(fields) if highlighter.needs_analysis else None
            spans = highlighter.spans(fields.get(S.TEXT) or "", analysis)
            hits.append(stored_hit(fields, spans, float(hit.score or 0.0)))
        total = len(results)
        suggestion = suggest(q, text, reader, vocabulary()) if not total else None
    return SearchResult(shown if shown is not None else text, tuple(hits), total, suggestion)


def stored_hit(fields: Mapping[str, Any], spans: Sequence[Span], score: float) -> SearchHit:
    """The :class:`SearchHit` for an article's stored ``fields`` and the ``spans`` where the
    query matched: its snippet cut from the body, never running the title into it."""
    text = fields.get(S.TEXT) or ""
    return SearchHit(
        key=fields[S.KEY],
        path=fields[S.PATH],
        title=fields.get(S.TITLE) or "",
        score=score,
        snippet=make_snippet(text, spans, title=title_span(fields.get(S.BLOCKS))),
        hits=tuple(spans),
    )


def hits_in(reader: Any, text: str, fields: Mapping[str, Any]) -> tuple[Span, ...]:
    """Where the query ``text`` matches in one article's stored ``fields``, for the reader
    to mark. Fails as :func:`run_search` does."""
    q = parse_query(text)
    with query_failures(reader):
        q = expand_terms(q, reader, text)
        highlighter = Highlighter(q, reader)
        return tuple(highlighter.spans(fields.get(S.TEXT) or "", stored_analysis(fields)))


@contextmanager
def query_failures(reader: Any) -> Iterator[None]:
    """Runs the body (Whoosh work for one query on ``reader``) and sorts its failures:
    :class:`QueryError` and :class:`SearchCancelled` pass; an exception that
    :func:`is_damage` says is damage passes too (the library reports it as corruption);
    anything else was the query's doing and becomes a :class:`QueryError`."""
    try:
        yield
    except (QueryError, SearchCancelled):
        raise
    except Exception as exc:
        if is_damage(exc, reader):
            raise
        raise _query_failed(exc) from exc


def stoppable(collector: Any, should_stop: StopCheck | None) -> Any:
    """``collector``, asking ``should_stop`` every few documents (:class:`SearchCancelled`
    when it says so); ``collector`` itself when there is nothing to ask."""
    return collector if should_stop is None else _Stoppable(collector, should_stop)


def _query_failed(exc: BaseException) -> QueryError:
    detail = str(exc).strip().splitlines()[0][:80] if str(exc).strip() else type(exc).__name__
    return QueryError(f"This query could not be run ({detail}); try simpler terms.")


#: Exceptions that only a failed read of the index raises: a query never causes them.
DAMAGE_ERRORS: tuple[type[BaseException], ...] = (
    OSError, EOFError, struct.error, zlib.error, pickle.UnpicklingError, UnicodeDecodeError,
)


def is_damage(exc: BaseException, reader: Any) -> bool:
    """Whether ``exc``, raised while a query ran on ``reader``, is evidence of a damaged
    index rather than the query's doing.

    A read error (:data:`DAMAGE_ERRORS`) is damage. Any other exception is damage only if
    the index now fails a cheap probe (its document count, its first stored document and
    the first words of the text field): if those read well, the query made Whoosh fail
    (``word~1/99`` was an ``IndexError`` from deep inside it) and the index is sound.
    """
    if isinstance(exc, DAMAGE_ERRORS):
        return True
    try:
        if reader.doc_count():
            next(iter(reader.all_stored_fields()), None)
        for _ in itertools.islice(reader.lexicon(S.TEXT), 16):
            pass
    except Exception:
        return True
    return False


class _Stoppable(WrappingCollector):
    """Collects as ``child`` does, asking ``should_stop`` every few documents."""

    def __init__(self, child: Any, should_stop: StopCheck) -> None:
        super().__init__(child)
        self.should_stop = should_stop

    def collect_matches(self) -> None:
        collect = self.child.collect
        for n, sub_docnum in enumerate(self.child.matches(), 1):
            if n % STOP_EVERY == 0 and self.should_stop():
                raise SearchCancelled()
            collect(sub_docnum)


def stored_analysis(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The analysis an article's stored fields hold, as a dictionary (empty if none)."""
    raw = fields.get(S.ANALYSIS)
    if isinstance(raw, str):
        loaded: dict[str, Any] = json.loads(raw)
        return loaded
    return dict(raw) if raw else {}


# --------------------------------------------------------------------------- terms

#: Same tokens as Whoosh's default RegexTokenizer (the text analyzer's first step).
_WORD = r"\w+(?:\.?\w+)*"
_WORD_RE = re.compile(_WORD)
#: More expanded terms than this and one big alternation stops paying: tokenise all.
_MAX_ALTERNATIVES = 400
#: Up to this many prefixes, each is looked for with str.find rather than a regex.
_MAX_FINDS = 24


def fast_phrases(q: wq.Query) -> wq.Query:
    """``q`` with every phrase of the article text answered from the word-pair field
    (:data:`index.library.schema.PAIRS`): a two-word phrase becomes one term, a longer one the
    pairs it needs AND the phrase itself (which then checks only the few articles that
    have every pair). The matches are the same; only the work to find them is less."""
    if isinstance(q, wq.Phrase):
        words = list(q.words)
        if q.fieldname != S.TEXT or q.slop != 1 or len(words) < 2:
            return q
        pairs: list[wq.Query] = [
            wq.Term(S.PAIRS, f"{a} {b}", boost=q.boost) for a, b in itertools.pairwise(words)
        ]
        return pairs[0] if len(pairs) == 1 else wq.And([*pairs, q])
    return q.apply(fast_phrases)


@functools.lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return porter_stem(word)


def _positive_leaves(q: wq.Query) -> Iterator[wq.Query]:
    """The leaves of ``q`` that can make a document match (not those under NOT)."""
    if isinstance(q, wq.Not):
        return
    if isinstance(q, wq.AndNot):
        yield from _positive_leaves(q.a)
        return
    if isinstance(q, wq.Phrase) or q.is_leaf():
        yield q
        return
    for child in q.children():
        yield from _positive_leaves(child)


def _decode(text: Any) -> str:
    return text.decode("utf-8") if isinstance(text, bytes) else str(text)


class Highlighter:
    """Finds where a query matched in stored texts; built once per query and reader."""

    def __init__(self, q: wq.Query, reader: Any) -> None:
        self.stems: set[str] = set()
        self.phrases: list[tuple[str, ...]] = []
        self.people: set[str] = set()
        self.places: set[str] = set()
        for leaf in _positive_leaves(q):
            field = getattr(leaf, "fieldname", None)
            if isinstance(leaf, wq.Phrase):
                if field in (S.TEXT, S.TITLE):
                    self.phrases.append(tuple(_decode(w) for w in leaf.words))
                continue
            try:
                terms = leaf.existing_terms(reader, expand=True)
            except Exception:  # a query kind with no terms (Every, NullQuery, …)
                continue
            for fname, text in terms:
                word = _decode(text)
                if fname in (S.TEXT, S.TITLE):
                    self.stems.add(word)
                elif fname == S.PERSON:
                    self.people.add(word)
                elif fname == S.PLACE:
                    self.places.add(word)
        self.needs_analysis = bool(self.people or self.places)
        wanted = self.stems.union(*self.phrases)
        self._wanted = frozenset(wanted)
        self._regex: re.Pattern[str] | None = None
        #: Few prefixes: str.find each one (C speed); many: one regular expression.
        self._prefixes: tuple[str, ...] = ()
        prefixes = sorted({_prefix(s) for s in wanted}, key=len, reverse=True)
        # A prefix that starts with another one finds nothing the other does not.
        prefixes = [p for p in prefixes if not any(p != o and p.startswith(o) for o in prefixes)]
        if wanted and len(prefixes) <= _MAX_FINDS:
            self._prefixes = tuple(prefixes)
        if wanted and len(wanted) <= _MAX_ALTERNATIVES:
            alternation = "|".join(re.escape(p) for p in prefixes)
            self._regex = re.compile(
                rf"(?<![\w.])(?:{alternation})\w*(?:\.?\w+)*", re.IGNORECASE
            )
        elif wanted:
            self._regex = _WORD_RE

    def spans(self, text: str, analysis: Mapping[str, Any] | None = None) -> list[Span]:
        """Sorted, non-overlapping ``(start, end)`` of every hit in ``text``."""
        found: list[Span] = []
        if self._regex is not None:
            wanted = self._wanted
            low = text.lower()
            if self._prefixes and len(low) == len(text):
                tokens = _find_tokens(low, self._prefixes, wanted)
            else:
                tokens = [
                    (m.start(), m.end(), stem)
                    for m in self._regex.finditer(text)
                    if (stem := _stem(m.group().lower())) in wanted
                ]
            if self.stems:
                found.extend((a, b) for a, b, s in tokens if s in self.stems)
            for phrase in self.phrases:
                found.extend(_phrase_spans(text, tokens, phrase))
        if analysis and self.needs_analysis:
            if self.people:
                for person in analysis.get("people", ()):
                    found.extend(_entity_mentions(person, self.people, S.person_keywords))
            if self.places:
                for place in analysis.get("places", ()):
                    found.extend(_entity_mentions(place, self.places, S.place_keywords))
        return _merge(found)


def _find_tokens(
    low: str, prefixes: Sequence[str], wanted: frozenset[str]
) -> list[tuple[int, int, str]]:
    """The words of ``low`` (lower-cased text) starting with one of ``prefixes`` whose stem
    is wanted, as ``(start, end, stem)`` in text order; words as Whoosh's tokenizer cuts
    them (``\\w+(\\.?\\w+)*``)."""
    found: dict[int, tuple[int, int, str]] = {}
    match = _WORD_RE.match
    for prefix in prefixes:
        i = low.find(prefix)
        while i != -1:
            before = low[i - 1] if i else " "
            if (before.isalnum() or before == "_") or (
                before == "." and i > 1 and (low[i - 2].isalnum() or low[i - 2] == "_")
            ):
                i = low.find(prefix, i + 1)  # inside a word
                continue
            m = match(low, i)
            end = m.end() if m else i + len(prefix)
            if m and i not in found and (stem := _stem(m.group())) in wanted:
                found[i] = (i, end, stem)
            i = low.find(prefix, end)
    return [found[i] for i in sorted(found)]


def _prefix(stem: str) -> str:
    # Porter stems are prefixes of their words, except where a final y became i
    # ("happy" -> "happi"); a shorter prefix only adds candidates, each one checked.
    return stem[:-1] if len(stem) > 3 and stem.endswith("i") else stem


def _phrase_spans(
    text: str, tokens: Sequence[tuple[int, int, str]], phrase: tuple[str, ...]
) -> Iterator[Span]:
    n = len(phrase)
    if not n:
        return
    for i in range(len(tokens) - n + 1):
        if tokens[i][2] != phrase[0]:
            continue
        ok = True
        for j in range(1, n):
            prev, cur = tokens[i + j - 1], tokens[i + j]
            if cur[2] != phrase[j] or not _only_stop_words(text[prev[1] : cur[0]]):
                ok = False
                break
        if ok:
            yield tokens[i][0], tokens[i + n - 1][1]


def _only_stop_words(gap: str) -> bool:
    # The index drops stop words and one-letter words, so "statement of the war"
    # matches the phrase "statement war": what lies between may be only those.
    return all(len(w) < 2 or w.lower() in STOP_WORDS for w in _WORD_RE.findall(gap))


def _entity_mentions(d: Mapping[str, Any], wanted: set[str], keywords: Any) -> list[Span]:
    entity = (Person if keywords is S.person_keywords else Place).from_dict(dict(d))
    forms = set(keywords([entity]).split(","))
    if forms & wanted:
        return list(entity.mentions)
    return []


def _merge(spans: Iterable[Span]) -> list[Span]:
    out: list[Span] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            if b > out[-1][1]:
                out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


# --------------------------------------------------------------------------- did you mean


def vocabulary_of(text: str) -> set[str]:
    """The words of ``text`` worth suggesting: lower case, letters only, 3 or more."""
    return {w for w in _WORD_RE.findall(text.lower()) if len(w) > 2 and w.isalpha()}


def suggest(q: wq.Query, text: str, reader: Any, words: Sequence[str]) -> str | None:
    """"Did you mean": ``text`` with each word the index does not know replaced by the
    nearest one it does (at most two edits; the most frequent among the nearest), or None.

    Words of the text are taken from ``words`` (the library's unstemmed words, so the
    suggestion reads as the user would type it) and kept only if their stem is still
    in the index; names (``person:``, ``place:``) from the field's own terms."""
    replacements: list[tuple[int, int, str]] = []
    looked_up = 0
    for leaf in _positive_leaves(q):
        if not isinstance(leaf, wq.Term):
            continue
        if looked_up == _MAX_SUGGESTED:
            break  # each look-up scans the vocabulary: a long query suggests for the first few
        start, end = getattr(leaf, "startchar", None), getattr(leaf, "endchar", None)
        if start is None or end is None:
            continue
        field = leaf.field()
        term = _decode(leaf.text)
        if (field, term) in reader:
            continue
        typed = text[start:end]
        looked_up += 1
        if field in (S.TEXT, S.TITLE):
            best = _nearest(typed.lower(), words, lambda w, f=field: reader.doc_frequency(
                f, _stem(w)))
        elif field in (S.PERSON, S.PLACE):
            names = [_decode(t) for t in reader.lexicon(field)]
            best = _nearest(term, names, lambda w, f=field: reader.doc_frequency(f, w))
            if best and " " in best:
                best = f'"{best}"'
        else:
            best = None
        if best:
            replacements.append((start, end, best))
    if not replacements:
        return None
    out = text
    for start, end, word in sorted(replacements, reverse=True):
        prefix = out[:start]
        if prefix.endswith('"') and word.startswith('"'):
            word = word.strip('"')
        out = prefix + word + out[end:]
    return out if out != text else None


#: Most words of one query that "did you mean" looks up.
_MAX_SUGGESTED = 8


def _nearest(word: str, candidates: Sequence[str], frequency: Any) -> str | None:
    maxdist = 1 if len(word) <= 4 else 2
    found = fuzz_process.extract(
        word, candidates, scorer=Levenshtein.distance, score_cutoff=maxdist, limit=50
    )
    best: tuple[int, int, str] | None = None
    for candidate, distance, _ in found:
        freq = frequency(candidate)
        if freq and (best is None or (distance, -freq) < best[:2]):
            best = (distance, -freq, candidate)
    return best[2] if best else None
