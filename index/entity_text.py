"""The token facts of one parsed article and the candidate types the entity passes share:
labels, :class:`_Text`, name cleaning (for :mod:`index.entities`)."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from index import gazetteer
from index.common_words import is_common_word
from index.entities_titles import (
    JOINERS,
    is_honorific,
    is_person_noun,
    is_title_word,
)
from index.firstnames import is_first_name
from index.model import Span

if TYPE_CHECKING:
    from spacy.tokens import Doc

PERSON, PLACE, OTHER = "P", "L", "O"

_PLACE_LABELS = frozenset({"GPE", "LOC"})
_BLOCK_LABELS = frozenset({"ORG", "NORP", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"})
_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
_DASHES = frozenset({"-", "–", "—"})
_LEADING_DROP = frozenset({"the", "a", "an", "ex", "ex-", "former", "late"})
#: Place kinds that stand for the place even where spaCy calls them an organisation.
_STRONG_KINDS = frozenset({"country", "sea", "island"})
#: "LONDON 1996-08-30", "WASHINGTON (Reuters) -", "PARIS, Jan 3 –": a dateline at a line start.
_DATELINE = re.compile(
    r"^[ \t]*([A-Z][A-Z.'’\- ]*[A-Z.])(?:,[^\n]{0,30}?)?[ \t]+"
    r"(?:\d{4}-\d\d-\d\d|\(\w+\)|[–—][ \t])",
    re.MULTILINE,
)
_NAME_PARTICLES = frozenset(
    {"de", "da", "van", "von", "der", "den", "la", "le", "di", "del", "bin", "al", "el", "ibn",
     "jr", "jr.", "sr", "sr."}
)


@dataclass
class _Cand:
    start: int  # token index
    end: int  # token index, exclusive
    kind: str  # PERSON, PLACE or OTHER
    text: str = ""
    place_name: str | None = None
    place_kind: str | None = None
    role: str | None = None
    dateline: bool = False
    strong: bool = False  # the words around it say what it is
    listed: bool = False  # a person in a results list or a team sheet


@dataclass
class _Cluster:
    name: str
    tokens: tuple[str, ...]
    role: str | None = None
    forms: Counter[str] = field(default_factory=Counter)
    mentions: list[Span] = field(default_factory=list)
    honorific_forms: set[str] = field(default_factory=set)
    gender: str | None = None  # "female" or "male", from a first name or an honorific


_WORD = re.compile(r"[^\W\d_][\w'’.-]*")


class _Text:
    """Token facts computed once: offsets, capitals lines, token boundaries."""

    def __init__(self, doc: Doc, text: str | None = None) -> None:
        from spacy.attrs import (
            ENT_IOB,
            ENT_TYPE,
            IDX,
            IS_PUNCT,
            IS_SPACE,
            LENGTH,
            LIKE_NUM,
            SENT_START,
        )

        self.doc = doc
        # ``doc.text`` joins every token again; the document's own text is the same string.
        if text is None or not len(doc) or doc[-1].idx + len(doc[-1].text_with_ws) != len(text):
            text = doc.text
        self.text = text
        # One pass over the tokens: spaCy's Token objects are costly to make, lists are not.
        attrs = [IDX, LENGTH, IS_PUNCT, IS_SPACE, LIKE_NUM, SENT_START, ENT_TYPE, ENT_IOB]
        rows = doc.to_array(attrs).tolist()
        person = doc.vocab.strings["PERSON"]
        self.idx = idx = [r[0] for r in rows]
        self.end = [r[0] + r[1] for r in rows]
        self.w = w = [text[r[0] : r[0] + r[1]] for r in rows]
        self.cap = [x[:1].isupper() for x in w]
        #: Indices of capitalised tokens: the scans below only ever start a name there.
        self.cap_idx = [i for i, c in enumerate(self.cap) if c]
        self.punct = [r[2] == 1 for r in rows]
        self.space = [r[3] == 1 for r in rows]
        self.num = [r[4] == 1 for r in rows]
        self.sent = [r[5] == 1 for r in rows]
        self.person = [r[6] == person for r in rows]
        self._ent_rows = [(i, r[6], r[7]) for i, r in enumerate(rows) if r[7] in (1, 3)]
        self.in_ent = [r[7] in (1, 3) for r in rows]
        self._label_ids = [r[6] for r in rows]
        self._syntax: tuple[list[str], list[int]] | None = None
        self._pos: list[str] | None = None
        self.nl = [
            (e < len(text) and text[e] == "\n") or "\n" in x
            for e, x in zip(self.end, w, strict=True)
        ]
        starts = [0]
        caps_line: list[bool] = []
        for line in text.split("\n"):
            words = [x for x in _WORD.findall(line) if len(x) > 1]
            upper = sum(1 for x in words if x.isupper())
            caps_line.append(bool(words) and upper / len(words) >= 0.7)
            starts.append(starts[-1] + len(line) + 1)
        self.caps = [caps_line[bisect.bisect_right(starts, a) - 1] for a in idx]
        self.tok_at_start = {a: i for i, a in enumerate(idx)}
        self.tok_at_end = {e: i for i, e in enumerate(self.end)}

    def ents(self) -> list[tuple[int, int, str]]:
        """The model's entities as (start, end, label), read from the token arrays
        (``doc.ents`` would make a Token object for every token)."""
        out: list[tuple[int, int, str]] = []
        strings = self.doc.vocab.strings
        for i, label, iob in self._ent_rows:
            if iob == 3 or not out or out[-1][1] != i:
                out.append((i, i + 1, strings[label]))
            else:
                a, _, name = out[-1]
                out[-1] = (a, i + 1, name)
        return out

    def label(self, i: int) -> str:
        """The model's entity label of token ``i`` ("" outside its entities)."""
        return self.doc.vocab.strings[self._label_ids[i]] if self.in_ent[i] else ""

    def syntax(self) -> tuple[list[str], list[int]]:
        """Each token's dependency label and the index of its head (read once, on demand)."""
        if self._syntax is None:
            from spacy.attrs import DEP, HEAD

            strings = self.doc.vocab.strings
            deps = [strings[d] for d in self.doc.to_array(DEP).tolist()]
            # Heads are stored relative to the token; negative ones wrap in uint64.
            rel = self.doc.to_array(HEAD).astype("int64").tolist()
            self._syntax = (deps, [i + r for i, r in enumerate(rel)])
        return self._syntax

    def pos(self) -> list[str]:
        """Each token's coarse part of speech (read once, on demand)."""
        if self._pos is None:
            from spacy.attrs import POS

            strings = self.doc.vocab.strings
            self._pos = [strings[x] for x in self.doc.to_array(POS).tolist()]
        return self._pos

    def span_text(self, start: int, end: int) -> str:
        return self.text[self.idx[start] : self.end[end - 1]]

    def char_span(self, start: int, end: int) -> Span:
        return (self.idx[start], self.end[end - 1])

    def match(self, i: int, surface: str, upper: bool) -> int | None:
        """Token index just past ``surface`` if it is written at token ``i``, else None."""
        a = self.idx[i]
        written = self.text[a : a + len(surface)]
        if written != surface and not (upper and written.upper() == surface.upper()):
            return None
        last = self.tok_at_end.get(a + len(surface))
        return None if last is None else last + 1


