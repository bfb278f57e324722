"""Back and forward between the things the reader looked at, like a browser's.

:class:`History` is plain Python (no Qt): the window records a :class:`Location` each time
an article or a page is shown, and moves back and forward through them (Alt+Left,
Alt+Right). Visiting a new location after going back drops the locations ahead, as a
browser does.
"""

from __future__ import annotations

from dataclasses import dataclass

#: How many locations are kept behind the current one.
LIMIT = 200


@dataclass(frozen=True)
class Location:
    """Something the reader can be shown again: ``kind`` is ``"article"`` (``target`` its
    key, ``span`` where to scroll) or an entity kind (``"person"``, ``"place"``,
    ``"organisation"``; ``target`` its name)."""

    kind: str
    target: str
    span: tuple[int, int] | None = None

    @property
    def is_article(self) -> bool:
        return self.kind == "article"


class History:
    """The locations visited, and where the reader is among them."""

    def __init__(self, limit: int = LIMIT) -> None:
        self._items: list[Location] = []
        self._index = -1
        self.limit = limit

    @property
    def current(self) -> Location | None:
        return self._items[self._index] if self._index >= 0 else None

    def visit(self, location: Location) -> None:
        """Records ``location`` as the current one (nothing changes if it already is;
        the same article at another place replaces the current entry)."""
        current = self.current
        if current == location:
            return
        if current is not None and current.kind == location.kind \
                and current.target == location.target:
            self._items[self._index] = location
            del self._items[self._index + 1:]
            return
        del self._items[self._index + 1:]
        self._items.append(location)
        if len(self._items) > self.limit:
            del self._items[: len(self._items) - self.limit]
        self._index = len(self._items) - 1

    def can_go_back(self) -> bool:
        return self._index > 0

    def can_go_forward(self) -> bool:
        return self._index < len(self._items) - 1

    def back(self) -> Location | None:
        """Moves back one location and returns it (None at the start)."""
        if not self.can_go_back():
            return None
        self._index -= 1
        return self.current

    def forward(self) -> Location | None:
        if not self.can_go_forward():
            return None
        self._index += 1
        return self.current

    def __len__(self) -> int:
        return len(self._items)
