"""People and places in one article.

spaCy finds the names; this module makes them right, in a few passes over the tokens of
the parsed ``Doc`` (linear in its length; token facts are read once into lists):

1. **Candidates** from spaCy's entities, cleaned to the bare name: a leading "the",
   honorifics and titles ("Mr", "Secretary of Defence"), nationality words, a trailing
   possessive or number are cut off; a name never runs across a line break or a spaced
   dash. Nationality words ("Japanese"), lower-case words and table headings
   ("Attendance") are not names. A person the model took for an organisation together
   with their title ("Secretary of [Defence Lloyd Austin]ORG") is recovered.
2. **Lists the model reads badly**: results lists ("Pete Sampras ( U.S. ) beat ..."),
   initials ("P. Simmons"), team sheets and leaderboards where the model knows some of the
   people, and places named by the words before them ("the outskirts of Arbil").
3. **Gazetteer** (:mod:`index.gazetteer`): every known place name in the text is a place,
   also where the model missed or mislabelled it, with its canonical name ("U.S." ->
   United States) and kind. In ALL-CAPS headlines and datelines, where the model reads
   badly, names are matched in capitals and the model's people are not trusted.
4. **One label per name** in a document: a word that is part of a person's longer name
   ("Wang" of "Wang Donghai") is that person; otherwise the label the model gave the name
   most often, with the gazetteer and place words ("in Tavildara") as votes.
5. **Sports reports**: a city or county that is not where something happens is a team
   ("Leicestershire beat Somerset"), not a place; countries stay places.
6. **People** are merged: "Austin" and "Mr Austin" join "Lloyd Austin". Roles come from
   the title before the name ("US Secretary of State Antony Blinken") or an appositive
   ("Rishi Sunak, the prime minister").
7. **Every occurrence** of a name known in the document (a person's full name or surname,
   a place) is a mention, including those the model missed.
8. The **dateline**'s place ("WASHINGTON –", "LONDON 1996-08-30") is always a mention.

Mentions are the name itself ("Austin" in "Mr Austin"), in reading order.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from index import gazetteer
from index.entities_titles import (
    CLUB_WORDS,
    JOINERS,
    is_head,
    is_honorific,
    is_not_a_name,
    is_sure_title,
    is_title_word,
)
from index.evidence import CAP, key_of
from index.firstnames import gender_of, is_first_name
from index.model import Document, NameEvidence, Person, Place, Span

_V = TypeVar("_V")

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
                                            or (t.w[start].lower() in JOINERS
                                                and start > title_start)))
    ):
        start += 1
    while end > start and (
        t.w[end - 1] in _POSSESSIVE or t.punct[end - 1] or t.num[end - 1]
        or t.space[end - 1]
        or (person and not t.cap[end - 1] and t.w[end - 1].lower() not in _NAME_PARTICLES
            and end - 1 > start and t.idx[end - 1] > t.end[end - 2])  # not "Song-ho"
    ):
        end -= 1
    # A trailing "'s" glued by the tokenizer is its own token; "Reagan's" may not be.
    return title_start, start, end


#: Words before a one-word name that make it a place: "in Tavildara", "near Arbil".
_AT_PLACE = frozenset({"in", "near", "outside", "around"})
#: "... of Longyear": the words before "of" that make what follows a place.
_PLACE_OF_WORDS = """town city village province region district capital east west north south
    northeast northwest southeast southwest outskirts suburb suburbs port island state county"""
_PLACE_OF = frozenset(_PLACE_OF_WORDS.split())


def _place_context(t: _Text, i: int) -> bool:
    """Whether the words before token ``i`` say a place follows."""
    if i == 0:
        return False
    prev = t.w[i - 1].lower()
    if prev in _AT_PLACE:
        return True
    return prev == "of" and i > 1 and t.w[i - 2].lower() in _PLACE_OF


def _places_of(t: _Text, cands: list[_Cand]) -> list[_Cand]:
    """Places the model missed, named by the words before them: "the outskirts of Arbil",
    "the town of Tavildara", "just east of Longyear"."""
    taken = [False] * len(t.w)
    for c in cands:
        for k in range(c.start, c.end):
            taken[k] = True
    found = []
    for i in t.cap_idx:
        if taken[i] or i < 2 or t.caps[i] or t.w[i - 1] != "of":
            continue
        if t.w[i - 2].lower() not in _PLACE_OF:
            continue
        j = i
        while j < len(t.w) and j - i < 3 and t.cap[j] and not taken[j] and not t.punct[j]:
            j += 1
        if j < len(t.w) and t.w[j] in _POSSESSIVE:
            continue  # "the town of Smith's ..." is not a name of a place
        name = t.span_text(i, j)
        if _is_demonym(t.w[i]) or is_title_word(t.w[i]) or t.w[i].lower() in _NOT_ROLE_START:
            continue
        c = _Cand(i, j, PLACE, name)
        c.strong = True
        found.append(c)
    return found


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


#: Capitalised words that start a sentence, not a title.
_NOT_ROLE_START_WORDS = """the a an and but or so then now also yesterday today tonight
    tomorrow meanwhile however when while after before as if since though although last next
    this that these those monday tuesday wednesday thursday friday saturday sunday january
    february march april may june july august september october november december in on at
    for with by from"""
_POSSESSIVE_PRONOUNS = frozenset({"his", "her", "its", "their", "our", "my", "your"})
_NOT_ROLE_START = frozenset(_NOT_ROLE_START_WORDS.split()) | _POSSESSIVE_PRONOUNS


def _role_before(t: _Text, start: int, inside: int | None = None) -> str | None:
    """The title written just before a name: "US Secretary of State", "Foreign Minister".
    Tokens from ``inside`` on were in the model's entity with the name ("[Comedian Harry
    Hill]PERSON")."""
    i = start - 1
    first = start
    if inside is None:
        inside = start
    while i >= 0:
        w = t.w[i]
        if t.space[i] or (t.punct[i] and w not in {"-", "."}) or (t.person[i] and i < inside):
            break
        if is_honorific(w) and i == start - 1:
            i -= 1
            first = i + 1
            continue
        if is_title_word(w) or _is_cap(w) or w.lower() in JOINERS or w in {"-"}:
            if w.lower() in JOINERS and i > 0 and not (
                is_title_word(t.w[i - 1]) or t.cap[i - 1]
            ):
                break
            first = i
            i -= 1
            continue
        if (first < start and t.pos()[i] in ("NOUN", "ADJ") and not t.punct[i]
                and any(is_head(t.w[k]) for k in range(first, start))):
            first = i  # "horse racing tycoon", "school inspection chief"
            i -= 1
            continue
        break
    if first == start:
        return None
    words = [k for k in range(first, start) if not is_honorific(t.w[k])]
    # "record holder and BBC pundit Jonathan Edwards": the title next to the name.
    ands = [n for n, k in enumerate(words) if t.w[k].lower() == "and"]
    if ands and any(is_head(t.w[k]) for k in words[ands[-1] + 1 :]):
        words = words[ands[-1] + 1 :]
    # Keep the part that is a title: "Olympic champion", "BBC pundit", "US President" --
    # not the sentence's first word, a day or an article before it.
    while words and (not t.cap[words[0]] or t.w[words[0]].lower() in _NOT_ROLE_START) and not (
        is_title_word(t.w[words[0]])
    ):
        words.pop(0)
    while words and t.w[words[-1]].lower() in JOINERS:
        words.pop()
    if not any(is_head(t.w[k]) for k in words) or len(words) > 8:
        return None
    return t.text[t.idx[words[0]] : t.end[words[-1]]]


