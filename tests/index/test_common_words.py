"""The common-word list: dictionary words written in lower case, not names."""

from __future__ import annotations

from index import common_words
from index.common_words import is_common_word


def test_dictionary_words_are_common_and_names_are_not() -> None:
    assert all(is_common_word(w) for w in ("Cast", "away", "Peaks", "Snow", "Patrol", "mouse"))
    assert not any(is_common_word(w) for w in ("Blair", "London", "Lightbody", "Keane"))


def test_the_list_is_compact() -> None:
    assert common_words.DATA.stat().st_size < 250_000
