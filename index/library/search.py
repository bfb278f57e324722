"""Queries and snippets: the Whoosh query language, checked, and a fast highlighter.

:func:`parse_query` turns what the user typed into a Whoosh query — words (stemmed),
"phrases", AND/OR/NOT, wildcards, fuzzy terms (``Hayshi~``) and the fields ``title:``,
``person:`` and ``place:`` — or raises :class:`QueryError` with one sentence a user can act
on. Whoosh itself never complains: it silently drops a lone ``AND`` or reads ``foo:bar`` as
two words, so the query is checked first (:func:`check_query`).

:class:`Highlighter` replaces Whoosh's highlighter, which re-analyses every hit's text and
dominates the cost of a search. It expands the query's terms against the index once per
query, compiles one regular expression of their stems' prefixes, and over each stored text
lets ``re`` find the few candidate words, each confirmed by stemming it (cached) exactly as
the index did. People and places (``person:``/``place:``) are marked at their stored
mentions. :func:`make_snippet` cuts the window holding the most hits.
"""

from __future__ import annotations

import functools
import html
import itertools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from rapidfuzz import process as fuzz_process
from rapidfuzz.distance import Levenshtein
from whoosh import qparser
from whoosh import query as wq
from whoosh.analysis import STOP_WORDS
from whoosh.lang.porter import stem as porter_stem

from index.library import schema as S
from index.model import Person, Place, QueryError, Span

# --------------------------------------------------------------------------- parsing

_BINARY_OPS = frozenset({"AND", "OR", "ANDNOT", "ANDMAYBE"})
_FIELD_RE = re.compile(r"([A-Za-z_][\w]*):")
_LEX_RE = re.compile(r'"[^"]*"|\(|\)|[^\s()"]+')


def check_query(text: str) -> None:
    """Raises :class:`QueryError` for what Whoosh would quietly misread."""
    if not text.strip():
        raise QueryError("Type something to search for.")
    if text.count('"') % 2:
        raise QueryError('Unbalanced quotation marks: close the phrase with another ".')
    depth = 0
    for ch in re.sub(r'"[^"]*"', "", text):
        if ch == "(":
            depth += 1
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
                        f"Unknown field “{field}:”; search with title:, person: or place:."
                    )
                rest = token[m.end():]
                if not rest and (after is None or after == ")" or after in _BINARY_OPS):
                    raise QueryError(f"“{field}:” needs a word or a \"phrase\" after it.")


@functools.cache
def _parser() -> qparser.QueryParser:
    parser = qparser.QueryParser(S.TEXT, S.make_schema())
    parser.add_plugin(qparser.FuzzyTermPlugin())
    return parser


def parse_query(text: str) -> wq.Query:
    """The Whoosh query for ``text``; :class:`QueryError` if it is malformed."""
    check_query(text)
    try:
        return _parser().parse(text)
    except Exception as exc:  # Whoosh's parser has no error type of its own
        raise QueryError(f"Could not understand the query: {exc}") from exc


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
    for leaf in _positive_leaves(q):
        if not isinstance(leaf, wq.Term):
            continue
        start, end = getattr(leaf, "startchar", None), getattr(leaf, "endchar", None)
        if start is None or end is None:
            continue
        field = leaf.field()
        term = _decode(leaf.text)
        if (field, term) in reader:
            continue
        typed = text[start:end]
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


# --------------------------------------------------------------------------- snippets

SNIPPET_CHARS = 220
_SPACES = re.compile(r"\s+")


def make_snippet(text: str, spans: Sequence[Span], width: int = SNIPPET_CHARS) -> str:
    """One line of ``text`` around the densest cluster of ``spans``, HTML-escaped, with
    each hit in ``<b>…</b>`` and ``…`` where the text was cut."""
    if not text:
        return ""
    if not spans:
        start, end = 0, min(len(text), width)
    else:
        # The window of `width` characters starting at a hit that holds the most hits.
        best_i, best_n = 0, 0
        j = 0
        for i, (a, _) in enumerate(spans):
            j = max(j, i)
            while j + 1 < len(spans) and spans[j + 1][1] <= a + width:
                j += 1
            if j - i + 1 > best_n:
                best_i, best_n = i, j - i + 1
        first, last = spans[best_i], spans[best_i + best_n - 1]
        slack = max(0, width - (last[1] - first[0]))
        start = max(0, first[0] - min(slack // 2, 80))
        end = min(len(text), max(last[1], start + width))
    # Do not cut words in half.
    if start > 0:
        space = text.rfind(" ", max(0, start - 20), start + 1)
        if space != -1:
            start = space + 1
        else:
            while start > 0 and text[start - 1].isalnum():
                start -= 1
    if end < len(text):
        space = text.find(" ", end, end + 20)
        end = space if space != -1 else end
    parts = ["…"] if start > 0 else []
    pos = start
    for a, b in spans:
        if b <= start or a >= end:
            continue
        a, b = max(a, start), min(b, end)
        parts.append(html.escape(text[pos:a], quote=False))
        parts.append("<b>" + html.escape(text[a:b], quote=False) + "</b>")
        pos = b
    parts.append(html.escape(text[pos:end], quote=False))
    if end < len(text):
        parts.append("…")
    return _SPACES.sub(" ", "".join(parts)).strip()
