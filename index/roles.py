"""A person's role from the words around their name: a title before it, an appositive
("Rishi Sunak, the prime minister"), a description before it ("the Ofsted chief, David
Bell"), for :mod:`index.entities`; a description elsewhere that refers to them ("said
the American") is :mod:`index.role_descriptions`'s.

Most sentences are not parsed (see :func:`index.analysis.parse_runs`): their tokens have no
part of speech and no dependency. The rules read the parse where there is one and otherwise
hold on the words themselves (office and occupation words, capitals, punctuation)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from index.entities_titles import (
    JOINERS,
    is_head,
    is_honorific,
    is_person_noun,
    is_sure_title,
    is_title_word,
)
from index.entity_text import (
    _LEADING_DROP,
    _is_cap,
    _Text,
)
from index.model import Person

if TYPE_CHECKING:
    from spacy.tokens import Doc

_NOT_ROLE_START_WORDS = """the a an and but or so then now also yesterday today tonight
    tomorrow meanwhile however when while after before as if since though although last next
    later earlier recently separately instead even only both again already finally still
    there here yet thus
    this that these those monday tuesday wednesday thursday friday saturday sunday january
    february march april may june july august september october november december in on at
    for with by from"""
_POSSESSIVE_PRONOUNS = frozenset({"his", "her", "its", "their", "our", "my", "your"})
_NOT_ROLE_START = frozenset(_NOT_ROLE_START_WORDS.split()) | _POSSESSIVE_PRONOUNS


def _role_before(t: _Text, start: int, inside: int | None = None) -> str | None:
    """The title written just before a name: "US Secretary of State", "Foreign Minister",
    "Pole vaulter", "former Olympic 100m champion". Tokens from ``inside`` on were in the
    model's entity with the name ("[Comedian Harry Hill]PERSON"). A name after "of" or "for"
    ("director general of [Elspa]") is what the title is of, not who holds it."""
    i = start - 1
    first = start
    if inside is None:
        inside = start
    if i > 0 and is_honorific(t.w[i]):
        i -= 1
    if i >= 0 and t.w[i].lower() in JOINERS:
        return None
    i = start - 1
    while i >= 0:
        w = t.w[i]
        # "[Entrepreneur]PERSON [Sir Richard Branson]PERSON": a title word the model took
        # for a name of its own still belongs to the title.
        titled = t.person[i] and (is_title_word(w) or is_person_noun(w)) and not (
            i > 0 and t.person[i - 1])
        # "[Bath prop Matt Stevens]PERSON": the capitalised word before a title the entity
        # holds is the title's too
        titled = titled or (t.person[i] and (_is_cap(w) or w == "-" or _is_role_word(w))
                            and first == i + 1 and any(
            _head_at(t, k) for k in range(first, start)))
        if t.space[i] or (t.punct[i] and w not in {"-", "."}) or (
            t.person[i] and i < inside and not titled
        ):
            break
        if is_honorific(w) and i == start - 1:
            i -= 1
            first = i + 1
            continue
        if _compound(t, i) != w and _is_role_word(_compound(t, i)):
            first = i - 2  # "Wales fly-half Stephen Jones"
            i -= 3
            continue
        if _is_role_word(w) or _is_cap(w) or w.lower() in JOINERS or w in {"-"} or (
            w.lower().startswith("ex-") and w[3:4].isupper()  # "ex-Yukos boss"
        ):
            if w.lower() in JOINERS:
                # "Secretary of State", "Top of the Pops presenter": joiners between words
                # of the title
                k = i - 1
                while k >= 0 and t.w[k].lower() in JOINERS and i - k < 3:
                    k -= 1
                if k < 0 or not (is_title_word(t.w[k]) or _head_at(t, k) or t.cap[k]) \
                        or t.sent[k + 1]:
                    break
            first = i
            i -= 1
            continue
        if first < start and any(_head_at(t, k) for k in range(first, start)) and (
            # (a number and its unit also where the sentence is not parsed: "100" "m")
            t.num[i] or (i > 0 and t.num[i - 1] and t.idx[i] == t.end[i - 1])
            or (t.pos()[i] in ("NOUN", "ADJ", "PROPN", "NUM") and not t.punct[i])
        ):
            first = i  # "horse racing tycoon", "school inspection chief", "100m champion"
            i -= 1
            continue
        break
    if first == start:
        return None
    words = [k for k in range(first, start) if not is_honorific(t.w[k])]
    # "record holder and BBC pundit Jonathan Edwards": the title next to the name.
    ands = [n for n, k in enumerate(words) if t.w[k].lower() == "and"]
    if ands and any(_is_role_head(t.w[k]) for k in words[ands[-1] + 1 :]) and not (
        ands[-1] > 0 and _head_at(t, words[ands[-1] - 1])
        and any(t.w[k].lower() in _MODIFIER_WORDS for k in words[: ands[-1]])
    ):
        # (but "former programmer and technology analyst": one title, "former" for both)
        words = words[ands[-1] + 1 :]
    # Keep the part that is a title: "Olympic champion", "BBC pundit", "US President" --
    # not the sentence's first word, a day or an article before it.
    while words and (not t.cap[words[0]] or t.w[words[0]].lower() in _NOT_ROLE_START) and not (
        is_title_word(t.w[words[0]]) or is_person_noun(t.w[words[0]])
        or (len(words) > 1 and t.w[words[1]] == "-" and t.end[words[0]] == t.idx[words[1]])
        or (t.pos()[words[0]] in ("NOUN", "ADJ") and t.w[words[0]].lower() not in _NOT_ROLE_START
            and t.w[words[0]].lower() not in JOINERS)
    ):
        words.pop(0)  # (not the first part of a compound: "soul-singer"; not a noun of the
        # title: "technology analyst")
    while words and t.w[words[-1]].lower() in JOINERS:
        words.pop()
    if not any(_head_at(t, k) for k in words) or len(words) > 8:
        return None
    heads = [k for k in words if _head_at(t, k)]
    n = len(t.w)
    listed = any(t.w[k] == "," for k in range(start, min(n, start + 4)))
    if _plural_word(t.w[heads[-1]]) and not (
        start < n and t.w[start].lower() in ("and", "&", ",")
    ) and not any(t.w[k].lower() in ("and", "&")
                  for k in range(start, min(n, start + (12 if listed else 4)))):
        return None  # "industry analysts Douglas-Westwood": a firm, not one person
    return t.text[t.idx[words[0]] : t.end[words[-1]]]


#: Words that qualify every title they stand before: "former programmer and technology
#: analyst".
_MODIFIER_WORDS = frozenset({"former", "ex", "ex-", "late", "acting", "interim"})


def _compound(t: _Text, k: int) -> str:
    """Token ``k``'s word, or the hyphenated word it ends ("fly - half" -> "fly-half")."""
    if k >= 2 and t.w[k - 1] == "-" and t.idx[k] == t.end[k - 1] and \
            t.idx[k - 1] == t.end[k - 2]:
        return f"{t.w[k - 2]}-{t.w[k]}"
    return t.w[k]


