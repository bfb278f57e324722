"""The People, Places and Statements panels in "whole library" mode.

A panel switched to the whole library asks the reader thread for the library's people,
places or statements (again after every update, and whenever the reader sees a commit:
another process's update, a batch of analysis; a list that changed keeps the row chosen in
it); choosing a person or place lists, under it, the articles it appears in (and a person's
statements); choosing one of those opens the article at the mention.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QObject

from desktop.entries import (
    Entry,
    article_entries,
    library_entity_entries,
    library_statement_entries,
)
from desktop.kinds import EntryKind, Scope
from desktop.panels import EntityPanel
from desktop.reading import Reading
from desktop.service import LibraryService
from index.model import EntityKind, LibraryEntity, LibraryStatement, Statement


class LibraryScopes(QObject):
    """What the panels show of the whole library."""

    def __init__(self, service: LibraryService, panels: Mapping[EntryKind, EntityPanel],
                 reading: Reading, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.panels = panels
        self.reading = reading
        self._chosen: Entry | None = None  # the person whose statements are asked for

    def names(self, kind: str) -> list[str]:
        """The names a merge or a new speaker is chosen from: those the panel of that kind
        lists now (the article's or the library's)."""
        panel = self.panels.get(EntryKind(kind)) if kind in ("person", "place") else None
        return sorted({e.name for e in panel.model.entries()}) if panel is not None else []

    def corrected(self) -> None:
        """A correction was made or taken back: the panels and the article show it."""
        self.refresh()
        if self.reading.key is not None and not self.reading.preview:
            self.reading.open(self.reading.key, keep_place=True)

    def _request(self, panel: EntityPanel) -> None:
        if panel.kind == EntryKind.STATEMENT:
            self.service.statements()
        else:
            self.service.entities(EntityKind(panel.kind.value))

    def scope_changed(self, panel: EntityPanel, scope: Scope) -> None:
        if scope == Scope.ARTICLE:
            panel.set_entries(self.reading.entries.get(panel.kind, []), Scope.ARTICLE)
        else:
            self._request(panel)

    def refresh(self) -> None:
        """Asks again for what the library-wide panels show (after an update)."""
        for panel in self.panels.values():
            if panel.scope == Scope.LIBRARY:
                self._request(panel)

    def entities_loaded(self, kind: EntityKind, entities: list[LibraryEntity]) -> None:
        self._show(self.panels[EntryKind(kind)], library_entity_entries(entities))

    def _show(self, panel: EntityPanel, entries: list[Entry]) -> None:
        """Shows the library's ``entries`` in ``panel``: nothing moves if they are the same;
        otherwise the row chosen before is chosen again (its articles listed under it)."""
        if panel.scope != Scope.LIBRARY or entries == panel.model.entries():
            return
        chosen = panel.current_entry()
        panel.set_entries(entries, Scope.LIBRARY)
        if chosen is not None:
            panel.select(lambda e: e.name == chosen.name,
                         notify=chosen.kind != EntryKind.STATEMENT)

    def statements_loaded(self, speaker: str, statements: list[LibraryStatement]) -> None:
        if not speaker:
            self._show(self.panels[EntryKind.STATEMENT], library_statement_entries(statements))
            return
        entity = self._chosen
        if entity is not None and entity.name == speaker \
                and isinstance(entity.item, LibraryEntity):
            details = article_entries(entity.item) + library_statement_entries(statements)
            self.panels[EntryKind.PERSON].set_details(
                f"{entity.name}: {len(entity.item.articles)} article(s), "
                f"{len(statements)} statement(s)", details)

    def chosen(self, entry: Entry) -> None:
        """A library-wide person, place or statement was chosen."""
        if entry.kind == EntryKind.STATEMENT:
            self._open_statement(entry)
            return
        if not isinstance(entry.item, LibraryEntity):
            return
        self.panels[entry.kind].set_details(
            f"{entry.name}: {len(entry.item.articles)} article(s)", article_entries(entry.item))
        if entry.kind == EntryKind.PERSON:
            self._chosen = entry
            self.service.statements(entry.name)

    def detail_chosen(self, entry: Entry) -> None:
        """An article (or statement) under the chosen person or place."""
        if entry.kind == EntryKind.STATEMENT:
            self._open_statement(entry)
            return
        if not isinstance(entry.item, LibraryEntity):
            return
        name, kind = entry.item.name, EntryKind(entry.item.kind)
        self.reading.open(entry.key, focus=lambda: self.reading.mark_first(
            kind, lambda e: e.name == name))

    def _open_statement(self, entry: Entry) -> None:
        if not isinstance(entry.item, LibraryStatement):
            return
        start = entry.item.statement.start
        self.reading.open(entry.key, focus=lambda: self.reading.mark_first(
            EntryKind.STATEMENT, lambda e: isinstance(e.item, Statement) and e.item.start == start))
