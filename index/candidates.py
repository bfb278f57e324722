"""Candidate names: spaCy's entities cleaned to the bare name, and the people and places
in the lists the model reads badly (results lists, team sheets, "the outskirts of Arbil")."""

from __future__ import annotations

import functools
import itertools
import re

from index import gazetteer
from index.entities_titles import (
    CLUB_WORDS,
    JOINERS,
    is_head,
    is_honorific,
    is_not_a_name,
    is_person_noun,
    is_sure_title,
    is_title_word,
)
from index.entity_text import (
    _BLOCK_LABELS,
    _NAME_PARTICLES,
    _PLACE_LABELS,
    _POSSESSIVE,
    _STRONG_KINDS,
    OTHER,
    PERSON,
    PLACE,
    _Cand,
    _clean,
    _is_cap,
    _is_demonym,
    _line_start,
    _Text,
)
from index.firstnames import is_first_name
from index.places import _is_sports
from index.roles import (
    _NOT_ROLE_START,
    _plural,
    _role_before,
    _role_of,
)

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
    if role is None or _not_a_persons_name(t, k, end):
        return None  # "[Queens] Park Rangers"
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
            if e - s == 1 and _is_demonym(text):
                continue  # "all four [Britons]PERSON"
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
                   and not is_person_noun(t.w[s - 1])
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
    cands = _titled_people(t, cands)
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
#: Last words of the names of firms, bodies, places and products, never of a person's.
_ORG_LAST_WORDS = """group bank service services airport stadium university college school
    hospital council party association agency corporation corp company co ltd inc plc
    holdings securities records studios pictures productions airlines airways motors
    systems technologies networks network communications entertainment media software
    interactive digital online messenger mini universal monopoly institute foundation
    trust fund museum theatre league union federation ministry department commission
    authority board police army navy exchange index magazine newspaper journal times post
    gazette herald tribune telegraph express mirror sharks rovers wanderers united city
    athletic albion county rangers hotspur square towers avenue gardens palace abbey"""
_ORG_LAST = frozenset(_ORG_LAST_WORDS.split())


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
    last = t.w[e - 1].lower().rstrip(".")
    if (e - s > 1 or (s > 0 and is_title_word(t.w[s - 1]))) and last in _CLUB_ONLY | _ORG_LAST:
        return True  # "Man Utd", "Deutsche Bank", "Yahoo Messenger", "[Premier] League"
    if e - s > 1 and s > 0 and t.w[s - 1].lower() in ("a", "an", "the") and not is_first_name(
        t.w[s]
    ):
        return True  # "A Beautiful Mind", "a Different Story": a title, not a name
    if any(t.num[k] or t.w[k].lower() in ("v", "v.", "vs", "vs.") for k in range(s, e)):
        return True  # "Norwich 1 Wolverhampton", "Birmingham v Barnsley": a result
    for k in range(s, e - 1):
        low = t.w[k].lower()
        if low in _stop_words() and low not in _NAME_PARTICLES and not (
            k == s and is_first_name(t.w[k])
        ):
            return True
    return False


#: Words for a person that also name firms, sides or things ("market leader Microsoft",
#: "US partner Biogen Idec", "champion Arsenal"): a name after them needs more.
_AMBIGUOUS_HEADS = frozenset({"leader", "partner", "rival", "owner", "holder", "producer",
                              "publisher", "chief", "boss", "head", "chair", "champion",
                              "winner", "general", "major", "private", "count", "delegate",
                              "principal", "associate", "star", "veteran", "trustee",
                              "engineer", "broker", "stockbroker", "investor", "consultant",
                              "banker", "financier", "auditor", "accountant", "architect",
                              "broadcaster"})


