"""Python code points <-> Qt UTF-16 positions: the one place they are converted.

``index/`` counts offsets in code points (``str`` indices); ``QTextCursor`` counts UTF-16
code units, where a character outside the Basic Multilingual Plane (an emoji, some CJK)
takes two. :class:`PositionMap` converts both ways for one text; for the common all-BMP
text it is the identity and costs nothing.
"""

from __future__ import annotations

import bisect


class PositionMap:
    """Converts offsets for one text. Out-of-range offsets are clamped."""

    def __init__(self, text: str) -> None:
        self.length = len(text)
        #: code-point offsets of the characters that take two UTF-16 units, ascending
        self._wide = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
        #: their UTF-16 positions
        self._wide_qt = [i + n for n, i in enumerate(self._wide)]
        self.qt_length = self.length + len(self._wide)

    def to_qt(self, pos: int) -> int:
        """UTF-16 position of code-point offset ``pos``."""
        pos = max(0, min(pos, self.length))
        return pos + bisect.bisect_left(self._wide, pos)

    def from_qt(self, qpos: int) -> int:
        """Code-point offset of UTF-16 position ``qpos`` (inside a surrogate pair: the
        character it belongs to)."""
        qpos = max(0, min(qpos, self.qt_length))
        n = bisect.bisect_right(self._wide_qt, qpos - 1)
        return qpos - n


def qt_length(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (ReText's ``QString_length``)."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def to_qt(text: str, pos: int) -> int:
    return PositionMap(text).to_qt(pos)


def from_qt(text: str, qpos: int) -> int:
    return PositionMap(text).from_qt(qpos)