def _role_appos(t: _Text, start: int, end: int) -> str | None:
    """An appositive after the name: "Lloyd Austin, the defence secretary, said"."""
    doc = t.doc
    for k in range(start, end):
        for child in doc[k].children:
            if child.dep_ == "appos" and child.i >= end:
                sub = list(child.subtree)
                if len(sub) > 8 or not any(is_head(w.text) for w in sub):
                    continue
                while sub and (sub[0].text.lower() in _LEADING_DROP or sub[0].is_punct
                               or sub[0].text.lower() in _POSSESSIVE_PRONOUNS):
                    sub.pop(0)
                while sub and sub[-1].is_punct:
                    sub.pop()
                if sub:
                    return t.text[sub[0].idx : sub[-1].idx + len(sub[-1].text)]
    return None


#: Words that end a descriptive phrase beside a name.
_PHRASE_STOPS = frozenset({",", ".", ";", ":", "(", ")", "\"", "“", "”", "who", "which", "that",
                           "where", "when", "whose", "and", "but", "said", "says", "told"})
_PERSON_SUFFIXES = ("er", "or", "ist", "ian", "eur", "ant", "ee")


def _person_noun(t: _Text, k: int) -> bool:
    """Whether token ``k`` names what a person is or does: an office ("director"), or a
    common noun that reads as one ("lawyer", "blogger", "analyst", "DJ")."""
    w = t.w[k]
    if is_head(w):
        return True
    low = w.lower()
    return (not t.cap[k] and t.pos()[k] == "NOUN" and low.endswith(_PERSON_SUFFIXES)
            and not low.endswith(("ment", "ter", "ber", "ance", "ence")) and len(low) > 4)


def _phrase(t: _Text, a: int, b: int) -> str | None:
    """The role a descriptive phrase ``a:b`` gives ("managing director of T-Mobile in the
    UK", "Yahoo's head of consumer services"), or None if it is not one."""
    pos = t.pos()
    while a < b and (t.w[a].lower() in _LEADING_DROP - {"former", "ex", "ex-"}
                     or t.w[a].lower() in _POSSESSIVE_PRONOUNS):
        a += 1
    if not 0 < b - a <= 12:
        return None
    if any(pos[k] in ("VERB", "AUX", "PRON") or t.nl[k] for k in range(a, b)):
        return None
    if not any(_person_noun(t, k) for k in range(a, b)):
        return None
    return t.span_text(a, b)


def _role_of(t: _Text, start: int, end: int, inside: int | None = None) -> str | None:
    """The role the words around a name give it, if any."""
    return (_role_before(t, start, inside) or _role_appos(t, start, end)
            or _role_after(t, start, end) or _role_described(t, start))


_OPENERS = frozenset({",", "-", "–", "—"})
_CLOSERS = frozenset({",", ".", ";", ")", "-", "–", "—", "and"})
_COPULA = frozenset({"is", "was", "becomes", "became"})


def _role_after(t: _Text, start: int, end: int) -> str | None:
    """A descriptive phrase after the name, between commas or dashes or after "is":
    "Brian McBride, managing director of T-Mobile in the UK, said"; "Lord Bingham - a
    senior law lord - said"; "Clark Boyd is technology correspondent for The World"."""
    n = len(t.w)
    if end + 1 >= n or not (t.w[end] in _OPENERS or t.w[end].lower() in _COPULA):
        return None
    k = end + 1
    while (k < n and k - end <= 13 and t.w[k].lower() not in _PHRASE_STOPS
           and t.w[k] not in _CLOSERS):
        k += 1
    if k >= n or (t.w[k].lower() not in _CLOSERS and t.w[k].lower() not in {"said", "says"}):
        return None
    return _phrase(t, end + 1, k)


def _role_described(t: _Text, start: int) -> str | None:
    """A description just before the name and a comma: "said the Ofsted chief, David
    Bell"; "by Ofsted chief, David Bell"; "asked Jackson's lawyer, David LeGrand"."""
    if start < 3 or t.w[start - 1] != ",":
        return None
    pos = t.pos()
    k = start - 2
    while k >= 0 and start - k <= 10 and not (
        t.w[k].lower() in ("the", "a", "an") or pos[k] in ("ADP", "VERB", "AUX")
        or t.w[k].lower() in _POSSESSIVE_PRONOUNS
    ):
        if t.w[k].lower() in _PHRASE_STOPS or t.nl[k] or (t.punct[k] and t.w[k] not in "-'’"):
            return None
        k -= 1
    if k < 0:
        return None
    return _phrase(t, k + 1, start - 1)


def _person_in_org(t: _Text, start: int, end: int) -> _Cand | None:
    """A person the model took for an organisation with their title:
    "Secretary of [Defence Lloyd Austin]ORG" -> Lloyd Austin, Secretary of Defence."""
    doc = t.doc
    k = start
    while k < end and (is_title_word(t.w[k]) or t.w[k].lower() in JOINERS
                       or is_honorific(t.w[k])):
        k += 1
    if k == start:
        # "[Balco boss Victor Conte]ORG": an office inside, a first name after it.
        for h in range(end - 2, start, -1):
            if is_head(t.w[h]) and not t.cap[h] and (
                is_first_name(t.w[h + 1]) or end - h - 1 == 2
            ):
                if end - h - 1 <= 3 and all(t.cap[j] and t.pos()[j] == "PROPN"
                                            for j in range(h + 1, end)):
                    return _Cand(h + 1, end, PERSON, t.span_text(h + 1, end),
                                 role=t.span_text(start, h + 1))
                break
    if k == start and not (start > 0 and is_title_word(t.w[start - 1])):
        return None
    # A hyphen inside a word ("Sven-Goran") is part of the name.
    tail = [doc[j] for j in range(k, end)
            if not (t.w[j] == "-" and k < j < end - 1 and t.end[j - 1] == t.idx[j] == t.end[j]
                    - 1 and t.end[j] == t.idx[j + 1])]
    if not 1 <= len(tail) <= 3 or not all(
        w.pos_ == "PROPN" and _is_cap(w.text) and not t.caps[w.i] and not _is_demonym(w.text)
        for w in tail
    ):
        return None
    if gazetteer.load().lookup(t.span_text(k, end)):
        return None
    if len(tail) == 1 and not any(is_sure_title(t.w[j]) for j in range(max(0, start - 1), k)):
        return None  # "the [General Election]ORG"
    role = _role_before(t, k)
    if role is None:
        return None
    return _Cand(k, end, PERSON, t.span_text(k, end), role=role)


