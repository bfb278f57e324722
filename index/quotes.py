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
   quoted inside narrative only within its sentence.
3. **Keep statements, drop the rest**: titles and nicknames (title case), one-word scare
   quotes, quoted words used as a name (``“two plus two” talks``) or as a subject, and
   two- or three-word phrases that no one in their clause says
   (``Facing a “severely contested environment”, …``) are not statements; sentences,
   longer phrases, phrases with their punctuation inside the marks, phrases a speech verb
   reports (``warned of being “distracted or diverted”``) and anything with a cue of its
   own are.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from index import entities_titles, speakers
from index.model import Person, Statement
from index.speakers import Discourse, first_name_names

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

# --------------------------------------------------------------------------------------------
# Vocabulary. The pipeline runs without the lemmatizer, so verbs are listed in every form.

_CUE_STEMS = {
    # base: (third person, past, participle/gerund...)
    "say": ("says", "said", "saying"),
    "add": ("adds", "added", "adding"),
    "tell": ("tells", "told", "telling"),
    "respond": ("responds", "responded", "responding"),
    "reply": ("replies", "replied", "replying"),
    "answer": ("answers", "answered", "answering"),
    "warn": ("warns", "warned", "warning"),
    "write": ("writes", "wrote", "written", "writing"),
    "state": ("states", "stated", "stating"),
    "explain": ("explains", "explained", "explaining"),
    "declare": ("declares", "declared", "declaring"),
    "insist": ("insists", "insisted", "insisting"),
    "claim": ("claims", "claimed", "claiming"),
    "argue": ("argues", "argued", "arguing"),
    "ask": ("asks", "asked", "asking"),
    "note": ("notes", "noted", "noting"),
    "continue": ("continues", "continued", "continuing"),
    "recall": ("recalls", "recalled", "recalling"),
    "announce": ("announces", "announced", "announcing"),
    "tweet": ("tweets", "tweeted", "tweeting"),
    "post": ("posts", "posted", "posting"),
    "joke": ("jokes", "joked", "joking"),
    "quip": ("quips", "quipped", "quipping"),
    "admit": ("admits", "admitted", "admitting"),
    "acknowledge": ("acknowledges", "acknowledged", "acknowledging"),
    "suggest": ("suggests", "suggested", "suggesting"),
    "predict": ("predicts", "predicted", "predicting"),
    "promise": ("promises", "promised", "promising"),
    "vow": ("vows", "vowed", "vowing"),
    "urge": ("urges", "urged", "urging"),
    "call": ("calls", "called", "calling"),
    "describe": ("describes", "described", "describing"),
    "insist_": (),
    "observe": ("observes", "observed", "observing"),
    "remark": ("remarks", "remarked", "remarking"),
    "comment": ("comments", "commented", "commenting"),
    "conclude": ("concludes", "concluded", "concluding"),
    "shout": ("shouts", "shouted", "shouting"),
    "yell": ("yells", "yelled", "yelling"),
    "cry": ("cries", "cried", "crying"),
    "exclaim": ("exclaims", "exclaimed", "exclaiming"),
    "mutter": ("mutters", "muttered", "muttering"),
    "complain": ("complains", "complained", "complaining"),
    "concede": ("concedes", "conceded", "conceding"),
    "confirm": ("confirms", "confirmed", "confirming"),
    "deny": ("denies", "denied", "denying"),
    "assert": ("asserts", "asserted", "asserting"),
    "report": ("reports", "reported", "reporting"),
    "testify": ("testifies", "testified", "testifying"),
    "emphasize": ("emphasizes", "emphasized", "emphasizing"),
    "emphasise": ("emphasises", "emphasised", "emphasising"),
    "stress": ("stresses", "stressed", "stressing"),
    "boast": ("boasts", "boasted", "boasting"),
    "caution": ("cautions", "cautioned", "cautioning"),
    "counter": ("counters", "countered", "countering"),
    "retort": ("retorts", "retorted", "retorting"),
    "reiterate": ("reiterates", "reiterated", "reiterating"),
    "tout": ("touts", "touted", "touting"),
    "agree": ("agrees", "agreed", "agreeing"),
    "recount": ("recounts", "recounted", "recounting"),
    "pledge": ("pledges", "pledged", "pledging"),
    "mock": ("mocks", "mocked", "mocking"),
    "blast": ("blasts", "blasted", "blasting"),
    "slam": ("slams", "slammed", "slamming"),
    "charge": ("charges", "charged", "charging"),
    "accuse": ("accuses", "accused", "accusing"),
    "quote": ("quotes", "quoted", "quoting"),
    "read": ("reads",),
    "proclaim": ("proclaims", "proclaimed", "proclaiming"),
}
CUE_WORDS = frozenset(
    w for base, forms in _CUE_STEMS.items() if not base.endswith("_") for w in (base, *forms)
)
#: Cue words that are also common nouns or adjectives; they count only when tagged as verbs.
_VERB_ONLY = frozenset({"call", "calls", "post", "posts", "state", "states", "note", "notes",
                        "report", "reports", "read", "comment", "comments", "counter",
                        "quote", "quotes", "charge", "charges", "stress", "remark", "remarks",
                        "claim", "claims", "answer", "cry", "blast", "promise", "tweet",
                        "tweets", "warning", "joke", "jokes", "reply", "vow", "vows",
                        "continuing"})

