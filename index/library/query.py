"""What a user may ask: the query language checked, parsed and bounded in cost.

:func:`parse_query` turns what the user typed into a Whoosh query — words (stemmed),
"phrases", AND/OR/NOT, wildcards, fuzzy terms (``Hayshi~``), ranges and the fields
``title:``, ``person:`` and ``place:`` — or raises :class:`QueryError` with one sentence a
user can act on. Whoosh itself never complains: it silently drops a lone ``AND``, reads
``foo:bar`` as two words, and fails inside the search (``word~1/99`` is an ``IndexError``)
or takes minutes, so the query is checked before (:func:`check_query`) and after parsing.

Every query's cost is bounded, so that no query can hold the library for long:

* at most :data:`MAX_QUERY_CHARS` characters (Whoosh's parser is quadratic in the length
  of a word: a 100 kB query took a minute) and :data:`MAX_DEPTH` nested parentheses (the
  parser recurses: 300 of them overflowed the stack);
* a fuzzy term allows at most :data:`MAX_FUZZY_EDITS` edits (``France~99`` matched every
  word of the library) and a prefix no longer than its word;
* a query may hold :data:`MAX_EXPANDING` wildcards, fuzzy terms or ranges, and each may
  stand for at most :data:`MAX_EXPANSION` words of the library (:func:`expand_terms`,
  which the search calls with the index's reader):
  ``*?*`` or ``[a TO z]`` would otherwise search for every word the library holds.

A ``should_stop`` callable, where a function takes one, is asked between steps (every few
hundred terms or documents); when it answers true the work ends with
:class:`SearchCancelled`, so that the window can abandon a search the user has replaced.
"""

from __future__ import annotations

import contextlib
import functools
import math
import re
from collections.abc import Callable, Iterator
from typing import Any

from rapidfuzz import process as fuzz_process
from rapidfuzz.distance import Levenshtein
from whoosh import qparser
from whoosh import query as wq

from index.library import schema as S
from index.model import QueryError, SearchCancelled

__all__ = [
    "MAX_DEPTH",
    "MAX_EXPANSION",
    "MAX_FUZZY_EDITS",
    "MAX_QUERY_CHARS",
    "QueryError",
    "SearchCancelled",
    "check_query",
    "expand_terms",
    "parse_query",
]

#: Longest query, in characters.
MAX_QUERY_CHARS = 1000
#: Deepest nesting of parentheses.
MAX_DEPTH = 20
#: Most edits a fuzzy term (``word~2``) may allow.
MAX_FUZZY_EDITS = 2
#: Most words of the library one wildcard, fuzzy term or range may stand for.
MAX_EXPANSION = 500
#: Most wildcards, fuzzy terms and ranges in one query, and most words they may stand for
#: together (finding a fuzzy term's words walks the whole vocabulary).
MAX_EXPANDING = 8
MAX_TOTAL_EXPANSION = 2000
#: Largest boost (``word^5``).
MAX_BOOST = 1000.0
#: ``should_stop`` is asked once every this many terms or documents.
STOP_EVERY = 128

StopCheck = Callable[[], bool]


# --------------------------------------------------------------------------- checking text

_BINARY_OPS = frozenset({"AND", "OR", "ANDNOT", "ANDMAYBE"})
_FIELD_RE = re.compile(r"([A-Za-z_][\w]*):")
_LEX_RE = re.compile(r'"[^"]*"|\(|\)|[^\s()"]+')
_PHRASES_RE = re.compile(r'"[^"]*"')


