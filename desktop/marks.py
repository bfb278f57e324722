"""A mark: a span of the article that the reader colours (see :mod:`desktop.reader`).

Apart from the reader, so that the window's first frame, which has the reader but no marks,
does not import :mod:`dataclasses` (see :mod:`desktop.app`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.entries import Entry
    from desktop.reader import MarkKind


@dataclass(frozen=True)
class Mark:
    """A marked span of the article: code-point offsets, a kind (a key of the colour
    table), the tooltip shown on hover, and the value object it stands for."""

    start: int
    end: int
    kind: MarkKind
    label: str = ""
    payload: Entry | None = None