_TITLES = frozenset({
    "mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "dame", "lord", "lady",
    "president", "sen", "senator", "rep", "representative", "gov", "governor", "mayor",
    "judge", "gen", "general", "col", "colonel", "capt", "captain", "rev", "reverend",
    "secretary", "minister", "chancellor", "premier", "prime", "vice", "pope", "king",
    "queen", "prince", "princess", "speaker", "chairman", "chairwoman", "chief", "candidate",
    "nominee", "former", "the", "republican", "democratic", "democrat", "gop", "u.s.", "us",
})
_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady",
                         "prof", "professor", "rev", "sen", "rep", "gov"})
_PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "i"})
_GROUP_PRONOUNS = frozenset({"they", "them", "we", "us"})
_ORG_HINTS = frozenset({"ORG", "GPE", "NORP"})

_OPENERS = "“\"„«"
_MARK_RE = re.compile(r"[“”\"„«»]")
_PARA_RE = re.compile(r"[^\n]+")
_WORD_RE = re.compile(r"[\w'’-]+")
_SENT_END = frozenset(".!?…")
_BREAK_RE = re.compile(r"\n\s*")
_AGE_RE = re.compile(r"\d+-year-old$")


# --------------------------------------------------------------------------------------------
# 1. Quotation marks


@dataclass
class Quotation:
    """A run of quoted text: ``start``/``end`` inside the outer marks (it may cover several
    paragraphs), ``closed`` False when the last paragraph never closed it."""

    start: int
    end: int
    closed: bool = True
    paragraphs: int = 1


def _is_space(ch: str) -> bool:
    return ch.isspace() or ch in "([{—–-/" or ch == ""


def find_quotations(text: str) -> list[Quotation]:
    """Every quoted stretch of ``text``, outermost marks only, in text order."""
    paras = [(m.start(), m.end()) for m in _PARA_RE.finditer(text) if m.group().strip()]
    out: list[Quotation] = []
    open_at: int | None = None  # content start of the open quotation
    depth = 0  # nested curly quotes inside the open one
    curly = True  # whether the open quotation began with a curly mark
    inner = False  # a straight quotation is open inside a curly one
    n_paras = 1
    for pi, (pa, pb) in enumerate(paras):
        skip = -1
        if open_at is not None:  # continued from the previous paragraph: skip its reopening mark
            lead = pa + len(text[pa:pb]) - len(text[pa:pb].lstrip())
            skip = lead
            n_paras += 1
        for m in _MARK_RE.finditer(text, pa, pb):
            i = m.start()
            if i == skip:
                continue
            ch = m.group()
            prev = text[i - 1] if i > pa else ""
            nxt = text[i + 1] if i + 1 < pb else ""
            opens_like = _is_space(prev) and not nxt.isspace() and nxt != ""
            closes_like = not _is_space(prev) or nxt == "" or nxt.isspace() or nxt in ".,;:!?)"
            if open_at is None:
                if ch in "“„«" or (ch in "\"”" and opens_like):
                    open_at, depth, n_paras = i + 1, 0, 1
                    curly, inner = ch != '"', False
                continue
            # a quotation is open
            if ch == '"' and curly:
                # “… "inner" …”: straight marks inside a curly quotation are nested, unless
                # one closes it (“no evidence" yet: mixed marks)
                if inner or (opens_like and not closes_like):
                    inner = not inner
                    continue
                out.append(Quotation(open_at, i, True, n_paras))
                open_at = None
                continue
            if ch in "“„«":
                if closes_like and not opens_like:  # a typo'd closing mark
                    out.append(Quotation(open_at, i, True, n_paras))
                    open_at = None
                elif not depth and opens_like and _after_sentence(text, i, open_at):
                    # “… today. “Nobody …”: the writer left the first one open and starts
                    # the next (a quotation within a quotation does not open a sentence)
                    end = i
                    while end > open_at and text[end - 1].isspace():
                        end -= 1
                    out.append(Quotation(open_at, end, False, n_paras))
                    open_at, depth, n_paras = i + 1, 0, 1
                else:
                    depth += 1
            elif ch in "”»":
                if depth:
                    depth -= 1
                else:
                    out.append(Quotation(open_at, i, True, n_paras))
                    open_at = None
            else:  # straight mark
                if opens_like and not closes_like and i > open_at:
                    # ` … 26 weeks. "We are going …`: the writer never closed the first
                    # quotation; this mark opens the next one
                    end = i
                    while end > open_at and text[end - 1].isspace():
                        end -= 1
                    out.append(Quotation(open_at, end, False, n_paras))
                    open_at, depth, n_paras = i + 1, 0, 1
                    continue
                out.append(Quotation(open_at, i, True, n_paras))
                open_at = None
        if open_at is not None:
            nxt_para = paras[pi + 1] if pi + 1 < len(paras) else None
            if nxt_para is not None:
                body = text[nxt_para[0]:nxt_para[1]].lstrip()
                if body[:1] in _OPENERS:
                    continue  # runs on into the next paragraph
            end = pb
            while end > open_at and text[end - 1].isspace():
                end -= 1
            if end > open_at:
                out.append(Quotation(open_at, end, False, n_paras))
            open_at = None
    return out


