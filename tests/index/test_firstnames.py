"""The first-name lexicon: evidence that a name is a person's, and of which gender."""

from __future__ import annotations

from index import firstnames
from index.firstnames import gender_of, is_first_name


def test_common_first_names_of_many_languages_are_known() -> None:
    for name in ["Tessa", "Michael", "Nigel", "José", "Jose", "Sven", "Thierry", "Rafael"]:
        assert is_first_name(name), name


def test_hyphenated_first_names_go_by_their_first_part() -> None:
    assert is_first_name("Sven-Göran")
    assert is_first_name("Sven-Goran")
    assert gender_of("Jean-Pierre") is None or gender_of("Jean-Pierre") == "male"


def test_products_companies_places_and_words_are_not_first_names() -> None:
    for word in [
        "Yahoo",
        "Linux",
        "Windows",
        "Mac",
        "France",
        "Texas",
        "Labour",
        "Tory",
        "January",
        "Sunday",
        "Council",
        "The",
        "Van",
        "De",
    ]:
        assert not is_first_name(word), word


def test_lower_case_words_are_not_names() -> None:
    assert is_first_name("Mark")
    assert not is_first_name("mark")
    assert not is_first_name("will")
    assert not is_first_name("")


def test_gender_of_names_that_are_mostly_one_or_the_other() -> None:
    assert gender_of("Tessa") == "female"
    assert gender_of("Margaret") == "female"
    assert gender_of("Michael") == "male"
    assert gender_of("Sven-Göran") == "male"
    assert gender_of("Patrick") == "male"


def test_gender_of_names_given_to_either_is_unknown() -> None:
    assert gender_of("Jean") is None
    assert gender_of("Kim") is None


def test_gender_of_unknown_words_is_none() -> None:
    assert gender_of("Yahoo") is None
    assert gender_of("michael") is None


def test_the_list_is_compact() -> None:
    table = firstnames._table()
    assert 10_000 < len(table) < 40_000
    assert (firstnames.DATA / "firstnames.tsv").stat().st_size < 400_000
