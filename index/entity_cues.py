"""Evidence for the library: the cues around each name's mentions (see :mod:`index.evidence`)."""

from __future__ import annotations

import re
from collections import Counter

from index import gazetteer
from index.common_words import is_common_word
from index.entities_titles import is_head, is_honorific, is_person_noun
from index.entity_text import (
    _DASHES,
    _POSSESSIVE,
    OTHER,
    _Cand,
    _Text,
)
from index.evidence import CAP, key_of
from index.firstnames import is_first_name
from index.model import NameEvidence, Person, Place, Span
from index.people import _display

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
#: Of those, the ones a person is hardly ever after ("from" and "at" are: "a letter from").
_IN_PLACE = frozenset({"in", "near", "outside", "inside", "throughout", "across", "into"})
_SPEECH_WORDS = """said says say told tells added adds explained insisted argued claimed
    warned admitted stressed noted commented replied asked declared announced"""
_SPEECH = frozenset(_SPEECH_WORDS.split())
_HE_WORDS = "he she him his her himself herself"
_HE = frozenset(_HE_WORDS.split())
_IT_WORDS = "it its itself they their them themselves"
_IT = frozenset(_IT_WORDS.split())
_DET = frozenset({"the", "a", "an"})
#: Verbs in the plural right after a name: no one person's ("Franz Ferdinand have").
_PLURAL_VERBS = frozenset({"are", "were", "have", "'ve", "’ve"})
_COORDINATORS = frozenset({"and", "&", ",", "or", "nor"})
_YEAR = re.compile(r"(?:19|20)\d\d")
#: Works a name can stand in apposition to: "the pantomime, Dick Whittington".
_WORK_NOUNS = frozenset({"pantomime", "film", "movie", "play", "musical", "show", "series",
                         "album", "single", "song", "book", "novel", "opera", "sitcom",
                         "programme", "cartoon", "game", "band", "group"})
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
        if len(words) > 1 and not is_first_name(words[0]) and all(
            len(w) > 1 and is_common_word(w) for w in words
        ):
            counts["common"] = 1  # "Cast Away", "Twin Peaks", "Snow Patrol"
        entry = g.lookup(p.name)
        if entry is not None:
            counts["gaz"] = 1
        out.append(NameEvidence(key_of(p.name), "person", p.name, p.mentions, p.aliases, p.role,
                                entry.kind if entry else None, _capped(counts)))
    datelines = {t.char_span(c.start, c.end) for c in cands if c.dateline}
    for q in places:
        counts = _cues(t, q.mentions)
        counts["gaz"] = 1 if q.kind or g.lookup(q.name) else 0
        for m in q.mentions:
            counts["loc" if m in datelines or _located(t, m) else "bare"] += 1
            counts["dateline"] += m in datelines
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


#: Words before a name that put something in or at a place ("in the West Country", "near
#: Ashford", "over Lockerbie").
_LOC_BEFORE_WORDS = """in at from near outside across throughout inside into towards toward
    via through around over between within off on beyond"""
_LOC_BEFORE = frozenset(_LOC_BEFORE_WORDS.split())
#: Words before "at", "from" or "on" that make what follows a firm or a thing.
_NOT_AT_PLACE = frozenset({"pressure", "bid", "offer", "deal", "stake", "shares", "job",
                           "jobs", "work", "working", "worked", "works", "staff", "team",
                           "people", "colleagues", "someone", "sources", "source"})
#: Nouns after a name that make it a place's: "the Pamir mountains", "Sikhin village".
_PLACE_NOUNS_WORDS = """province region county state district valley coast river mountains
    mountain village town city area border island islands capital suburb suburbs port
    peninsula desert lake sea bay municipality prefecture governorate department"""
_PLACE_NOUNS = frozenset(_PLACE_NOUNS_WORDS.split())
#: Words that make a name a place's by themselves: "Upper Afan Valley", "Guantanamo Bay".
_PLACE_NAME_WORDS_TEXT = """valley bay island islands county province coast mountains
    river lake sea gulf strait straits peninsula desert heights hills republic city north south
    east west upper lower greater central northern southern eastern western"""