def _after_sentence(text: str, i: int, open_at: int) -> bool:
    """Whether the mark at ``i`` follows the end of a sentence ("today. “") of the quotation
    open since ``open_at``, and a capital letter follows it."""
    j = i - 1
    while j > open_at and text[j] in " \t\xa0":
        j -= 1
    return j > open_at and j < i - 1 and text[j] in ".!?" and text[i + 1 : i + 2].isupper()


# --------------------------------------------------------------------------------------------
# 2. Attribution


@dataclass
class _Speaker:
    name: str | None
    kind: str
    described: bool = False  # an unnamed person: "one dealer", "a spokeswoman"


class _Names:
    """Maps spans of the text to people's canonical names, and finds the nearest person or
    group before a position."""

    def __init__(self, doc: Doc, text: str, people: Sequence[Person], inside: list[bool],
                 tok_starts: list[int], ents: list[Span]) -> None:
        self.doc = doc
        mentions: list[tuple[int, int, str]] = []
        by_alias: dict[str, str] = {}
        for p in people:
            for a, b in p.mentions:
                mentions.append((a, b, p.name))
            by_alias.setdefault(p.name.lower(), p.name)
            for alias in p.aliases:
                by_alias.setdefault(alias.lower(), p.name)
        # spaCy's own PERSON entities fill in what the people list lacks.
        ent_names: list[str] = []
        for ent in ents:
            if ent.label_ == "PERSON":
                ent_names.append(_clean_name(ent.text))
        surname: dict[str, str] = {}
        for name in [p.name for p in people] + ent_names:
            parts = name.split()
            if not parts:
                continue
            last = parts[-1].lower()
            best = surname.get(last)
            if best is None or len(name.split()) > len(best.split()):
                surname[last] = name
        # a surname known only on its own ("Austin") completed from the text, where a
        # first name stands before it ("Secretary of Defence Lloyd Austin")
        lonely = {k for k, v in surname.items() if " " not in v}
        if lonely:
            # compare hashes from one array rather than creating a Token for every word
            strings = doc.vocab.strings
            wanted = {strings.add(w): w for w in lonely}
            lowers = doc.to_array("LOWER").tolist()
            for i, h in enumerate(lowers):
                low = wanted.get(h)
                if low is None or i == 0 or low not in lonely:
                    continue
                t, prev = doc[i], doc[i - 1]
                if prev.pos_ == "PROPN" and prev.text[:1].isupper() \
                        and prev.lower_.rstrip(".") not in _TITLES \
                        and prev.ent_type_ not in ("GPE", "NORP") and t.text[:1].isupper():
                    surname[low] = f"{prev.text} {t.text}"
                    lonely.discard(low)
        # names the text gives with a first name ("England coach Sven-Goran Eriksson"),
        # whatever the entity recogniser made of them
        for low, full in first_name_names(text).items():
            known = surname.get(low)
            if known is None or (" " not in known and full.endswith(known)):
                surname[low] = full
        self.surname = surname
        self.by_alias = by_alias
        covered = {(a, b) for a, b, _ in mentions}
        starts = sorted(covered)
        for ent in ents:
            a, b = ent.start_char, ent.end_char
            j = bisect.bisect_left(starts, (b, b)) - 1  # the mention starting last before b
            if ent.label_ == "PERSON" and not (j >= 0 and starts[j][1] > a):
                mentions.append((a, b, self.canonical(ent.text)))
                covered.add((a, b))
        # a surname alone ("said Eriksson") of someone named in full, where nothing above
        # covers it
        self._surname_mentions(doc, mentions, covered)
        mentions.sort()
        # mentions inside quotations are not antecedents for "he said"
        self.mentions = [
            m for m in mentions
            if not _inside_at(m[0], tok_starts, inside)
        ]
        self.mention_starts = [m[0] for m in self.mentions]

    def _surname_mentions(self, doc: Doc, mentions: list[tuple[int, int, str]],
                          covered: set[tuple[int, int]]) -> None:
        full_names = {k: v for k, v in self.surname.items() if " " in v}
        if not full_names:
            return
        strings = doc.vocab.strings
        wanted = {strings.add(k): k for k in full_names}
        for i, h in enumerate(doc.to_array("LOWER").tolist()):
            low = wanted.get(h)
            if low is None:
                continue
            t = doc[i]
            if not t.text[:1].isupper():
                continue
            a, b = t.idx, t.idx + len(t.text)
            if any(x <= a < y for x, y in covered):
                continue
            mentions.append((a, b, full_names[low]))

    def canonical(self, text: str) -> str:
        name = _clean_name(text)
        hit = self.by_alias.get(text.lower()) or self.by_alias.get(name.lower())
        if hit:
            return hit
        parts = name.split()
        if parts:
            full = self.surname.get(parts[-1].lower())
            if full and (len(parts) == 1 or full.split()[0].lower() == parts[0].lower()
                         or full.endswith(name)):
                return full
        return name

    def person_at(self, start: int, end: int) -> str | None:
        i = bisect.bisect_right(self.mention_starts, end) - 1
        while i >= 0 and self.mentions[i][1] > start - 200:
            a, b, name = self.mentions[i]
            if a < end and b > start:
                return name
            i -= 1
        return None

    def person_before(self, pos: int) -> str | None:
        i = bisect.bisect_left(self.mention_starts, pos) - 1
        if i >= 0:
            return self.mentions[i][2]
        return None


