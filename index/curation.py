"""The reader's corrections to the panels: rename, merge, split, change kind, hide, and
reassign (or strike) a statement — stored as user data, applied when the library is read.

Corrections live in their own SQLite database, ``data_dir/curation.sqlite3`` (WAL), beside
the bookmarks and never in the index, which is a cache: they survive ``index --rebuild``,
edits to the files, a changed analyser, and removing and re-adding an article. Each is one
row — an operation on a *name* — so a correction whose subject no longer occurs is kept (and
listed as unused), and comes back into force if the name does.

Applying them is pure and cheap (:class:`Curation`): names are matched case-insensitively;
``rename`` and ``merge`` send one name to another (a chain is followed), ``split`` takes the
mentions written as one alias out of an entry into an entry of their own, ``kind`` moves an
entry between people, places, organisations and "not a name", ``hide`` leaves it out of the
panels and lists, and a statement correction names its article and quotation offsets.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from index.model import Analysis, LibraryError, NameEvidence, Person, Place, Statement

FILENAME = "curation.sqlite3"

#: The operations, each with what its ``value`` holds.
OPS = {
    "rename": "the new name",
    "merge": "the name it goes into",
    "split": "the alias taken out",
    "kind": "person, place, organisation or none",
    "hide": "",
    "unhide": "",
    "speaker": "the new speaker's name; subject is 'KEY:START:END'",
    "not-statement": "subject is 'KEY:START:END'",
}
KINDS = ("person", "place", "organisation", "none")


class CurationError(LibraryError):
    """A correction that cannot be made or stored; ``message`` says why."""


@dataclass(frozen=True)
class Correction:
    """One stored correction."""

    id: int
    op: str
    subject: str
    value: str = ""
    created: str = ""

    def to_dict(self) -> dict[str, object]:
        return dataclasses.asdict(self)


def statement_subject(key: str, start: int, end: int) -> str:
    return f"{key}:{start}:{end}"


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()


@dataclass(frozen=True)
class Curated:
    """An article's analysis after the corrections, with the entries that left the panels:
    those made organisations (or "not a name") and those hidden."""

    analysis: Analysis
    organisations: tuple[Person, ...] = ()
    hidden: tuple[Person | Place, ...] = ()


class Curation:
    """The corrections in force, ready to apply (built from :meth:`CurationStore.list`)."""

    def __init__(self, corrections: Iterable[Correction] = ()) -> None:
        self.corrections = tuple(corrections)
        self._to: dict[str, str] = {}  # folded name -> the name it became
        self._kinds: dict[str, str] = {}  # folded subject -> kind (resolved when applied)
        self._hidden: dict[str, bool] = {}
        self._splits: list[tuple[str, str]] = []  # (folded subject, alias)
        self._speakers: dict[str, str | None] = {}  # statement subject -> speaker / None
        for c in self.corrections:
            subject = _fold(c.subject)
            if c.op in ("rename", "merge"):
                if _fold(c.value) != subject:
                    self._to[subject] = c.value
            elif c.op == "split":
                self._splits.append((subject, c.value))
                self._to.pop(_fold(c.value), None)
            elif c.op == "kind":
                self._kinds[subject] = c.value
            elif c.op in ("hide", "unhide"):
                self._hidden[subject] = c.op == "hide"
            elif c.op == "speaker":
                self._speakers[c.subject] = c.value
            elif c.op == "not-statement":
                self._speakers[c.subject] = None

    def __bool__(self) -> bool:
        return bool(self.corrections)

    def resolve(self, name: str) -> str:
        """The name ``name`` goes by after renames and merges (a chain is followed)."""
        seen: set[str] = set()
        current = name
        while (folded := _fold(current)) in self._to and folded not in seen:
            seen.add(folded)
            current = self._to[folded]
        return current

    def kind_of(self, name: str, default: str) -> str:
        """The kind of the entry that ``name`` resolves to (a kind given to any name on the
        way counts; the last one given wins)."""
        kind = default
        for form in self._chain(name):
            kind = self._kinds.get(_fold(form), kind)
        return kind

    def hidden(self, name: str) -> bool:
        return any(self._hidden.get(_fold(form), False) for form in self._chain(name))

    def _chain(self, name: str) -> list[str]:
        chain = [name]
        seen = {_fold(name)}
        while (folded := _fold(chain[-1])) in self._to:
            nxt = self._to[folded]
            if _fold(nxt) in seen:
                break
            seen.add(_fold(nxt))
            chain.append(nxt)
        return chain

    def unused(self, names: Iterable[str]) -> list[Correction]:
        """The corrections whose subject names none of ``names`` (no longer in the library)."""
        known = {_fold(n) for n in names}
        return [c for c in self.corrections
                if c.op not in ("speaker", "not-statement") and _fold(c.subject) not in known]

    # ------------------------------------------------------------------ applying

    def apply(self, analysis: Analysis, text: str, key: str,
              others: Sequence[NameEvidence] = ()) -> Curated:
        """``analysis`` of the article ``key`` (whose analysed text is ``text``) as the
        corrections have it. ``others`` are names the article uses that the analysis does
        not show (:attr:`Analysis.evidence`): one the reader made a person, place or
        organisation joins that list."""
        if not self.corrections:
            return Curated(analysis)
        entries: list[tuple[str, Person | Place]] = []
        for e in others:
            kind = self.kind_of(e.name, "none")
            if kind != "none" and e.mentions:
                entries.append((kind, Person(e.name, e.role, e.aliases, e.mentions)))
        for p in analysis.people:
            entries.extend(("person", e) for e in self._split(p, text))
        for pl in analysis.places:
            entries.extend(("place", e) for e in self._split(pl, text))
        merged: dict[tuple[str, str], Person] = {}
        order: list[tuple[str, str]] = []
        hidden: list[Person | Place] = []
        for default_kind, entry in entries:
            name = self.resolve(entry.name)
            kind = self.kind_of(entry.name, default_kind)
            role = entry.role if isinstance(entry, Person) else None
            aliases = [a for a in (entry.name, *entry.aliases) if _fold(a) != _fold(name)]
            as_person = Person(name, role, tuple(aliases), entry.mentions)
            if self.hidden(entry.name):
                hidden.append(as_person)
                continue
            slot = (kind, _fold(name))
            if slot in merged:
                old = merged[slot]
                merged[slot] = Person(
                    old.name, old.role or as_person.role,
                    tuple(dict.fromkeys((*old.aliases, *as_person.aliases))),
                    tuple(sorted(set(old.mentions) | set(as_person.mentions))),
                )
            else:
                merged[slot] = as_person
                order.append(slot)
        people = tuple(merged[s] for s in order if s[0] == "person")
        places = tuple(
            Place(p.name, _place_kind(analysis.places, p), p.aliases, p.mentions)
            for p in (merged[s] for s in order if s[0] == "place")
        )
        organisations = tuple(merged[s] for s in order if s[0] == "organisation")
        statements = self._statements(analysis.statements, key)
        return Curated(Analysis(people, places, statements), organisations, tuple(hidden))

    def _split(self, entry: Person | Place, text: str) -> list[Person | Place]:
        """The entry, with each alias split out of it made an entry of its own."""
        out = [entry]
        for subject, alias in self._splits:
            if _fold(self.resolve(entry.name)) != subject and _fold(entry.name) != subject:
                continue
            wanted = _fold(alias)
            taken = tuple(m for m in entry.mentions if _fold(text[m[0]:m[1]]) == wanted)
            if not taken and wanted not in {_fold(a) for a in entry.aliases}:
                continue
            kept = tuple(m for m in entry.mentions if m not in taken)
            aliases = tuple(a for a in entry.aliases if _fold(a) != wanted)
            out[0] = dataclasses.replace(out[0], aliases=aliases, mentions=kept)
            if taken:
                if isinstance(entry, Person):
                    out.append(Person(alias, None, (), taken))
                else:
                    out.append(Place(alias, None, (), taken))
        return [e for e in out if e.mentions or e is out[0]]

    def _statements(self, statements: Sequence[Statement], key: str) -> tuple[Statement, ...]:
        out = []
        for s in statements:
            subject = statement_subject(key, s.start, s.end)
            if subject in self._speakers:
                speaker = self._speakers[subject]
                if speaker is None:
                    continue  # not a statement
                s = dataclasses.replace(s, speaker=self.resolve(speaker), speaker_kind="person")
            elif s.speaker and s.speaker_kind == "person":
                s = dataclasses.replace(s, speaker=self.resolve(s.speaker))
            out.append(s)
        return tuple(out)


def _place_kind(places: Sequence[Place], entry: Person) -> str | None:
    for p in places:
        if _fold(p.name) == _fold(entry.name) or _fold(p.name) in map(_fold, entry.aliases):
            return p.kind
    return None


class CurationStore:
    """The corrections of one data directory (SQLite, WAL; one short transaction a call).
    Opened read-only where the data directory cannot be written: listing still works."""

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / FILENAME
        self._db: sqlite3.Connection | None = None

    def _connect(self, write: bool) -> sqlite3.Connection | None:
        if self._db is not None:
            return self._db
        if not write and not self.path.exists():
            return None
        try:
            db = sqlite3.connect(self.path, timeout=5.0, isolation_level=None)
            db.execute("PRAGMA busy_timeout = 5000")
            with contextlib.suppress(sqlite3.OperationalError):
                db.execute("PRAGMA journal_mode = WAL")
            db.execute(
                "CREATE TABLE IF NOT EXISTS corrections (id INTEGER PRIMARY KEY, op TEXT NOT "
                "NULL, subject TEXT NOT NULL, value TEXT NOT NULL DEFAULT '', created TEXT)"
            )
        except sqlite3.OperationalError as exc:
            if not write and self.path.exists():
                db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=5.0)
            else:
                raise CurationError(
                    f"Cannot write the corrections in {self.path.parent}: {exc}."
                ) from exc
        self._db = db
        return db

    def token(self) -> tuple[int, ...]:
        """Changes when any process changes the corrections (a ``stat`` of the database
        and its write-ahead log)."""
        out: list[int] = []
        for path in (self.path, self.path.with_name(self.path.name + "-wal")):
            try:
                st = path.stat()
                out += [st.st_mtime_ns, st.st_size, st.st_ino]
            except OSError:
                out += [0, 0, 0]
        return tuple(out)

    def list(self) -> list[Correction]:
        db = self._connect(write=False)
        if db is None:
            return []
        rows = db.execute("SELECT id, op, subject, value, created FROM corrections ORDER BY id")
        return [Correction(*row) for row in rows]

    def curation(self) -> Curation:
        return Curation(self.list())

    def add(self, op: str, subject: str, value: str = "") -> Correction:
        if op not in OPS:
            raise CurationError(f"Unknown correction {op!r}: one of {', '.join(OPS)}.")
        if op == "kind" and value not in KINDS:
            raise CurationError(f"A kind is one of {', '.join(KINDS)}, not {value!r}.")
        if op in ("rename", "merge", "split", "speaker") and not value.strip():
            raise CurationError(f"{op} needs a name.")
        created = datetime.now(UTC).isoformat(timespec="seconds")
        db = self._connect(write=True)
        assert db is not None
        try:
            cur = db.execute(
                "INSERT INTO corrections (op, subject, value, created) VALUES (?, ?, ?, ?)",
                (op, subject.strip(), value.strip(), created),
            )
        except sqlite3.OperationalError as exc:
            raise CurationError(f"Cannot write the corrections in {self.path.parent}: {exc}.")\
                from exc
        return Correction(int(cur.lastrowid or 0), op, subject.strip(), value.strip(), created)

    def remove(self, id: int) -> Correction:
        """Takes a correction back (undo); returns it, for redo (:meth:`restore`)."""
        found = [c for c in self.list() if c.id == id]
        if not found:
            raise CurationError(f"There is no correction {id}.")
        db = self._connect(write=True)
        assert db is not None
        db.execute("DELETE FROM corrections WHERE id = ?", (id,))
        return found[0]

    def restore(self, correction: Correction) -> Correction:
        db = self._connect(write=True)
        assert db is not None
        db.execute(
            "INSERT OR REPLACE INTO corrections (id, op, subject, value, created) "
            "VALUES (?, ?, ?, ?, ?)",
            (correction.id, correction.op, correction.subject, correction.value,
             correction.created),
        )
        return correction

    def export_json(self) -> str:
        return json.dumps({"corrections": [c.to_dict() for c in self.list()]}, indent=2,
                          ensure_ascii=False) + "\n"

    def import_json(self, text: str) -> int:
        """Adds the corrections of an export (ids renumbered); how many."""
        try:
            rows = json.loads(text)["corrections"]
            items = [(str(r["op"]), str(r["subject"]), str(r.get("value", ""))) for r in rows]
        except (ValueError, KeyError, TypeError) as exc:
            raise CurationError(f"Not an export of corrections ({exc}).") from exc
        for op, subject, value in items:
            self.add(op, subject, value)
        return len(items)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> CurationStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
