from __future__ import annotations

import pytest

from desktop.textpos import PositionMap, from_qt, qt_length, to_qt

TEXTS = ["", "plain ascii", "Japan – “quoted” naïve", "a😀b😀😀c", "😀", "x𝔘y"]


@pytest.mark.parametrize("text", TEXTS)
def test_round_trip_matches_utf16(text: str) -> None:
    pmap = PositionMap(text)
    assert pmap.qt_length == qt_length(text) == len(text.encode("utf-16-le")) // 2
    for i in range(len(text) + 1):
        q = pmap.to_qt(i)
        assert q == len(text[:i].encode("utf-16-le")) // 2
        assert pmap.from_qt(q) == i


def test_inside_surrogate_pair_maps_to_its_character() -> None:
    text = "a😀b"
    assert to_qt(text, 2) == 3
    assert from_qt(text, 2) == 1  # the low surrogate belongs to the emoji


def test_clamps() -> None:
    assert to_qt("abc", 10) == 3
    assert from_qt("abc", -1) == 0