def _inside_at(char: int, tok_starts: list[int], inside: list[bool]) -> bool:
    i = bisect.bisect_right(tok_starts, char) - 1
    return 0 <= i < len(inside) and inside[i]


def _clean_name(text: str) -> str:
    words = text.replace("’s", "").replace("'s", "").split()
    while len(words) > 1 and words[0].lower().rstrip(".") in _TITLES:
        words = words[1:]
    return " ".join(words).strip(" ,.;:")


def _is_cue(tok: Token) -> bool:
    low = tok.lower_
    if low not in CUE_WORDS:
        return False
    if low in _VERB_ONLY or tok.tag_.startswith("NN"):
        return tok.pos_ in ("VERB", "AUX")
    return True


def _subject_of(verb: Token, inside: list[bool]) -> Token | None:
    """The subject of ``verb`` (climbing through xcomp/advcl/conj to a governing verb)."""
    v: Token | None = verb
    for step in range(4):
        if v is None:
            break
        for c in v.children:
            if c.dep_ in ("nsubj", "nsubjpass") and not inside[c.i]:
                if c.tag_ in ("WP", "WDT") and v.dep_ == "relcl":
                    return v.head  # "Smith, who said …"
                if c.ent_type_ in _BAD_SUBJECT:
                    continue
                if step and c.lower_ in _EXPLETIVES:
                    continue  # "Davis said it was not possible … and urged": not "it"
                return c
        if v.dep_ == "pcomp" and v.head.dep_ == "prep":  # "… before asking her"
            v = v.head.head
            continue
        if v.dep_ in ("xcomp", "conj", "advcl", "ccomp", "acl") and v.head is not v:
            # "began saying", "and said", "saying" attached to a verb
            if v.dep_ == "acl" and v.head.pos_ in ("NOUN", "PROPN", "PRON"):
                return v.head if not inside[v.head.i] else None
            v = v.head
        else:
            break
    return None


def _noun_phrase(tok: Token, inside: list[bool]) -> Span:
    """The phrase headed by ``tok``: its left modifiers, compounds and coordination."""
    doc = tok.doc
    left = tok.i
    for c in tok.lefts:
        if c.dep_ in ("det", "compound", "amod", "nummod", "poss", "nmod", "quantmod",
                      "punct") and not inside[c.i]:
            left = min(left, c.left_edge.i)
    right = tok.i
    for c in tok.rights:
        if c.dep_ in ("conj", "cc", "compound", "flat") and not inside[c.i]:
            right = max(right, c.right_edge.i if c.dep_ == "conj" else c.i)
    while right > left and doc[right].is_punct:
        right -= 1
    while left < right and (doc[left].is_punct or doc[left].ent_type_ in _BAD_SUBJECT):
        left += 1  # "on Tuesday Mr Ebbers": the date is not part of the name
    return doc[left : right + 1]