def _head_at(t: _Text, k: int) -> bool:
    """Whether token ``k`` ends a person's word: "director", "fly-half", "co-star",
    "soul-singer"."""
    return _is_role_head(t.w[k]) or _is_role_head(_compound(t, k))


def _plural_word(word: str) -> bool:
    w = word.lower()
    return len(w) > 3 and w.endswith("s") and not w.endswith("ss") and _is_role_head(w[:-1])


def _is_role_head(word: str) -> bool:
    return is_head(word) or is_person_noun(word)


def _is_role_word(word: str) -> bool:
    return is_title_word(word) or is_person_noun(word)


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
                    a = sub[0].i
                    while a >= 2 and t.w[a - 1] == "-" and t.idx[a] == t.end[a - 1] and \
                            t.idx[a - 1] == t.end[a - 2] and a - 2 >= end:
                        a -= 2  # "co-founder of Blinkx": the parse hangs "co -" elsewhere
                    return t.text[t.idx[a] : sub[-1].idx + len(sub[-1].text)]
    return None


#: Words that end a descriptive phrase beside a name.
_PHRASE_STOPS = frozenset({",", ".", ";", ":", "(", ")", "\"", "“", "”", "who", "which", "that",
                           "where", "when", "whose", "and", "but", "said", "says", "told"})
