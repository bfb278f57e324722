"""Who a speaker is when the text does not name them at the cue.

:mod:`index.quotes` finds quotations and their cues; this module answers the questions a cue
leaves open, from the people of the article and one walk over its parse:

* **Pronouns** ("he said", "she added") go to the most salient person before them whose gender
  agrees. Salience (:class:`Discourse`) grows with each mention — most for the subject of a
  main clause and for the speaker of a quotation — and halves with every sentence. Gender comes
  from honorifics ("Mr", "Mrs", "Lord"), first names (:mod:`index.firstnames`) and gendered
  role words ("spokeswoman"); a person of unknown gender, or a name that shows nothing of a
  person (no first name, no honorific: "Yahoo Messenger"), counts for less.
* **Descriptions** ("the England coach", "the American", "the Ofsted chief", "the
  25-year-old") go to the most salient person they fit: one whose role shares the
  description's office word, or, for a nationality, one not known to be of another.
* **Surnames** ("said Eriksson") are completed to the full name the article gives with a
  first name ("Sven-Goran Eriksson"), even where the entity recogniser missed it.

:func:`add_quoted_people` then puts every named person who is quoted into People.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from index import entities_titles, gazetteer
from index.entity_text import without_post_nominals
from index.firstnames import gender_of, is_first_name
from index.model import Person, Statement

#: How much a mention adds to a person's salience, by what it is in its sentence.
MAIN_SUBJECT = 3.0
SUBJECT = 2.0
SPEAKER = 3.0
OTHER = 1.0
#: A person's first mention: someone new is introduced.
INTRODUCED = 2.0
#: Marks the key of someone the text describes but does not name ("one dealer").
UNNAMED = "~"
#: Salience left after each sentence.
DECAY = 0.35
#: How many sentences back a pronoun or a description may look.
WINDOW = 4
#: Weight of a candidate whose gender is unknown, and of one whose name shows no person.
UNKNOWN_GENDER = 0.75
DOUBTFUL_PERSON = 0.6

_MALE_HONORIFICS = frozenset({"mr", "sir", "lord", "monsieur", "herr", "sr", "fr", "father",
                              "brother", "king", "prince", "duke", "earl", "baron", "count",
                              "emperor", "sheikh", "emir", "sultan", "messrs"})
_FEMALE_HONORIFICS = frozenset({"mrs", "ms", "miss", "dame", "lady", "madam", "mme", "mlle",
                                "frau", "sra", "sister", "queen", "princess", "duchess",
                                "baroness", "countess", "empress"})
_MALE_WORDS = frozenset({"spokesman", "chairman", "congressman", "actor", "businessman",
                         "husband", "father", "son", "brother", "king", "prince", "boy",
                         "man", "sportsman", "frontman", "policeman"})
_FEMALE_WORDS = frozenset({"spokeswoman", "chairwoman", "congresswoman", "actress",
                           "businesswoman", "wife", "mother", "daughter", "sister", "queen",
                           "princess", "girl", "woman", "sportswoman", "frontwoman",
                           "policewoman"})

_HONORIFIC_BEFORE = re.compile(r"\b([A-Z][a-z]{1,8})\.?\s+$")
#: A run of capitalised words: a name's candidate ("Sven-Goran Eriksson", "Patrick McEnroe").
_CAP_RUN = re.compile(r"\b[A-Z][\w'’]*(?:-[A-Z][\w'’]*)*(?:[ \t]+(?:[A-Z][\w'’]*(?:-[\w'’]+)*"
                      r"|de|van|von|der|da|di|del|la|le|bin|al|ibn))*(?:[ \t]+[A-Z][\w'’-]*)")
_YEAR_OLD = re.compile(r"^\d+-year-old$")
_PLACE_BEFORE = re.compile(r"\b(?:in|at|near)\s+$")
#: Persons by description: office words beside the role words of
#: :mod:`index.entities_titles`.
_PERSON_NOUNS = frozenset({"man", "woman", "boy", "girl", "player", "teenager", "youngster",
                           "veteran", "singer", "star", "actor", "actress", "politician",
                           "campaigner", "father", "mother", "husband", "wife", "son",
                           "daughter", "brother", "sister", "chief", "boss", "official",
                           "expert", "researcher", "scientist", "doctor", "lawyer", "minister",
                           "forward", "winger", "midfielder", "striker", "defender",
                           "goalkeeper", "keeper", "full-back", "centre-back", "fly-half",
                           "scrum-half", "prop", "lock", "flanker", "hooker", "number", "pop",
                           "rocker", "director", "producer", "comedian", "presenter",
                           "founder", "chancellor", "leader", "spokesman", "spokeswoman",
                           "frontman", "frontwoman", "writer", "author", "novelist", "dealer",
                           "trader", "source", "witness", "resident", "fan", "observer",
                           "insider", "worker", "employee", "customer", "user", "student",
                           "teacher", "parent", "friend", "neighbour", "neighbor", "victim",
                           "owner", "voter", "supporter", "critic", "colleague", "nominee",
                           "candidate", "challenger", "incumbent", "contender", "hopeful",
                           "rival", "opponent", "mate", "champion", "captain", "manager"})


def name_gender(name: str, role: str | None = None, honorifics: Iterable[str] = ()) -> str | None:
    """"male", "female" or None, from the honorifics used with a name, its role's words
    ("spokeswoman") and its first name, in that order."""
    male = female = False
    for h in honorifics:
        w = h.lower().rstrip(".")
        male |= w in _MALE_HONORIFICS
        female |= w in _FEMALE_HONORIFICS
    if male != female:
        return "male" if male else "female"
    for w in (role or "").lower().replace("-", " ").split():
        if w in _MALE_WORDS:
            return "male"
        if w in _FEMALE_WORDS:
            return "female"
    words = name.split()
    return gender_of(words[0]) if len(words) > 1 else None


#: Descriptions that most often stand for someone the article never names ("a spokesman",
#: "the council's spokesperson"): they go to a person only when that person's role says so.
USUALLY_UNNAMED = frozenset({"spokesman", "spokeswoman", "spokesperson", "official", "source",
                             "insider", "aide", "expert", "analyst", "dealer", "trader",
                             "worker", "employee", "resident", "witness", "fan", "observer",
                             "customer", "user", "student", "parent", "neighbour", "neighbor",
                             "victim", "voter", "supporter", "critic", "researcher",
                             "scientist", "doctor", "lawyer", "teacher", "friend", "colleague"})


def is_description_head(word: str, capitalised: bool) -> bool:
    """Whether a noun can stand for a person in "the ___ said": an office or role word, a
    nationality ("the American"), an age ("the 25-year-old")."""
    w = word.lower().rstrip(".")
    if capitalised and _is_demonym(word):
        return True
    return w in _PERSON_NOUNS or entities_titles.is_head(w) or bool(_YEAR_OLD.match(w))


def _is_demonym(word: str) -> bool:
    g = gazetteer.load()
    return word in g.demonyms or (word.endswith("s") and word[:-1] in g.demonyms)


def first_name_names(text: str) -> dict[str, str]:
    """Surname (lower case) -> the fullest name in ``text`` that starts with a first name
    ("eriksson" -> "Sven-Goran Eriksson"). One pass of a regular expression."""
    out: dict[str, str] = {}
    for m in _CAP_RUN.finditer(text):
        if _PLACE_BEFORE.search(text, max(0, m.start() - 6), m.start()):
            continue  # "the new stadium in Stanley Park": somewhere, not someone
        words = without_post_nominals(m.group().split())  # "Ken Macdonald QC"
        # "England coach Sven-Goran Eriksson": the name starts at its first name
        for k, w in enumerate(words[:-1]):
            if is_first_name(w) and w.lower() not in _NOT_FIRST and words[-1][:1].isupper():
                name = words[k:]
                if len(name) > 4:
                    break
                surname = name[-1].rstrip("'’s").rstrip("'’").lower()
                full = " ".join(name).removesuffix("'s").removesuffix("’s")
                if surname and len(full) > len(out.get(surname, "")):
                    out[surname] = full
                break
    return out


#: Capitalised words that are first names but, at the start of a run of capitals, far more
#: often begin something else ("Will Smith" aside).
_NOT_FIRST = frozenset({"will", "may", "can", "mark", "bill", "grant", "rich", "chase", "major",
                        "general", "said", "says", "new", "north", "south", "east", "west"})


@dataclass(frozen=True)
class Mention:
    """A person named (or resolved) at ``char``, in sentence ``sent``, with its weight."""

    char: int
    sent: int
    name: str
    weight: float


class Discourse:
    """Salience of the people of one article as the text goes on.

    ``mentions`` are the people's mentions outside quotations, each with its sentence and
    weight; :meth:`add` records a resolved pronoun or a quotation's speaker as it is found
    (in text order).
    """

    def __init__(self, mentions: Sequence[Mention], genders: dict[str, str | None],
                 credible: set[str], roles: dict[str, str]) -> None:
        self.mentions = sorted(mentions, key=lambda m: m.char)
        self.chars = [m.char for m in self.mentions]
        self.genders = genders
        self.credible = credible
        self.roles = roles

    def add(self, char: int, sent: int, name: str, weight: float = SPEAKER) -> None:
        """Records a mention of ``name`` (or of someone unnamed: :data:`UNNAMED` and the
        words that describe them, "one dealer")."""
        i = bisect.bisect_right(self.chars, char)
        self.mentions.insert(i, Mention(char, sent, name, weight))
        self.chars.insert(i, char)
        if name not in self.genders:
            if name.startswith(UNNAMED):
                self.genders[name] = name_gender("", role=name[1:])
                self.credible.add(name)
            else:
                self.genders[name] = name_gender(name)

    def scores(self, char: int, sent: int) -> dict[str, float]:
        """Salience of everyone mentioned before ``char``, seen from sentence ``sent``."""
        out: dict[str, float] = {}
        i = bisect.bisect_left(self.chars, char) - 1
        while i >= 0:
            m = self.mentions[i]
            if sent - m.sent > WINDOW:
                break
            out[m.name] = out.get(m.name, 0.0) + m.weight * DECAY ** max(0, sent - m.sent)
            i -= 1
        return out

    def pronoun(self, char: int, sent: int, gender: str | None) -> str | None:
        """The person "he" (``gender`` "male") or "she" at ``char`` most likely refers to."""
        best, best_score = None, 0.0
        for name, score in self.scores(char, sent).items():
            g = self.genders.get(name)
            if gender and g and g != gender:
                continue
            if g is None:
                score *= UNKNOWN_GENDER
            if name not in self.credible:
                score *= DOUBTFUL_PERSON
            if score > best_score:
                best, best_score = name, score
        return best

    def description(self, char: int, sent: int, head: str, words: Sequence[str],
                    strict: bool = False) -> str | None:
        """The person "the <words> <head>" at ``char`` most likely refers to: the most
        salient one whose role has the description's word, else the one such person of the
        article, else (unless ``strict``) the most salient one not ruled out."""
        low_head = _ROLE_WORD.get(head.lower(), head.lower())
        demonym = head[:1].isupper() and _is_demonym(head)
        low_words = [w.lower() for w in words]
        fitting: dict[bool, tuple[str | None, float]] = {True: (None, 0.0), False: (None, 0.0)}
        for name, score in self.scores(char, sent).items():
            fit = self._fits(name, low_head, demonym, low_words)
            if fit is None:
                continue
            if name not in self.credible:
                score *= DOUBTFUL_PERSON
            if score > fitting[fit][1]:
                fitting[fit] = (name, score)
        if fitting[True][0] is not None:
            return fitting[True][0]
        anywhere = [n for n in self.roles if self._fits(n, low_head, demonym, low_words) is True]
        if len(anywhere) == 1:
            return anywhere[0]
        return None if strict else fitting[False][0]

    def _fits(self, name: str, head: str, demonym: bool, words: list[str]) -> bool | None:
        """True if ``name``'s role has the description's word, None if it rules it out
        (another office, another nationality, another gender), False if nothing is known."""
        role = self.roles.get(name, "")
        role_words = {_ROLE_WORD.get(w, w) for w in role.lower().replace("-", " ").split()}
        g = self.genders.get(name)
        if (head in _MALE_WORDS and g == "female") or (head in _FEMALE_WORDS and g == "male"):
            return None
        if not role_words:
            return False
        if demonym:
            if head.lower() in role_words:
                return True
            others = {w for w in role.split() if _is_demonym(w)}
            return None if others else False
        if head in role_words:
            # "the Indiana governor" is not the governor of another state
            qualifiers = [w for w in words if w not in _ROLE_WORD and w not in ("former",)]
            return not qualifiers or any(w in role_words for w in qualifiers)
        if entities_titles.is_head(head) and any(entities_titles.is_head(w)
                                                 for w in role_words):
            # "the coach" is not the captain, nor "the England coach" the England captain;
            # "The Spectator editor" may well be a Tory MP too
            return None if not words or set(words) & role_words else False
        return False


#: Short and long forms of office words, compared as one.
_ROLE_WORD = {"sen": "senator", "sen.": "senator", "gov": "governor", "gov.": "governor",
              "rep": "representative", "rep.": "representative", "pres": "president",
              "gen": "general", "gen.": "general", "sec": "secretary", "chairwoman": "chair",
              "chairman": "chair", "chairperson": "chair", "ceo": "executive"}


def honorifics_of(text: str, mentions: Iterable[tuple[int, int]]) -> list[str]:
    """The honorific words written right before any of ``mentions``."""
    out = []
    for a, _ in mentions:
        m = _HONORIFIC_BEFORE.search(text, max(0, a - 12), a)
        if m and entities_titles.is_honorific(m.group(1)):
            out.append(m.group(1))
    return out


def credible_person(name: str, honorifics: Sequence[str], role: str | None) -> bool:
    """Whether a name shows that it is a person's: a first name, an honorific or a role."""
    words = name.split()
    return bool(honorifics or role) or (len(words) > 1 and is_first_name(words[0]))


