"""Correcting the panels from the window: the context menu on any person, place or
statement, each correction an undoable command.

A correction is stored by the library (:meth:`index.library.Library.correct`, user data
beside the bookmarks); here are

* :class:`Target` — what a menu acts on (an entry of a panel or a page, or a statement),
  made from any value object a row or mark stands for (:func:`target_for`);
* :class:`CorrectionLedger` — plain Python, kept by the reader thread: it makes, takes back
  and restores corrections by a *token* the window chose, so an undo asked for before the
  correction's answer came back still finds it (the thread runs requests in order);
* :class:`CorrectionCommand` — a ``QUndoCommand`` on the window's undo stack (Ctrl+Z,
  Ctrl+Shift+Z) that asks the service to make, undo or redo one correction;
* :class:`Curator` — builds the menus (rename, merge, split an alias out, change kind,
  hide; reassign a statement's speaker or strike it) and pushes the commands.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QModelIndex, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QAbstractItemView, QInputDialog, QMenu, QWidget

from desktop.entries import Entry
from desktop.panels import Role
from index.curation import Correction, statement_subject
from index.model import (
    EntityKind,
    LibraryEntity,
    LibraryStatement,
    Person,
    Place,
    Statement,
)

#: The kinds a menu offers, with their labels ("none": not a name at all).
KIND_LABELS = (("person", "Person"), ("place", "Place"), ("organisation", "Organisation"),
               ("none", "Not a name"))

_tokens = itertools.count(1)


def new_token() -> int:
    """A number naming one correction between the window and the reader thread."""
    return next(_tokens)


# --------------------------------------------------------------------------- targets


@dataclass(frozen=True)
class EntityTarget:
    """A person, place or organisation entry, by its canonical name."""

    name: str
    kind: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class StatementTarget:
    """A statement of one article (offsets of the quotation, as the index has them)."""

    key: str
    start: int
    end: int
    text: str = ""
    speaker: str | None = None

    @property
    def subject(self) -> str:
        return statement_subject(self.key, self.start, self.end)


Target = EntityTarget | StatementTarget


def target_for(
    item: Person | Place | LibraryEntity | LibraryStatement | Statement | object, key: str = ""
) -> Target | None:
    """What a menu acts on for a value object (``key``: the article of a ``Statement``)."""
    if isinstance(item, Person):
        return EntityTarget(item.name, "person", tuple(item.aliases))
    if isinstance(item, Place):
        return EntityTarget(item.name, "place", tuple(item.aliases))
    if isinstance(item, LibraryEntity):
        return EntityTarget(item.name, str(item.kind), tuple(item.aliases))
    if isinstance(item, LibraryStatement):
        s = item.statement
        return StatementTarget(item.key, s.start, s.end, s.text, s.speaker)
    if isinstance(item, Statement) and key:
        return StatementTarget(key, item.start, item.end, item.text, item.speaker)
    return None


# --------------------------------------------------------------------------- the thread's side


class Corrector(Protocol):
    """What the ledger needs of a library (:class:`index.library.Library` has it)."""

    def correct(self, op: str, subject: str, value: str = "") -> Correction: ...

    def undo_correction(self, id: int) -> Correction: ...

    def redo_correction(self, correction: Correction) -> Correction: ...


class CorrectionLedger:
    """The corrections this window made, by token (kept in the thread that makes them)."""

    def __init__(self) -> None:
        self._made: dict[int, Correction] = {}

    def make(self, library: Corrector, token: int, op: str, subject: str,
             value: str = "") -> Correction:
        correction = library.correct(op, subject, value)
        self._made[token] = correction
        return correction

    def undo(self, library: Corrector, token: int) -> Correction | None:
        """Takes the token's correction back (None if it was never made)."""
        correction = self._made.get(token)
        if correction is None:
            return None
        return library.undo_correction(correction.id)

    def redo(self, library: Corrector, token: int) -> Correction | None:
        correction = self._made.get(token)
        if correction is None:
            return None
        return library.redo_correction(correction)


class CurationService(Protocol):
    """The requests a :class:`CorrectionCommand` sends (``LibraryService`` has them)."""

    def correct(self, token: int, op: str, subject: str, value: str = "") -> None: ...

    def undo_correction(self, token: int) -> None: ...

    def redo_correction(self, token: int) -> None: ...


# --------------------------------------------------------------------------- the window's side


