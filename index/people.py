"""People: candidate names merged into one person each ("Austin", "Mr Austin", "Lloyd
Austin"), with role, gender, forms and every mention (for :mod:`index.entities`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeVar

from index import gazetteer
from index.entities_titles import (
    is_honorific,
    is_title_word,
)
from index.entity_text import (
    _NAME_PARTICLES,
    _POSSESSIVE,
    OTHER,
    PERSON,
    PLACE,
    _Cand,
    _Cluster,
    _Text,
)
from index.firstnames import gender_of, is_first_name
from index.model import Person
from index.role_descriptions import _description_roles
from index.roles import _role_of

_V = TypeVar("_V")


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
    for cl in clusters:
        for a, b in sorted(set(cl.mentions)) if cl.role is None else ():
            # "Mr Thomas, the information commissioner, said": a role at a later mention.
            at, upto = t.tok_at_start.get(a), t.tok_at_end.get(b)
            if at is not None and upto is not None and not t.caps[at]:
                cl.role = _role_of(t, at, upto + 1)
                if cl.role:
                    break
    _description_roles(t, clusters)
    people = []
    for cl in clusters:
        mentions = tuple(sorted(set(cl.mentions)))
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


#: Honorifics written only before a surname (unlike "Sir Elton", "Lady Diana").
_SURNAME_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "messrs"})


def _bare_owner(t: _Text, clusters: list[_Cluster], i: int) -> _Cluster | None:
    """The person a one-word name at token ``i`` refers to: of the people with that surname
    (or that one-word name), the one named most recently before it, of the gender its
    honorific gives. "Mrs Howard" after "Michael Howard" is another person, new here; None
    where nobody has the name yet, and for "Mr Howard" where Howard is only someone's first
    name."""
    w = t.w[i].lower()
    pos = t.idx[i]
    named = [x for x in clusters if len(x.tokens) > 1 and (
        x.tokens[-1].lower() == w or x.tokens[0].lower() == w)] + [
        x for x in clusters if len(x.tokens) == 1 and x.tokens[0].lower() == w]
    if not named:
        return None
    surname = [x for x in named if x.tokens[-1].lower() == w]
    if not surname and i > 0 and t.w[i - 1].lower().rstrip(".") in _SURNAME_HONORIFICS:
        return None  # "Mr Howard" is not Howard Flight: Mr goes with a surname
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