_PERSON_SUFFIXES = ("er", "or", "ist", "ian", "eur", "ant", "ee")


def _person_noun(t: _Text, k: int) -> bool:
    """Whether token ``k`` names what a person is or does: an office ("director"), or a
    common noun that reads as one ("lawyer", "blogger", "analyst", "DJ")."""
    w = t.w[k]
    if is_head(w) or is_person_noun(w):
        return True
    low = w.lower()
    if low == "native" and k + 1 < len(t.w) and t.w[k + 1] == "of":
        return True  # "a native of San Diego"
    return (not t.cap[k] and t.pos()[k] == "NOUN" and low.endswith(_PERSON_SUFFIXES)
            and not low.endswith(("ment", "ter", "ber", "ance", "ence")) and len(low) > 4)


#: Words a phrase beside a name may open with that are not part of the role.
_PHRASE_LEAD = frozenset({"the", "a", "an", "and", "but", "or", "so", "then", "now", "also",
                          "meanwhile", "however", "yesterday", "today", "tonight", "indeed",
                          "still", "yet", "while", "as"})


def _phrase(t: _Text, a: int, b: int) -> str | None:
    """The role a descriptive phrase ``a:b`` gives ("managing director of T-Mobile in the
    UK", "Yahoo's head of consumer services"), or None if it is not one: the person noun
    comes early, after words that can qualify it (not "accused the industry during the
    2003 ceremony of snobbery against popular writers"). Where the parser did not read the
    words, their parts of speech are unknown and the words themselves must show it."""
    pos = t.pos()
    while a < b and (t.w[a].lower() in _LEADING_DROP - {"former", "ex", "ex-"}
                     or t.w[a].lower() in _POSSESSIVE_PRONOUNS
                     or t.w[a].lower() in _PHRASE_LEAD):
        a += 1
    if not 0 < b - a <= 12 or _title_of_a_name(t, a, b):
        return None  # (not a list of names: "World Cup winners Lawrence Dallaglio, Neil Back")
    heads = [k for k in range(a, b) if _person_noun(t, k)]
    if not heads or heads[0] - a > 6:
        return None
    verb = next((k for k in range(a, b) if (pos[k] in ("VERB", "AUX", "PRON") and not (
        k > a and t.w[k - 1] == "-" and t.idx[k] == t.end[k - 1]  # "union-backed"
    )) or t.nl[k]), b)
    if verb < b:
        if verb <= heads[0] + 1 or t.nl[verb]:
            return None
        # "campaign manager of a group lobbying to prevent ...": the title ends before the
        # clause that describes what it is of
        b = verb
        while b > heads[0] + 1 and (t.w[b - 1].lower() in JOINERS or t.punct[b - 1]
                                    or t.w[b - 1].lower() in ("a", "an", "the")):
            b -= 1
    for k in range(a, heads[0]):
        w = t.w[k]
        low = w.lower()
        if t.cap[k] or t.num[k] or w in _GLUE or is_title_word(w) or is_person_noun(w) or (
            _and_inside_title(t, k)
        ):
            continue
        if pos[k] in ("ADJ", "NOUN", "PROPN", "NUM"):
            continue
        if not pos[k] and not (k == a and low.endswith(("ed", "ing"))):
            continue  # unparsed: a lower-case word that does not open like a verb
        return None
    return t.span_text(a, b)


_GLUE = frozenset({"'s", "’s", "'", "’", "-", "&", "/"})


def _title_of_a_name(t: _Text, a: int, b: int) -> bool:
    """Whether the phrase ``a:b`` ends in a person's name right after a title: the title is
    that person's ("World Cup winners Lawrence Dallaglio"), not a role of someone else."""
    p = b
    while p > a and t.person[p - 1]:
        p -= 1
    return a < p < b and _head_at(t, p - 1)


def _role_of(t: _Text, start: int, end: int, inside: int | None = None) -> str | None:
    """The role the words around a name give it, if any."""
    before = _role_before(t, start, inside)
    if before and " " not in before and is_sure_title(before):
        # "insulting the founder of Iran's Islamic Republic, Ayatollah Ruhollah Khomeini":
        # a description says more than a bare title
        return _role_described(t, inside if inside is not None else start) or before
    return (before or _role_appos(t, start, end)
            or _role_after(t, start, end) or _role_described(t, start)
            or _role_as(t, end))