_PLACE_NAME_WORDS = frozenset(_PLACE_NAME_WORDS_TEXT.split())
#: "the town of Tavildara", "the province of Yunnan".
_PLACE_OF_WORDS = """town city village province region district capital outskirts suburb
    suburbs port island state county towns cities villages provinces regions districts"""
_PLACE_OF = frozenset(_PLACE_OF_WORDS.split())


def _located(t: _Text, span: Span) -> bool:
    """Whether the words around a mention of a name show it is somewhere: a preposition of
    place before it (not inside a title: "Hot in Herre"), "the town of" before it, a
    place noun or "-based" after it, another place beside it ("Badminton, Gloucestershire",
    "Barentsburg and Pyramiden"), or a word of place in the name ("Upper Afan Valley")."""
    i = t.tok_at_start.get(span[0])
    last = t.tok_at_end.get(span[1])
    if i is None or last is None:
        return False
    n = len(t.w)
    g = gazetteer.load()
    if any(t.w[k].lower() in _PLACE_NAME_WORDS for k in range(i, last + 1)) and (
        last > i or (i > 0 and t.w[i - 1].lower() == "the")  # "the North"
    ) and not (i > 0 and t.w[i - 1] in _POSSESSIVE):  # not "Iran's Islamic Republic"
        return True
    k = i - 1
    if k > 0 and t.w[k].lower() == "the":
        k -= 1
    if k >= 0:
        low = t.w[k].lower()
        if low in _LOC_BEFORE and not (
            k > 0 and t.cap[k - 1] and not t.sent[k - 1] and not t.punct[k - 1]
            and not t.in_ent[k - 1] and not t.w[k - 1].isupper()
        ) and not (  # not inside a title: "Hot in Herre"
            k > 0 and low in ("at", "from", "on") and (
                is_head(t.w[k - 1]) or is_person_noun(t.w[k - 1])
                or t.w[k - 1].lower() in _NOT_AT_PLACE)
        ):  # not "an executive at Xstrata", "pressure on Xstrata"
            return True
        if low == "of" and k > 0 and t.w[k - 1].lower() in _PLACE_OF:
            return True
    j = last + 1
    if j < n:
        nxt = t.w[j].lower()
        if nxt in _PLACE_NOUNS or nxt == "-based" or (
            nxt in _DASHES and j + 1 < n and t.w[j + 1].lower() in ("based", "born")
        ):
            return True
        if nxt in (",", "and") and j + 1 < n and t.cap[j + 1] and _known_place_at(t, j + 1, g):
            return True
    return i > 1 and t.w[i - 1] in (",", "and") and _known_place_before(t, i - 1, g)


def _known_place_at(t: _Text, k: int, g: gazetteer.Gazetteer) -> bool:
    """Whether a place the gazetteer knows is named from token ``k`` on."""
    upper = t.caps[k] and t.w[k].isupper()
    return any(t.match(k, e.surface, upper) is not None for e in g.candidates(t.w[k], upper))


def _known_place_before(t: _Text, k: int, g: gazetteer.Gazetteer) -> bool:
    """Whether a place the gazetteer knows ends just before token ``k``."""
    for start in range(max(0, k - 3), k):
        if t.cap[start] and g.lookup(t.span_text(start, k)) is not None:
            return True
    return False


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
                if low in _IN_PLACE and not (j < n and t.w[j] in _POSSESSIVE):
                    counts["in"] += 1  # "in Melton Mowbray": not "in Smith's view"
            elif low in ("its", "their") or (
                prev in _POSSESSIVE and i > 1 and t.label(i - 2) in _ORG_LABELS
            ):
                counts["owned"] += 1
            elif prev in _POSSESSIVE and i > 1 and _YEAR.fullmatch(t.w[i - 2]):
                counts["work"] += 1  # "1947's Nicholas Nickleby": a film, a season
            elif prev == "," and i > 1 and t.w[i - 2].lower() in _WORK_NOUNS:
                counts["work"] += 1  # "the first televised pantomime, Dick Whittington"
        if j < n:
            nxt = t.w[j].lower()
            if nxt in _PLURAL_VERBS and not (i > 0 and t.w[i - 1].lower() in _COORDINATORS):
                counts["they"] += 1  # "Franz Ferdinand are", "Keane have": a band, a side
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
