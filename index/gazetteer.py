"""The place list shipped with Broadsheet (``index/data/gazetteer.tsv``) and the
nationality words (``index/data/demonyms.txt``).

Loaded once per process. :meth:`Gazetteer.candidates` gives, for a word, the place names
that start with it, longest first, so a matcher can walk a text once.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).with_name("data")

_FIRST_WORD = re.compile(r"[\w.]+")


@dataclass(frozen=True)
class Entry:
    """One name of a place: ``surface`` as written, the place's ``canonical`` name, its kind."""

    surface: str
    canonical: str
    kind: str | None


def first_word(name: str) -> str:
    """The first token of ``name`` as spaCy's English tokenizer cuts it (close enough:
    letters, digits and dots, so "U.S." stays whole)."""
    m = _FIRST_WORD.match(name)
    return m.group(0) if m else name


class Gazetteer:
    """Place names by their first word, case-sensitive and in capitals."""

    def __init__(self, rows: list[tuple[str, str | None, list[str]]], demonyms: set[str]):
        self.by_name: dict[str, Entry] = {}
        self.by_upper: dict[str, Entry] = {}
        for name, kind, aliases in rows:
            for surface in (name, *aliases):
                entry = Entry(surface, name, kind)
                # A canonical name wins over another place's alias of the same spelling.
                if surface not in self.by_name or surface == name:
                    self.by_name[surface] = entry
                    self.by_upper[surface.upper()] = entry
        self._first: dict[str, list[Entry]] = {}
        self._first_upper: dict[str, list[Entry]] = {}
        for entry in self.by_name.values():
            self._first.setdefault(first_word(entry.surface), []).append(entry)
            self._first_upper.setdefault(first_word(entry.surface).upper(), []).append(entry)
        for table in (self._first, self._first_upper):
            for entries in table.values():
                entries.sort(key=lambda e: -len(e.surface))
        self.demonyms = frozenset(demonyms)

    def candidates(self, word: str, upper: bool = False) -> list[Entry]:
        """Entries whose first word is ``word`` (compared in capitals if ``upper``)."""
        if upper:
            return self._first_upper.get(word.upper(), [])
        return self._first.get(word, [])

    def lookup(self, name: str) -> Entry | None:
        """The entry for exactly ``name``, tried as written, then in capitals."""
        return self.by_name.get(name) or self.by_upper.get(name.upper())


def _read_rows(path: Path) -> list[tuple[str, str | None, list[str]]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, kind, aliases = [*line.split("\t"), "", ""][:3]
        rows.append((name, kind or None, [a for a in aliases.split("|") if a]))
    return rows


@functools.cache
def load() -> Gazetteer:
    """The shipped gazetteer (read once)."""
    demonyms = set()
    for line in (DATA / "demonyms.txt").read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            demonyms.update(line.split())
    return Gazetteer(_read_rows(DATA / "gazetteer.tsv"), demonyms)