def describe(op: str, subject: str, value: str = "", text: str = "") -> str:
    """What the Edit menu says after "Undo"."""
    quoted = f"“{text[:40]}…”" if len(text) > 40 else f"“{text or subject}”"
    return {
        "rename": f"Rename “{subject}” to “{value}”",
        "merge": f"Merge “{subject}” into “{value}”",
        "split": f"Split “{value}” out of “{subject}”",
        "kind": f"Make “{subject}” {'not a name' if value == 'none' else 'a ' + value}",
        "hide": f"Hide “{subject}”",
        "unhide": f"Show “{subject}” again",
        "speaker": f"Give {quoted} to {value}",
        "not-statement": f"Strike {quoted} from the statements",
    }.get(op, f"{op} {subject}")


class CorrectionCommand(QUndoCommand):
    """One correction on the undo stack."""

    def __init__(self, service: CurationService, op: str, subject: str, value: str = "",
                 text: str = "") -> None:
        super().__init__(describe(op, subject, value, text))
        self.service = service
        self.op, self.subject, self.value = op, subject, value
        self.token = new_token()
        self._made = False

    def redo(self) -> None:
        if not self._made:
            self._made = True
            self.service.correct(self.token, self.op, self.subject, self.value)
        else:
            self.service.redo_correction(self.token)

    def undo(self) -> None:
        self.service.undo_correction(self.token)


class Prompt:
    """Asks the reader for a name (a dialog); tests put answers in instead."""

    def text(self, parent: QWidget | None, title: str, label: str, default: str) -> str | None:
        value, ok = QInputDialog.getText(parent, title, label, text=default)
        return value.strip() if ok and value.strip() else None

    def choose(self, parent: QWidget | None, title: str, label: str,
               items: Sequence[str]) -> str | None:
        value, ok = QInputDialog.getItem(parent, title, label, list(items), 0, True)
        return value.strip() if ok and value.strip() else None


