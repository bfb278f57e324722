"""Library-wide evidence: what kind of name a name is, decided with every article using it.

One article alone often cannot tell a person from a product, a band or a company: the model
calls "Mac Mini" a person, "Pirelli" a person in one story and a firm in the next. Every
article's analysis therefore carries, besides its people and places, what it *shows* about
each name it uses (:class:`index.model.NameEvidence`: counts of cues, and the name's
mentions, aliases, role and place kind, so a name can move between kinds without parsing
the article again). The cues, counted per article (at most :data:`CAP` each):

* ``k:person``, ``k:place``, ``k:other``: what the article alone made of the name (one);
* for a person: ``first`` (its first word is a known first name), ``hon`` (an honorific
  before it: Mr, Mrs, Dr, Sir), ``role`` (a title or an appositive office), ``he`` (a
  personal pronoun refers back to it), ``who`` ("X, who ..."), ``speech`` (the subject of
  a speech verb: said, told, added), ``listed`` (a name in a team sheet or results list
  of people);
* against a person: ``det`` ("the Mac Mini"), ``owned`` ("Apple's Mac Mini", "its X"),
  ``in`` (in, near, outside, into before it: "in Melton Mowbray"; also for a place),
  ``org`` (an organisation word after it: "Pirelli shares", "Yahoo spokesman", "Ltd"),
  ``thing`` (a product or work word after it: "Mac Mini computer", "Keane album"), ``it``
  (it, its, they or their refers back to it), ``based`` ("London-based"), ``they`` (a
  verb in the plural after it: "Franz Ferdinand have"), ``work`` (a year's possessive
  before it or a work in apposition: "1947's Nicholas Nickleby", "the pantomime, Dick
  Whittington"; it outweighs a first name);
* ``placeword``: a word of a longer name is a place's, after a word that is not a first
  name ("Greenock Morton"); ``common``: every word of a longer name is a common English word
  and the first is no first name ("Cast Away", "Twin Peaks", "Danger Mouse"): such a name,
  like a one-word name, needs a sign of a person;
* for a place: ``at`` (in, at, from, near before it), ``gaz`` (the gazetteer knows it),
  ``based``; ``loc`` and ``bare`` (mentions that the words around put somewhere: "in the
  West Country", "near Ashford", "Badminton, Gloucestershire", "the town of Uyo", a
  dateline — and mentions that nothing puts anywhere), ``dateline``; for something else:
  ``team`` (a sports report reads it as a team);
* ``L:<label>``: mentions the model labelled so (``L:PERSON``, ``L:ORG``; recorded, not
  weighed).

Counts are additive, so a library keeps the totals per name and adds or subtracts one
article's evidence when it is indexed or removed; deciding is arithmetic on the totals.

How a client uses it (the analyser fills ``Analysis.evidence``; nothing here needs spaCy)::

    from index import evidence

    decisions = evidence.decide(analyses)         # Analysis objects (or their .evidence)
    shown = evidence.apply(analysis, decisions)   # this article as the library reads it

    # incrementally, e.g. in a long-lived library:
    decisions = evidence.Decisions()
    decisions.add(analysis)        # an article indexed
    decisions.remove(old)          # an article removed (or the old version of an updated one)
    decisions.kind("Mac Mini")     # "person", "place", "other" or None (never seen)

:func:`apply` re-labels one article: a person the library decides is not a person leaves
People (and goes to Places if the evidence says place); an organisation-labelled name the
library knows as a person joins People (merged into the person whose surname it is); a
statement whose speaker left People is marked as said by an organisation. The article's own
cues weigh twice (once in the totals and once more), so a name used two ways in a library
("Jordan" the country, "Jordan" the driver's team) keeps a clear local reading.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import replace

from index.firstnames import is_first_name
from index.model import Analysis, NameEvidence, Person, Place, Span, Statement

#: Most an article counts of one cue: a long article does not outvote a library.
CAP = 3

KINDS = ("person", "place", "other")

#: Weights of the cues for each kind; negative weights are cues against it.
WEIGHTS: dict[str, dict[str, float]] = {
    "person": {
        "k:person": 2.0, "hon": 2.0, "role": 2.0, "first": 1.5, "listed": 1.5, "he": 1.0,
        "who": 1.0, "speech": 0.5,
        "det": -1.5, "owned": -1.0, "org": -1.5, "thing": -1.5, "it": -1.0, "based": -1.5,
        "in": -2.0, "they": -2.0, "work": -4.0,
    },
    "place": {"k:place": 2.0, "at": 1.0, "gaz": 1.0, "based": 1.0, "in": 1.0},
    "other": {"k:other": 2.0, "org": 1.0, "thing": 1.0, "team": 2.0, "they": 1.0, "work": 2.0},
}

FEATURES = frozenset(f for weights in WEIGHTS.values() for f in weights) | {"L:"}

_SPACES = re.compile(r"\s+")


def key_of(name: str) -> str:
    """The form names are added up by: case-folded, one space, no trailing possessive."""
    key = _SPACES.sub(" ", name.replace("’", "'")).strip().casefold()
    if key.endswith("'s"):
        key = key[:-2]
    return key.rstrip("'")


def scores(counts: Mapping[str, float]) -> dict[str, float]:
    """How strongly ``counts`` speak for each kind."""
    return {
        kind: sum(w * counts.get(f, 0) for f, w in weights.items())
        for kind, weights in WEIGHTS.items()
    }


#: Cues that show a name is a person's.
PERSON_CUES = ("first", "hon", "role", "listed", "he", "who", "speech")


class Decisions:
    """The evidence of many articles, added up per name; what each name is.

    Add and remove articles at will (:meth:`add`, :meth:`remove`): decisions are read from
    the totals when asked, so they are always those of the articles added so far.
    ``surnames`` counts, per word, the people with a longer name ending in it.
    """

    def __init__(self) -> None:
        self.totals: dict[str, Counter[str]] = {}
        self.surnames: Counter[str] = Counter()

    def add(self, article: Analysis | Iterable[NameEvidence], sign: int = 1) -> None:
        items = article.evidence if isinstance(article, Analysis) else article
        for e in items:
            if e.kind == "person" and " " in e.key:
                self.surnames[e.key.rsplit(" ", 1)[1]] += sign
            total = self.totals.setdefault(e.key, Counter())
            total[f"k:{e.kind}"] += sign
            for feature, n in e.counts:
                total[feature] += sign * n
            if sign < 0 and total[f"k:{e.kind}"] <= 0 and not any(
                total[f"k:{k}"] > 0 for k in KINDS
            ):
                del self.totals[e.key]

    def remove(self, article: Analysis | Iterable[NameEvidence]) -> None:
        self.add(article, -1)

    def counts(self, name: str) -> Counter[str]:
        """The total cues for ``name`` (a name or a key)."""
        return self.totals.get(key_of(name), Counter())

    def kind(self, name: str) -> str | None:
        """What the library makes of ``name``: "person", "place", "other", or None if no
        article added uses it."""
        key = key_of(name)
        total = self.totals.get(key)
        if not total:
            return None
        kind = _best(scores(total), _majority(total))
        if kind == "person" and self.bare(key, total):
            return "place" if total.get("gaz") and (total.get("at") or total.get("based")) \
                else "other"
        return kind

    def bare(self, key: str, total: Mapping[str, int]) -> bool:
        """Whether ``key`` is one word (or a longer name with a place's name in it, after a
        word that is not a first name: "Greenock Morton"; or one of common words only:
        "Twin Peaks") that nothing shows to be a person's name: no article
        gives it a first name, an honorific, a role or a "who" or lists it among people; no
        "he" or "she" refers back to it and no speech verb has it as subject, or "it" refers
        back to it too; and no person in the library has it as a surname ("Keane",
        "Garfield", "Euronext")."""
        if " " in key:
            # Longer names need a sign only when a word of theirs is a place's name, or
            # all of them are common words.
            if not (total.get("placeword") or total.get("common")):
                return False
        elif self.surnames.get(key):
            return False
        if any(total.get(f) for f in PERSON_CUES if f not in ("he", "speech")):
            return False
        # "he" and a speech verb show a person only where "it" does not refer back to it as
        # often: firms say things as well ("Euronext said it would ..."); one stray "it"
        # does not outweigh "Parry said ... he" three times.
        shown = total.get("he", 0) + total.get("speech", 0)
        return not shown or total.get("it", 0) * 2 >= shown

    def articles(self, name: str) -> int:
        """How many of the articles added use ``name``."""
        total = self.counts(name)
        return sum(total[f"k:{k}"] for k in KINDS)


def decide(articles: Iterable[Analysis | Iterable[NameEvidence]]) -> Decisions:
    """The decisions of a set of articles (their analyses, or their evidence)."""
    decisions = Decisions()
    for article in articles:
        decisions.add(article)
    return decisions


def _majority(total: Mapping[str, int]) -> str:
    return max(KINDS, key=lambda k: total.get(f"k:{k}", 0))


def _best(s: Mapping[str, float], default: str) -> str:
    top = max(s.values())
    if s[default] >= top:
        return default
    return max(KINDS, key=lambda k: s[k])


def kind_in(e: NameEvidence, decisions: Decisions) -> str:
    """What ``e``'s name is in its article, read with the library's evidence: the totals
    with the article's own cues weighed once more.

    The library decides whether a name is a person's; whether a name that is not is a
    place or a team, firm or paper named after one is read in the article alone ("New
    York" beat Boston; a visit to New York), unless the gazetteer does not know the place:
    then it is a place only if some article puts something in it ("loc") and the model
    does not mostly read it as an organisation ("BT", "Xstrata", "both Tysabri and
    Avonex"). A city named like a person ("Mary") needs such an article too.
    """
    local = dict(e.counts)
    local[f"k:{e.kind}"] = 1
    s = scores(local)
    total = decisions.totals.get(e.key)
    if total:
        lib = scores(total)
        both = {k: s[k] + lib[k] for k in KINDS}
    else:
        both = {k: 2 * v for k, v in s.items()}
    if _best(both, e.kind) == "person" and not decisions.bare(e.key, total or local):
        return "person"
    if e.kind == "place" and not local.get("gaz"):
        # A place no gazetteer knows ("BT", "Jupiter") is what the library mostly reads it
        # as, and needs an article that puts something in it ("in Jonesboro", "Badminton,
        # Gloucestershire"): not "both Tysabri and Avonex", "GTA: San Andreas".
        lib_total = total or local
        if lib_total.get("bare", 0) and not lib_total.get("loc", 0):
            return "other"
        if lib_total.get("L:ORG", 0) > lib_total.get("L:GPE", 0) + lib_total.get(
            "L:LOC", 0
        ) and not lib_total.get("dateline", 0):
            return "other"  # "BT", "Xstrata": the model mostly reads a firm
        return "other" if both["other"] > both["place"] else "place"
    seen = total or local
    if e.kind == "place" and seen.get("bare", 0) and not seen.get("loc", 0) and (
        (e.place_kind == "city" and is_first_name(e.name))
        or (e.place_kind in ("city", "region") and seen.get("L:ORG", 0) > seen.get(
            "L:GPE", 0) + seen.get("L:LOC", 0))
    ):
        # "Mary", "Florence"; "Amazon" that the model reads as a firm: a place only where
        # something is put in it
        return "other"
    if e.kind != "person":
        return e.kind
    # Not a person: a place only where a gazetteer knows it and the article puts
    # something in it ("in Woolwich"), not merely because a place has the name ("Mary").
    return "place" if local.get("gaz") and (local.get("at") or local.get("based")) else "other"


def apply(analysis: Analysis, decisions: Decisions) -> Analysis:
    """``analysis`` with each name moved to the kind the library's evidence gives it."""
    moves = [(e, kind_in(e, decisions)) for e in analysis.evidence]
    moves = [(e, k) for e, k in moves if k != e.kind]
    if not moves:
        return analysis
    people = {p.name: p for p in analysis.people}
    places = {p.name: p for p in analysis.places}
    gone: set[str] = set()
    for e, _ in moves:
        if e.kind == "person" and e.name in people:
            del people[e.name]
            gone.add(e.name)
        elif e.kind == "place" and e.name in places:
            del places[e.name]
    taken = _taken([*people.values(), *places.values()])
    for e, kind in moves:
        mentions = tuple(m for m in e.mentions if m not in taken)
        if not mentions:
            continue
        if kind == "person":
            _add_person(people, e, mentions)
        elif kind == "place":
            _add_place(places, e, mentions)
        taken.update(mentions)
    statements = analysis.statements
    if gone:
        statements = tuple(_unperson(s, gone) for s in statements)
    return replace(
        analysis,
        people=tuple(sorted(people.values(), key=lambda p: p.mentions[0])),
        places=tuple(sorted(places.values(), key=lambda p: p.mentions[0])),
        statements=statements,
    )


def _taken(entities: Iterable[Person | Place]) -> set[Span]:
    return {m for x in entities for m in x.mentions}


def _add_person(people: dict[str, Person], e: NameEvidence, mentions: tuple[Span, ...]) -> None:
    """A person joins People, merged with the person whose name it is the surname of."""
    words = e.name.split()
    into = people.get(e.name)
    if into is None and len(words) == 1:
        same = [p for p in people.values() if len(p.name.split()) > 1
                and p.name.split()[-1].casefold() == words[0].casefold()]
        if len(same) == 1:
            into = same[0]
    if into is None:
        people[e.name] = Person(e.name, e.role, tuple(a for a in e.aliases if a != e.name),
                                mentions)
        return
    aliases = set(into.aliases) | set(e.aliases) | ({e.name} - {into.name})
    people[into.name] = Person(
        into.name, into.role or e.role, tuple(sorted(aliases - {into.name})),
        tuple(sorted(set(into.mentions) | set(mentions))),
    )


def _add_place(places: dict[str, Place], e: NameEvidence, mentions: tuple[Span, ...]) -> None:
    into = places.get(e.name)
    if into is None:
        places[e.name] = Place(e.name, e.place_kind,
                               tuple(a for a in e.aliases if a != e.name), mentions)
        return
    aliases = set(into.aliases) | set(e.aliases)
    places[e.name] = Place(
        into.name, into.kind or e.place_kind, tuple(sorted(aliases - {into.name})),
        tuple(sorted(set(into.mentions) | set(mentions))),
    )


def _unperson(s: Statement, gone: set[str]) -> Statement:
    if s.speaker_kind == "person" and s.speaker in gone:
        return replace(s, speaker_kind="organisation")
    return s
