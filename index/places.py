"""Places: the gazetteer pass, one label per name, places inside names, sports teams, the
dateline, and the places with their mentions (for :mod:`index.entities`)."""

from __future__ import annotations

import re
from collections import Counter

from index import gazetteer
from index.entities_titles import (
    CLUB_WORDS,
    JOINERS,
    is_head,
    is_honorific,
    is_sure_title,
    is_title_word,
)
from index.entity_cues import _cues
from index.entity_text import (
    _DASHES,
    _DATELINE,
    _LEADING_DROP,
    _NAME_PARTICLES,
    _POSSESSIVE,
    _STRONG_KINDS,
    OTHER,
    PERSON,
    PLACE,
    _Cand,
    _line_start,
    _Text,
)
from index.model import Document, Place, Span
from index.people import (
    _display,
    _known_forms,
)


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
    # A name a title shows to be a person's ("rapper Nelly") is that person everywhere.
    titled = {c.text.lower() for c in cands if c.kind == PERSON and c.strong}
    for c in cands:
        key = c.text.lower()
        if key in titled and c.kind in (PERSON, OTHER, "?", PLACE) and not c.dateline and not (
            c.kind == PLACE and c.place_kind in _STRONG_KINDS
        ):
            c.kind = PERSON
            c.place_name = None
            continue
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
            bare_and = t.w[e].lower() in _AND and kind_at[after] is None \
                and not t.in_ent[after] and not t.caps[after]
            if (t.cap[after] and not t.punct[after]
                    and (the or t.w[e].lower() in _OF or bare_and)
                    and (kind_at[after] not in (PLACE, "?") or t.w[e].lower() in _OF)):
                # "Echo and the Bunnymen", "Pirates of the Caribbean", "Bride and
                # Prejudice", "Espanyol of Barcelona": a place only the model knows, inside
                # a longer name.
                inside = not (t.w[e].lower() in _OF and c.text.lower() in _PLACE_QUALIFIERS)
        if (i > 0 and t.w[i - 1].lower() in _POSSESSIVE_PRONOUN_WORDS and not known
                and e < n and not t.cap[e] and t.pos()[e] == "NOUN"):
            inside = True  # "his Achilles tendon"
        if not known and any(
            t.w[k][:1].islower() and t.w[k].lower() not in JOINERS
            and t.w[k].lower() not in _NAME_PARTICLES for k in range(i, e)
        ):
            inside = True  # "[Bosvelt joined City]GPE": a name has no verb in it
        if e - i > 1 and t.w[e - 1].lower() in _BODY_LAST:
            inside = True  # "[Santa Barbara County Superior Court]GPE"
        if not inside and _names_a_body_after(t, e):
            inside = True  # "Northern Ireland Assembly", "UK Internet Forum"
        if inside:
            c.kind = OTHER


#: Last words of the names of bodies, events and papers named after a place ("Northern
#: Ireland Assembly", "London Marathon"); not "City" or "County", which end places too.
_BODY_WORDS_TEXT = """assembly forum parliament congress committee commission council
    association society institute institution federation union league board authority agency
    exchange bank party foundation trust museum gallery theatre festival marathon awards
    university college school hospital airport stadium police airways airlines times post
    herald telegraph tribune gazette journal corporation company group"""
_BODY_WORDS = frozenset(_BODY_WORDS_TEXT.split())
#: Of those, the ones that never end a place's own name (unlike "West Bank", "Soviet Union",
#: "Russian Federation", "Palestinian Authority").
_BODY_LAST_TEXT = """court council committee commission assembly parliament association
    society institute university college school hospital airport stadium police museum
    theatre festival marathon awards exchange corporation company"""
_BODY_LAST = frozenset(_BODY_LAST_TEXT.split())


def _names_a_body_after(t: _Text, e: int) -> bool:
    """Whether one to three capitalised words on the same line right after a place's name
    end with a word for a body, an event or a paper: the place is part of its name."""
    n = len(t.w)
    k = e
    while k < n and k - e < 3 and t.cap[k] and not t.punct[k] and not t.sent[k] and \
            not t.nl[k - 1]:
        if t.w[k].lower() in _BODY_WORDS:
            return True
        k += 1
    return False


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


#: Words hardly used outside sport: six of them in an article's head make a sports report
#: without a score (on the BBC corpus, with the rules above: 204 of 510 sports articles, 4
#: of 1,714 others).
_SPORT_ONLY_WORDS = re.compile(
    r"\b(?:match|matches|innings|wicket|goals?|scored|striker|midfielder|halftime|half-time|"
    r"league|tournament|seeded|champions|championship|cup|season|coach|inning|homer|"
    r"touchdown|squad|captain|skipper|fly-half|scrum-half|prop|winger|defender|goalkeeper|"
    r"keeper|tries|try|bench|line-up|semi-final|quarter-final|drew|fixtures?|referee|"
    r"penalty|Premiership|Six Nations|cap|caps)\b"
)


#: Words before "to" or "from" that make the name after them a club in a sports report.
_TRANSFER = frozenset({"move", "moved", "moving", "switch", "transfer", "loan", "loaned",
                       "join", "joined", "joining", "return", "returned", "sold", "signed",
                       "bid", "away"})


def _is_sports(text: str) -> bool:
    """A sports report: a sports headline, a text full of scores and sports words, or one
    with many words used only in sport."""
    if _SPORTS.match(text[:80]):
        return True
    head = text[:3000]
    if len(_SCORE.findall(head)) >= 3 and len(_SPORT_WORDS.findall(head)) >= 3:
        return True
    return len(_SPORT_ONLY_WORDS.findall(head)) >= 6


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
        if k >= 0 and t.w[k].lower() in _LOCATIVE and not (
            k > 0 and t.w[k].lower() in ("to", "from") and t.w[k - 1].lower() in _TRANSFER
        ):
            continue  # ("a move to Birmingham", "on loan from Leeds": a club)
        if c.end < len(doc) and t.w[c.end] == ":" and _line_start(t, c.start):
            continue  # "Hove : Sussex 363 ..." -- where the match is played
        c.kind = OTHER


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