def _candidates(t: _Text) -> list[_Cand]:
    doc = t.doc
    g = gazetteer.load()
    cands: list[_Cand] = []
    for ent_start, ent_end, label in t.ents():
        person = label == "PERSON"
        title_start, s, e = _clean(t, ent_start, ent_end, person)
        if s >= e:
            continue
        text = t.span_text(s, e)
        caps = t.caps[s]
        if caps and label not in _PLACE_LABELS:
            continue  # the model reads capitals badly: known names are matched below
        entry = g.lookup(text) if (caps or text in g.by_name) else None
        if person:
            kind = PERSON
        elif label in _PLACE_LABELS:
            kind = PLACE
            if _is_demonym(text) or not t.cap[s] or is_not_a_name(t.w[e - 1]):
                continue  # "Japanese", "midfield", "Bafta"
            if e - s == 2 and _INITIAL.match(t.w[s] + ("" if t.w[s].endswith(".") else ".")):
                kind = PERSON  # "D Hickie"
            elif (s > 0 and is_sure_title(t.w[s - 1]) and t.w[s - 1].lower().rstrip(".") != "st"
                  and entry is None and not g.lookup(text)):
                kind = PERSON  # "President [Thabo Mbeki]GPE"
            elif s > 0 and is_head(t.w[s - 1]) and (
                not t.cap[s - 1] or t.w[s - 1].isupper()
            ) and (entry is None or entry.kind not in _STRONG_KINDS):
                kind = PERSON  # "UK rapper [Kano]GPE", "garage MC [Kano]GPE"
        elif label in _BLOCK_LABELS and (hidden := _person_in_org(t, s, e)):
            cands.append(hidden)
            continue
        elif label == "FAC" or label in _BLOCK_LABELS:
            if entry and (label == "FAC" or entry.kind in _STRONG_KINDS):
                kind = PLACE
            elif label in _BLOCK_LABELS:
                kind = OTHER
            else:
                continue
        else:
            continue
        if kind == PERSON and (not any(ch.isalpha() for ch in t.w[s]) or t.w[s].islower()):
            continue  # "280bn", "marijuana"
        if kind == PERSON and title_start < s and e - s == 1 and not any(
            is_sure_title(t.w[k]) for k in range(title_start, s)
        ):
            continue  # "General [Election]", "National Executive [Committee]"
        if kind == PERSON:
            # "Phillips [Idowu]": a capitalised word the model left just before the name.
            while (s > 0 and s == ent_start and t.cap[s - 1] and not t.in_ent[s - 1]
                   and not t.sent[s] and not t.punct[s - 1] and not t.nl[s - 1]
                   and not is_title_word(t.w[s - 1]) and not is_honorific(t.w[s - 1])
                   and not is_not_a_name(t.w[s - 1]) and not _is_demonym(t.w[s - 1])
                   and t.w[s - 1].lower() not in _NOT_ROLE_START and not g.lookup(t.w[s - 1])):
                s -= 1
                ent_start = s
                text = t.span_text(s, e)
            # "[Johnny] Depp": a first name alone, and the capitalised word after it.
            if (e - s == 1 and e == ent_end and e < len(t.w) and t.cap[e] and not t.in_ent[e]
                    and not t.punct[e] and not t.nl[s] and not t.caps[e]
                    and is_first_name(t.w[s]) and t.pos()[e] == "PROPN"
                    and not is_title_word(t.w[e]) and not g.lookup(t.w[e])):
                e += 1
                text = t.span_text(s, e)
        c = _Cand(s, e, kind, text)
        if kind == PERSON and _not_a_persons_name(t, s, e):
            c.kind = OTHER  # "accountancy firm Grant Thornton", "Man Utd", "Very Scandinavian"
            cands.append(c)
            continue
        if kind == PERSON:
            if e - s == 1 and (
                _is_demonym(text) or (e < len(doc) and t.w[e] == ":" and _line_start(t, s))
            ):
                continue  # "Briton", "Attendance : 200"
            if all(is_not_a_name(t.w[k]) for k in range(s, e)):
                continue  # "Oscar", "Lib Dems"
            if e - s > 1 and t.w[e - 1].lower() in CLUB_WORDS and g.lookup(t.w[s]):
                cands.append(_Cand(s, e, OTHER, text))
                continue  # "Manchester United"
            if e - s == 1 and text.lower().endswith("shire"):
                c.kind, c.place_name, c.place_kind = PLACE, text, "region"
            elif e - s == 1 and _place_context(t, s):
                c.kind = PLACE  # "fighting in Tavildara", "east of Longyear"
                c.strong = True
            else:
                c.role = _role_of(t, s, e, title_start)
        cands.append(c)
    cands += _coordinated_people(t, cands)
    _shared_roles(t, cands)
    listed = _listed_people(t, cands) + _places_of(t, cands)
    listed += _roster_people(t, cands + listed)
    for c in listed:
        c.listed = c.kind == PERSON
    if listed:
        covered = {k for c in listed for k in range(c.start, c.end)}
        cands = [c for c in cands if not any(k in covered for k in range(c.start, c.end))]
        cands.extend(listed)
    return cands


#: Words before a name that say it names a firm, a group or a work: "accountancy firm
#: Grant Thornton", "the band Keane", "the show Trap Door".
_ORG_BEFORE_WORDS = """firm company group band label retailer newspaper magazine paper show
    series programme program film album website site club side brand chain bank airline
    station channel agency charity network studio outfit supergroup duo trio quartet"""
_ORG_BEFORE = frozenset(_ORG_BEFORE_WORDS.split())
#: Last words that only ever end a club's name.
_CLUB_ONLY = frozenset({"utd", "fc", "afc"})


@functools.cache
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def _not_a_persons_name(t: _Text, s: int, e: int) -> bool:
    """Whether the words in or around a name the model took for a person's show it is not
    one: a word for a firm, band or work just before it, a club word at its end, a score
    or "v" inside it, or a common little word ("Very", "the", "Without") where a name has
    none."""
    if s > 0 and not t.cap[s - 1] and t.w[s - 1].lower() in _ORG_BEFORE:
        return True
    if e - s > 1 and t.w[e - 1].lower().rstrip(".") in _CLUB_ONLY:
        return True
    if any(t.num[k] or t.w[k].lower() in ("v", "v.", "vs", "vs.") for k in range(s, e)):
        return True  # "Norwich 1 Wolverhampton", "Birmingham v Barnsley": a result
    for k in range(s, e - 1):
        low = t.w[k].lower()
        if low in _stop_words() and low not in _NAME_PARTICLES and not (
            k == s and is_first_name(t.w[k])
        ):
            return True
    return False


def _coordinated_people(t: _Text, cands: list[_Cand]) -> list[_Cand]:
    """A first name the model missed beside a person it found: "his sons, Avi and Joel"."""
    n = len(t.w)
    found = []
    for c in cands:
        k = c.end + 1
        if c.kind != PERSON or k >= n or t.w[c.end].lower() not in ("and", "&"):
            continue
        if t.in_ent[k] or not t.cap[k] or t.caps[k] or not is_first_name(t.w[k]):
            continue
        e = k + 1
        while e < n and e - k < 3 and t.cap[e] and not t.in_ent[e] and not t.punct[e]:
            e += 1
        found.append(_Cand(k, e, PERSON, t.span_text(k, e)))
    return found


def _shared_roles(t: _Text, cands: list[_Cand]) -> None:
    """A role in the plural belongs to both people of a pair: "the tycoons John Magnier and
    JP McManus", "his two sons, Avi and Joel", "Pop stars Robbie Williams and Kylie
    Minogue". ("Prime Minister Tony Blair and Gordon Brown" shares nothing.)"""
    people = sorted((c for c in cands if c.kind == PERSON), key=lambda c: c.start)
    for a, b in itertools.pairwise(people):
        if b.start != a.end + 1 or t.w[a.end].lower() not in ("and", "&"):
            continue
        role = a.role or b.role
        if role and not (a.role and b.role) and _plural(role):
            a.role = b.role = role