def _titled_people(t: _Text, cands: list[_Cand]) -> list[_Cand]:
    """People the model missed or took for something else, named right after a word that
    names only a person: "rapper [Nelly]ORG", "Top of the Pops presenter Fearne Cotton",
    "Suffolk Chief Constable Alastair McWhirter". One to three capitalised words, no place
    the gazetteer knows, no club; each is a person, with the title as its role."""
    n = len(t.w)
    g = gazetteer.load()
    owner: list[_Cand | None] = [None] * n
    for c in cands:
        for k in range(c.start, c.end):
            owner[k] = c
    found: list[_Cand] = []
    replaced: set[int] = set()
    for i in t.cap_idx:
        if i == 0 or t.caps[i] or t.punct[i] or t.nl[i - 1] or t.space[i - 1]:
            continue
        before = t.w[i - 1]
        low = before.lower().rstrip(".")
        if low in _AMBIGUOUS_HEADS or low.endswith("s") or not (
            is_head(before) or is_person_noun(before)
        ):
            continue
        if t.cap[i - 1] and not (is_sure_title(before) or (
            i > 1 and is_title_word(t.w[i - 2]) and t.cap[i - 2] and is_head(before)
        )):
            continue  # "Dean Jones": a capitalised word is a title only in a title's company
        prev = owner[i - 1]
        if prev is not None and prev.kind == PERSON:
            continue
        j = i
        while (j < n and j - i < 3 and t.cap[j] and not t.punct[j] and not t.caps[j]
               and not is_title_word(t.w[j]) and not is_honorific(t.w[j])):
            j += 1
        if j == i or (j < n and t.cap[j] and not t.punct[j]):
            continue
        o = owner[i]
        if o is not None and (o.kind == PERSON or o.start != i or o.end != j
                              or t.cap[i - 1] or low not in _ARTS_AND_SPORTS):
            continue  # the model's own reading stands, but for "rapper [Nelly]ORG"
        words = [t.w[k] for k in range(i, j)]
        text = t.span_text(i, j)
        entry = g.lookup(text)
        if ((entry is not None and not (entry.kind not in _STRONG_KINDS and not t.cap[i - 1]
                                        and low in _ARTS_AND_SPORTS))
                or any(_is_demonym(w) or is_not_a_name(w) for w in words)
                or words[-1].lower() in CLUB_WORDS or words[0].lower() in _stop_words()
                or (j < n and t.w[j].lower() in _ORG_AFTER_NAME)):
            continue
        c = _Cand(i, j, PERSON, text)
        c.strong = True
        c.role = _role_before(t, i)
        if o is not None:
            replaced.add(id(o))
        found.append(c)
    return [c for c in cands if id(c) not in replaced] + found


#: Words for people whose name the model often takes for a group's or a work's: "rapper
#: [Nelly]ORG", "singer [Jamelia]GPE". (A firm is also a "broker", an "engineer" or an
#: "investor".)
_ARTS_AND_SPORTS_WORDS = """rapper singer presenter actor actress comedian comedienne dj mc
    guitarist drummer
    bassist vocalist pianist songwriter singer-songwriter novelist author poet playwright
    artist painter sculptor photographer dancer footballer striker midfielder defender
    goalkeeper keeper winger sprinter athlete boxer golfer jockey cyclist swimmer skater
    skier vaulter hurdler jumper batsman bowler spokesman spokeswoman"""
_ARTS_AND_SPORTS = frozenset(_ARTS_AND_SPORTS_WORDS.split())
#: Words after a name that show it is a firm's: "chief executive Lloyds TSB shares".
_ORG_AFTER_NAME = frozenset({"shares", "inc", "plc", "ltd", "group", "corp", "subsidiary"})


def _coordinated_people(t: _Text, cands: list[_Cand]) -> list[_Cand]:
    """A person the model missed beside a person it found: "his sons, Avi and Joel"; "the
    tycoons John Magnier and JP McManus" where "Mr McManus" is a person later on."""
    n = len(t.w)
    found = []
    surnames = {t.w[c.end - 1] for c in cands if c.kind == PERSON}
    for c in cands:
        k = c.end + 1
        if c.kind != PERSON or k >= n or t.w[c.end].lower() not in ("and", "&"):
            continue
        if t.in_ent[k] or not t.cap[k] or t.caps[k] or t.punct[k]:
            continue
        e = k + 1
        while e < n and e - k < 3 and t.cap[e] and not t.in_ent[e] and not t.punct[e]:
            e += 1
        if not (is_first_name(t.w[k]) or (e - k > 1 and t.w[e - 1] in surnames)):
            continue
        found.append(_Cand(k, e, PERSON, t.span_text(k, e)))
    return found


def _shared_roles(t: _Text, cands: list[_Cand]) -> None:
    """A role in the plural before a pair or a list belongs to each of them, as written: "the
    tycoons John Magnier and JP McManus", "his two sons, Avi and Joel", "World Cup winners
    Lawrence Dallaglio, Neil Back and Martin Johnson". ("Prime Minister Tony Blair and Gordon
    Brown" shares nothing.)"""
    people = sorted((c for c in cands if c.kind == PERSON), key=lambda c: c.start)
    runs: list[list[_Cand]] = []
    for a, b in itertools.pairwise(people):
        joined = b.start == a.end + 1 and t.w[a.end].lower() in ("and", "&", ",")
        if joined and runs and runs[-1][-1] is a:
            runs[-1].append(b)
        elif joined:
            runs.append([a, b])
    for run in runs:
        # a list ends with "and": "World Cup winners Lawrence Dallaglio, Neil Back and
        # Martin Johnson"
        if t.w[run[-2].end].lower() not in ("and", "&"):
            continue
        roles = [c.role for c in run if c.role]
        if len(roles) == 1 and _plural(roles[0]) and (run[0].role or len(run) == 2):
            for c in run:
                c.role = roles[0]


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
