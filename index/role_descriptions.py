"""Roles from descriptions that refer back to a person named before them ("Conchita
Martinez won ... The 32-year-old Spaniard came through", "... said the American"), for
:mod:`index.people` (see :func:`_description_roles`). The roles written beside a name are
:mod:`index.roles`'s."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from index import gazetteer
from index.entities_titles import is_head, is_person_noun, is_title_word
from index.entity_text import _Cluster, _Text
from index.roles import _NOT_ROLE_START, _is_role_head

#: Heads of descriptions that most often stand for someone the article never names ("the
#: spokesman", "the official"), or for no one in particular ("the player").
_UNNAMED_HEADS = frozenset({
    "spokesman", "spokeswoman", "spokesperson", "official", "officials", "source", "insider",
    "aide", "expert", "analyst", "dealer", "trader", "worker", "employee", "resident",
    "witness", "fan", "observer", "customer", "user", "student", "parent", "victim", "voter",
    "supporter", "researcher", "scientist", "doctor", "lawyer", "teacher", "friend",
    "colleague", "boss", "chief", "head", "owner", "winner", "holder", "director", "manager",
    "chairman", "chairwoman", "chair", "judge", "officer", "police", "member", "driver",
    "pilot", "soldier", "pupil", "teenager", "partner", "son", "daughter", "wife",
    "husband", "mother", "father", "widow", "associate", "prosecutor", "defendant",
})
_FEMALE_HEADS = frozenset({"actress", "spokeswoman", "chairwoman", "businesswoman", "queen",
                           "princess", "duchess", "baroness", "comedienne", "ballerina",
                           "anchorwoman", "headmistress", "schoolgirl", "sportswoman"})
_MALE_HEADS = frozenset({"actor", "spokesman", "chairman", "businessman", "king", "prince",
                         "duke", "baron", "anchorman", "headmaster", "schoolboy",
                         "sportsman", "frontman"})
#: How much a person's mention counts for what a description refers to: the first person a
#: sentence names is most often its subject.
_FIRST_IN_SENTENCE = 3.0
_LATER_IN_SENTENCE = 1.0
_DESCRIPTION_DECAY = 0.35
#: How much more salient the person a description goes to must be than the next one.
_DESCRIPTION_MARGIN = 1.5


def _description_head(t: _Text, k: int) -> bool:
    """Whether token ``k`` can end a description of one person: an office or occupation in
    the singular ("the singer", "the Chancellor"), a nationality ("the American", not "the
    Irish"), an age ("the 32-year-old")."""
    w = t.w[k]
    low = w.lower()
    if t.cap[k] and w in gazetteer.load().demonyms:
        # "the Spaniard", "the German"; "the Irish", "the Chinese" are a people or a side
        return not low.endswith(("s", "ish", "ese", "ch", "i"))
    if low == "old" and k >= 2 and t.w[k - 1] == "-" and t.w[k - 2].lower() == "year":
        return True
    if low.endswith("s") and not low.endswith("ss"):
        return False  # a plural: more than one person
    return is_head(low) or is_person_noun(low)


#: Verbs in the past tense that follow the subject of a sentence ("The 32-year-old Spaniard
#: came through"), for words the parser did not read.
_PAST_VERB_WORDS = """came went won lost beat took made got saw ran held left told said
    broke fell hit kept led met paid put set spent stood struck threw wore wrote gave became
    began drew grew knew rose spoke chose finished added insisted admitted"""
_PAST_VERBS = frozenset(_PAST_VERB_WORDS.split())
#: Office words: "the prime minister" is most often someone the sentence is not about.
_OFFICE_WORDS = """president premier minister secretary chancellor governor senator mayor
    leader chairman chairwoman chair commissioner ambassador speaker king queen prince
    princess pope"""
_OFFICES = frozenset(_OFFICE_WORDS.split())
_SPEECH = frozenset({"said", "says", "added", "adds", "admitted", "insisted", "explained",
                     "warned", "told", "claimed", "stressed", "argued", "conceded"})


def _follows_description(t: _Text, k: int) -> bool:
    """Whether token ``k`` can come right after a description that is a whole noun phrase
    ("The Spaniard came", "the American said", "the Russian's"), not inside a longer one
    ("the American team")."""
    if k >= len(t.w) or t.punct[k] or t.w[k] in ("'s", "’s"):
        return True
    pos = t.pos()[k]
    if pos:
        return pos not in ("NOUN", "PROPN", "ADJ", "NUM")
    low = t.w[k].lower()
    return not t.cap[k] and (low in _PAST_VERBS or low in _stop_words()
                             or low.endswith(("ed", "s")))


def _stop_words() -> frozenset[str]:
    from index.candidates import _stop_words as words

    return words()


def _descriptions(t: _Text) -> Iterator[tuple[int, int, int]]:
    """Definite descriptions of one person: (first token after "the", head token, end), for
    "the 32-year-old Spaniard", "the American", "The new health minister for Wales" — not
    a title before a name ("the US rapper Kano"), the title of a work ("the Fisher King"),
    a plural, or a longer noun phrase ("the American team")."""
    n = len(t.w)
    pos = t.pos()
    g = gazetteer.load()
    lede = _lede_end(t)
    for i in range(n - 1):
        low = t.w[i].lower()
        if t.caps[i] or (i > 0 and t.w[i - 1].lower() == "of") or not (
            low == "the" or (low in ("a", "an") and i < lede and (i == 0 or t.nl[i - 1]))
        ):
            continue  # "the ...", or "A PR expert has told ..." opening the article
        j = i + 1
        head = -1
        while j < n and j - i <= 7:
            w = t.w[j]
            if t.punct[j] and w != "-":
                break
            if _description_head(t, j):
                nxt = j + 1
                if nxt < n and not t.punct[nxt] and (
                    _is_role_head(t.w[nxt]) or _description_head(t, nxt)
                    or (pos[nxt] == "NOUN" and not t.cap[nxt])
                    or (nxt + 1 < n and (t.cap[nxt] or pos[nxt] == "ADJ")
                        and not t.punct[nxt + 1] and _is_role_head(t.w[nxt + 1]))
                ):
                    # "the star player", "the 32-year-old Spaniard", "The 34-year-old Dutch
                    # midfielder": the head is later
                    j += 1
                    continue
                head = j
                break
            low = w.lower()
            if t.cap[j] or t.num[j] or w == "-" or (
                not t.cap[j] and low not in _NOT_ROLE_START and (
                    pos[j] in ("ADJ", "NOUN", "PROPN", "NUM") or not pos[j])
            ):
                j += 1
                continue
            break
        if head < 0 or (t.w[head].lower() in _UNNAMED_HEADS and low == "the"):
            continue
        if t.cap[head] and t.w[head] not in g.demonyms and any(
            t.cap[k] and not is_title_word(t.w[k]) for k in range(i + 1, head)
        ):
            continue  # "the Fisher King": a title
        end = head + 1
        if end < n and t.w[end].lower() in ("for", "of") and end + 1 < n and t.cap[end + 1]:
            end += 1  # "the new health minister for Wales"
            while end < n and end - head <= 4 and t.cap[end] and not t.punct[end]:
                end += 1
            if end < n and t.w[end] in ("'s", "’s"):
                continue  # "the founder of Iran's Islamic Republic": more than we read
        if end < n and t.w[end].lower() in ("and", "or", "&"):
            continue  # "the prime minister and chancellor": two people
        if end == head + 1 and end < n and t.w[end].lower() in ("of", "for", "at", "in"):
            continue  # "the founder of the party", "The Lord of the Rings": more than we read
        if not _follows_description(t, end):
            continue
        if end + 1 < n and t.w[end] == "," and t.cap[end + 1]:
            continue  # "the founder of the party, Ruhollah Khomeini": named right there
        yield i + 1, head, end


def _lede_end(t: _Text) -> int:
    """The token where the article's first sentence after its headline ends."""
    seen_line = False
    for k in range(len(t.w)):
        if t.nl[k]:
            seen_line = True
        elif seen_line and t.sent[k]:
            for j in range(k + 1, len(t.w)):
                if t.sent[j]:
                    return j
            return len(t.w)
    return 0


def _description_roles(t: _Text, clusters: list[_Cluster]) -> None:
    """Roles from descriptions that refer to a person named before them: "Conchita Martinez
    won ... The 32-year-old Spaniard came through", "... said the American", "It was the
    Russian's 12th world record"; and, at the start of an article that has named nobody
    yet, to the person named in the next sentences ("The new health minister for Wales says
    ... Dr Brian Gibbons, on his first full day ...", "A PR expert has told the trial ...
    Ann Kite told the court"). A sentence that says who it is ("The
    only finalist was Michael East") is not about a person named before.

    Only descriptions that are about someone already in focus count: one that opens its
    sentence, one that closes an attribution ("said the American."), or a possessive ("the
    Russian's"; not for an office: "the prime minister's" is anyone's). It goes to the most
    salient person of the two sentences before it, counting names outside quotations (the
    first one a sentence names counts most; the sentence it is in does not count: "Mr Howard
    attacked the prime minister" is about two people), of a gender that fits, and only when
    nobody else comes close; never where a person of the article holds that office by title
    ("The home secretary said" and "Home Secretary Charles Clarke"). It becomes the role of a
    person the text gives no other."""
    if not any(cl.role is None for cl in clusters):
        return
    from index.quotations import find_quotations

    quoted = [(q.start, q.end) for q in find_quotations(t.text)]
    sent_no = list(itertools.accumulate(1 if s else 0 for s in t.sent))
    mentions: list[tuple[int, int, _Cluster]] = []  # (token, sentence, person)
    for cl in clusters:
        for a, _ in cl.mentions:
            k = t.tok_at_start.get(a)
            if k is not None and not any(qa <= a < qb for qa, qb in quoted):
                mentions.append((k, sent_no[k], cl))
    mentions.sort(key=lambda m: m[0])
    weight: list[float] = []
    for n, (_, s, _) in enumerate(mentions):
        first = n == 0 or mentions[n - 1][1] != s
        weight.append(_FIRST_IN_SENTENCE if first else _LATER_IN_SENTENCE)
    for start, head, end in _descriptions(t):
        the = start - 1
        low = t.w[head].lower()
        office = low in _OFFICES or t.w[head - 1].lower() in _OFFICES
        opens = t.sent[the] or (the > 0 and (t.nl[the - 1] or (t.sent[the - 1]
                                                              and t.punct[the - 1])))
        closes = the > 0 and t.w[the - 1].lower() in _SPEECH and (
            end >= len(t.w) or t.punct[end])
        owns = end < len(t.w) and t.w[end] in ("'s", "’s")
        if office and owns:
            continue  # "the prime minister's enthusiasm": anyone's
        if not (opens or closes or owns) or any(qa <= t.idx[head] < qb for qa, qb in quoted):
            continue
        s = sent_no[head]
        if _named_by_copula(t, end):
            continue  # the sentence says who it is: "The only finalist was Michael East"
        if any(_holds(cl.role, t.span_text(start, end)) for cl in clusters):
            continue  # "The home secretary said" where Home Secretary Charles Clarke is named
        scores: dict[int, tuple[float, _Cluster]] = {}
        new = t.w[the].lower() in ("a", "an")  # "A PR expert": someone not named yet
        for (k, ms, cl), w in zip(mentions, weight, strict=True):
            if k < start and 1 <= s - ms <= 2 and not new:
                old = scores.get(id(cl), (0.0, cl))[0]
                scores[id(cl)] = (old + w * _DESCRIPTION_DECAY ** (s - ms - 1), cl)
        if not scores and opens and s <= 2 and (new or not any(
            k < start for k, _, _ in mentions
        )):
            # the article's first sentence, nobody named yet: the person the next ones name
            after = [(k, cl) for k, ms, cl in mentions if 1 <= ms - s <= 2]
            if after and (not new or t.sent[after[0][0]] or t.nl[after[0][0] - 1]):
                # (someone new, "A PR expert", is the one the next sentence opens with)
                scores[id(after[0][1])] = (_FIRST_IN_SENTENCE, after[0][1])
        fits = sorted(
            (v for v in scores.values() if not (
                (low in _FEMALE_HEADS and v[1].gender == "male")
                or (low in _MALE_HEADS and v[1].gender == "female"))),
            key=lambda v: -v[0],
        )
        if not fits or (len(fits) > 1 and fits[0][0] < _DESCRIPTION_MARGIN * fits[1][0]):
            continue
        if office and fits[0][0] < _FIRST_IN_SENTENCE:
            continue  # an office: only for the one the sentence before is about
        chosen = fits[0][1]
        if chosen.role is None and (len(chosen.tokens) > 1 or chosen.gender):
            # (not to a one-word name nothing shows to be a person's: "the Gunners")
            chosen.role = t.span_text(start, end)


#: Words that make another office of an office: the shadow chancellor is not the Chancellor.
_OTHER_OFFICE = frozenset({"shadow", "former", "ex", "deputy", "acting", "vice", "junior",
                           "assistant", "interim", "co"})


def _holds(role: str | None, description: str) -> bool:
    """Whether a person with ``role`` holds the office ``description`` names: "Home
    Secretary" holds "home secretary"; "Tory shadow chancellor" does not hold "Chancellor",
    nor "First Minister" "new health minister for Wales"."""
    if not role:
        return False
    have = set(role.lower().replace("-", " ").split())
    want = set(description.lower().replace("-", " ").split()) - {"new", "the"}
    return want <= have and not (have & _OTHER_OFFICE) - want


def _named_by_copula(t: _Text, end: int) -> bool:
    """Whether the sentence goes on to say who the description is: "... was Michael East"."""
    for k in range(end, min(len(t.w), end + 8)):
        if t.sent[k] and k > end:
            return False
        if t.w[k].lower() in ("is", "was") and k + 1 < len(t.w) and t.cap[k + 1]:
            return True
    return False