def _plural(role: str) -> bool:
    """Whether the office a role names is in the plural ("tycoons", "two sons")."""
    words = [w.lower().rstrip(".") for w in re.split(r"[\s,]+", role) if w]
    heads = [w for w in words if is_head(w)]
    head = heads[-1] if heads else words[-1]
    return head.endswith("s") and not head.endswith("ss") and is_head(head[:-1])


_SEPARATORS = frozenset({",", ";", ":"})


def _roster_people(t: _Text, cands: list[_Cand]) -> list[_Cand]:
    """Names in a list the model read only in part: a team sheet ("Mike Atherton ( captain ) ,
    Nick Knight , Alec Stewart ..."), a line-up ("15 - Christian Cullen , 14 - Jeff Wilson")
    or a leaderboard line ("287 Ian Woosnam 70 76 71 70"). In a line of three or more
    names, one of which the model already knows as a person, every name is a person; a line
    that is only a name and numbers is a person's score in a sports report."""
    n = len(t.w)
    kind_at: list[str | None] = [None] * n
    for c in cands:
        for k in range(c.start, c.end):
            kind_at[k] = c.kind
    g = gazetteer.load()
    sports = _is_sports(t.text)
    found: list[_Cand] = []
    picked: list[tuple[int, int]] = []
    score_lines: list[tuple[int, int]] = []
    line_start = 0
    for i in range(n + 1):
        if i < n and not t.nl[i]:
            continue
        end = i + 1 if i < n else n
        # Segments of the line, split at separators outside brackets.
        segments: list[tuple[int, int]] = []
        depth, seg = 0, line_start
        for k in range(line_start, end):
            w = t.w[k]
            if w == "(":
                depth += 1
            elif w == ")":
                depth = max(0, depth - 1)
            elif depth == 0 and w in _SEPARATORS:
                segments.append((seg, k))
                seg = k + 1
        segments.append((seg, end))
        names: list[tuple[int, int]] = []
        for a, b in segments:
            while a < b and (t.num[a] or t.w[a] in {"-", ".", "–"} or t.space[a]):
                a += 1  # "15 - ", "1. "
            j = a
            while j < b and j - a < 4 and t.cap[j] and not t.punct[j] and not t.caps[j]:
                j += 1
            rest = [k for k in range(j, b) if not (t.num[k] or t.punct[k] or t.space[k])]
            bracket = j < b and t.w[j] == "("
            if 2 <= j - a <= 4 and (not rest or bracket):
                names.append((a, j))
        known = sum(1 for a, b in names if any(kind_at[k] == PERSON for k in range(a, b)))
        if len(names) >= 3 and known >= 1:
            picked.extend(names)
        elif (sports and len(names) == 1 and len(segments) == 1
              and any(t.num[k] for k in range(names[0][1], end))):
            score_lines.append(names[0])
        line_start = end
    # Score lines name people only where the model agrees for a good share of them
    # (a leaderboard), not a league table of clubs.
    known = sum(1 for a, b in score_lines if any(kind_at[k] == PERSON for k in range(a, b)))
    if score_lines and 3 * known >= len(score_lines):
        picked.extend(score_lines)
    for a, b in picked:
        if any(kind_at[k] in (PERSON, PLACE) for k in range(a, b)):
            continue
        text = t.span_text(a, b)
        if g.lookup(text) or t.w[b - 1].lower() in CLUB_WORDS or any(
            _is_demonym(t.w[k]) or is_title_word(t.w[k]) or is_not_a_name(t.w[k])
            or g.lookup(t.w[k]) for k in range(a, b)
        ):
            continue
        found.append(_Cand(a, b, PERSON, text))
    return found


def _line_start(t: _Text, i: int) -> bool:
    return i == 0 or t.nl[i - 1]


#: "( Australia )", "( 75th )", "( U.S. )": what follows a name in a results list.
_BRACKETED = re.compile(r"\(\s*([A-Z][\w.'\- ]{0,30}?|\d{1,3}(?:st|nd|rd|th)?)\s*\)")
_INITIAL = re.compile(r"^[A-Z]\.$")


def _listed_people(t: _Text, cands: list[_Cand]) -> list[_Cand]:
    """People the model misses in results lists and scorecards: "Pete Sampras ( U.S. )
    beat ...", "Cosmin Contra ( 31st )", "P. Simmons 4-38"."""
    doc = t.doc
    g = gazetteer.load()
    taken = [False] * len(doc)
    for c in cands:
        if c.kind != OTHER:  # the model's organisations here are often these very names
            for k in range(c.start, c.end):
                taken[k] = True
    found = []
    n = len(doc)
    pos = 0
    for i in t.cap_idx:
        if i < pos or taken[i] or t.caps[i]:
            continue
        j = i
        while j < n and not taken[j] and j - i < 4 and (
            (t.cap[j] and not t.punct[j] and not is_title_word(t.w[j]))
            or (_INITIAL.match(t.w[j]) and j == i)
        ):
            j += 1
        if j - i >= 1:
            words = [t.w[k] for k in range(i, j)]
            name = t.span_text(i, j)
            initial = bool(_INITIAL.match(words[0])) and len(words) >= 2
            m = _BRACKETED.match(t.text, t.idx[j]) if j < n and len(words) >= 2 else None
            inside = m.group(1) if m else ""
            # "( Australia )", "( 75th )" follow a competitor; "( INA )" an organisation.
            bracket = bool(inside) and (inside[:1].isdigit() or g.lookup(inside) is not None)
            if (initial or bracket) and not g.lookup(name) and not any(
                _is_demonym(w) or g.lookup(w) or is_not_a_name(w) for w in words
            ):
                found.append(_Cand(i, j, PERSON, name))
        pos = max(j, i + 1)
    return found


def _gazetteer_pass(t: _Text, cands: list[_Cand]) -> list[_Cand]:
    """Adds every place name the gazetteer knows; in capitals lines it overrides spaCy."""
    doc = t.doc
    g = gazetteer.load()
    owner: list[_Cand | None] = [None] * len(doc)
    for c in cands:
        for k in range(c.start, c.end):
            owner[k] = c
    found: list[_Cand] = []
    n = len(doc)
    pos = 0
    for i in t.cap_idx:
        if i < pos:
            continue
        word = t.w[i]
        upper = t.caps[i] and word.isupper()
        hit = None
        for entry in g.candidates(word, upper):
            end = t.match(i, entry.surface, upper)
            if end is not None:
                hit = (entry, end)
                break
        if hit is None:
            continue
        entry, end = hit
        owners = {id(owner[k]): owner[k] for k in range(i, end) if owner[k] is not None}
        ok = True
        for o in owners.values():
            assert o is not None
            if upper:
                continue  # capitals: trust the gazetteer over the model
            if o.kind == PLACE and o.start >= i and o.end <= end:
                continue  # the same place, or a shorter name of it
            if o.kind == PLACE and not _place_words(t, o, i, end):
                continue  # "BBC [Delhi]": the known place inside a longer, odd name
            if o.kind == OTHER and o.start == i and o.end == end and entry.kind != "city":
                continue
            if o.kind == PERSON and o.start == i and o.end == end:
                continue  # decided by the vote below
            ok = False
        if ok and i > 0 and entry.kind not in _STRONG_KINDS and (
            is_sure_title(t.w[i - 1]) or (is_head(t.w[i - 1]) and (
                not t.cap[i - 1] or t.w[i - 1].isupper()))
        ):
            ok = False  # "Crown Princess Mary", "Mr Lincoln", "UK rapper Kano"
        # A name inside a longer capitalised name ("New York Times") is not this place.
        if ok and not upper and (
            (i > 0 and owner[i - 1] is None and t.cap[i - 1]
             and not t.sent[i - 1] and not is_title_word(t.w[i - 1])
             and t.w[i - 1].lower() not in _LEADING_DROP)
            or (end < n and owner[end] is None and t.cap[end]
                and t.w[end] not in _POSSESSIVE)
        ):
            ok = False
        if ok:
            c = _Cand(i, end, PLACE, t.span_text(i, end), entry.canonical, entry.kind)
            if owners and all(o is not None and o.kind == PERSON for o in owners.values()):
                c.kind = "?"  # person or place: the vote decides
            found.append(c)
            for o in owners.values():
                if o is not None and (upper or o.kind == PLACE or o.kind == OTHER):
                    o.kind = "X"  # replaced
            pos = end
    return [c for c in cands if c.kind != "X"] + found