def add_quoted_people(text: str, people: Sequence[Person],
                      statements: Sequence[Statement]) -> list[Person]:
    """``people``, and after them every person a statement names as its speaker who is not
    among them yet, with their mentions in ``text`` (the full name, and the surname alone
    where no one else has it)."""
    out = list(people)
    known = {p.name for p in people} | {a for p in people for a in p.aliases}
    taken = sorted(m for p in people for m in p.mentions)
    for s in statements:
        name = s.speaker
        if s.speaker_kind != "person" or not name or name in known:
            continue
        words = name.split()
        if not words or not all(w[:1].isupper() for w in words[-1:]):
            continue
        if len(words) == 1 and _is_demonym(name):
            continue  # "The Britons were detained as part of the 'war on terror'"
        spans = _occurrences(text, name)
        if not spans:
            continue
        surname = words[-1]
        aliases: list[str] = []
        if len(words) > 1 and not any(surname in p.name.split() for p in out):
            extra = [sp for sp in _occurrences(text, surname)
                     if not any(a <= sp[0] < b for a, b in spans)]
            if extra:
                aliases.append(surname)
                spans += extra
        spans = sorted(sp for sp in spans if not _overlaps(taken, sp))
        if not spans:
            continue
        out.append(Person(name, None, tuple(aliases), tuple(spans)))
        known.add(name)
    return out


def _occurrences(text: str, name: str) -> list[tuple[int, int]]:
    pattern = re.compile(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])")
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def _overlaps(taken: list[tuple[int, int]], span: tuple[int, int]) -> bool:
    i = bisect.bisect_right(taken, (span[1], span[1])) - 1
    while i >= 0:
        a, b = taken[i]
        if b <= span[0] - 200:
            break
        if a < span[1] and b > span[0]:
            return True
        i -= 1
    return False
