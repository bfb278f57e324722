"""Which quotations are statements: titles, nicknames, scare quotes and quoted words used
as a name or a subject are not."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from index.attribution import _Candidate
from index.cues import _is_cue

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


#: Quoted text shorter than this (characters) is a statement only as a sentence of its own
#: beside its cue (“No,” she said); ../shared/eval counts quotations from 12 characters on
#: for the same reason: "skip scare quotes of a word or two".
FRAGMENT = 12

_WORD_RE = re.compile(r"[\w'’-]+")
_SENT_END = frozenset(".!?…")
_SMALL_WORDS = frozenset({"a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for",
                          "with", "by", "from", "is", "vs", "vs."})


def _is_statement(c: _Candidate, text: str, doc: Doc, inside: list[bool]) -> bool:
    """A statement, not a scare quote, a title or a nickname."""
    body = text[c.q.start:c.q.end]
    words = _WORD_RE.findall(body)
    n = len(words)
    if n == 0:
        return False
    if c.q.paragraphs > 1:
        return True
    stripped = body.rstrip()
    ends_sentence = stripped[-1:] in _SENT_END or stripped[-1:] == ","
    capital = body.lstrip()[:1].isupper()
    title_case = n <= 8 and all(w[:1].isupper() or w.lower() in _SMALL_WORDS for w in words)
    if c.adjacent and c.speaker is not None and not title_case:
        return n >= 2 or ends_sentence
    if title_case:
        return False
    if n <= 3 and body.lstrip()[:1].islower() and _cue_above(c, doc, inside):
        # "he said he was “considering”", "accused Mr Blair of “misrepresenting”": a word
        # or two that someone is reported to have said
        return True
    if n == 1:
        return False
    if ends_sentence and capital and n >= 3:
        return True
    if n >= 4:
        return True
    if ends_sentence:
        # “strong leader,” / “spoiled brat.”: punctuation taken inside the marks belongs
        # to quoted words (a term or a scare quote leaves it outside: a “term”,)
        return True
    # two or three words: a phrase quoted from someone, or a scare quote / a name?
    after = c.last + 1
    while after < len(doc) and inside[after]:
        after += 1
    if after < len(doc) and doc[after].pos_ in ("NOUN", "PROPN") \
            and doc[after].idx - c.q.end <= 2:
        return False  # “two plus two” talks: a name used as a modifier
    return _said_by_someone(c, doc, inside)


def _is_fragment(c: _Candidate, text: str) -> bool:
    """A word or two quoted inside reported speech ("called her “disgusting”", "it was “a
    mistake”"): the report is the writer's, the quoted words a fragment of it, not a
    statement of its own. It still counts for who speaks next (a run goes on through it);
    the statements listed leave it out."""
    body = text[c.q.start:c.q.end].strip()
    if len(body) >= FRAGMENT or c.q.paragraphs > 1:
        return False
    whole = body[:1].isupper() and (body[-1:] in _SENT_END or body[-1:] == ",")
    return not (whole and c.adjacent)


def _quote_head(c: _Candidate, doc: Doc, inside: list[bool]) -> Token | None:
    """The token of the quotation whose head lies outside it."""
    for i in range(c.first, c.last + 1):
        t = doc[i]
        if not inside[t.head.i] or t.head.i == t.i:
            return t
    return None


def _quote_is_subject(c: _Candidate, doc: Doc, inside: list[bool]) -> bool:
    head = _quote_head(c, doc, inside)
    return head is not None and head.dep_ in ("nsubj", "nsubjpass")


def _said_by_someone(c: _Candidate, doc: Doc, inside: list[bool]) -> bool:
    """Whether the clause that holds a short quotation has a speaker of its own: its verb
    is a cue, or has a subject that can speak ("Obama condemned the test as “…”")."""
    head = _quote_head(c, doc, inside)
    if head is None or head.dep_ in ("nsubj", "nsubjpass"):
        return False  # the quoted words are the subject: "the “MI6 agent” told him"
    t = head
    for _ in range(6):
        if t.pos_ in ("VERB", "AUX"):
            break
        if t.head.i == t.i:
            return False
        t = t.head
    else:
        return False
    if _is_cue(t):
        return True
    for ch in t.children:
        if ch.dep_ in ("nsubj", "nsubjpass") and not inside[ch.i]:
            return ch.lower_ not in ("there", "it", "this", "that", "which") and \
                ch.pos_ in ("PROPN", "PRON", "NOUN")
    return False


def _cue_above(c: _Candidate, doc: Doc, inside: list[bool]) -> bool:
    """Whether a speech verb governs the quotation ("said the Tories would cut “wasteful”
    spending"), the quotation not being its subject."""
    head = _quote_head(c, doc, inside)
    if head is None or head.dep_ in ("nsubj", "nsubjpass"):
        return False
    t = head
    for _ in range(8):
        if t.head.i == t.i or t.dep_ in ("advcl", "relcl", "csubj"):
            return False  # "Facing a “severely contested environment”, he said": the
            # clause a phrase sits in is not what the verb above it reports
        t = t.head
        if not inside[t.i] and t.pos_ == "VERB" and _is_cue(t):
            return True
    return False
