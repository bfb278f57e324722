"""Who says a quotation: the speaker of a cue's subject (names, pronouns, descriptions,
groups and organisations), the :class:`_Attributor` that tracks the discourse as the text
goes on, and setting a candidate quotation's speaker from its cue."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from index import entities_titles, speakers
from index.cues import (
    _BAD_SUBJECT,
    _GROUP_PRONOUNS,
    _HONORIFICS,
    _ORG_HINTS,
    _PERSON_PRONOUNS,
    _across_paragraphs,
    _gerund_subject,
    _is_cue,
    _nearest_name,
    _noun_phrase,
    _subject_in_paragraph,
    _subject_of,
)
from index.entity_text import POST_NOMINALS
from index.model import Person
from index.quotations import Quotation
from index.quote_names import _clean_name, _Names
from index.speakers import Discourse

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


_BREAK_RE = re.compile(r"\n\s*")
_AGE_RE = re.compile(r"\d+-year-old$")


@dataclass
class _Speaker:
    name: str | None
    kind: str
    described: bool = False  # an unnamed person: "one dealer", "a spokeswoman"


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
            if name not in spans and not _in_phrase(t):
                # someone new, unless named in passing ("the likes of X and Y")
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
        if tok.text in POST_NOMINALS and tok.i > 0 and tok.doc[tok.i - 1].pos_ == "PROPN":
            tok = tok.doc[tok.i - 1]  # "[Ken Macdonald] QC said": the name, not its letters
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
            if np[0].lower_ == "the" and len(np) == 2:
                return _Speaker(np.text, "unknown")  # "the Night told": no one's name
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


def _in_phrase(t: Token) -> bool:
    """Whether ``t`` is the object of a preposition after its clause's verb, or joined to
    one ("... as the likes of Jonny Wilkinson and Brian O'Driscoll"; not "For Allen
    Weiner, ...", which puts him first)."""
    while t.dep_ in ("conj", "appos") and t.head.i != t.i:
        t = t.head
    if t.dep_ != "pobj" or t.head.lower_ in ("by", "to"):
        return False
    prep = t.head
    while prep.dep_ in ("prep", "pobj", "pcomp") and prep.head.i != prep.i and \
            prep.head.pos_ not in ("VERB", "AUX"):
        prep = prep.head
    return prep.head.i < prep.i


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
    if c.speaker is None or c.speaker.kind != "person":
        named = _named_before_appositive(verb, att, inside)
        if named:
            c.speaker = _Speaker(named, "person")


def _named_before_appositive(verb: Token, att: _Attributor, inside: list[bool]) -> str | None:
    """"Ieuan Wyn Jones, leader of the Plaid Cymru group in the assembly, said:": a person
    named before a phrase between commas that ends right at the cue is its subject, whatever
    the parse made of the phrase (read from the words alone)."""
    doc = verb.doc
    k = verb.i - 1
    if k > 3 and doc[k].text == ")" and not inside[k]:
        # "Jeff Joseph, from the Consumer Electronics Association (CEA) told": the bracket
        # closes the phrase as a comma would
        o = k - 1
        while o > k - 5 and o > 0 and doc[o].text != "(":
            o -= 1
        if doc[o].text == "(":
            k = o
    if k < 2 or doc[k].text not in (",", "(") or inside[k]:
        return None
    j = k - 1
    while (j > 0 and k - j <= 16 and doc[j].text != "," and not inside[j]
           and "\n" not in doc[j].text):
        if doc[j].text in (".", ";", ":", "!", "?"):
            return None
        j -= 1
    if j <= 0 or doc[j].text != "," or k - j < 2:
        return None
    name = doc[j - 1]
    return att.names.person_at(name.idx, name.idx + len(name.text))


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


def _verb_attribution(c: _Candidate, doc: Doc, right: list[int], att: _Attributor,
                      inside: list[bool]) -> bool:
    """``,” Vitter demanded`` / ``?” asked the senator``: a speaker and a past or present
    tense verb right after the quotation, with nothing else in between."""
    toks = [doc[i] for i in right[:6]]
    k = 1 if toks and toks[0].text == "," else 0
    for j in range(k, len(toks)):
        t = toks[j]
        if t.tag_ in ("VBD", "VBZ") and t.pos_ == "VERB":
            if c.q.closed and doc.text[c.q.end - 1 : c.q.end] in "?!" and not _is_cue(t) and (
                t.i + 1 < len(doc) and not doc[t.i + 1].is_punct
            ):
                return False  # "…mobile phone?” Wippit offers …": a new sentence (not
                # "…too big to fail?” Vitter demanded.")
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
