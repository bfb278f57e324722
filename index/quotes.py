"""Quoted statements and who said them.

:func:`extract_statements` takes the spaCy ``Doc`` of a document's analysed text and the
people found in it, and returns every direct quotation as a :class:`Statement`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from index.model import Person, Statement

if TYPE_CHECKING:
    from spacy.tokens import Doc

_QUOTE_RE = re.compile(r"[“\"]([^”\"\n]{12,}?)[”\"]")
_CUE_RE = re.compile(r"\b(said|says|added|told|responded|warned)\b")


def extract_statements(doc: Doc, people: Sequence[Person]) -> list[Statement]:
    """Every direct quotation in ``doc`` with its speaker (minimal first version)."""
    text = doc.text
    out: list[Statement] = []
    for m in _QUOTE_RE.finditer(text):
        start, end = m.span(1)
        tail = text[m.end() : m.end() + 40]
        cue = _CUE_RE.search(tail)
        out.append(Statement(text[start:end], start, end, None, "unknown",
                             cue.group(1) if cue else None))
    return out
