"""Roles: what the text says a person is, wherever it says it.

Each mechanism on a short article of our own, analysed as the program analyses it (the
selective parse of :class:`index.analysis.Analyser`: most sentences have no parse, so the
rules must hold on tokens, entities and sentence boundaries alone).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from index.analysis import Analyser
from index.candidates import _not_a_persons_name
from index.documents import document_from_text
from index.entity_text import _Text
from index.role_descriptions import _holds
from index.roles import _role_before

pytestmark = pytest.mark.slow


def roles(analyser: Analyser, text: str) -> dict[str, str | None]:
    analysis = analyser.analyse(document_from_text(text, Path("article.txt")))
    return {p.name: p.role for p in analysis.people}


def test_a_title_of_occupation_words_and_numbers_before_the_name(analyser: Analyser) -> None:
    text = (
        "Records fall in France\n\n"
        "Pole vaulter Yelena Petrova broke her own world record on Saturday. In the men's "
        "race, former Olympic 100m champion Marcus Hale could only finish second.\n"
    )
    found = roles(analyser, text)
    assert found["Yelena Petrova"] == "Pole vaulter"
    assert found["Marcus Hale"] == "former Olympic 100m champion"


def test_a_description_opening_its_sentence_before_a_comma_and_the_name(
    analyser: Analyser,
) -> None:
    text = (
        "Bosses gloomy\n\n"
        "Most firms are gloomy about next year, a survey suggests. But Acme's global chief "
        "executive, Samuel Pardoe, said a growing number of companies were worried.\n"
    )
    assert roles(analyser, text)["Samuel Pardoe"] == "Acme's global chief executive"


def test_a_clause_after_the_name_is_not_its_role(analyser: Analyser) -> None:
    text = (
        "Book prize\n\n"
        "The prize went to a novel. Last year's honorary winner, Stephen Kingsley, accused "
        "the industry during the ceremony of snobbery against popular writers.\n"
    )
    assert roles(analyser, text)["Stephen Kingsley"] == "Last year's honorary winner"


def test_a_name_after_of_is_what_the_title_is_of(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Roger Bennett, director general of Elspa, said sales were good."
    t = _Text(nlp(text), text)
    elspa = t.w.index("Elspa")
    assert _role_before(t, elspa) is None


def test_a_description_refers_to_the_person_the_sentence_before_is_about(
    analyser: Analyser,
) -> None:
    text = (
        "Veteran wins in Thailand\n\n"
        "Maria Sanchez won her first title in five years with victory over Petra Schmidt in "
        "Pattaya. The 32-year-old Spaniard came through in three sets. Schmidt was the more "
        "powerful player. \"It was my first final,\" said the German.\n"
    )
    found = roles(analyser, text)
    assert found["Maria Sanchez"] == "32-year-old Spaniard"
    assert found["Petra Schmidt"] == "German"


def test_an_office_held_by_title_is_not_given_to_someone_else(analyser: Analyser) -> None:
    text = (
        "Detainee claims\n\n"
        "Martin Mubanga said he was questioned at the camp. The home secretary said he would "
        "not launch an investigation. Later Home Secretary Charles Clarke told the BBC: \"I am "
        "not organising an investigation.\"\n"
    )
    found = roles(analyser, text)
    assert found["Martin Mubanga"] is None
    assert found["Charles Clarke"] == "Home Secretary"
    assert _holds("Home Secretary", "home secretary")
    assert not _holds("Tory shadow chancellor", "Chancellor")


def test_the_first_sentence_may_describe_the_person_the_next_one_names(
    analyser: Analyser,
) -> None:
    text = (
        "Health lessons\n\n"
        "The new health minister for Wales says there are lessons to learn from England.\n\n"
        "Dr Brian Gibbons, on his first full day in the job, admitted there were problems.\n"
    )
    assert roles(analyser, text)["Brian Gibbons"] == "new health minister for Wales"


def test_a_sentence_that_says_who_the_description_is_gives_it_to_no_one_before(
    analyser: Analyser,
) -> None:
    text = (
        "Athletics\n\n"
        "Kelly Holmes won the 1500m in Madrid on Sunday. The only men's finalist was Michael "
        "Eastman in the 800m.\n"
    )
    assert roles(analyser, text)["Kelly Holmes"] is None


def people(analyser: Analyser, text: str) -> dict[str, str | None]:
    return roles(analyser, text)


def test_a_name_after_a_word_for_a_person_is_a_person(analyser: Analyser) -> None:
    text = (
        "Church urges boycott\n\n"
        "Ministers want to stop rapper Nelly performing in the town. They urged fans to "
        "boycott Nelly's concert. Nelly has sold 30 million albums, more than UK rapper Kano. "
        "Suffolk Chief Constable "
        "Alastair McWhirter said the law would be enforced. A chart show with Top of the Pops "
        "presenter Fearne Cotton followed.\n"
    )
    found = people(analyser, text)
    assert found["Nelly"] == "rapper"
    assert found["Kano"] == "UK rapper"  # also a city in Nigeria
    assert found["Alastair McWhirter"] == "Suffolk Chief Constable"
    assert found["Fearne Cotton"] == "Top of the Pops presenter"


def test_a_firm_after_a_word_that_also_names_firms_is_not_made_a_person(
    analyser: Analyser,
) -> None:
    text = (
        "Deal done\n\n"
        "Satellite broadcaster Skyvale said it had signed the deal. Investment banker "
        "Harrowgate advised the buyers.\n"
    )
    assert people(analyser, text) == {}


def test_a_role_word_or_an_adverb_opening_a_sentence_is_not_part_of_a_name(
    analyser: Analyser,
) -> None:
    text = (
        "Vote row\n\n"
        "Labour MPs were angry on Monday. Backbencher Stephen Pound said some MPs had "
        "threatened to expose those behind the reports.\n"
    )
    assert people(analyser, text) == {"Stephen Pound": "Backbencher"}


@pytest.mark.parametrize(("name", "person"), [
    ("Nomad Digital", False), ("Deutsche Bank", False), ("Yahoo Messenger", False),
    ("Vivendi Universal", False), ("Sale Sharks", False), ("Park Rangers", False),
    ("Gordon Brown", True), ("Simon Hall", True),
])
def test_a_name_ending_in_a_word_for_a_firm_or_a_thing_is_no_persons(
    nlp, name: str, person: bool  # type: ignore[no-untyped-def]
) -> None:
    text = f"On Monday {name} said the plans were ready."
    t = _Text(nlp(text), text)
    s = t.w.index(name.split()[0])
    assert _not_a_persons_name(t, s, s + len(name.split())) is not person


def test_a_title_of_a_work_after_an_article_is_no_persons_name(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "He starred in A Beautiful Mind and in the Jonathan Ross show."
    t = _Text(nlp(text), text)
    s = t.w.index("Beautiful")
    assert _not_a_persons_name(t, s, s + 2)
    s = t.w.index("Jonathan")
    assert not _not_a_persons_name(t, s, s + 2)


def test_a_plural_title_before_one_name_is_a_firms(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Oil prices will rise, industry analysts Douglas-Westwood said."
    t = _Text(nlp(text), text)
    assert _role_before(t, t.w.index("Douglas")) is None
    text = "Shares rose after the Irish tycoons John Magnier and Pat Dunne sold."
    t = _Text(nlp(text), text)
    assert _role_before(t, t.w.index("John")) == "Irish tycoons"


def test_a_description_with_of_before_a_title_and_the_name(nlp) -> None:  # type: ignore[no-untyped-def]
    from index.roles import _role_of

    text = ("He was charged with insulting the founder of Iran's Islamic Republic, Ayatollah "
            "Ruhollah Khomeini, and others. Manuel Millan, a native of San Diego, says so.")
    t = _Text(nlp(text), text)
    k = t.w.index("Ruhollah")
    assert _role_of(t, k, k + 2, k - 1) == "founder of Iran's Islamic Republic"
    m = t.w.index("Manuel")
    assert _role_of(t, m, m + 2) == "native of San Diego"


def test_a_number_and_its_unit_in_a_title_where_the_sentence_is_not_parsed(nlp) -> None:  # type: ignore[no-untyped-def]
    from index.nlp import parse

    text = "In the men's race, former Olympic 100m champion Marcus Hale finished second."
    doc, _ = next(parse(nlp, [(text, 0)], lambda d: []))  # no sentence parsed
    t = _Text(doc)
    assert not any(t.pos())  # no parts of speech to read
    assert _role_before(t, t.w.index("Marcus")) == "former Olympic 100m champion"


def test_positions_clubs_and_modifiers_joined_to_the_title(analyser: Analyser) -> None:
    text = (
        "Team named\n\n"
        "England have named Bath prop Tom Harker in the team. Wales fly-half Rhys Morgan "
        "will start. Critics of the deal include ex-Acme boss Mikhail Orlov.\n"
    )
    found = roles(analyser, text)
    assert found["Tom Harker"] == "Bath prop"
    assert found["Rhys Morgan"] == "Wales fly-half"
    assert found["Mikhail Orlov"] == "ex-Acme boss"


def test_a_role_in_a_who_is_clause_after_the_name(analyser: Analyser) -> None:
    text = (
        "Dome sale\n\n"
        "But Edwin Marsh, who is chairman of the public accounts committee, warned the "
        "government would have to work hard. The previous candidate, Robert Oakes, was "
        "sacked.\n"
    )
    found = roles(analyser, text)
    assert found["Edwin Marsh"] == "chairman of the public accounts committee"
    assert found["Robert Oakes"] == "previous candidate"


def test_a_predicate_naming_someone_else_is_no_role(analyser: Analyser) -> None:
    text = "Oil dispute\n\nViktor Pashin is hostile to former Acme boss Mikhail Orlov.\n"
    found = roles(analyser, text)
    assert found.get("Viktor Pashin") is None
    assert found["Mikhail Orlov"] == "former Acme boss"


def test_a_description_with_an_age_and_a_nationality_before_its_head(
    analyser: Analyser,
) -> None:
    text = (
        "Bosman optimistic over new deal\n\n"
        "Manchester City's Paul Bosman will find out within a month whether he is to be "
        "offered a new deal.\n\n"
        "The 34-year-old Dutch midfielder is out of contract in the summer.\n"
    )
    assert roles(analyser, text)["Paul Bosman"] == "34-year-old Dutch midfielder"


def test_appositives_with_and_a_bracket_or_a_possessive(analyser: Analyser) -> None:
    text = (
        "Music sales\n\n"
        "Digital sales are booming, said Jack Kendall, chief executive of the International "
        "Federation of Music Industries (IFMI). Theresa Hale, Tory shadow work and pensions "
        "secretary, spoke later.\n\n"
        "Amanda's uncle, Lewis Brook, told the BBC that the plan would fail.\n"
    )
    found = roles(analyser, text)
    assert found["Jack Kendall"] == (
        "chief executive of the International Federation of Music Industries")
    assert found["Theresa Hale"] == "Tory shadow work and pensions secretary"
    assert found["Lewis Brook"] == "Amanda's uncle"


def test_a_speaker_the_entity_passes_missed_gets_the_title_before_the_name(
    analyser: Analyser,
) -> None:
    text = (
        "Voters worried\n\n"
        "“It is the greater problem,” said Nottingham City Councillor Brian Parbutt.\n"
    )
    assert roles(analyser, text)["Brian Parbutt"] == "Nottingham City Councillor"


def test_positions_and_a_title_of_something_before_a_comma(analyser: Analyser) -> None:
    text = (
        "Squad named\n\n"
        "Lock Simon Hale and Wasps wing Tom Vance are recalled. In a letter, the minister "
        "wrote to the President of the European Parliament, Josep Borrell, about the plan.\n"
    )
    found = roles(analyser, text)
    assert found["Tom Vance"] == "Wasps wing"
    assert found["Josep Borrell"] == "President of the European Parliament"


def test_hyphenated_titles_and_their_modifiers(analyser: Analyser) -> None:
    text = (
        "Awards\n\n"
        "Swank was full of praise for her director and co-star Clint Eastwood. Foxx played "
        "late soul-singer Ray Charles. \"We need better search,\" said Kathy Rittweger, "
        "co-founder of Blinkx.\n"
    )
    found = roles(analyser, text)
    assert found["Clint Eastwood"] == "co-star"
    assert found["Ray Charles"] == "late soul-singer"
    assert found["Kathy Rittweger"] == "co-founder of Blinkx"


def test_descriptions_before_a_comma_with_of_and_and_in_them(analyser: Analyser) -> None:
    text = (
        "Crime\n\n"
        "But director of the Victims of Crime Trust, Norman Brennan, accused the judges of "
        "contempt. The Streets, aka British rapper and songwriter, Mike Skinner have topped a "
        "poll.\n"
    )
    found = roles(analyser, text)
    assert found["Norman Brennan"] == "director of the Victims of Crime Trust"
    assert found["Mike Skinner"] == "British rapper and songwriter"


def test_a_plural_title_before_a_list_is_each_ones(analyser: Analyser) -> None:
    text = (
        "Rugby\n\n"
        "World Cup winners Lawrence Dallaglio, Neil Back and Martin Johnson have all said they "
        "will play.\n"
    )
    found = roles(analyser, text)
    assert found == {"Lawrence Dallaglio": "World Cup winners",
                     "Neil Back": "World Cup winners", "Martin Johnson": "World Cup winners"}


def test_an_office_taken_up_after_as_and_a_hyphen_inside_an_appositive(
    analyser: Analyser,
) -> None:
    text = (
        "Football\n\n"
        "Rick Parton joined Liverpool as chief executive in July 1998. Rory Neill, editor of "
        "union-backed Hazards magazine, said workers were at risk. Fans heard BBC Sport "
        "pundit and former Liverpool stalwart Alan Hansen.\n"
    )
    found = roles(analyser, text)
    assert found["Rick Parton"] == "chief executive"
    assert found["Rory Neill"] == "editor of union-backed Hazards magazine"
    assert found["Alan Hansen"] == "former Liverpool stalwart"


def test_titles_joined_by_and_under_one_modifier_and_someone_elses_office(
    analyser: Analyser,
) -> None:
    text = (
        "Patents\n\n"
        "The law puts writers at risk, warns former programmer and technology analyst Bill "
        "Thorne. George W Bush will change as he begins his second term as US President, "
        "Tony Blair has said.\n"
    )
    found = roles(analyser, text)
    assert found["Bill Thorne"] == "former programmer and technology analyst"
    assert found.get("Tony Blair") is None
