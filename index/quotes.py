"""Quoted statements and who said them.

:func:`extract_statements` takes the spaCy ``Doc`` of a document's analysed text and the
people found in it, and returns every direct quotation as a :class:`Statement`.

It works in three linear passes (no second model, no search over the whole text per
quotation; parse attributes are read from arrays where every token would be touched):

1. **Find quotations** (:func:`find_quotations`): a scanner over the quotation marks of each
   paragraph, straight or curly, that keeps nesting (a quote inside a quote stays part of
   the outer one; straight marks nest inside curly ones) and lets a quotation run over
   paragraphs the way newspapers print it: a paragraph that opens a quote and does not
   close it continues in the next paragraph, which reopens with a quotation mark. A mark
   that plainly opens a new sentence while one is open (``"…today. "What I …``) ends the
   unclosed one there: the two are a *run*.
2. **Attribute** each quotation, in text order, trying in turn: a cue right after the
   closing mark (``“…,” he said``, ``,” said Mr X``, ``,” according to X``, or any verb
   there: ``,” Vitter demanded``), unless a new clause starts there (``,” but he said``,
   ``,” when X blasted``); a dash byline (``” ― Sonya Herridge``); a cue before the opening
   mark in the same sentence (``X responded: “…”``, ``footage of X saying, “…”``); a bare
   colon (``Mr Austin: “…”``, also closing the paragraph before); a cue in the sentence
   just before (``Schiff said. “…”``); and for a phrase quoted inside narrative, the
   nearest verb above it whose subject can speak, a copula or a thing passing it up to the
   verb that reports it (``Flynn said Trump was “absolutely right”``). The speaker is the
   cue's subject in the parse (or the object of *according to*), with a fallback to the
   nearest name next to the cue. Pronouns (*he*/*she*), descriptions (``the England
   coach``, ``the American``) and surnames the model missed are resolved by
   :mod:`index.speakers` from the salience of the people as the text goes on; *they* is
   the nearest plural or coordinated subject; *it* the nearest subject that is not a
   person. A quotation with no cue of its own belongs to the speaker of its run; else to
   a person the sentence before introduces (``US coach Patrick McEnroe wants …. “I
   think …”``); else it continues the statement before it (``“…,” he said. “…”``) — one
   quoted inside narrative only within its sentence. A speaker the text only describes
   goes to the person whose role that description is (``A PR expert has told …``, where
   the entity passes made "PR expert" the role of Ann Kite, named next).
3. **Keep statements, drop the rest**: titles and nicknames (title case), one-word scare
   quotes, quoted words used as a name (``“two plus two” talks``) or as a subject, and
   two- or three-word phrases that no one in their clause says
   (``Facing a “severely contested environment”, …``) are not statements; sentences,
   longer phrases, phrases with their punctuation inside the marks, phrases a speech verb
   reports (``warned of being “distracted or diverted”``) and anything with a cue of its
   own are.

The parts live in their own modules: :mod:`index.quotations` (1), :mod:`index.cues` and
:mod:`index.attribution` with :mod:`index.quote_names` (2), :mod:`index.scare_quotes` (3);
this module puts them together.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from index import speakers
from index.attribution import (
    _according,
    _Attributor,
    _Candidate,
    _set,
    _Speaker,
    _token_at,
    _verb_attribution,
)
from index.cues import _GROUP_PRONOUNS, _PERSON_PRONOUNS, _clause_subject, _is_cue, _subject_of
from index.model import Person, Statement
from index.quotations import _PARA_RE, find_quotations
from index.scare_quotes import _is_fragment, _is_statement, _quote_is_subject

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


# --------------------------------------------------------------------------------------------
# Putting it together


def extract_statements(doc: Doc, people: Sequence[Person]) -> list[Statement]:
    """Every direct quotation in ``doc`` with its speaker, in text order."""
    text = doc.text
    quotes = find_quotations(text)
    if not quotes:
        return []
    n = len(doc)
    tok_starts = doc.to_array("IDX").tolist()
    inside = [False] * n
    cands: list[_Candidate] = []
    para_starts = [m.start() for m in _PARA_RE.finditer(text)]
    for q in quotes:
        first = bisect.bisect_left(tok_starts, q.start)
        last = bisect.bisect_left(tok_starts, q.end) - 1
        if first > last or first >= n:
            continue
        body = text[q.start:q.end]
        if len(body) < 16 and " " not in body.strip() and body[:1].isupper() \
                and body[-1:].isalpha():
            continue  # a nickname (Marcia “Cia” Price) or a one-word title: part of the prose
        # the marks are tokens too: mark them as inside
        lo = first - 1 if first > 0 and doc[first - 1].idx == q.start - 1 else first
        hi = last + 1 if last + 1 < n and doc[last + 1].idx == q.end else last
        for i in range(lo, hi + 1):
            inside[i] = True
        para = bisect.bisect_right(para_starts, q.start) - 1
        cands.append(_Candidate(q, first, last, para=para))
    att = _Attributor(doc, text, people, inside, tok_starts)

    # a run: quotations that follow each other with nothing but a reopening mark between
    # (`"…today. "What I have…"`: the writer did not close the first one)
    for prev, c in itertools.pairwise(cands):
        c.run_prev = not prev.q.closed and not text[prev.q.end:c.q.start - 1].strip()
    kept: list[_Candidate] = []
    for k, c in enumerate(cands):
        att.advance(c.q.start)
        _attribute(c, doc, text, inside, att)
        if c.speaker is not None and c.speaker.name and c.speaker.kind in ("group",
                                                                           "organisation"):
            att.last_group = (c.q.start, c.speaker.name, c.speaker.kind)
        if not _is_statement(c, text, doc, inside):
            continue
        if c.speaker is None:
            _continue(c, kept[-1] if kept else None, cands[k + 1] if k + 1 < len(cands)
                      else None, doc, text, inside, att)
        kept.append(c)
        if c.speaker is not None and c.speaker.name and (
            c.speaker.kind == "person" or c.speaker.described
        ):
            name = c.speaker.name
            if c.speaker.kind != "person":  # someone unnamed stays salient too ("he said")
                name = speakers.UNNAMED + name
            att.discourse.add(c.q.end, att.sent_no[min(c.last, n - 1)], name)
    # a run left open (`"…today. "What I have…," said Moya`) has one speaker: the one it
    # names, else the one its first quotation continues
    runs: list[list[_Candidate]] = []
    for c in kept:
        if runs and c.run_prev and runs[-1][-1] is not c:
            runs[-1].append(c)
        else:
            runs.append([c])
    for run in runs:
        own = next((m for m in run if m.speaker is not None), None)
        chosen = (own.speaker, own.cue) if own is not None else run[0].fallback
        if chosen is None:
            continue
        for m in run:
            if m.speaker is None:
                m.speaker, m.cue = chosen
    # what is still open: a quotation named later in its paragraph
    for k in range(len(kept) - 1, -1, -1):
        c = kept[k]
        nxt = kept[k + 1] if k + 1 < len(kept) else None
        if c.speaker is None and nxt is not None and nxt.speaker is not None \
                and nxt.para == c.para:
            c.speaker, c.cue = nxt.speaker, nxt.cue
    _described_speakers(kept, people)
    return [
        Statement(text[c.q.start:c.q.end], c.q.start, c.q.end,
                  (c.speaker or _Speaker(None, "unknown")).name,
                  (c.speaker or _Speaker(None, "unknown")).kind, c.cue)
        for c in kept if not _is_fragment(c, text)
    ]


def _described_speakers(kept: list[_Candidate], people: Sequence[Person]) -> None:
    """A quotation said by someone the text describes ("A PR expert has told the trial …
    was an “absolute disaster”") goes to the person whose role that description is (the
    entity passes give Ann Kite, named in the next sentence, the role "PR expert")."""
    by_role: dict[str, list[str]] = {}
    for p in people:
        if p.role:
            by_role.setdefault(_bare_description(p.role), []).append(p.name)
    for c in kept:
        sp = c.speaker
        if sp is None or sp.kind == "person" or not sp.name or not sp.described:
            continue
        names = by_role.get(_bare_description(sp.name), [])
        if len(names) == 1:
            c.speaker = _Speaker(names[0], "person")


def _bare_description(words: str) -> str:
    """"A PR expert" -> "pr expert"; "the Ofsted chief" -> "ofsted chief" (of a phrase
    the parse ran into from the headline, its last line)."""
    low = words.strip().split("\n")[-1].lower().split()
    while low and low[0] in ("a", "an", "the"):
        low.pop(0)
    return " ".join(low)


#: Verbs of a sentence that introduces the speaker of the quotation after it ("US coach
#: Patrick McEnroe wants …. “I think …”"), beside the cue words.
_INTRODUCING = frozenset({
    "want", "wants", "wanted", "believe", "believes", "believed", "think", "thinks",
    "thought", "feel", "feels", "felt", "hope", "hopes", "hoped", "expect", "expects",
    "expected", "fear", "fears", "feared", "reckon", "reckons", "reckoned", "spoke", "speaks",
    "agreed", "disagrees", "disagreed", "accepts", "accepted",
})


def _continue(c: _Candidate, prev: _Candidate | None, nxt: _Candidate | None, doc: Doc,
              text: str, inside: list[bool], att: _Attributor) -> None:
    """The speaker of a quotation with no cue of its own: the speaker of the run it belongs
    to; else a person the sentence before introduces; else the speaker of the quotation
    before, one paragraph back at most. A quotation whose run goes on keeps that as its
    ``fallback``: the run may name its speaker later."""
    if c.run_prev and prev is not None and prev.speaker is not None:
        c.speaker, c.cue = prev.speaker, prev.cue
        return
    if not _opens_sentence(c, text):
        # inside narrative: the speaker of a quotation earlier in the same sentence, or
        # before it in the paragraph where a cue with no subject of its own says it is
        # reported speech ("…,” Sanders said, going on to say that “…”); else nobody's
        # ("The MPs found the system was “nowhere near …”" continues no one)
        if prev is not None and prev.speaker is not None and c.para == prev.para and (
            att.sent_start[prev.first] == att.sent_start[c.first] or c.cue is not None
        ):
            c.speaker, c.cue = prev.speaker, prev.cue
        return
    # in a paragraph no quotation has opened yet, the person the sentence before is about
    # introduces the next speaker whatever the verb ("Sanders … identified young voters'
    # exhaustion … “The younger people …”"); within a run, only one who says or thinks
    chosen = _introduced(c, prev, doc, text, inside, att, prev is None or prev.para < c.para)
    if chosen is None and prev is not None and prev.speaker is not None \
            and c.para - prev.para <= 1:
        chosen = prev.speaker, prev.cue
    if not c.q.closed and nxt is not None and nxt.run_prev:
        c.fallback = chosen
    elif chosen is not None:
        c.speaker, c.cue = chosen


def _opens_sentence(c: _Candidate, text: str) -> bool:
    """Whether the quotation stands as a sentence of its own: at the start of its paragraph
    or after the end of a sentence (or after a colon or another quotation)."""
    i = c.q.start - 2  # before the opening mark
    while i >= 0 and text[i] in " \t\xa0":
        i -= 1
    return i < 0 or text[i] in "\n.!?:…\"”’'"


def _introduced(c: _Candidate, prev: _Candidate | None, doc: Doc, text: str,
                inside: list[bool], att: _Attributor,
                any_verb: bool) -> tuple[_Speaker, str | None] | None:
    """A person who is the subject of the sentence just before a quotation that opens its
    own sentence (or paragraph), where that sentence holds no quotation and its verb says or
    thinks something: "Dan Jolin … says classic shows … ¶ “I can understand …”"."""
    l0 = c.first - 1
    while l0 >= 0 and ((inside[l0] and doc[l0].idx >= c.q.start - 1) or doc[l0].is_space):
        l0 -= 1
    if l0 < 0 or doc[l0].text not in (".", "!", "?", ":"):
        return None
    if text[doc[l0].idx:c.q.start].count("\n") > 2:
        return None
    lo = att.sent_start[l0]
    if prev is not None and prev.q.end > doc[lo].idx:
        return None  # the sentence before holds a statement: its speaker goes on
    root = doc[l0]
    while root.head.i != root.i:
        root = root.head
    if root.pos_ not in ("VERB", "AUX"):
        return None
    if not (any_verb or _is_cue(root) or root.lower_ in _INTRODUCING):
        return None
    for ch in root.children:
        if ch.dep_ in ("nsubj", "nsubjpass") and not inside[ch.i]:
            sp = att.speaker_of(ch)
            if sp.kind == "person" and sp.name:
                return sp, root.text
            return None
    return None


_BYLINE_RE = re.compile(r"[ \t\xa0]*[―—–]+[ \t\xa0]*([A-Z])")
_DASHES = frozenset({"―", "—", "–", "-", "--"})


def _attribute(c: _Candidate, doc: Doc, text: str, inside: list[bool], att: _Attributor) -> None:
    n = len(doc)
    q = c.q
    body_end = text[q.start:q.end].rstrip()[-1:]
    # right context: from the closing mark to the end of its sentence (or the next quote);
    # none after a full stop inside the quote ("“… neighbourhood.” Russia insisted …")
    r0 = c.last + 1
    while r0 < n and inside[r0]:
        r0 += 1
    right: list[int] = []
    if r0 < n and doc[r0].idx - q.end < 3 and "\n" not in text[q.end:doc[r0].idx] and not (
        body_end == "." and doc[r0].text[:1].isupper() and doc[r0].text not in _DASHES
    ):
        s_end = att.sent_end[r0]
        if s_end - r0 < 3 and s_end < n and doc[r0].text not in (".", "!", "?"):
            # "“…” he said" split off as its own sentence
            s_end = att.sent_end[s_end]
        i = r0
        while i < min(s_end, n) and not inside[i] and "\n" not in doc[i].text:
            right.append(i)
            i += 1
    # left context: from the start of the opening sentence to the opening mark; none when
    # the quotation opens a new sentence
    l0 = c.first - 1
    while l0 >= 0 and inside[l0]:
        l0 -= 1
    left: list[int] = []
    if l0 >= 0 and q.start - (doc[l0].idx + len(doc[l0].text)) < 4 \
            and doc[l0].text not in (".", "!", "?") and "\n" not in doc[l0].text:
        s_start = min(att.sent_start[c.first], att.sent_start[l0])
        i = l0
        while i >= s_start and not inside[i] and "\n" not in doc[i].text_with_ws[:-1] \
                and "\n" not in doc[i].whitespace_:
            left.append(i)
            i -= 1
    elif _para_ends_with_colon(text, q.start):
        # "Caddell continued:" closing the paragraph before the quotation
        i = l0
        while i >= 0 and doc[i].is_space:
            i -= 1
        s_start = att.sent_start[i] if i >= 0 else 0
        while i >= s_start and not inside[i]:
            left.append(i)
            i -= 1
    # 1. a cue right after the quote: ",” he said" / ",” said Mr X" / ",” Mr X told reporters"
    for k, i in enumerate(right[:8]):
        t = doc[i]
        if _is_cue(t) and not (k == 0 and _inside_clause(c, t, body_end, inside)):
            # a cue touching the quote: ",” he said" — not "the “MI6 agent” told him"
            c.adjacent = k <= 5 and not _quote_is_subject(c, doc, inside)
            _set(c, t, att, inside, right[:k], after=True)
            return
        if t.lower_ == "according" and i + 1 < n and doc[i + 1].lower_ == "to":
            c.adjacent = k <= 2
            _according(c, doc[i + 1], att, inside)
            return
        if t.is_punct and t.text in ".!?;":
            break
        if t.pos_ == "SCONJ" or (t.pos_ == "VERB" and k > 0):
            break  # another clause: ",” when Clinton blasted him"
        if t.pos_ == "CCONJ" and k == 0 and i + 1 < n \
                and doc[i + 1].pos_ in ("PRON", "PROPN", "DET"):
            break  # the quotation ends its clause; the next has a subject of its own:
            # ",” but he said"
    # 1b. ",” Vitter demanded." / "?” asked Mr X": any verb right after the quotation
    if right and body_end in (",", "?", "!") and _verb_attribution(c, doc, right, att, inside):
        return
    # 1c. "” ― Sonya Herridge": a dash and a name after the closing mark
    m = _BYLINE_RE.match(text, q.end + 1) if q.closed else None
    if m:
        i = _token_at(att.tok_starts, m.start(1))
        if i < n and not inside[i]:
            t = doc[i]
            if t.pos_ == "PROPN" or t.ent_type_ == "PERSON":
                while t.dep_ in ("compound", "flat") and t.head.i > t.i and t.head.pos_ == "PROPN":
                    t = t.head
                c.adjacent = True
                c.cue = m.group(0).strip()[:1]
                c.speaker = att.speaker_of(t)
                if c.speaker.kind == "person" and c.speaker.name:
                    return
                c.speaker, c.cue = None, None
    # 2. a cue right before the quote: "X said: “" / "X said that “" / "according to X, “"
    for k, i in enumerate(left):
        t = doc[i]
        if _is_cue(t):
            c.adjacent = k <= 3
            _set(c, t, att, inside, [], after=False)
            return
        if t.lower_ == "to" and i > 0 and doc[i - 1].lower_ == "according":
            c.adjacent = True
            _according(c, t, att, inside)
            return
    # 3. a bare colon: "Mr Austin: “…”", "Obama is rolling out a new message: “…”"
    if left and doc[left[0]].text == ":":
        subj = _clause_subject(doc[left[-1]], doc[left[0]], inside)
        if subj is None:
            for i in left[1:]:
                t = doc[i]
                if t.pos_ in ("PROPN", "NOUN", "PRON"):
                    subj = t
                    while subj.dep_ in ("compound", "flat") and subj.head.i > subj.i:
                        subj = subj.head
                    break
        if subj is not None:
            c.adjacent = True
            c.cue = ":"
            c.speaker = att.speaker_of(subj)
            return
    # 4. any cue in the rest of the right context
    for k, i in enumerate(right[8:]):
        t = doc[i]
        if _is_cue(t):
            _set(c, t, att, inside, right[: k + 8], after=True)
            return
    # 5. "Schiff said. “…”": a quotation opening a sentence right after one that has a cue
    # but no quotation of its own
    if not left and l0 >= 0 and doc[l0].text in (".", "!") and "\n" not in \
            text[doc[l0].idx:q.start]:
        lo = att.sent_start[l0]
        if not any(inside[lo:l0]):
            for i in range(l0 - 1, lo - 1, -1):
                t = doc[i]
                if _is_cue(t):
                    _set(c, t, att, inside, [], after=False)
                    if c.speaker is not None:
                        return
                    c.cue = None
                    break
    # 6. a phrase quoted inside narrative: "Obama condemned the test as “…”" — the subject
    # of the verb that governs it
    # of the nearest verb above it that has one who can speak; a copula ("Trump was
    # “absolutely right”") or a thing ("the advertisement “wrongfully” suggests") passes the
    # quotation up to the verb that governs it ("Flynn said", "Holm said")
    for verb in _governing_verbs(c, doc, text, inside):
        subj = _subject_of(verb, inside)
        if subj is not None and (verb.pos_ == "VERB" or _is_cue(verb)) and (
            subj.pos_ == "PROPN" or subj.lower_ in _PERSON_PRONOUNS
            or subj.lower_ in _GROUP_PRONOUNS or subj.ent_type_ in ("PERSON", "ORG", "NORP")
        ):
            c.cue = verb.text
            c.speaker = att.speaker_of(subj)
            return


def _para_ends_with_colon(text: str, start: int) -> bool:
    """Whether the paragraph before the one the quotation opens ends with a colon."""
    i = start - 2
    while i >= 0 and text[i] in " \t\xa0":
        i -= 1
    if i < 0 or text[i] != "\n":
        return False
    while i >= 0 and text[i].isspace():
        i -= 1
    return i >= 0 and text[i] == ":"


def _governing_verbs(c: _Candidate, doc: Doc, text: str, inside: list[bool]) -> list[Token]:
    """The verbs above the quotation in the parse, nearest first (six steps at most), in
    its paragraph (a headline the parser ran into the first sentence is not its clause)."""
    head = None
    for i in range(c.first, c.last + 1):
        t = doc[i]
        if not inside[t.head.i] or t.head.i == t.i:
            head = t
            break
    if head is None:
        return []
    out = []
    t = head
    for _ in range(6):
        if "\n" in text[min(t.idx, c.q.start):max(t.idx, c.q.start)]:
            break
        if t.pos_ in ("VERB", "AUX") and not inside[t.i]:
            out.append(t)
        if t.head.i == t.i:
            break
        t = t.head
    return out


def _inside_clause(c: _Candidate, verb: Token, body_end: str, inside: list[bool]) -> bool:
    """"the poster “wrongly” suggests": a verb right after a quoted phrase with no
    punctuation of its own, whose subject is a thing named before the quotation, is the
    clause the phrase sits in, not a cue for it."""
    if body_end in ",.!?;:…" or not c.q.closed:
        return False
    subj = _subject_of(verb, inside)
    return subj is not None and subj.i < c.first and not inside[subj.i] and subj.pos_ == "NOUN"