def check_query(text: str) -> None:
    """Raises :class:`QueryError` for what Whoosh would quietly misread, or take too long
    (or too deep a recursion) to read."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            f"The query is too long ({len(text):,} characters); the limit is "
            f"{MAX_QUERY_CHARS:,}."
        )
    if not text.strip():
        raise QueryError("Type something to search for.")
    if text.count('"') % 2:
        raise QueryError('Unbalanced quotation marks: close the phrase with another ".')
    depth = 0
    for ch in _PHRASES_RE.sub("", text):
        if ch == "(":
            depth += 1
            if depth > MAX_DEPTH:
                raise QueryError(
                    f"Too many parentheses inside each other (more than {MAX_DEPTH})."
                )
        elif ch == ")":
            depth -= 1
            if depth < 0:
                raise QueryError("Unbalanced parentheses: a ) has no ( before it.")
    if depth:
        raise QueryError("Unbalanced parentheses: a ( is never closed.")

    tokens = _LEX_RE.findall(text)
    for i, token in enumerate(tokens):
        before = tokens[i - 1] if i else None
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        if token in _BINARY_OPS:
            if before is None or after is None or before in _BINARY_OPS or before in (
                "(",
                "NOT",
            ) or after in _BINARY_OPS or after == ")":
                raise QueryError(f"“{token}” needs something to search for on each side.")
        elif token == "NOT":
            if after is None or after in _BINARY_OPS or after == ")":
                raise QueryError("“NOT” needs something after it to leave out.")
        elif not token.startswith('"'):
            m = _FIELD_RE.match(token)
            if m:
                field = m.group(1)
                if field not in S.QUERY_FIELDS:
                    raise QueryError(
                        f"Unknown field “{field}:”; search with title:, person:, place:, "
                        "speaker: or quote:."
                    )
                rest = token[m.end():]
                if not rest and (after is None or after == ")" or after in _BINARY_OPS):
                    raise QueryError(f"“{field}:” needs a word or a \"phrase\" after it.")


# --------------------------------------------------------------------------- parsing


@functools.cache
def _parser() -> qparser.QueryParser:
    parser = qparser.QueryParser(S.TEXT, S.make_schema())
    parser.add_plugin(qparser.FuzzyTermPlugin())
    return parser


def parse_query(text: str) -> wq.Query:
    """The Whoosh query for ``text``; :class:`QueryError` if it is malformed or would
    cost too much whatever the library holds (see the module docstring)."""
    check_query(text)
    try:
        q = _parser().parse(text)
    except RecursionError as exc:  # not expected below MAX_DEPTH; never a crash
        raise QueryError("The query is nested too deeply to be read.") from exc
    except Exception as exc:  # Whoosh's parser has no error type of its own
        raise QueryError(f"Could not understand the query: {exc}") from exc
    _check_nodes(q, text)
    return _cheap_every(q)


def _nodes(q: wq.Query) -> Iterator[wq.Query]:
    yield q
    for child in q.children():
        yield from _nodes(child)


def _shown(node: wq.Query, text: str) -> str:
    """What the user typed for ``node``, for a message: on one line, 40 characters at most."""
    if isinstance(node, wq.Wildcard | wq.Prefix):
        field = "" if node.fieldname == S.TEXT else f"{node.fieldname}:"
        shown = field + str(node.text) + ("*" if isinstance(node, wq.Prefix) else "")
    else:
        start, end = getattr(node, "startchar", None), getattr(node, "endchar", None)
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
            shown = text[start:end]
        else:
            shown = str(node).removeprefix(f"{S.TEXT}:")
    shown = " ".join(shown.split())
    return shown if len(shown) <= 40 else shown[:39] + "…"


def _check_nodes(q: wq.Query, text: str) -> None:
    for node in _nodes(q):
        boost = getattr(node, "boost", 1.0)
        if not isinstance(boost, int | float) or not math.isfinite(boost) or not (
            0 <= boost <= MAX_BOOST
        ):
            raise QueryError(
                f"A boost (^) must be a number from 0 to {MAX_BOOST:,.0f}: "
                f"“{_shown(node, text)}”."
            )
        if isinstance(node, wq.FuzzyTerm):
            word = str(node.text)
            typed = _shown(node, text).split("~")[0]
            if node.maxdist > MAX_FUZZY_EDITS:
                raise QueryError(
                    f"“{typed}~{node.maxdist}”: a fuzzy search allows at most "
                    f"{MAX_FUZZY_EDITS} differences (write {typed}~{MAX_FUZZY_EDITS})."
                )
            if node.maxdist < 0 or node.prefixlength < 0:
                raise QueryError(f"“{typed}~”: the numbers cannot be negative.")
            if node.prefixlength > len(word):
                raise QueryError(
                    f"“{typed}~{node.maxdist}/{node.prefixlength}”: the prefix that must "
                    f"match ({node.prefixlength} letters) is longer than the word."
                )
        elif isinstance(node, wq.Phrase) and node.slop < 1:
            raise QueryError(f"“{_shown(node, text)}”: a phrase's distance must be 1 or more.")


def _cheap_every(q: wq.Query) -> wq.Query:
    """``q`` with every ``*`` (Whoosh's ``Every(field)``, which reads the postings of every
    word of the field) made ``Every()``: all documents, read from the document count.
    Every article has a text, so the answer is the same."""
    if isinstance(q, wq.Every) and q.fieldname in (S.TEXT, None):
        return wq.Every(boost=q.boost)
    return q.apply(_cheap_every)


# --------------------------------------------------------------------------- expansion


def expand_terms(
    q: wq.Query, reader: Any, text: str = "", should_stop: StopCheck | None = None
) -> wq.Query:
    """``q`` with every wildcard, fuzzy term and range replaced by the words of the index
    ``reader`` reads that it stands for, found once (Whoosh would otherwise look them up
    again to match, to highlight and to score: the look-up of a fuzzy term costs more
    than the search). ``text`` is the query as typed, for messages.

    Raises :class:`QueryError` when one of them stands for more than
    :data:`MAX_EXPANSION` words (counting stops there), all of them for more than
    :data:`MAX_TOTAL_EXPANSION`, or there are more than :data:`MAX_EXPANDING` of them;
    :class:`SearchCancelled` when ``should_stop`` says so.
    """
    expanding = [n for n in _nodes(q) if isinstance(n, wq.MultiTerm)]
    if len(expanding) > MAX_EXPANDING:
        raise QueryError(
            f"The query has {len(expanding)} wildcard, fuzzy or range terms; the limit is "
            f"{MAX_EXPANDING}."
        )
    budget = [MAX_TOTAL_EXPANSION]

    def expand(node: wq.Query) -> wq.Query:
        if not isinstance(node, wq.MultiTerm) or isinstance(node, _Expanded):
            return node.apply(expand)
        found = _fuzzy_words(node, reader) if isinstance(node, wq.FuzzyTerm) else None
        words = []
        for count, word in enumerate(node._btexts(reader) if found is None else found, 1):
            if count > MAX_EXPANSION:
                raise QueryError(_too_many(node, text))
            if should_stop is not None and count % STOP_EVERY == 0 and should_stop():
                raise SearchCancelled()
            words.append(word)
        budget[0] -= len(words)
        if budget[0] < 0:
            raise QueryError(
                f"Together the wildcard, fuzzy and range terms match more than "
                f"{MAX_TOTAL_EXPANSION:,} words of the library; make them more specific."
            )
        if should_stop is not None and should_stop():
            raise SearchCancelled()
        return _Expanded(node, words)

    return expand(q)


def _fuzzy_words(node: wq.FuzzyTerm, reader: Any) -> list[str]:
    """The words of the field within ``node.maxdist`` edits (Levenshtein) of its word that
    share its first ``node.prefixlength`` letters, best first. Whoosh walks an automaton
    over the terms on disk (0.15 s a term on 400 articles); rapidfuzz compares every word
    of the field, held in memory once per reader, in a few milliseconds."""
    word = str(node.text)
    prefix = word[: node.prefixlength]
    vocabulary = [w for w in _field_words(reader, node.fieldname) if w.startswith(prefix)]
    found = fuzz_process.extract(
        word, vocabulary, scorer=Levenshtein.distance, score_cutoff=node.maxdist, limit=None
    )
    return [w for w, _distance, _i in found]


def _field_words(reader: Any, fieldname: str) -> list[str]:
    cache = getattr(reader, "_broadsheet_words", None)
    if cache is None:
        cache = {}
        # a reader that takes no attributes: no cache, the same answer
        with contextlib.suppress(AttributeError):
            reader._broadsheet_words = cache
    if fieldname not in cache:
        cache[fieldname] = [
            t.decode("utf-8") if isinstance(t, bytes) else str(t)
            for t in reader.lexicon(fieldname)
        ]
    words: list[str] = cache[fieldname]
    return words


class _Expanded(wq.MultiTerm):
    """A wildcard, fuzzy term or range with its words already found: it matches, scores
    and highlights as the original does, without looking them up again."""

    def __init__(self, original: wq.MultiTerm, words: list[Any]) -> None:
        self.original = original
        self.fieldname = original.fieldname
        self.text = getattr(original, "text", "")
        self.boost = original.boost
        self.constantscore = original.constantscore
        self.words = tuple(words)
        for attr in ("startchar", "endchar"):
            if hasattr(original, attr):
                setattr(self, attr, getattr(original, attr))

    def _btexts(self, ixreader: Any) -> Iterator[Any]:
        return iter(self.words)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, _Expanded)
            and self.original == other.original
            and self.words == other.words
        )

    def __hash__(self) -> int:
        return hash((type(self), self.fieldname, self.words, self.boost))

    def __repr__(self) -> str:
        return f"_Expanded({self.original!r}, {len(self.words)} words)"


def _too_many(leaf: wq.Query, text: str) -> str:
    shown = _shown(leaf, text)
    if isinstance(leaf, wq.FuzzyTerm):
        how = "allow fewer differences or give more letters"
    elif isinstance(leaf, wq.TermRange | wq.NumericRange):
        how = "narrow the range"
    else:
        how = "give more letters before the * or ?"
    return f"“{shown}” matches more than {MAX_EXPANSION:,} words of the library; {how}."