class _Attributor:
    def __init__(self, doc: Doc, text: str, people: Sequence[Person], inside: list[bool],
                 tok_starts: list[int]) -> None:
        self.doc = doc
        self.text = text  # Doc.text joins every token: read once, by the caller
        self.inside = inside
        self.ents = _entities(doc)
        self.names = _Names(doc, text, people, inside, tok_starts, self.ents)
        self.last_group: tuple[int, str, str] | None = None  # (char, name, kind)
        self.tok_starts = tok_starts
        # sentence of every token, computed once from an array (Token.sent walks the
        # sentence on every call, and creating Token objects is the expensive part)
        n = len(doc)
        flags = doc.to_array("SENT_START").tolist() if n else []
        self.sent_start = [0] * n
        self.sent_end = [n] * n
        self.sent_no = [0] * n  # counts paragraph breaks as sentence ends too
        breaks = {bisect.bisect_left(tok_starts, m.end()) for m in _BREAK_RE.finditer(text)}
        start = 0
        k = 0
        for i in range(n):
            if flags[i] == 1 and i > 0:
                for j in range(start, i):
                    self.sent_end[j] = i
                start = i
                k += 1
            elif i in breaks:
                k += 1
            self.sent_start[i] = start
            self.sent_no[i] = k
        self.discourse = self._discourse(people)
        # the pronouns and the descriptions ("The Indiana governor was speaking") that are
        # subjects in the narrative, resolved in text order as the quotations are reached:
        # each one keeps its person salient
        strings = doc.vocab.strings
        pron = {strings.add(w) for w in _GENDER_OF_PRONOUN}
        subj = {strings.add(w) for w in ("nsubj", "nsubjpass")}
        noun = strings.add("NOUN")
        rows = doc.to_array(["LOWER", "DEP", "POS"]).tolist() if n else []
        self.referring = [
            i for i, (low, dep, pos) in enumerate(rows) if not inside[i] and (
                low in pron or (dep in subj and pos == noun and i > 0))
        ]
        self.next_referring = 0
        self.resolved: set[int] = set()  # pronouns resolved as a cue's subject

    def advance(self, char: int) -> None:
        """Resolves the narrative's pronouns and descriptions before ``char`` not resolved
        yet, each recorded as a mention of the person it refers to."""
        while self.next_referring < len(self.referring):
            i = self.referring[self.next_referring]
            t = self.doc[i]
            if t.idx >= char:
                return
            self.next_referring += 1
            if i in self.resolved:
                continue
            if t.lower_ in _GENDER_OF_PRONOUN:
                name = self.discourse.pronoun(t.idx, self.sent_no[i],
                                              _GENDER_OF_PRONOUN[t.lower_])
            else:
                name = self.described_person(t, _noun_phrase(t, self.inside))
            if name:
                self.discourse.add(t.idx, self.sent_no[i], name, _weight(t))

    def _discourse(self, people: Sequence[Person]) -> Discourse:
        """Every person's mentions outside quotations, weighed by their place in the
        sentence, with what is known of their gender, role and personhood."""
        doc, text = self.doc, self.text
        mentions = []
        spans: dict[str, list[tuple[int, int]]] = {}
        for a, b, name in self.names.mentions:
            i = _token_at(self.tok_starts, a)
            t = doc[i]
            while t.head.i != t.i and a <= t.head.idx < b:
                t = t.head
            weight = _weight(t)
            if name not in spans:
                weight = max(weight, speakers.INTRODUCED)
            mentions.append(speakers.Mention(a, self.sent_no[i], name, weight))
            spans.setdefault(name, []).append((a, b))
        by_name = {p.name: p for p in people}
        genders: dict[str, str | None] = {}
        credible: set[str] = set()
        roles: dict[str, str] = {}
        for name, found in spans.items():
            person = by_name.get(name)
            role = person.role if person else None
            marks = speakers.honorifics_of(text, found)
            if person:
                marks += [a.split()[0] for a in person.aliases if " " in a]
            genders[name] = speakers.name_gender(name, role, marks)
            if speakers.credible_person(name, marks, role):
                credible.add(name)
            if role:
                roles[name] = role
        for p in people:
            if p.role and p.name not in roles:
                roles[p.name] = p.role
        return Discourse(mentions, genders, credible, roles)

    # -- speaker of a noun ---------------------------------------------------------------
    def speaker_of(self, tok: Token) -> _Speaker:
        low = tok.lower_
        if tok.pos_ == "PRON" or low in _PERSON_PRONOUNS or low in _GROUP_PRONOUNS:
            if low in _PERSON_PRONOUNS:
                self.advance(tok.idx)
                self.resolved.add(tok.i)
                gender = _GENDER_OF_PRONOUN.get(low)
                name = self.discourse.pronoun(tok.idx, self.sent_no[tok.i], gender) \
                    or self.names.person_before(tok.idx)
                if name and name.startswith(speakers.UNNAMED):
                    return _Speaker(name[1:], "unknown", True)
                return _Speaker(name, "person") if name else _Speaker(None, "unknown")
            if low in _GROUP_PRONOUNS:
                return self.group_before(tok.idx)
            if low == "it":
                return self.org_before(tok.idx)
            return _Speaker(None, "unknown")
        np = _noun_phrase(tok, self.inside)
        person = self.names.person_at(tok.idx, tok.idx + len(tok.text))
        if person is None and tok.ent_type_ == "PERSON":
            person = self.names.canonical(_ent_text(tok))
        has_conj = any(c.dep_ == "conj" for c in tok.children)
        if has_conj:
            return _Speaker(np.text, "group")
        if person and person not in self.discourse.credible and (
            tok.ent_type_ not in ("PERSON", "")
            or person.split()[-1].lower() in entities_titles.CLUB_WORDS
        ):
            # "Manchester United", "New Labour": a name that shows nothing of a person, which
            # the model does not take for one either, whatever People say
            kind = "organisation" if tok.ent_type_ in ("ORG", "NORP", "GPE") else "unknown"
            return _Speaker(np.text, kind)
        if person:
            return _Speaker(person, "person")
        # "his spokesman, Jason Miller," / "spokesman Jason Miller"
        # "The Shadow Secretary of State for the Family, Theresa May, said"
        for k, c in enumerate(tok.subtree):
            if k > 16:
                break
            if c.dep_ == "appos" and not self.inside[c.i]:
                p = self.names.person_at(c.idx, c.idx + len(c.text))
                if p is None and c.ent_type_ == "PERSON":
                    p = self.names.canonical(_ent_text(c))
                if p is None and c.pos_ == "PROPN" and c.ent_type_ in ("", "PERSON") \
                        and tok.pos_ in ("NOUN", "PROPN") and tok.ent_type_ != "PERSON":
                    p = self.names.canonical(_noun_phrase(c, self.inside).text)
                if p:
                    return _Speaker(p, "person")
            if c.dep_ == "npadvmod" and c.pos_ == "PROPN" and not self.inside[c.i] \
                    and tok.pos_ == "NOUN" and c.i > 0 and c.doc[c.left_edge.i - 1].text == ",":
                # "director of the Victims of Crime Trust, Norman Brennan, accused …"
                p = self.names.person_at(c.idx, c.idx + len(c.text))
                if p is None and c.ent_type_ == "PERSON":
                    p = self.names.canonical(_ent_text(c))
                if p:
                    return _Speaker(p, "person")
        for t in np:
            if t.ent_type_ == "PERSON":
                if tok.pos_ == "NOUN" and t.i < tok.i and t.dep_ in ("compound", "nmod", "amod"):
                    break  # "a Jackson lawyer": a name that modifies who spoke
                p = self.names.person_at(t.idx, t.idx + len(t.text)) or \
                    self.names.canonical(_ent_text(t))
                return _Speaker(p, "person")
        if tok.pos_ == "PROPN" and any(
            t.lower_.rstrip(".") in _HONORIFICS for t in np if t.i < tok.i
        ):  # "Mr Mubanga", whatever the entity recogniser thought
            return _Speaker(self.names.canonical(np.text), "person")
        if tok.pos_ == "PROPN" and not any(t.pos_ == "DET" for t in np):
            # "Ferguson said", with Ferguson taken for a club: a surname of someone named
            # in full elsewhere in the article is that person
            full = self.names.surname.get(_clean_name(np.text).split()[-1].lower(), "") \
                if _clean_name(np.text) else ""
            if " " in full:
                return _Speaker(self.names.canonical(np.text), "person")
        self.advance(tok.idx)
        self.resolved.add(tok.i)
        described = self.described_person(tok, np)
        if described:
            return _Speaker(described, "person")
        if tok.ent_type_ in _ORG_HINTS:
            return _Speaker(np.text, "organisation")
        if tok.tag_ in ("NNS", "NNPS"):
            # "the two sides": a definite plural refers back to a coordination of names
            if tok.i > 0 and np[0].lower_ in ("the", "both"):
                g = self.coordination_before(np.start)
                if g:
                    return _Speaker(g, "group")
            return _Speaker(np.text, "group")
        if tok.pos_ == "PROPN":
            return _Speaker(self.names.canonical(np.text), "person")
        unnamed = tok.tag_ == "NN" and speakers.is_description_head(tok.text, False)
        return _Speaker(np.text, "organisation" if _orgish(tok) else "unknown", unnamed)

    def described_person(self, tok: Token, np: Span) -> str | None:
        """The person a definite description names: "the England coach", "the American"."""
        if tok.pos_ not in ("NOUN", "PROPN", "ADJ") or np[0].lower_ != "the" or tok.i == np.start:
            return None
        head = tok.text
        age = _AGE_RE.search(np.text) if tok.lower_ == "old" else None
        if age:
            head = age.group()  # "the 22-year-old"
        if not speakers.is_description_head(head, head[:1].isupper()):
            return None
        if tok.ent_type_ in ("ORG", "WORK_OF_ART", "FAC", "GPE") or (tok.pos_ == "PROPN" and any(
            t.pos_ == "PROPN" and t.i != tok.i for t in np
        )):
            return None  # "The New Yorker", "the Washington Post" ("the England coach" is one)
        words = [] if age else [t.text for t in np if np.start < t.i < tok.i]
        # "the council's spokesperson", "the chair of the DNC": someone of an organisation,
        # named only if a role says so
        strict = head.lower() in speakers.USUALLY_UNNAMED or any(
            t.tag_ == "POS" or t.dep_ == "poss" for t in np if t.i < tok.i
        ) or any(ch.dep_ == "prep" and ch.lower_ in ("of", "at", "for") for ch in tok.children)
        return self.discourse.description(tok.idx, self.sent_no[tok.i], head, words, strict)

    def coordination_before(self, tok_i: int) -> str | None:
        """The nearest "A and B" of proper names before token ``tok_i`` (same or previous
        sentence)."""
        doc = self.doc
        lo = self.sent_start[tok_i]
        prev = self.sent_start[lo - 1] if lo > 0 else lo
        for i in range(tok_i - 1, prev - 1, -1):
            t = doc[i]
            if t.dep_ == "conj" and t.pos_ == "PROPN" and t.head.pos_ == "PROPN" \
                    and not self.inside[i]:
                return _noun_phrase(t.head, self.inside).text
        return None

    def group_before(self, char: int) -> _Speaker:
        doc = self.doc
        tok_i = _token_at(self.tok_starts, char)
        # look back two sentences for a plural subject or a coordination
        lo = self.sent_start[tok_i]
        for _ in range(2):
            if lo > 0:
                lo = self.sent_start[lo - 1]
        for i in range(tok_i - 1, lo - 1, -1):
            t = doc[i]
            if self.inside[i]:
                continue
            if t.dep_ in ("nsubj", "nsubjpass") and (
                t.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in t.children)
                or t.ent_type_ == "ORG"
            ):
                return self.speaker_of(t)
        if self.last_group and char - self.last_group[0] < 2000:
            return _Speaker(self.last_group[1], self.last_group[2])
        return _Speaker(None, "unknown")

    def org_before(self, char: int) -> _Speaker:
        """What "it" said: the nearest subject that is not a person in this sentence or
        the one before ("The US government denied … In a statement, it said"), else the
        nearest organisation named before."""
        doc = self.doc
        tok_i = _token_at(self.tok_starts, char)
        lo = self.sent_start[tok_i]
        if lo > 0:
            lo = self.sent_start[lo - 1]
        for i in range(tok_i - 1, lo - 1, -1):
            t = doc[i]
            if t.dep_ in ("nsubj", "nsubjpass") and not self.inside[i] \
                    and not self.inside[t.head.i] and t.tag_ in ("NN", "NNP") \
                    and t.ent_type_ not in ("PERSON", *_BAD_SUBJECT):
                sp = self.speaker_of(t)
                if sp.kind != "person":
                    return _Speaker(sp.name, "organisation")
        for ent in reversed(self.ents):
            if ent.label_ == "ORG" and ent.end_char <= char:
                return _Speaker(ent.text, "organisation")
        return _Speaker(None, "unknown")