#: Words that make a longer place of a known one: "Western Europe", "Guantanamo Bay".
_PLACE_QUALIFIER_WORDS = """north south east west northern southern eastern western central
    greater upper lower inner outer new old north-east north-west south-east south-west
    bay strip valley river island islands gulf sea coast peninsula republic state province
    county district region city town port camp lake mount mountains heights plain basin
    delta straits strait channel canal square street road bridge airport park"""
_PLACE_QUALIFIERS = frozenset(_PLACE_QUALIFIER_WORDS.split())


def _place_words(t: _Text, o: _Cand, i: int, end: int) -> bool:
    """Whether the words of place ``o`` around the known place at ``i:end`` make a longer
    place ("Western Europe", "Republic of Congo") and not something else. A club
    ("Manchester City") becomes an organisation."""
    extra = [k for k in range(o.start, o.end) if not i <= k < end]
    if t.w[o.end - 1].lower() in CLUB_WORDS and o.end > end:
        o.kind = OTHER
        return True
    return all(t.w[k].lower() in _PLACE_QUALIFIERS or t.w[k].lower() in JOINERS
               or t.w[k] in _DASHES for k in extra)


def _vote(t: _Text, cands: list[_Cand]) -> None:
    """One label per name in a document.

    A word that is part of a longer person's name found in the document ("Wang" after
    "Wang Donghai", "Washington" after "MaliVai Washington") is that person wherever the
    model labelled it otherwise; any other name gets the label the model gave it most often.
    """
    parts: set[str] = set()
    surnames: set[str] = set()
    # A first word the model mostly calls an organisation where it stands alone and "it"
    # refers back to ("Yahoo", beside one "[Yahoo Messenger]PERSON") is not made a person
    # by a longer name with no title or honorific to show it is one.
    alone: dict[str, Counter[str]] = {}
    for c in cands:
        if c.end - c.start == 1:
            alone.setdefault(c.text.lower(), Counter())[c.kind] += 1
    for c in cands:
        if c.kind == PERSON and c.end - c.start > 1 and all(
            t.cap[k] or t.w[k].lower() in _NAME_PARTICLES for k in range(c.start, c.end)
        ):
            for k in (c.start, c.end - 1):
                w = t.w[k]
                seen = alone.get(w.lower())
                if k == c.start and seen and seen[OTHER] > seen[PERSON] and not c.role and not (
                    c.start > 0 and is_honorific(t.w[c.start - 1])
                ) and _thing_like(t, [x for x in cands if x.text.lower() == w.lower()]):
                    continue
                if len(w) > 2 and w.lower() not in _NAME_PARTICLES and not w.endswith("."):
                    parts.add(w.lower())
                    if k == c.end - 1:
                        surnames.add(w.lower())
    # "[Phillips Idowu]ORG" where "Idowu" alone is a person: the whole name is the person.
    singles = {c.text.lower() for c in cands if c.kind == PERSON and c.end - c.start == 1}
    for c in cands:
        if (c.kind == OTHER and 1 < c.end - c.start <= 3 and t.w[c.end - 1].lower() in singles
                and all(t.cap[k] for k in range(c.start, c.end))):
            c.kind = PERSON
    person_words = surnames | singles
    votes: dict[str, Counter[str]] = {}
    for c in cands:
        if c.kind in (PERSON, PLACE, OTHER, "?"):
            # A name the gazetteer knows counts once more as a place.
            kind = PLACE if c.kind == "?" else c.kind
            votes.setdefault(c.text.lower(), Counter())[kind] += 2 if c.strong else 1
    for c in cands:
        key = c.text.lower()
        if c.end - c.start == 1 and key in parts and c.kind in (PERSON, PLACE, OTHER, "?") and (
            c.kind != PLACE or c.place_kind not in _STRONG_KINDS or key in surnames
        ) and not c.strong and not c.dateline:
            c.kind = PERSON
            continue
        if (c.kind == PLACE and c.end - c.start > 1 and t.w[c.end - 1].lower() in person_words
                and c.place_kind is None and gazetteer.load().lookup(c.text) is None):
            c.kind = PERSON  # "[Thabo Mbeki]GPE" where "President Mbeki" is a person
            continue
        v = votes.get(key)
        if c.kind == "?":
            c.kind = PLACE if v is None or v[PLACE] >= v[PERSON] else PERSON
            if c.kind == PERSON:
                c.place_name = None
        elif v and c.kind in (PERSON, PLACE) and len(v) > 1:
            best, n = v.most_common(1)[0]
            if best == c.kind or n == v[c.kind]:
                continue
            if best == OTHER and c.place_kind in _STRONG_KINDS:
                continue
            c.kind = best


def _thing_like(t: _Text, cands: list[_Cand]) -> bool:
    """Whether the pronouns that refer back to these mentions are rather "it" and "they"
    than "he" and "she"."""
    cues = _cues(t, tuple(t.char_span(c.start, c.end) for c in cands))
    return cues["it"] > cues["he"]


_OF = frozenset({"of", "de", "du", "des"})
_AND = frozenset({"and", "&"})
_POSSESSIVE_PRONOUN_WORDS = frozenset({"his", "her", "its", "my", "your", "their", "our"})