#: Verbs after which "as" gives the subject's new office: "Parry joined Liverpool as chief
#: executive", "Mr Morrow will succeed Shiro Tsuda as president of Vodafone KK".
_AS_VERBS = frozenset({"joined", "joins", "join", "appointed", "named", "succeed", "succeeds",
                       "succeeded", "elected", "re-elected", "installed", "hired", "serves",
                       "served", "serve", "started", "begins", "began", "confirmed",
                       "returns", "returned", "stays", "remains", "remained", "continues"})
#: Words that end the office after "as": what follows is where or when.
_AS_STOPS = frozenset({"in", "on", "at", "from", "with", "after", "before", "until", "since",
                       "when", "while", "last", "next", "this", "and", "but", "to", "for"})


def _role_as(t: _Text, end: int) -> str | None:
    """The office after "as" when the name is the subject of a verb of taking one up
    ("Parry joined Liverpool as chief executive in July 1998")."""
    n = len(t.w)
    k = end
    if k < n and t.w[k].lower() in ("was", "is", "will", "has", "had", "would"):
        k += 1
        if k < n and t.w[k].lower() in ("be", "been"):
            k += 1
    if k >= n or t.w[k].lower() not in _AS_VERBS:
        return None
    j = k + 1
    while j < n and j - k <= 6 and t.w[j].lower() != "as" and not t.punct[j]:
        j += 1
    if j >= n or t.w[j].lower() != "as" or any(t.person[m] for m in range(k + 1, j)):
        return None  # "succeed Shiro Tsuda as president": someone else named between, so
        # whose office it is the words do not say
    a = b = j + 1
    while b < n and b - a < 8 and not t.punct[b] and t.w[b].lower() not in _AS_STOPS and \
            not (b > a and t.nl[b - 1]):
        b += 1
    return _phrase(t, a, b) if b > a else None


_OPENERS = frozenset({",", "-", "–", "—"})
_CLOSERS = frozenset({",", ".", ";", ")", "(", "-", "–", "—", "and"})


def _hyphen(t: _Text, k: int) -> bool:
    """Whether token ``k`` is a hyphen inside a word ("union-backed"), not a dash."""
    return t.w[k] == "-" and 0 < k < len(t.w) - 1 and t.end[k - 1] == t.idx[k] and \
        t.end[k] == t.idx[k + 1]


def _and_inside_title(t: _Text, k: int) -> bool:
    """Whether "and" at ``k`` joins two words of one title ("shadow work and pensions
    secretary"): lower-case words follow it, then a person's word."""
    if t.w[k].lower() != "and":
        return False
    for j in range(k + 1, min(len(t.w), k + 4)):
        if t.cap[j] or t.punct[j]:
            return False
        if _is_role_head(t.w[j]):
            return True
    return False
_COPULA = frozenset({"is", "was", "becomes", "became"})


def _role_after(t: _Text, start: int, end: int) -> str | None:
    """A descriptive phrase after the name, between commas or dashes or after "is" or ",
    who is": "Brian McBride, managing director of T-Mobile in the UK, said"; "Lord Bingham
    - a senior law lord - said"; "Clark Boyd is technology correspondent for The World"."""
    n = len(t.w)
    if end + 1 >= n or not (t.w[end] in _OPENERS or t.w[end].lower() in _COPULA):
        return None
    a = end + 1
    if t.w[end] == "," and t.w[a].lower() == "who" and a + 1 < n:
        # "Edward Leigh, who is chairman of the public accounts committee, warned"
        a += 1
        if (t.w[a].lower() in ("has", "had") and a + 1 < n and t.w[a + 1].lower() == "been") or (
            t.w[a].lower() in ("will", "would") and a + 1 < n
            and t.w[a + 1].lower() in ("be", "become")
        ):
            a += 1  # ", who has been", ", who will become"
        elif t.w[a].lower() not in _COPULA:
            return None
        a += 1
    k = a
    while (k < n and k - a <= 12 and not (k > a and t.nl[k - 1]) and (
            (t.w[k] not in _CLOSERS and t.w[k].lower() not in _PHRASE_STOPS)
            or _and_inside_title(t, k) or _hyphen(t, k))):
        k += 1
    if k > a and t.nl[k - 1]:
        pass  # the phrase ends its paragraph
    elif k - a > 12 and any(t.pos()[j] == "VERB" for j in range(a, k)):
        pass  # a long phrase with a clause in it: the title before the clause
    elif k >= n or (t.w[k].lower() not in _CLOSERS and t.w[k].lower() not in {"said", "says"}):
        return None
    if t.w[end].lower() in _COPULA and any(t.person[j] for j in range(a, k)):
        return None  # "Putin is hostile to former Yukos boss Mikhail Khodorkovsky"
    return _phrase(t, a, k)