_GENDER_OF_PRONOUN = {"he": "male", "him": "male", "his": "male", "she": "female",
                      "her": "female"}


def _weight(t: Token) -> float:
    """How much a mention adds to salience: a main clause's subject most."""
    if t.dep_ in ("nsubj", "nsubjpass"):
        main = t.head.dep_ == "ROOT" or _is_cue(t.head)
        return speakers.MAIN_SUBJECT if main else speakers.SUBJECT
    return speakers.OTHER


_WANTED_LABELS = ("PERSON", "ORG")


def _entities(doc: Doc) -> list[Span]:
    """The PERSON and ORG entities of ``doc``, read from one array (``Doc.ents`` creates a
    Token for every word of the document)."""
    from spacy.tokens import Span

    strings = doc.vocab.strings
    wanted = {strings.add(label) for label in _WANTED_LABELS}
    rows = doc.to_array(["ENT_IOB", "ENT_TYPE"]).tolist() if len(doc) else []
    out: list[Span] = []
    start = -1
    label = 0
    for i, (iob, typ) in enumerate(rows):
        if start >= 0 and iob != 1:  # 1 = I: the entity goes on
            out.append(Span(doc, start, i, label=label))
            start = -1
        if iob == 3 and typ in wanted:  # 3 = B
            start, label = i, typ
    if start >= 0:
        out.append(Span(doc, start, len(rows), label=label))
    return out