def _places_in_names(t: _Text, cands: list[_Cand]) -> None:
    """A place inside the name of an organisation, a work, a band or a peer is not a place:
    "House of Fraser", "Pirates of the Caribbean", "Lord Nicholls of Birkenhead", "Echo and
    the Bunnymen", "USA Track and Field", "his Achilles tendon". A title or a place word
    before "of" keeps it ("President of France", "Gulf of Mexico"), and so do two places
    ("Trinidad and Tobago")."""
    g = gazetteer.load()
    kind_at: list[str | None] = [None] * len(t.w)
    for c in cands:
        kind = c.kind
        if kind == PLACE and c.place_kind is None and g.lookup(c.text) is None:
            kind = "?"  # a place only the model knows: it may be part of a name itself
        for k in range(c.start, c.end):
            kind_at[k] = kind
    n = len(t.w)
    for c in cands:
        if c.kind != PLACE or c.dateline or t.caps[c.start]:
            continue
        i, e = c.start, c.end
        known = c.place_kind is not None or g.lookup(c.text) is not None
        j = i - 2 if i > 1 and t.w[i - 1].lower() == "the" else i - 1
        joiner = t.w[j].lower() if j > 0 else ""
        before = j - 1
        inside = False
        if (joiner in _OF and t.cap[before] and not t.sent[before] and not t.punct[before]
                and c.place_kind not in _STRONG_KINDS):
            # Not "Karlsruhe of Germany", "Peter Nicol of Scotland": where they are from.
            w = t.w[before]
            if kind_at[before] == PERSON:
                k = before
                while k > 0 and kind_at[k - 1] == PERSON:
                    k -= 1
                inside = k > 0 and is_honorific(t.w[k - 1])  # "Lord Nicholls of Birkenhead"
            else:
                # "Espanyol of Barcelona" is where a club is from; "Pirates of the
                # Caribbean" is a title.
                unknown = kind_at[before] == "?" and j == i - 1
                inside = not (is_head(w) or is_honorific(w) or kind_at[before] == PLACE
                              or unknown or w.lower() in _PLACE_QUALIFIERS)
        elif (joiner in _AND and t.cap[before] and kind_at[before] not in (PLACE, "?")
              and not known):
            inside = not t.punct[before]  # "USA Track and Field"
        if not known and e + 2 < n and t.w[e].lower() in _AND | _OF:
            the = t.w[e + 1].lower() == "the"
            after = e + 2 if the else e + 1
            if (t.cap[after] and not t.punct[after] and (the or t.w[e].lower() in _OF)
                    and (kind_at[after] not in (PLACE, "?") or t.w[e].lower() in _OF)):
                # "Echo and the Bunnymen", "Pirates of the Caribbean", "Espanyol of
                # Barcelona": a place only the model knows, inside a longer name.
                inside = not (t.w[e].lower() in _OF and c.text.lower() in _PLACE_QUALIFIERS)
        if (i > 0 and t.w[i - 1].lower() in _POSSESSIVE_PRONOUN_WORDS and not known
                and e < n and not t.cap[e] and t.pos()[e] == "NOUN"):
            inside = True  # "his Achilles tendon"
        if inside:
            c.kind = OTHER


#: Headline words that open a sports report ("SOCCER - ROMANIA BEAT LITHUANIA").
_SPORTS = re.compile(
    r"^\W*(?:SOCCER|FOOTBALL|CRICKET|BASEBALL|TENNIS|GOLF|BOXING|RUGBY(?: UNION| LEAGUE)?|"
    r"SQUASH|BASKETBALL|ATHLETICS|CYCLING|MOTOR ?RACING|FORMULA ONE|HORSE RACING|ICE HOCKEY|"
    r"NHL|NBA|NFL|HOCKEY|SWIMMING|SKIING|ROWING|SAILING|SNOOKER|DARTS|VOLLEYBALL|HANDBALL|"
    r"BADMINTON|TABLE TENNIS|JUDO|WRESTLING|OLYMPICS|AMERICAN FOOTBALL|NASCAR|CHESS)\b"
    r"[^\n]{0,4}[-–—:]",
    re.IGNORECASE,
)
_SCORE = re.compile(r"\b\d{1,3}-\d{1,3}\b")
_SPORT_WORDS = re.compile(
    r"\b(?:match|innings|wicket|goals?|scored|striker|midfielder|halftime|half-time|league|"
    r"tournament|seeded|champions|championship|cup|season|coach|inning|homer|touchdown)\b",
    re.IGNORECASE,
)
#: Words before a place name that make it a place even in a sports report ("at Headingley").
_LOCATIVES = (
    "in at from near to outside around across into inside throughout via of visit visited "
    "visiting toward towards"
)
_LOCATIVE = frozenset(_LOCATIVES.split())


def _is_sports(text: str) -> bool:
    """A sports report: a sports headline, or a text full of scores and sports words."""
    if _SPORTS.match(text[:80]):
        return True
    head = text[:3000]
    return len(_SCORE.findall(head)) >= 3 and len(_SPORT_WORDS.findall(head)) >= 3


def _teams(t: _Text, cands: list[_Cand]) -> None:
    """In a sports report a city, county or state that is not somewhere something happens
    ("Leicestershire beat Somerset", "CHICAGO 5 Boston 3") is a team, not a place. Countries
    stay places: national sides are named after them."""
    doc = t.doc
    g = gazetteer.load()
    surnames = {t.w[c.end - 1] for c in cands if c.kind == PERSON and c.end - c.start > 1}
    for c in cands:
        if c.kind == PERSON and c.end - c.start == 1 and c.text not in surnames:
            # "Surrey 429-7", "Kent made up for lost time": a county the model took for a
            # person's surname.
            entry = g.by_name.get(c.text)
            if entry is not None and entry.kind not in _STRONG_KINDS:
                c.kind = OTHER
            continue
        if c.kind != PLACE or c.dateline or c.place_kind in _STRONG_KINDS:
            continue
        k = c.start - 1
        while k >= 0 and (t.w[k].lower() in _LEADING_DROP or t.space[k]):
            k -= 1
        if k >= 0 and t.w[k].lower() in _LOCATIVE:
            continue
        if c.end < len(doc) and t.w[c.end] == ":" and _line_start(t, c.start):
            continue  # "Hove : Sussex 363 ..." -- where the match is played
        c.kind = OTHER


def extract_entities(doc: Doc, document: Document) -> tuple[list[Person], list[Place]]:
    """The people and places named in ``document`` (whose parsed text is ``doc``)."""
    people, places, _ = analyse_entities(doc, document)
    return people, places


def analyse_entities(
    doc: Doc, document: Document
) -> tuple[list[Person], list[Place], list[NameEvidence]]:
    """The people and places named in ``document`` (whose parsed text is ``doc``), and what
    the article shows about each name it uses, for :mod:`index.evidence`."""
    t = _Text(doc, document.text)
    cands = _gazetteer_pass(t, _candidates(t))
    _dateline(t, document, cands)
    _vote(t, cands)
    _places_in_names(t, cands)
    sports = _is_sports(t.text)
    if sports:
        _teams(t, cands)
    cands.sort(key=lambda c: (c.start, -c.end))
    people = _people(t, [c for c in cands if c.kind == PERSON], cands)
    places = _places(t, [c for c in cands if c.kind == PLACE], cands)
    listed = {t.char_span(c.start, c.end) for c in cands if c.listed and c.kind == PERSON}
    return people, places, _evidence(t, people, places, cands, sports, listed)


def _dateline(t: _Text, document: Document, cands: list[_Cand]) -> None:
    """The dateline's place ("WASHINGTON –", "LONDON 1996-08-30") is a place mention."""
    span = document.dateline_span
    if span is None:
        m = _DATELINE.search(t.text, 0, min(len(t.text), 400))
        if m is None or t.text[: m.start()].count("\n") > 3:
            return
        span = (m.start(1), m.end(1))
    a, b = span
    raw = t.text[a:b]
    name = re.split(r"[–—(]| -|,|\d", raw)[0].strip(" \t-.:")
    if not name:
        return
    s = t.text.find(name, a)
    i = t.tok_at_start.get(s)
    j = t.tok_at_end.get(s + len(name))
    if i is None or j is None:
        return
    for c in cands:
        if c.start <= j and i < c.end and c.kind != "X":
            if c.kind in (PLACE, "?"):
                c.kind = PLACE
                c.dateline = True
                return
            c.kind = "X"
    entry = gazetteer.load().lookup(name)
    c = _Cand(i, j + 1, PLACE, name, entry.canonical if entry else None,
              entry.kind if entry else None)
    c.dateline = True
    cands.append(c)