def _is_cap(word: str) -> bool:
    return word[:1].isupper()


def _clean(t: _Text, start: int, end: int, person: bool) -> tuple[int, int, int]:
    """Cuts a span to the bare name; returns (title_start, start, end): the title tokens
    that were inside the span run from title_start to start."""
    for k in range(start, end):
        if t.nl[k] and k + 1 < end:
            end = k + 1  # a name never runs across a line break: "Ken\nGreen"
            break
        if person and k > start and t.w[k] in _DASHES and t.idx[k] > t.end[k - 1]:
            # Nor across a spaced dash: "Grant Thornton - now", "Sri Lanka - Arjuna Ranatunga".
            if gazetteer.load().lookup(t.span_text(start, k)) and k + 1 < end:
                start = k + 1
                continue
            end = k
            break
    title_start = start
    while start < end and (
        t.num[start]
        or t.punct[start]
        or t.w[start].lower() in _LEADING_DROP
        or is_honorific(t.w[start])
        or (person and end - start > 1 and (is_title_word(t.w[start]) or _is_demonym(t.w[start])
                                            or is_person_noun(t.w[start])
                                            or (t.w[start].lower() in JOINERS
                                                and start > title_start)
                                            or _opening_word(t, start)
                                            or _glued_word(t, start, end)))
    ):
        start += 1
    while end > start and (
        t.w[end - 1] in _POSSESSIVE or t.punct[end - 1] or t.num[end - 1]
        or t.space[end - 1]
        or (person and end - start > 2 and t.w[end - 1] in POST_NOMINALS)
        or (person and not t.cap[end - 1] and t.w[end - 1].lower() not in _NAME_PARTICLES
            and end - 1 > start and t.idx[end - 1] > t.end[end - 2])  # not "Song-ho"
    ):
        end -= 1
    # A trailing "'s" glued by the tokenizer is its own token; "Reagan's" may not be.
    return title_start, start, end