def _ent_text(tok: Token) -> str:
    doc = tok.doc
    if tok.ent_iob_ == "O":
        return tok.text
    a = tok.i
    while a > 0 and doc[a].ent_iob_ == "I":
        a -= 1
    b = tok.i + 1
    while b < len(doc) and doc[b].ent_iob_ == "I":
        b += 1
    return doc[a:b].text


_ORG_NOUNS = frozenset({"statement", "campaign", "committee", "ministry", "department",
                        "office", "government", "agency", "party", "company", "group",
                        "spokesman", "spokeswoman", "spokesperson", "report", "poll",
                        "survey", "study", "newspaper", "website", "network"})


def _orgish(tok: Token) -> bool:
    return tok.lower_ in _ORG_NOUNS


def _token_at(tok_starts: list[int], char: int) -> int:
    return max(0, bisect.bisect_right(tok_starts, char) - 1)


# --------------------------------------------------------------------------------------------
# 3. Putting it together


@dataclass
class _Candidate:
    q: Quotation
    first: int  # token index of the first token inside
    last: int  # token index of the last token inside (inclusive)
    speaker: _Speaker | None = None
    cue: str | None = None
    adjacent: bool = False  # the cue touches the quotation (",” he said" / "said: “")
    para: int = 0
    run_prev: bool = False  # continues the quotation before, which was left open
    fallback: tuple[_Speaker, str | None] | None = None  # for a run that names no one


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
    return [
        Statement(text[c.q.start:c.q.end], c.q.start, c.q.end,
                  (c.speaker or _Speaker(None, "unknown")).name,
                  (c.speaker or _Speaker(None, "unknown")).kind, c.cue)
        for c in kept
    ]


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
_EXPLETIVES = frozenset({"it", "there", "this", "that"})
_BAD_SUBJECT = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY",
                          "QUANTITY"})


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


def _clause_subject(first: Token, colon: Token, inside: list[bool]) -> Token | None:
    """The subject of the clause that ends in ``colon`` (the root of ``first``'s sentence
    part), if that clause has a verb."""
    t = colon.head if colon.head.i != colon.i else colon
    for _ in range(4):
        if t.pos_ in ("VERB", "AUX"):
            for ch in t.children:
                if ch.dep_ in ("nsubj", "nsubjpass") and not inside[ch.i]:
                    return ch
        if t.head.i == t.i:
            break
        t = t.head
    return None


def _verb_attribution(c: _Candidate, doc: Doc, right: list[int], att: _Attributor,
                      inside: list[bool]) -> bool:
    """``,” Vitter demanded`` / ``?” asked the senator``: a speaker and a past or present
    tense verb right after the quotation, with nothing else in between."""
    toks = [doc[i] for i in right[:6]]
    k = 1 if toks and toks[0].text == "," else 0
    for j in range(k, len(toks)):
        t = toks[j]
        if t.tag_ in ("VBD", "VBZ") and t.pos_ == "VERB":
            between = toks[k:j]
            if between and not all(b.pos_ in ("PROPN", "PRON", "DET", "NOUN", "PUNCT", "ADJ")
                                   for b in between):
                return False
            if not between and (j + 1 >= len(toks) or toks[j + 1].pos_ not in ("PROPN", "DET")):
                return False
            c.adjacent = True
            _set(c, t, att, inside, [b.i for b in between], after=True)
            return c.speaker is not None
        if t.is_punct and t.text != ",":
            return False
    return False


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