def _display(name: str) -> str:
    """"WASHINGTON" -> "Washington" (names read from capitals lines)."""
    if name.isupper() and len(name) > 3:
        return " ".join(w.capitalize() if w.isalpha() else w.title() for w in name.split())
    return name


def _free(owner: list[bool], i: int, end: int) -> bool:
    return not any(owner[i:end])


def _honorific_form(t: _Text, cl: _Cluster, i: int, form: str) -> None:
    """"Mr Austin" is one of the names a reader sees for Lloyd Austin (an alias, while the
    mention itself is the name)."""
    if i > 0 and is_honorific(t.w[i - 1]) and t.cap[i - 1]:
        cl.honorific_forms.add(f"{t.w[i - 1]} {form}")


def _people(t: _Text, cands: list[_Cand], all_cands: list[_Cand]) -> list[Person]:
    doc = t.doc
    clusters: list[_Cluster] = []
    by_full: dict[str, _Cluster] = {}
    # Longest names first, so "Austin" finds "Lloyd Austin" whatever the order.
    for c in sorted(cands, key=lambda c: -(c.end - c.start)):
        words = tuple(t.w[k] for k in range(c.start, c.end))
        key = " ".join(words).lower()
        cl = by_full.get(key) if len(words) > 1 else _bare_owner(t, clusters, c.start)
        if cl is None and len(words) > 1:
            # "Joseph R. Biden" / "Joe Biden": same surname and same first letter;
            # "Marie Leroi" / "Armand Marie Leroi": the end of a longer name.
            low = [w.lower() for w in words]
            for x in clusters:
                xl = [w.lower() for w in x.tokens]
                if len(xl) > 1 and xl[-1] == low[-1] and (
                    xl[0][:1] == low[0][:1] or (len(xl) > len(low) and xl[-len(low):] == low)
                ):
                    cl = x
                    break
        if cl is None:
            cl = _Cluster(_display(" ".join(c.text.split())), words,
                          gender=_honorific_gender(t, c.start))
            if len(words) > 1 and is_first_name(words[0]):
                cl.gender = cl.gender or gender_of(words[0])
            clusters.append(cl)
        by_full[key] = cl
        cl.forms[c.text] += 1
        _honorific_form(t, cl, c.start, c.text)
        cl.mentions.append(t.char_span(c.start, c.end))
        if c.role and not cl.role:
            cl.role = c.role
    # Every other occurrence of a known name or surname is a mention too.
    owner = [False] * len(doc)
    for c in all_cands:
        if c.kind in (PERSON, PLACE, OTHER):
            for k in range(c.start, c.end):
                owner[k] = True
    surfaces: dict[str, list[tuple[str, _Cluster]]] = {}
    for cl in clusters:
        forms = set(cl.forms)
        last = cl.tokens[-1]
        if len(cl.tokens) > 1 and len(last) > 2 and last.lower() not in _NAME_PARTICLES:
            forms.add(last)
        for f in forms:
            surfaces.setdefault(gazetteer.first_word(f).upper(), []).append((f, cl))
    for lst in surfaces.values():
        lst.sort(key=lambda x: -len(x[0]))
    n = len(doc)
    for i, end, cl in _known_forms(t, surfaces, owner):
        if end - i == 1:
            cl = _bare_owner(t, clusters, i) or cl
        inside_name = not t.caps[i] and (
            (i > 0 and t.cap[i - 1] and not t.sent[i - 1]
             and not is_honorific(t.w[i - 1]) and not is_title_word(t.w[i - 1]))
            or (end < n and t.cap[end] and t.w[end] not in _POSSESSIVE)
        )
        if not inside_name:
            cl.mentions.append(t.char_span(i, end))
            cl.forms[t.span_text(i, end)] += 1
            _honorific_form(t, cl, i, t.span_text(i, end))
            for k in range(i, end):
                owner[k] = True
    people = []
    for cl in clusters:
        mentions = tuple(sorted(set(cl.mentions)))
        for a, b in mentions if cl.role is None else ():
            # "Mr Thomas, the information commissioner, said": a role at a later mention.
            at, upto = t.tok_at_start.get(a), t.tok_at_end.get(b)
            if at is not None and upto is not None and not t.caps[at]:
                cl.role = _role_of(t, at, upto + 1)
                if cl.role:
                    break
        forms = {_display(f) for f in cl.forms} | cl.honorific_forms
        aliases = tuple(sorted(forms - {cl.name}))
        people.append(Person(cl.name, cl.role, aliases, mentions))
    people.sort(key=lambda p: p.mentions[0])
    return people


_HONORIFIC_GENDER = {"mr": "male", "sir": "male", "lord": "male", "monsieur": "male",
                     "herr": "male", "mrs": "female", "ms": "female", "miss": "female",
                     "lady": "female", "dame": "female", "madam": "female", "mme": "female",
                     "mlle": "female", "baroness": "female", "frau": "female"}


def _honorific_gender(t: _Text, i: int) -> str | None:
    """The gender the honorific just before token ``i`` gives ("Mrs" -> female)."""
    return _HONORIFIC_GENDER.get(t.w[i - 1].lower().rstrip(".")) if i > 0 else None


def _bare_owner(t: _Text, clusters: list[_Cluster], i: int) -> _Cluster | None:
    """The person a one-word name at token ``i`` refers to: of the people with that surname
    (or that one-word name), the one named most recently before it, of the gender its
    honorific gives. "Mrs Howard" after "Michael Howard" is another person, new here; None
    where nobody has the name yet."""
    w = t.w[i].lower()
    pos = t.idx[i]
    named = [x for x in clusters if len(x.tokens) > 1 and (
        x.tokens[-1].lower() == w or x.tokens[0].lower() == w)] + [
        x for x in clusters if len(x.tokens) == 1 and x.tokens[0].lower() == w]
    if not named:
        return None
    surname = [x for x in named if x.tokens[-1].lower() == w]
    named = surname or named
    gender = _honorific_gender(t, i)
    fits = [x for x in named if not (gender and x.gender and x.gender != gender)]
    if not fits:
        cl = _Cluster(f"{t.w[i - 1]} {_display(t.w[i])}", (t.w[i],), gender=gender)
        clusters.append(cl)
        return cl
    before = [(max(a for a, _ in x.mentions if a < pos), x) for x in fits
              if any(a < pos for a, _ in x.mentions)]
    if before:
        return max(before, key=lambda b: b[0])[1]
    return min(fits, key=lambda x: abs(x.mentions[0][0] - pos))


def _known_forms(
    t: _Text, surfaces: dict[str, list[tuple[str, _V]]], owner: list[bool]
) -> Iterator[tuple[int, int, _V]]:
    """Every occurrence of a known form (``surfaces``: by first word, longest first) at a
    capitalised token no other entity owns, left to right without overlaps, with the value
    the form stands for: the mentions the model missed."""
    pos = 0
    for i in t.cap_idx:
        if i < pos or owner[i]:
            continue
        word = t.w[i]
        upper = t.caps[i] and word.isupper()
        for form, value in surfaces.get(word.upper(), ()):
            end = t.match(i, form, upper)
            if end is not None and _free(owner, i, end):
                yield i, end, value
                pos = end
                break