def _glued_word(t: _Text, k: int, end: int) -> bool:
    """Whether token ``k``, first of a name of three words or more, is a common word glued
    to a name that starts with a first name: "[Unseeded Nicolas Almagro]PERSON",
    "[Model Anna Nicole Smith]PERSON"."""
    w = t.w[k]
    return (end - k >= 3 and not is_first_name(w) and is_common_word(w)
            and is_first_name(t.w[k + 1]))


#: Letters after a name that are no part of it: "Ken Macdonald QC", "Tony Lloyd MP".
POST_NOMINALS = frozenset({"QC", "KC", "MP", "MEP", "MSP", "AM", "OBE", "MBE", "CBE", "KBE",
                           "DBE", "JP", "PhD", "Jr", "Jr."})


def without_post_nominals(words: list[str]) -> list[str]:
    """The words of a name of three words or more, less the letters after it ("Ken
    Macdonald QC" -> "Ken Macdonald")."""
    while len(words) > 2 and words[-1].rstrip(",.;:") in POST_NOMINALS:
        words = words[:-1]
    return words


#: Words that open a sentence and never a name: "[Even Denzel]PERSON".
_OPENING_WORDS_TEXT = """
    even only also but and so then now still yet just however meanwhile indeed perhaps maybe
    instead later earlier today yesterday tonight both either neither when while after
    before if as since though although unlike like with without for from by at in on of to
    what who where why how
"""
_OPENING_WORDS = frozenset(_OPENING_WORDS_TEXT.split())


def _opening_word(t: _Text, k: int) -> bool:
    """Whether token ``k`` opens its sentence with a word that is not part of a name."""
    return (k == 0 or t.sent[k] or t.nl[k - 1]) and t.w[k].lower() in _OPENING_WORDS


#: Words before a one-word name that make it a place: "in Tavildara", "near Arbil".


def _is_demonym(word: str) -> bool:
    """"Japanese", "Britons", and the regular ones the list lacks: "Rwandan", "Brazilian"."""
    g = gazetteer.load()
    if word in g.demonyms or (word.endswith("s") and word[:-1] in g.demonyms):
        return True
    if word.endswith("n") and len(word) > 4:
        for stem in (word[:-1], word[:-2], word[:-3], word[:-3] + "a"):
            entry = g.by_name.get(stem)
            if entry is not None and entry.kind == "country":
                return True
    return False



def _line_start(t: _Text, i: int) -> bool:
    return i == 0 or t.nl[i - 1]