def _set(c: _Candidate, verb: Token, att: _Attributor, inside: list[bool],
         between: list[int], after: bool) -> None:
    c.cue = verb.text
    subj = _gerund_subject(verb, inside) or _subject_of(verb, inside)
    if subj is not None and _across_paragraphs(verb.doc, subj.i, verb.i):
        subj = _subject_in_paragraph(verb, inside)
    if subj is not None and (subj.ent_type_ in _BAD_SUBJECT
                             or subj.pos_ not in ("NOUN", "PROPN", "PRON")):
        subj = None
    if subj is not None and subj.pos_ == "NOUN" and verb.i > 0 and subj.i != verb.i - 1:
        prev = verb.doc[verb.i - 1]
        if prev.pos_ == "PROPN" and prev.ent_type_ == "PERSON" and not inside[prev.i]:
            subj = prev  # "… made public ― Trump boasted": the name at the verb, not the parse
    if subj is None:
        subj = _nearest_name(verb, inside, between, after)
    if subj is not None:
        c.speaker = att.speaker_of(subj)


def _across_paragraphs(doc: Doc, i: int, j: int) -> bool:
    """Whether a paragraph break lies between tokens ``i`` and ``j`` (a headline the parser
    ran into the first sentence)."""
    lo, hi = min(i, j), max(i, j)
    return hi - lo < 200 and any(doc[k].is_space and "\n" in doc[k].text for k in range(lo, hi))


def _subject_in_paragraph(verb: Token, inside: list[bool]) -> Token | None:
    """The nearest subject before ``verb`` in its own paragraph, for a parse that hung the
    verb on a headline ("Blair blasts …¶ Tony Blair has launched an attack …, saying")."""
    doc = verb.doc
    name = None  # else the nearest name of a person ("Tony Blair", parsed as an apposition)
    for k in range(verb.i - 1, max(verb.i - 60, -1), -1):
        t = doc[k]
        if t.is_space and "\n" in t.text:
            break
        if inside[k]:
            continue
        if t.dep_ in ("nsubj", "nsubjpass"):
            return t
        if name is None and t.pos_ == "PROPN" and t.ent_type_ == "PERSON" \
                and t.dep_ not in ("compound", "flat", "poss"):
            name = t
    return name


def _inside_clause(c: _Candidate, verb: Token, body_end: str, inside: list[bool]) -> bool:
    """"the poster “wrongly” suggests": a verb right after a quoted phrase with no
    punctuation of its own, whose subject is a thing named before the quotation, is the
    clause the phrase sits in, not a cue for it."""
    if body_end in ",.!?;:…" or not c.q.closed:
        return False
    subj = _subject_of(verb, inside)
    return subj is not None and subj.i < c.first and not inside[subj.i] and subj.pos_ == "NOUN"


def _gerund_subject(verb: Token, inside: list[bool]) -> Token | None:
    """"footage of Trump saying, “…”": the name right before a gerund with no subject of
    its own says it, whatever the parse hangs the gerund on."""
    if verb.tag_ != "VBG" or verb.i == 0 or any(
        c.dep_ in ("nsubj", "nsubjpass") for c in verb.children
    ):
        return None
    prev = verb.doc[verb.i - 1]
    if inside[prev.i] or prev.pos_ != "PROPN" or prev.ent_type_ not in ("PERSON", ""):
        return None
    return prev


def _according(c: _Candidate, to: Token, att: _Attributor, inside: list[bool]) -> None:
    c.cue = "according to"
    for ch in to.children:
        if ch.dep_ == "pobj" and not inside[ch.i]:
            c.speaker = att.speaker_of(ch)
            return
    nxt = to.i + 1
    if nxt < len(to.doc) and not inside[nxt]:
        t = to.doc[nxt]
        while t.dep_ in ("compound", "det", "amod", "poss") and t.head.i > t.i:
            t = t.head
        c.speaker = att.speaker_of(t)


def _nearest_name(verb: Token, inside: list[bool], between: list[int],
                  after: bool) -> Token | None:
    """A name or pronoun next to a cue verb whose parse gave it no usable subject: between
    the quotation and the verb (",” Mr X said"), else right after it (",” said Mr X"), else
    (for a cue before the quotation) before it."""
    doc = verb.doc
    if after:
        order = list(reversed(between)) + list(range(verb.i + 1, min(verb.i + 6, len(doc))))
    else:
        order = list(range(verb.i - 1, max(verb.i - 8, -1), -1))
    for i in order:
        if inside[i]:
            continue
        t = doc[i]
        if t.ent_type_ in _BAD_SUBJECT:
            continue
        if t.pos_ in ("PROPN", "PRON") and t.lower_ not in ("it", "that", "this", "me", "you"):
            while t.dep_ in ("compound", "flat") and t.head.i > t.i and not inside[t.head.i]:
                t = t.head
            return t
        if t.is_punct and t.text in ".;":
            break
    return None


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
    if 2 <= n <= 3 and body.lstrip()[:1].islower() and _cue_above(c, doc, inside):
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


_SMALL_WORDS = frozenset({"a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for",
                          "with", "by", "from", "is", "vs", "vs."})
