"""The library-wide view of people, places and statements, with the reader's corrections.

:func:`aggregate` walks every stored article once (the :class:`~index.library.core.Library`
caches the answer until the index or the corrections change) and gathers each entry's
articles, aliases, roles and first mentions; :func:`entity_page` turns one entry into an
:class:`~index.model.EntityPage`; :func:`rewrite_entity_terms` lets ``person:``/``place:``
find a corrected entry by its new name, through the names the index holds.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from index import evidence
from index.curation import Curation
from index.library import schema as S
from index.library.fields import analysis_dict
from index.model import (
    Analysis,
    EntityArticle,
    EntityKind,
    EntityPage,
    LibraryEntity,
    LibraryStatement,
    NameEvidence,
    Person,
    Place,
    Span,
)

#: Characters of context on each side of a first mention, for an entity page's snippet.
SNIPPET_CONTEXT = 90


@dataclass
class _Entry:
    name: str
    kind: EntityKind
    articles: dict[str, tuple[str, int]] = field(default_factory=dict)  # key -> (title, n)
    aliases: Counter[str] = field(default_factory=Counter)
    roles: dict[tuple[str, str], str] = field(default_factory=dict)  # (role, key) -> title
    first: dict[str, tuple[Span, str]] = field(default_factory=dict)  # key -> (span, snippet)

    def frozen(self, hidden: bool) -> LibraryEntity:
        arts = sorted(((k, t, n) for k, (t, n) in self.articles.items()),
                      key=lambda a: (-a[2], a[1].casefold()))
        aliases = tuple(a for a, _ in self.aliases.most_common() if a != self.name)
        return LibraryEntity(self.name, self.kind, tuple(arts), aliases,
                             tuple(self.roles), hidden)


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()


def _snippet(text: str, span: Span) -> str:
    start = max(0, span[0] - SNIPPET_CONTEXT)
    end = min(len(text), span[1] + SNIPPET_CONTEXT)
    cut = " ".join(text[start:end].split())
    return ("…" if start else "") + cut + ("…" if end < len(text) else "")


def aggregate(stored: Iterable[Mapping[str, Any]], curation: Curation,
              decisions: evidence.Decisions | None = None) -> dict[str, Any]:
    """Every entry and statement of the library, as the library's evidence decides and the
    corrections have them; ``decisions`` (:class:`index.evidence.Decisions`) for reading
    one article the same way. Given the ``decisions`` of the same articles, ``stored`` is
    read one article at a time; else every article is held until they are decided."""
    tables: dict[str, dict[tuple[EntityKind, str], _Entry]] = {"entities": {}, "hidden": {}}
    statements: list[LibraryStatement] = []
    names: set[str] = set()
    forms: dict[str, set[tuple[str, str]]] = defaultdict(set)
    cooccur: dict[str, tuple[set[str], set[str]]] = {}

    def add(table: str, kind: EntityKind, e: Person | Place, key: str, title: str,
            text: str) -> None:
        slot = (kind, _fold(e.name))
        entry = tables[table].get(slot)
        if entry is None:
            entry = tables[table][slot] = _Entry(e.name, kind)
        entry.articles[key] = (title, len(e.mentions))
        entry.aliases[e.name] += len(e.mentions) or 1
        for alias in e.aliases:
            entry.aliases[alias] += 1
        role = getattr(e, "role", None)
        if role:
            entry.roles[(role, key)] = title
        if e.mentions and key not in entry.first:
            entry.first[key] = (e.mentions[0], _snippet(text, e.mentions[0]))

    articles: Iterable[tuple[str, str, str, Analysis]] = (
        (f[S.KEY], f.get(S.TITLE) or "", f.get(S.TEXT) or "",
         Analysis.from_dict(analysis_dict(dict(f)))) for f in stored)
    if decisions is None:
        # What each name is, decided with every article's evidence (index.evidence): the
        # panels show that decision, then the reader's corrections.
        articles = list(articles)
        decisions = evidence.decide(a for *_, a in articles)
    for key, title, text, raw in articles:
        raw_entries: list[tuple[str, Person | Place]] = [
            *((S.PERSON, p) for p in raw.people), *((S.PLACE, p) for p in raw.places)
        ]
        for kind_field, e in raw_entries:
            names.update((e.name, *e.aliases))
            final = curation.resolve(e.name) if curation else e.name
            names.add(final)
            for form in (final, e.name, *e.aliases):
                forms[_fold(form)].add((kind_field, e.name))
        shown = evidence.apply(raw, decisions)
        curated = curation.apply(shown, text, key, unshown(raw, shown)) if curation else None
        analysis = curated.analysis if curated else shown
        for p in analysis.people:
            add("entities", EntityKind.PERSON, p, key, title, text)
        for pl in analysis.places:
            add("entities", EntityKind.PLACE, pl, key, title, text)
        if curated:
            for o in curated.organisations:
                add("entities", EntityKind.ORGANISATION, o, key, title, text)
            for h in curated.hidden:
                kind = EntityKind.PLACE if isinstance(h, Place) else EntityKind.PERSON
                add("hidden", kind, h, key, title, text)
        cooccur[key] = ({_fold(p.name) for p in analysis.people},
                        {_fold(p.name) for p in analysis.places})
        statements.extend(LibraryStatement(key, title, s) for s in analysis.statements)

    statements.sort(key=lambda s: (s.title.casefold(), s.key, s.statement.start))
    result: dict[str, Any] = {
        "decisions": decisions,
        "statements": statements,
        "names": names,
        "forms": {k: sorted(v) for k, v in forms.items()},
        "cooccur": cooccur,
        "first": {},
    }
    for table, found_in in tables.items():
        by_kind: dict[EntityKind, list[LibraryEntity]] = {k: [] for k in EntityKind}
        for (kind, folded), entry in found_in.items():
            frozen = entry.frozen(hidden=table == "hidden")
            by_kind[kind].append(frozen)
            result["first"][(table, kind, folded)] = entry.first
        for found in by_kind.values():
            found.sort(key=lambda e: (-len(e.articles), e.name.casefold()))
        result[table] = by_kind
    return result


def unshown(raw: Analysis, shown: Analysis) -> list[NameEvidence]:
    """The names ``raw`` has evidence of that ``shown`` lists neither as people nor places
    (a correction may bring one back)."""
    entries: list[Person | Place] = [*shown.people, *shown.places]
    listed = {_fold(n) for e in entries for n in (e.name, *e.aliases)}
    return [e for e in raw.evidence if _fold(e.name) not in listed]


def entity_page(entity: LibraryEntity, agg: Mapping[str, Any]) -> EntityPage:
    """One entry's page from the aggregates (see :func:`aggregate`)."""
    folded = _fold(entity.name)
    first: dict[str, tuple[Span, str]] = (
        agg["first"].get(("entities", entity.kind, folded))
        or agg["first"].get(("hidden", entity.kind, folded))
        or {}
    )
    articles = tuple(
        EntityArticle(key, title, n, first.get(key, ((0, 0), ""))[1],
                      first[key][0] if key in first else None)
        for key, title, n in entity.articles
    )
    keys = {a.key for a in articles}
    titles = {a.key: a.title for a in articles}
    forms = {_fold(f) for f in (entity.name, *entity.aliases)}
    if entity.kind == EntityKind.PERSON:
        statements = tuple(s for s in agg["statements"]
                           if _fold(s.statement.speaker or "") in forms)
    else:
        statements = tuple(s for s in agg["statements"] if s.key in keys)
    people: Counter[str] = Counter()
    places: Counter[str] = Counter()
    for key in keys:
        in_people, in_places = agg["cooccur"].get(key, (set(), set()))
        people.update(in_people - {folded})
        places.update(in_places - {folded})
    display = {_fold(e.name): e.name for k in (EntityKind.PERSON, EntityKind.PLACE)
               for e in agg["entities"][k]}
    roles = tuple((role, key, titles.get(key, "")) for role, key in entity.roles)
    return EntityPage(
        entity,
        articles,
        statements,
        roles,
        tuple((display.get(n, n), c) for n, c in people.most_common(10)),
        tuple((display.get(n, n), c) for n, c in places.most_common(10)),
    )


_ENTITY_TERM = re.compile(r'\b(person|place):("([^"]*)"|[^\s()"]+)', re.IGNORECASE)


def rewrite_entity_terms(query: str, forms: Mapping[str, list[tuple[str, str]]]) -> str:
    """``person:NAME`` / ``place:NAME`` where NAME is a corrected entry's name or alias
    becomes the alternatives the index holds (``(person:"raw" OR place:"raw2")``); other
    terms are left as they are."""

    def replace(m: re.Match[str]) -> str:
        value = m.group(3) if m.group(3) is not None else m.group(2)
        found = forms.get(_fold(value))
        if not found:
            return m.group(0)
        alternatives = [f'{fld}:"{raw.replace(chr(34), "")}"' for fld, raw in found]
        alternatives.append(m.group(0))
        return "(" + " OR ".join(dict.fromkeys(alternatives)) + ")"

    return _ENTITY_TERM.sub(replace, query)
