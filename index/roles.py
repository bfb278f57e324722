"""A person's role from the words around their name: a title before it, an appositive
("Rishi Sunak, the prime minister"), a description (for :mod:`index.entities`)."""

from __future__ import annotations

from index.entities_titles import (
    JOINERS,
    is_head,
    is_honorific,
    is_title_word,
)
from index.entity_text import (
    _LEADING_DROP,
    _is_cap,
    _Text,
)

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