class Curator(QObject):
    """Builds the curation menus and pushes each correction onto the undo stack.

    ``names(kind)`` gives the names a merge or a new speaker is chosen from (the window
    passes what the library panels hold); the reader may also type any name.

    Signals:
        pageRequested(str, str): "Open page" was chosen: name and kind.
        statementRequested(str, int, int): "Open in the article": key, start, end.
    """

    pageRequested = Signal(str, str)
    statementRequested = Signal(str, int, int)

    def __init__(self, service: CurationService, stack: QUndoStack,
                 parent: QObject | None = None, *, prompt: Prompt | None = None,
                 names: Callable[[str], Sequence[str]] | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.stack = stack
        self.prompt = prompt or Prompt()
        self.names = names or (lambda kind: ())

    # -- corrections ----------------------------------------------------------------

    def apply(self, op: str, subject: str, value: str = "", text: str = "") -> None:
        """Makes a correction, undoably."""
        self.stack.push(CorrectionCommand(self.service, op, subject, value, text))

    def rename(self, target: EntityTarget, parent: QWidget | None = None) -> None:
        name = self.prompt.text(parent, "Rename", f"New name for “{target.name}”:", target.name)
        if name and name != target.name:
            self.apply("rename", target.name, name)

    def merge(self, target: EntityTarget, parent: QWidget | None = None) -> None:
        others = [n for n in self.names(target.kind) if n.casefold() != target.name.casefold()]
        into = self.prompt.choose(parent, "Merge", f"Merge “{target.name}” into:", others)
        if into and into.casefold() != target.name.casefold():
            self.apply("merge", target.name, into)

    def reassign(self, target: StatementTarget, parent: QWidget | None = None) -> None:
        people = [n for n in self.names("person") if n != target.speaker]
        who = self.prompt.choose(parent, "Reassign the statement", "Who said it?", people)
        if who and who != target.speaker:
            self.apply("speaker", target.subject, who, target.text)

    # -- menus ----------------------------------------------------------------------

    def fill_menu(self, menu: QMenu, target: Target, *, open_item: bool = True) -> None:
        """Adds the actions for ``target`` to ``menu`` (each has an object name, for tests:
        ``curation-rename``, ``curation-kind-place``, ``curation-split-ALIAS``...)."""
        parent = menu.parentWidget()

        def add(menu_: QMenu, name: str, text: str, slot: Callable[[], object]) -> QAction:
            action = menu_.addAction(text)
            action.setObjectName(f"curation-{name}")
            action.triggered.connect(slot)
            return action

        if isinstance(target, StatementTarget):
            if open_item:
                add(menu, "open", "Open in the article", lambda: self.statementRequested.emit(
                    target.key, target.start, target.end))
            if target.speaker and open_item:
                add(menu, "open-speaker", f"Open {target.speaker}’s page",
                    lambda: self.pageRequested.emit(target.speaker or "", "person"))
            if open_item:
                menu.addSeparator()
            add(menu, "speaker", "Reassign the speaker…", lambda: self.reassign(target, parent))
            add(menu, "not-statement", "Not a statement",
                lambda: self.apply("not-statement", target.subject, "", target.text))
            return
        if open_item and target.kind in ("person", "place", "organisation"):
            add(menu, "open", f"Open {target.name}’s page",
                lambda: self.pageRequested.emit(target.name, target.kind))
            menu.addSeparator()
        def apply(op: str, value: str = "") -> Callable[[], None]:
            return lambda: self.apply(op, target.name, value)

        add(menu, "rename", "Rename…", lambda: self.rename(target, parent))
        add(menu, "merge", "Merge into…", lambda: self.merge(target, parent))
        split = menu.addMenu("Split an alias out")
        split.setObjectName("curation-split")
        for alias in target.aliases:
            add(split, f"split-{alias}", alias,
                apply("split", alias))
        split.setEnabled(bool(target.aliases))
        kinds = menu.addMenu("Change kind")
        kinds.setObjectName("curation-kind")
        for kind, label in KIND_LABELS:
            action = add(kinds, f"kind-{kind}", label, apply("kind", kind))
            action.setCheckable(True)
            action.setChecked(kind == target.kind)
            action.setEnabled(kind != target.kind)
        add(menu, "hide", "Hide", apply("hide"))

    def fill_text_menu(self, menu: QMenu, entries: Iterable[Entry], key: str | None,
                       offset: int | None) -> None:
        """The reader's context menu: for each name or quotation at ``offset`` of the article
        ``key`` (its panel ``entries``), "Open …’s page" and a "Correct …" submenu, first."""
        if offset is None or not key:
            return
        found = [e for e in entries if any(a <= offset < b for a, b in e.spans)]
        first = menu.actions()[0] if menu.actions() else None
        added: list[QAction] = []
        for entry in found:
            target = target_for(entry.item, key)
            if target is None:
                continue
            page = target.name if isinstance(target, EntityTarget) else target.speaker
            kind = target.kind if isinstance(target, EntityTarget) else "person"
            if page:
                action = QAction(f"Open {page}’s page", menu)
                action.setObjectName("curation-open")
                action.triggered.connect(lambda _=False, page=page, kind=kind:
                                         self.pageRequested.emit(page, kind))
                added.append(action)
            title = (f"Correct “{target.name}”" if isinstance(target, EntityTarget)
                     else "Correct this statement")
            sub = QMenu(title, menu)
            sub.setObjectName("curation-correct")
            self.fill_menu(sub, target, open_item=False)
            added.append(sub.menuAction())
        if added:
            menu.insertActions(first, added)  # type: ignore[arg-type]
            if first is not None:
                menu.insertSeparator(first)

    def menu(self, target: Target, parent: QWidget | None = None, *,
             open_item: bool = True) -> QMenu:
        menu = QMenu(parent)
        menu.setObjectName("curationMenu")
        self.fill_menu(menu, target, open_item=open_item)
        return menu

    def popup(self, menu: QMenu, where: QPoint) -> None:
        """Shows a menu until the reader chooses (tests replace this)."""
        menu.exec(where)
        menu.deleteLater()

    def attach(self, view: QAbstractItemView,
               article_key: Callable[[], str | None] = lambda: None) -> None:
        """Gives a panel's list a context menu for its rows (an article's statements belong
        to the article open, ``article_key()``)."""
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

        def show(pos: QPoint) -> None:
            index: QModelIndex = view.indexAt(pos)
            if not index.isValid():
                return
            key = str(index.data(Role.Key) or article_key() or "")
            target = target_for(index.data(Role.Item), key)
            if target is None:
                return
            self.popup(self.menu(target, view), view.viewport().mapToGlobal(pos))

        view.customContextMenuRequested.connect(show)


def entity_kind(kind: str) -> EntityKind | None:
    try:
        return EntityKind(kind)
    except ValueError:
        return None
