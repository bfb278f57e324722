"""The people named in a document, by character span, for attributing quotations: maps
spans of the text to canonical names and finds the nearest person before a position."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import TYPE_CHECKING

from index.cues import _TITLES
from index.entity_text import without_post_nominals
from index.model import Person
from index.speakers import first_name_names

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span


class _Names:
    """Maps spans of the text to people's canonical names, and finds the nearest person or
    group before a position."""

    def __init__(self, doc: Doc, text: str, people: Sequence[Person], inside: list[bool],
                 tok_starts: list[int], ents: list[Span]) -> None:
        self.doc = doc
        mentions: list[tuple[int, int, str]] = []
        by_alias: dict[str, str] = {}
        for p in people:
            for a, b in p.mentions:
                mentions.append((a, b, p.name))
            by_alias.setdefault(p.name.lower(), p.name)
            for alias in p.aliases:
                by_alias.setdefault(alias.lower(), p.name)
        # spaCy's own PERSON entities fill in what the people list lacks.
        ent_names: list[str] = []
        for ent in ents:
            if ent.label_ == "PERSON":
                ent_names.append(_clean_name(ent.text))
        surname: dict[str, str] = {}
        for name in [p.name for p in people] + ent_names:
            parts = name.split()
            if not parts:
                continue
            last = parts[-1].lower()
            best = surname.get(last)
            if best is None or len(name.split()) > len(best.split()):
                surname[last] = name
        # a surname known only on its own ("Austin") completed from the text, where a
        # first name stands before it ("Secretary of Defence Lloyd Austin")
        lonely = {k for k, v in surname.items() if " " not in v}
        if lonely:
            # compare hashes from one array rather than creating a Token for every word
            strings = doc.vocab.strings
            wanted = {strings.add(w): w for w in lonely}
            lowers = doc.to_array("LOWER").tolist()
            for i, h in enumerate(lowers):
                low = wanted.get(h)
                if low is None or i == 0 or low not in lonely:
                    continue
                t, prev = doc[i], doc[i - 1]
                if prev.pos_ == "PROPN" and prev.text[:1].isupper() \
                        and prev.lower_.rstrip(".") not in _TITLES \
                        and prev.ent_type_ not in ("GPE", "NORP") and t.text[:1].isupper():
                    surname[low] = f"{prev.text} {t.text}"
                    lonely.discard(low)
        # names the text gives with a first name ("England coach Sven-Goran Eriksson"),
        # whatever the entity recogniser made of them
        for low, full in first_name_names(text).items():
            known = surname.get(low)
            if known is None or (" " not in known and full.endswith(known)):
                surname[low] = full
        self.surname = surname
        self.by_alias = by_alias
        covered = {(a, b) for a, b, _ in mentions}
        starts = sorted(covered)
        for ent in ents:
            a, b = ent.start_char, ent.end_char
            j = bisect.bisect_left(starts, (b, b)) - 1  # the mention starting last before b
            if ent.label_ == "PERSON" and not (j >= 0 and starts[j][1] > a):
                mentions.append((a, b, self.canonical(ent.text)))
                covered.add((a, b))
        # a surname alone ("said Eriksson") of someone named in full, where nothing above
        # covers it
        self._surname_mentions(doc, mentions, covered)
        mentions.sort()
        # mentions inside quotations are not antecedents for "he said"
        self.mentions = [
            m for m in mentions
            if not _inside_at(m[0], tok_starts, inside)
        ]
        self.mention_starts = [m[0] for m in self.mentions]

    def _surname_mentions(self, doc: Doc, mentions: list[tuple[int, int, str]],
                          covered: set[tuple[int, int]]) -> None:
        full_names = {k: v for k, v in self.surname.items() if " " in v}
        if not full_names:
            return
        strings = doc.vocab.strings
        wanted = {strings.add(k): k for k in full_names}
        for i, h in enumerate(doc.to_array("LOWER").tolist()):
            low = wanted.get(h)
            if low is None:
                continue
            t = doc[i]
            if not t.text[:1].isupper():
                continue
            a, b = t.idx, t.idx + len(t.text)
            if any(x <= a < y for x, y in covered):
                continue
            mentions.append((a, b, full_names[low]))

    def canonical(self, text: str) -> str:
        name = _clean_name(text)
        hit = self.by_alias.get(text.lower()) or self.by_alias.get(name.lower())
        if hit:
            return hit
        parts = name.split()
        if parts:
            full = self.surname.get(parts[-1].lower())
            if full and (len(parts) == 1 or full.split()[0].lower() == parts[0].lower()
                         or full.endswith(name)):
                return full
        return name

    def person_at(self, start: int, end: int) -> str | None:
        i = bisect.bisect_right(self.mention_starts, end) - 1
        while i >= 0 and self.mentions[i][1] > start - 200:
            a, b, name = self.mentions[i]
            if a < end and b > start:
                return name
            i -= 1
        return None

    def person_before(self, pos: int) -> str | None:
        i = bisect.bisect_left(self.mention_starts, pos) - 1
        if i >= 0:
            return self.mentions[i][2]
        return None


def _inside_at(char: int, tok_starts: list[int], inside: list[bool]) -> bool:
    i = bisect.bisect_right(tok_starts, char) - 1
    return 0 <= i < len(inside) and inside[i]


def _clean_name(text: str) -> str:
    words = text.replace("’s", "").replace("'s", "").split()
    while len(words) > 1 and words[0].lower().rstrip(".") in _TITLES:
        words = words[1:]
    words = without_post_nominals(words)  # "Ken Macdonald QC"
    return " ".join(words).strip(" ,.;:")