def _role_described(t: _Text, start: int) -> str | None:
    """A description just before the name and a comma: "said the Ofsted chief, David
    Bell"; "by Ofsted chief, David Bell"; "asked Jackson's lawyer, David LeGrand"; "But
    PwC's global chief executive, Samuel DiPiazza, said" (opening its sentence)."""
    if start < 2 or t.w[start - 1] != ",":
        return None
    pos = t.pos()
    k = start - 2
    lo = -1
    while k >= 0 and start - k <= 10:
        if t.w[k].lower() in ("of", "for", "at") and k > 0 and _person_noun(t, k - 1):
            k -= 1  # "the founder of Iran's Islamic Republic, Ayatollah Khomeini"
            continue
        if t.w[k].lower() == "the" and k > 1 and t.w[k - 1].lower() in ("of", "for", "at") \
                and _person_noun(t, k - 2):
            k -= 2  # "the President of the European Parliament, Josep Borrell"
            continue
        if t.w[k].lower() in ("of", "and", "&") and k > 0 and (
            (t.cap[k - 1] and t.cap[k + 1]) or _and_inside_title(t, k)
        ):
            k -= 1  # "director of the Victims of Crime Trust", "rapper and songwriter"
            continue
        if t.w[k].lower() in ("the", "a", "an", "aka") or pos[k] in ("ADP", "VERB", "AUX") or (
            t.w[k].lower() in _POSSESSIVE_PRONOUNS
        ) or (t.w[k].lower() in ("but", "and") and (k == 0 or t.nl[k - 1])):
            lo = k
            break
        if t.sent[k] and not t.punct[k]:
            # the description opens its sentence ("But" before it is not part of it)
            lo = k if t.w[k].lower() in _PHRASE_STOPS else k - 1
            break
        if t.nl[k]:
            lo = k  # it opens its paragraph
            break
        if t.w[k].lower() in _PHRASE_STOPS or (t.punct[k] and t.w[k] not in "-'’"):
            return None
        k -= 1
    else:
        return None
    if lo >= 0 and t.w[lo].lower() == "as":
        return None  # "his second term as US President, Tony Blair has said": not Blair's
    return _phrase(t, lo + 1, start - 1)


def give_roles(doc: Doc, people: list[Person], known: int) -> list[Person]:
    """``people`` with a role found for each one from ``known`` on that has none: people
    the entity passes did not find but a statement names as its speaker ("said Nottingham
    City Councillor Brian Parbutt"), read at their mentions like any other."""
    if all(p.role for p in people[known:]):
        return people
    t = _Text(doc)
    out = people[:known]
    for p in people[known:]:
        role = p.role
        for a, b in p.mentions if role is None else ():
            at, upto = t.tok_at_start.get(a), t.tok_at_end.get(b)
            if at is not None and upto is not None:
                role = _role_of(t, at, upto + 1)
                if role:
                    break
        out.append(p if role == p.role else replace(p, role=role))
    return out


def _plural(role: str) -> bool:
    """Whether the office a role names is in the plural ("tycoons", "two sons")."""
    words = [w.lower().rstrip(".") for w in re.split(r"[\s,]+", role) if w]
    heads = [w for w in words if is_head(w)]
    head = heads[-1] if heads else words[-1]
    return head.endswith("s") and not head.endswith("ss") and is_head(head[:-1])
