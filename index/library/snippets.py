"""Snippets: one line of an article around its hits, as HTML, for the results list."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from typing import Any

from index.model import Span

__all__ = ["SNIPPET_CHARS", "make_snippet", "title_span"]

#: Characters of text a snippet shows (words are not cut).
SNIPPET_CHARS = 220
_SPACES = re.compile(r"\s+")


def make_snippet(
    text: str, spans: Sequence[Span], width: int = SNIPPET_CHARS, *, title: Span | None = None
) -> str:
    """One line of ``text`` around the densest cluster of ``spans``, HTML-escaped, with
    each hit in ``<b>…</b>`` and ``…`` where the text was cut.

    ``title`` is the span of the article's title (see :func:`title_span`): the snippet is
    then cut from the body alone, never running the title into it; when only the title
    matched, it is the title and the body's opening, joined by " — "."""
    if title is None or not 0 <= title[0] < title[1] <= len(text):
        return _snippet(text, spans, width)
    _, body_start = title
    body = text[body_start:]
    in_body = [(a - body_start, b - body_start) for a, b in spans if a >= body_start]
    in_title = [(a, b) for a, b in spans if b <= body_start]
    if in_body or not in_title:
        return _snippet(body, in_body, width)
    head = _snippet(text[: body_start], in_title, width)
    rest = _snippet(body, [], max(40, width - len(text[title[0] : title[1]])))
    return f"{head} — {rest}" if rest else head


def _snippet(text: str, spans: Sequence[Span], width: int) -> str:
    if not text.strip():
        return ""
    # Leading white space (the gap after a title) would only shift the window.
    lead = len(text) - len(text.lstrip())
    if lead:
        text = text[lead:]
        spans = [(a - lead, b - lead) for a, b in spans if a >= lead]
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


def title_span(blocks: Iterable[Any] | None) -> Span | None:
    """``(start, end)`` of the title block opening an article (stored blocks are
    ``(kind, start, end, level)``; :class:`index.model.Block` works too), or None."""
    for block in blocks or ():
        kind, start, end = (
            (block.kind, block.start, block.end)
            if hasattr(block, "kind")
            else (block[0], block[1], block[2])
        )
        return (int(start), int(end)) if kind == "title" else None
    return None
