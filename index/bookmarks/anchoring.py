"""Finding a bookmarked passage again in an edited article (W3C TextQuote selector).

See :mod:`index.bookmarks` for how :func:`find_anchor` decides; :func:`find_quote` is how
``bookmarks add --quote`` finds the passage a user typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

__all__ = ["CONTEXT", "Anchor", "find_anchor", "find_quote"]

#: Characters of context kept on each side of a passage (Hypothesis keeps 32).
CONTEXT = 32

# Hypothesis's weights (client/src/annotator/anchoring/match-quote.ts).
_W_QUOTE, _W_PREFIX, _W_SUFFIX, _W_POS = 50.0, 20.0, 20.0, 2.0
_W_TOTAL = _W_QUOTE + _W_PREFIX + _W_SUFFIX + _W_POS
#: Characters at each end of a long quote that decide where an approximate match begins/ends.
_EDGE = 64
#: Fewest approximate candidates scored per bookmark, kept to bound the work on long articles.
_MAX_CANDIDATES = 64


@dataclass(frozen=True)
class Anchor:
    """Where a passage was found: ``text[start:end]``, how well it fits (0..1), and how."""

    start: int
    end: int
    score: float
    exact: bool


def find_quote(text: str, quote: str) -> list[tuple[int, int]]:
    """Every place ``quote`` occurs in ``text``, any run of white space matching any other.

    What a user types on a command line rarely has the article's line breaks; this is how
    ``bookmarks add --quote`` finds the passage. Returns ``(start, end)`` spans.
    """
    words = quote.split()
    if not words:
        return []
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words))
    spans: list[tuple[int, int]] = []
    pos = 0
    while (m := pattern.search(text, pos)) is not None:
        spans.append(m.span())
        pos = m.start() + 1
    return spans


def find_anchor(
    text: str, quote: str, prefix: str = "", suffix: str = "", hint: int | None = None
) -> Anchor | None:
    """Find a passage again in a changed ``text``, or ``None`` if it cannot be found surely.

    Candidates are exact occurrences of ``quote`` or, when there are none that convince,
    approximate ones (at most ``min(256, len(quote) // 2)`` edits, their ends then moved to
    where the old prefix ends and the old suffix begins, never inside a word); each is
    scored as Hypothesis does (quote 50, prefix 20, suffix 20, position 2) and the best is
    taken. Hypothesis always takes the best; here it must also be convincing, since a
    bookmark on the wrong passage is worse than one marked orphaned:

    * an exact quote is accepted if it is the only occurrence and long enough
      (:data:`UNIQUE_QUOTE_MIN` characters) to mean the same passage, or if enough of its
      context survived (mean prefix and suffix similarity at least :data:`CONTEXT_MIN`: one
      side intact is enough);
    * an approximate one needs its quote similarity at least :data:`FUZZY_QUOTE_MIN` with
      that much context, or at least 0.5 with context :data:`FUZZY_CONTEXT_MIN`.
    """
    if not quote:
        return None
    exact = [(s, s + len(quote), 0) for s in _occurrences(text, quote)]
    unique = len(exact) == 1 and len(quote) >= UNIQUE_QUOTE_MIN
    if exact:
        anchor = _best(text, quote, prefix, suffix, hint, exact, unique)
        if anchor is not None:
            return anchor
    # No exact occurrence, or none in its place (the passage itself was edited and the same
    # words occur elsewhere): look for approximate ones, which include the exact ones.
    max_errors = min(256, len(quote) // 2)
    fuzzy = [
        _refine(text, quote, prefix, suffix, start, end, max(max_errors, CONTEXT))
        for start, end, _errors in _approx_matches(text, quote, max_errors)
    ]
    # A passage that began (ended) on a word boundary must still do so: never half a word.
    starts_word = _boundary(prefix[-1:] + quote, len(prefix[-1:]))
    ends_word = _boundary(quote + suffix[:1], len(quote))
    fuzzy = [
        (s, e, n)
        for s, e, n in fuzzy
        if (_boundary(text, s) or not starts_word) and (_boundary(text, e) or not ends_word)
    ]
    return _best(text, quote, prefix, suffix, hint, fuzzy, unique) if fuzzy else None


def _boundary(text: str, i: int) -> bool:
    """Whether offset ``i`` does not cut a word of ``text`` in two."""
    return not (0 < i < len(text) and text[i - 1].isalnum() and text[i].isalnum())


def _refine(
    text: str, quote: str, prefix: str, suffix: str, start: int, end: int, slack: int
) -> tuple[int, int, int]:
    """Move an approximate match's ends to where its context says the passage ends.

    The fewest-edit window for a quote whose first or last word was rewritten leaves that
    word out ("California have [asked]" → "California have " before "Xylophonic to see…");
    the passage the user chose runs up to where the old suffix begins and from where the old
    prefix ends. Each end moves by at most ``slack``; returns ``(start, end, errors)``.
    """

    def before(s: int) -> int:
        return int(Levenshtein.distance(prefix, text[max(0, s - len(prefix)) : s])) if prefix else 0

    def after(e: int) -> int:
        return int(Levenshtein.distance(suffix, text[e : e + len(suffix)])) if suffix else 0

    ends = range(max(start + 1, end - slack), min(len(text), end + slack) + 1)
    if len(quote) <= _EDGE:

        def cost(s: int, e: int) -> int:
            return int(Levenshtein.distance(quote, text[s:e])) + before(s) + after(e)

        end = min(ends, key=lambda e: (cost(start, e), abs(e - end)))
        starts = range(max(0, start - slack), min(end - 1, start + slack) + 1)
        start = min(starts, key=lambda s: (cost(s, end), abs(s - start)))
    else:
        # A long quote: each end is decided by the _EDGE characters of the quote next to it,
        # so every comparison stays small however long the passage is.
        # (Where the tail begins, and the head ends, is taken from the first estimate.)
        head, tail = quote[:_EDGE], quote[-_EDGE:]
        tail_at, head_end = max(start, end - _EDGE), min(end, start + _EDGE)

        def end_cost(e: int) -> int:
            return int(Levenshtein.distance(tail, text[tail_at:e])) + after(e)

        def start_cost(s: int) -> int:
            return int(Levenshtein.distance(head, text[s:head_end])) + before(s)

        end = min(ends, key=lambda e: (end_cost(e), abs(e - end)))
        starts = range(max(0, start - slack), min(end - 1, start + slack) + 1)
        start = min(starts, key=lambda s: (start_cost(s), abs(s - start)))
    return start, end, int(Levenshtein.distance(quote, text[start:end]))


def _best(
    text: str,
    quote: str,
    prefix: str,
    suffix: str,
    hint: int | None,
    candidates: list[tuple[int, int, int]],
    unique: bool,
) -> Anchor | None:
    """The best-scoring candidate ``(start, end, errors)`` if it is convincing, else None."""
    best: tuple[float, int, int, int, float] | None = None
    for start, end, errors in candidates:
        quote_sim = 1.0 - errors / len(quote)
        context = _context_fit(text, start, end, prefix, suffix)
        position = 1.0 if hint is None or not text else 1.0 - abs(start - hint) / len(text)
        score = (
            _W_QUOTE * quote_sim
            + _W_PREFIX * context[0]
            + _W_SUFFIX * context[1]
            + _W_POS * max(0.0, position)
        ) / _W_TOTAL
        if best is None or score > best[0]:
            best = (score, start, end, errors, (context[0] + context[1]) / 2)
    if best is None:
        return None
    score, start, end, errors, context_fit = best
    if errors == 0:
        if unique or context_fit >= CONTEXT_MIN:
            return Anchor(start, end, score, True)
        return None
    quote_sim = 1.0 - errors / len(quote)
    if (quote_sim >= FUZZY_QUOTE_MIN and context_fit >= CONTEXT_MIN) or (
        quote_sim >= 0.5 and context_fit >= FUZZY_CONTEXT_MIN
    ):
        return Anchor(start, end, score, False)
    return None


# The acceptance thresholds were chosen on 6,100 simulated edits of 400 BBC articles
# (text inserted before the passage, a word inside it replaced, both, the passage's paragraph
# deleted, the sentences around it rewritten), as the values that put no bookmark on a wrong
# passage while re-anchoring every insertion; see the module's tests for the cases.
#: An exact quote this long that occurs once is taken to be the passage whatever its context.
UNIQUE_QUOTE_MIN = 32
#: Mean similarity (0..1) of prefix and suffix that vouches for a candidate.
CONTEXT_MIN = 0.55
#: Similarity (0..1) an approximate quote must reach with that context…
FUZZY_QUOTE_MIN = 0.7
#: …or the context an approximate quote needs when its similarity is only 0.5 to 0.7 (a short
#: quote with a word changed, between a prefix and a suffix that are still there).
FUZZY_CONTEXT_MIN = 0.8


def _occurrences(text: str, quote: str) -> Iterator[int]:
    pos = text.find(quote)
    while pos != -1:
        yield pos
        pos = text.find(quote, pos + 1)


def _context_fit(text: str, start: int, end: int, prefix: str, suffix: str) -> tuple[float, float]:
    """How well the text around ``start..end`` matches the old prefix and suffix (0..1 each).

    An empty prefix (suffix) means the passage began (ended) the article: it fits only there.
    """
    before = text[max(0, start - (len(prefix) or 1)) : start]
    after = text[end : end + (len(suffix) or 1)]
    return _similarity(prefix, before), _similarity(suffix, after)


def _similarity(expected: str, actual: str) -> float:
    if not expected:
        return 0.0 if actual else 1.0
    return float(Levenshtein.normalized_similarity(expected, actual))


def _approx_ends(text: str, pattern: str, max_errors: int) -> list[tuple[int, int]]:
    """``(end, errors)`` for each ``end`` where some ``text[s:end]`` is within ``max_errors``
    edits (Levenshtein) of ``pattern``, ``errors`` being the fewest.

    Myers (1999), "A fast bit-vector algorithm for approximate string matching based on
    dynamic programming", in Hyyrö's formulation, one bit per pattern character.
    """
    m = len(pattern)
    if m == 0:
        return []
    peq: dict[str, int] = {}
    for i, ch in enumerate(pattern):
        peq[ch] = peq.get(ch, 0) | (1 << i)
    mask = (1 << m) - 1
    high = 1 << (m - 1)
    pv, mv, score = mask, 0, m
    found: list[tuple[int, int]] = []
    for j, ch in enumerate(text):
        eq = peq.get(ch, 0)
        xv = eq | mv
        xh = ((((eq & pv) + pv) & mask) ^ pv) | eq
        ph = mv | (~(xh | pv) & mask)
        mh = pv & xh
        if ph & high:
            score += 1
        elif mh & high:
            score -= 1
        ph = (ph << 1) & mask
        mh = (mh << 1) & mask
        pv = mh | (~(xv | ph) & mask)
        mv = ph & xv
        if score <= max_errors:
            found.append((j + 1, score))
    return found


def _approx_matches(text: str, pattern: str, max_errors: int) -> list[tuple[int, int, int]]:
    """Approximate occurrences ``(start, end, errors)``: the best end of each run of ends."""
    if max_errors <= 0:
        return []
    ends = _approx_ends(text, pattern, max_errors)
    # Ends come in runs around each occurrence; keep the fewest-error end of each run.
    best_ends: list[tuple[int, int]] = []
    run: list[tuple[int, int]] = []
    for item in ends:
        if run and item[0] != run[-1][0] + 1:
            best_ends.append(min(run, key=lambda e: e[1]))
            run = []
        run.append(item)
    if run:
        best_ends.append(min(run, key=lambda e: e[1]))
    best_ends.sort(key=lambda e: e[1])
    m = len(pattern)
    matches = []
    for end, errors in best_ends[:_MAX_CANDIDATES]:
        # The start: the window ending at `end` that reaches the fewest errors, the one whose
        # length is closest to the pattern's when several do.
        lo, hi = max(0, end - m - errors), max(0, end - m + errors)
        starts = sorted(range(lo, min(hi, end - 1) + 1), key=lambda s: abs(end - s - m))
        for s in starts:
            if Levenshtein.distance(pattern, text[s:end], score_cutoff=errors) <= errors:
                matches.append((s, end, errors))
                break
    return matches