def _places(t: _Text, cands: list[_Cand], all_cands: list[_Cand]) -> list[Place]:
    doc = t.doc
    g = gazetteer.load()
    groups: dict[str, tuple[str | None, set[str], set[Span]]] = {}
    surfaces: dict[str, list[tuple[str, str]]] = {}
    for c in cands:
        if c.place_name is None:
            entry = g.lookup(c.text) if (c.text.isupper() or c.text in g.by_name) else None
            c.place_name = entry.canonical if entry else _display(c.text)
            c.place_kind = entry.kind if entry else None
        _, forms, mentions = groups.setdefault(c.place_name, (c.place_kind, set(), set()))
        forms.add(c.text)
        mentions.add(t.char_span(c.start, c.end))
        surfaces.setdefault(gazetteer.first_word(c.text).upper(), []).append((c.text, c.place_name))
    owner = [False] * len(doc)
    for c in all_cands:
        if c.kind in (PERSON, PLACE, OTHER):
            for k in range(c.start, c.end):
                owner[k] = True
    for lst in surfaces.values():
        lst.sort(key=lambda x: -len(x[0]))
    for i, end, name in _known_forms(t, surfaces, owner):
        groups[name][2].add(t.char_span(i, end))
        groups[name][1].add(t.span_text(i, end))
    places = [
        Place(name, kind, tuple(sorted({_display(f) for f in forms} - {name})),
              tuple(sorted(mentions)))
        for name, (kind, forms, mentions) in groups.items()
    ]
    places.sort(key=lambda p: p.mentions[0])
    return places


# --- evidence for the library (see index.evidence) ------------------------------------

#: Words after a name that make it an organisation: "Pirelli shares", "Yahoo spokesman".
_ORG_AFTER_WORDS = """inc inc. corp corp. corporation co co. ltd ltd. plc llc ag sa nv gmbh
    group holdings shares share stock spokesman spokeswoman spokesperson subsidiary
    shareholders profits profit revenues revenue sales customers subscribers staff employees
    workers bosses executives management chairman"""
_ORG_AFTER = frozenset(_ORG_AFTER_WORDS.split())
#: Words after a name that make it a product or a work: "Mac Mini computer", "Keane album".
_THING_AFTER_WORDS = """software program programs programme programmes service services
    system systems device devices player players console consoles phone phones handset
    handsets computer computers machine machines format formats disc discs chip chips
    network browser version versions technology engine model models platform album albums
    single singles song songs film films movie movies show shows series brand brands product
    products website site range users owners fans titles tour"""
_THING_AFTER = frozenset(_THING_AFTER_WORDS.split())
_AT_WORDS = "in at from near outside across throughout inside into"
_AT = frozenset(_AT_WORDS.split())
_SPEECH_WORDS = """said says say told tells added adds explained insisted argued claimed
    warned admitted stressed noted commented replied asked declared announced"""
_SPEECH = frozenset(_SPEECH_WORDS.split())
_HE_WORDS = "he she him his her himself herself"
_HE = frozenset(_HE_WORDS.split())
_IT_WORDS = "it its itself they their them themselves"
_IT = frozenset(_IT_WORDS.split())
_DET = frozenset({"the", "a", "an"})
_SUBJECT = frozenset({"nsubj", "nsubjpass"})
_ORG_LABELS = frozenset({"ORG", "PRODUCT", "NORP"})


def _evidence(t: _Text, people: list[Person], places: list[Place], cands: list[_Cand],
              sports: bool, listed: set[Span]) -> list[NameEvidence]:
    """What the article shows about each name: its people, its places and the other names
    the model found (organisations, works, products), with their cues."""
    g = gazetteer.load()
    out: list[NameEvidence] = []
    for p in people:
        counts = _cues(t, p.mentions)
        words = p.name.split()
        if len(words) > 1 and is_first_name(words[0]):
            counts["first"] = 1
        if p.role:
            counts["role"] = 1
        if any(m in listed for m in p.mentions):
            counts["listed"] = 1
        if len(words) > 1 and not is_first_name(words[0]) and any(
            (x := g.lookup(w)) is not None and x.kind in ("city", "country") for w in words
        ):
            counts["placeword"] = 1  # "Greenock Morton", "Chittagong Cement"
        entry = g.lookup(p.name)
        if entry is not None:
            counts["gaz"] = 1
        out.append(NameEvidence(key_of(p.name), "person", p.name, p.mentions, p.aliases, p.role,
                                entry.kind if entry else None, _capped(counts)))
    for q in places:
        counts = _cues(t, q.mentions)
        counts["gaz"] = 1 if q.kind or g.lookup(q.name) else 0
        out.append(NameEvidence(key_of(q.name), "place", q.name, q.mentions, q.aliases,
                                None, q.kind, _capped(counts)))
    others: dict[str, tuple[str, list[Span], set[str]]] = {}
    taken = {m for x in people for m in x.mentions} | {m for x in places for m in x.mentions}
    for c in cands:
        if c.kind != OTHER:
            continue
        span = t.char_span(c.start, c.end)
        if span in taken:
            continue
        name = _display(" ".join(c.text.split()))
        entry = g.lookup(name) if (c.text.isupper() or c.text in g.by_name) else None
        if entry is not None:
            name = entry.canonical
        _, spans, forms = others.setdefault(key_of(name), (name, [], set()))
        spans.append(span)
        forms.add(_display(c.text))
    for key, (name, spans, forms) in others.items():
        mentions = tuple(sorted(set(spans)))
        counts = _cues(t, mentions)
        entry = g.lookup(name)
        if entry is not None:
            counts["gaz"] = 1
            if sports:
                counts["team"] = 1
        out.append(NameEvidence(key, "other", name, mentions, tuple(sorted(forms - {name})),
                                None, entry.kind if entry else None, _capped(counts)))
    return out


def _capped(counts: Counter[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted((f, min(n, CAP)) for f, n in counts.items() if n > 0))


def _cues(t: _Text, mentions: tuple[Span, ...]) -> Counter[str]:
    """The cues around the mentions of one name (see :mod:`index.evidence`)."""
    dep, head = t.syntax()
    n = len(t.w)
    counts: Counter[str] = Counter()
    for a, b in mentions:
        i = t.tok_at_start.get(a)
        last = t.tok_at_end.get(b)
        if i is None or last is None:
            continue
        j = last + 1
        counts["L:" + t.label(i)] += 1
        if i > 0:
            prev = t.w[i - 1]
            low = prev.lower()
            if is_honorific(prev) and t.cap[i - 1]:
                counts["hon"] += 1
            elif low in _DET:
                counts["det"] += 1
            elif low in _AT:
                counts["at"] += 1
            elif low in ("its", "their") or (
                prev in _POSSESSIVE and i > 1 and t.label(i - 2) in _ORG_LABELS
            ):
                counts["owned"] += 1
        if j < n:
            nxt = t.w[j].lower()
            if nxt in _ORG_AFTER:
                counts["org"] += 1
            elif nxt in _THING_AFTER:
                counts["thing"] += 1
            elif nxt == "who" or (nxt == "," and j + 1 < n and t.w[j + 1].lower() == "who"):
                counts["who"] += 1
            elif (nxt in _DASHES and j + 1 < n and t.w[j + 1].lower() == "based") or (
                nxt == "-based"
            ):
                counts["based"] += 1
        if dep[last] in _SUBJECT:
            if t.w[head[last]].lower() in _SPEECH:
                counts["speech"] += 1
            for k in range(j, min(n, j + 30)):
                w = t.w[k].lower()
                if w in _HE:
                    counts["he"] += 1
                    break
                if w in _IT:
                    counts["it"] += 1
                    break
                if t.in_ent[k] and dep[k] in _SUBJECT:
                    break  # another name is now the subject
    return counts
