"""Speakers the cue does not name: runs of quotations, pronouns, descriptions, surnames.

Each mechanism on a short article of our own. The people are given as the entity extractor
would give them (found here by their spelling), so these tests check the attribution alone.
"""

from __future__ import annotations

import re

import pytest

from index.model import Person, Statement
from index.quotes import extract_statements
from index.speakers import (
    Discourse,
    Mention,
    add_quoted_people,
    first_name_names,
    is_description_head,
    name_gender,
)

slow = pytest.mark.slow


def person(text: str, name: str, *aliases: str, role: str | None = None) -> Person:
    spans = []
    for form in (name, *aliases):
        for m in re.finditer(r"(?<!\w)" + re.escape(form) + r"(?!\w)", text):
            if not any(a <= m.start() < b for a, b in spans):
                spans.append((m.start(), m.end()))
    return Person(name, role, aliases, tuple(sorted(spans)))


def said(nlp, text: str, *people: Person) -> list[tuple[str, str | None]]:  # type: ignore[no-untyped-def]
    return [(s.text[:20], s.speaker) for s in extract_statements(nlp(text), people)]


def speakers(statements: list[tuple[str, str | None]]) -> list[str | None]:
    return [speaker for _, speaker in statements]


# --------------------------------------------------------------------------------------------
# Without the model


def test_gender_from_honorifics_first_names_and_role_words() -> None:
    assert name_gender("Tessa Jowell") == "female"
    assert name_gender("Michael Howard") == "male"
    assert name_gender("Howard", honorifics=["Mrs"]) == "female"
    assert name_gender("Howard", honorifics=["Mr."]) == "male"
    assert name_gender("Kerr Putney") is None
    assert name_gender("Lee Marsh", role="spokeswoman") == "female"
    assert name_gender("Yahoo Messenger") is None


def test_names_given_with_a_first_name_complete_their_surname() -> None:
    text = "England coach Sven-Goran Eriksson named his side. Eriksson said little."
    assert first_name_names(text)["eriksson"] == "Sven-Goran Eriksson"
    assert "messenger" not in first_name_names("Yahoo Messenger is a program.")


def test_description_heads_are_offices_nationalities_and_ages() -> None:
    assert is_description_head("coach", False)
    assert is_description_head("American", True)
    assert is_description_head("25-year-old", False)
    assert not is_description_head("ad", False)
    assert not is_description_head("report", False)


def test_a_pronoun_goes_to_the_most_salient_person_of_its_gender() -> None:
    d = Discourse(
        [Mention(0, 0, "Ann Lee", 3.0), Mention(40, 1, "Tom Ray", 1.0)],
        {"Ann Lee": "female", "Tom Ray": "male"}, {"Ann Lee", "Tom Ray"}, {},
    )
    assert d.pronoun(80, 2, "female") == "Ann Lee"
    assert d.pronoun(80, 2, "male") == "Tom Ray"
    assert d.pronoun(80, 2, None) == "Ann Lee"


def test_salience_fades_with_each_sentence() -> None:
    d = Discourse(
        [Mention(0, 0, "Ann Lee", 3.0), Mention(400, 3, "Sue Roe", 2.0)],
        {"Ann Lee": "female", "Sue Roe": "female"}, {"Ann Lee", "Sue Roe"}, {},
    )
    assert d.pronoun(450, 4, "female") == "Sue Roe"


def test_a_name_that_shows_no_person_loses_to_one_that_does() -> None:
    d = Discourse(
        [Mention(0, 0, "Tom Ray", 2.0), Mention(40, 0, "Acme Messenger", 2.0)],
        {"Tom Ray": "male", "Acme Messenger": None}, {"Tom Ray"}, {},
    )
    assert d.pronoun(80, 0, "male") == "Tom Ray"


def test_a_description_goes_to_the_person_whose_role_has_its_word() -> None:
    d = Discourse(
        [Mention(0, 0, "Ann Lee", 3.0), Mention(40, 1, "Tom Ray", 3.0)],
        {"Ann Lee": "female", "Tom Ray": "male"}, {"Ann Lee", "Tom Ray"},
        {"Ann Lee": "Ofsted chief", "Tom Ray": "Spanish captain"},
    )
    assert d.description(80, 2, "chief", ["Ofsted"]) == "Ann Lee"
    assert d.description(80, 2, "captain", []) == "Tom Ray"
    # another nationality rules a person out; one of unknown nationality stays possible
    assert d.description(80, 2, "American", []) == "Ann Lee"


def test_another_office_rules_a_person_out_only_where_the_description_shares_its_body() -> None:
    d = Discourse(
        [Mention(0, 0, "Boris Jones", 3.0), Mention(40, 0, "Tony Blake", 1.0)],
        {"Boris Jones": "male", "Tony Blake": "male"}, {"Boris Jones", "Tony Blake"},
        {"Boris Jones": "Tory MP", "Tony Blake": "England captain"},
    )
    # an MP may edit a magazine too; the England captain is not the England coach
    assert d.description(80, 1, "editor", ["spectator"]) == "Boris Jones"
    assert d.description(80, 1, "coach", ["england"]) != "Tony Blake"


def test_quoted_people_missing_from_people_are_added_with_their_mentions() -> None:
    text = "Coach Sven-Goran Eriksson spoke. “We will win,” said Eriksson."
    statements = [Statement("We will win,", 35, 47, "Sven-Goran Eriksson", "person", "said")]
    people = add_quoted_people(text, [], statements)
    (p,) = people
    assert p.name == "Sven-Goran Eriksson"
    assert p.aliases == ("Eriksson",)
    assert [text[a:b] for a, b in p.mentions] == ["Sven-Goran Eriksson", "Eriksson"]


def test_groups_and_unknown_speakers_are_not_added_to_people() -> None:
    text = "“We will win,” the party said."
    statements = [Statement("We will win,", 1, 13, "the party", "group", "said")]
    assert add_quoted_people(text, [], statements) == []


def test_a_nationality_given_as_speaker_is_not_added_to_people() -> None:
    text = "The Britons were held in the \"war on terror\"."
    statements = [Statement("war on terror", 29, 42, "Britons", "person", "")]
    assert add_quoted_people(text, [], statements) == []


# --------------------------------------------------------------------------------------------
# With the model


@slow
def test_a_run_left_open_belongs_to_the_speaker_named_at_its_end(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "The minister spoke after the vote. “We have done what we promised today. "
        "“Nobody thought the bill would pass,” said Joan Hart."
    )
    assert speakers(said(nlp, text, person(text, "Joan Hart"))) == ["Joan Hart", "Joan Hart"]


@slow
def test_a_run_opened_by_a_cue_keeps_its_speaker(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Asked about the result, Peter Walsh replied: “I could not be happier. "
        "“The players worked hard all week. "
        "“Now we must win again on Sunday.” The club is third in the table."
    )
    assert speakers(said(nlp, text, person(text, "Peter Walsh", "Walsh"))) == ["Peter Walsh"] * 3


@slow
def test_a_new_person_introduced_between_quotations_takes_the_next_one(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "“What a great way to end the season,” said Ruth Kemp. "
        "Team manager Daniel Ortiz wants his players to rest before the final. "
        "“They have given everything and they need a break.”"
    )
    people = (person(text, "Ruth Kemp"), person(text, "Daniel Ortiz"))
    assert speakers(said(nlp, text, *people)) == ["Ruth Kemp", "Daniel Ortiz"]


@slow
def test_a_quotation_opening_a_paragraph_goes_to_who_the_paragraph_before_introduced(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Old cartoons keep coming back to cinemas.\n\n"
        "Mark Denton, film editor of a monthly magazine, says the trend will not last.\n\n"
        "“I can see why studios do it. “But audiences are getting tired of remakes.”\n\n"
        "The next one opens in May."
    )
    people = (person(text, "Mark Denton"),)
    assert speakers(said(nlp, text, *people)) == ["Mark Denton", "Mark Denton"]


@slow
def test_he_said_skips_a_product_named_like_a_person(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Acme Messenger is now on phones. "
        "For Allen Price, an analyst at a research firm, the change matters. "
        "“Messaging is where the users are,” he said. "
        "He thinks Acme Messenger will keep growing. "
        "“Acme Messenger has a head start on its rivals,” he said."
    )
    people = (person(text, "Acme Messenger"), person(text, "Allen Price"))
    assert speakers(said(nlp, text, *people)) == ["Allen Price", "Allen Price"]


@slow
def test_she_added_goes_back_past_a_man_to_the_woman_who_spoke(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "“The plan is sound,” said Helen Barker. "
        "She praised the work of her deputy, Simon Hale, who drew up the figures. "
        "“We will publish everything next week,” she added."
    )
    people = (person(text, "Helen Barker"), person(text, "Simon Hale"))
    assert speakers(said(nlp, text, *people)) == ["Helen Barker", "Helen Barker"]


@slow
def test_he_added_goes_to_the_speaker_not_to_a_player_he_named(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Head coach Martin Vale has named his squad. "
        "“Brown will start the game,” said Vale. "
        "Vale also revealed that Tom Brown will play alongside Gary Lund in defence. "
        "And he added that two young players would get a chance. "
        "“They have earned it this season.”"
    )
    people = (person(text, "Martin Vale", "Vale"), person(text, "Tom Brown"),
              person(text, "Gary Lund"))
    assert speakers(said(nlp, text, *people)) == ["Martin Vale", "Martin Vale"]


@slow
def test_a_description_as_speaker_resolves_to_the_person_it_describes(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Schools must teach citizenship better, the inspector said. "
        "The criticism came from the schools chief, Janet Moss, in a speech on Monday. "
        "“Too many pupils leave school knowing little about democracy,” said Ms Moss. "
        "The chief inspector said her annual report would return to the subject."
    )
    people = (person(text, "Janet Moss", "Ms Moss", role="schools chief"),)
    st = extract_statements(nlp(text), people)
    assert [s.speaker for s in st] == ["Janet Moss"]


@slow
def test_the_american_goes_to_the_player_just_named(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "“We can learn to play better on clay,” said Paul Kerr, the US coach. "
        "Andy Roddick was left frustrated after losing both his matches. "
        "“I had my chances and just did not take them,” said the American."
    )
    people = (person(text, "Paul Kerr", role="US coach"), person(text, "Andy Roddick"))
    assert speakers(said(nlp, text, *people)) == ["Paul Kerr", "Andy Roddick"]


@slow
def test_a_surname_the_model_takes_for_a_club_is_the_person_named_in_full(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "England coach Sven-Goran Eriksson has picked his side for the match. "
        "“Shaun will start the game on the right,” said Eriksson."
    )
    (s,) = extract_statements(nlp(text), ())
    assert (s.speaker, s.speaker_kind) == ("Sven-Goran Eriksson", "person")


@slow
def test_he_said_after_an_unnamed_speaker_stays_with_them(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "“It is a good result,” said Nick Bell, an analyst at a broker. "
        "However, one dealer, who asked not to be named, told reporters the figures were "
        "“not what people had hoped for”. "
        "“The whole sector has had a hard winter,” he said."
    )
    st = extract_statements(nlp(text), (person(text, "Nick Bell"),))
    assert len(st) == 3
    assert st[0].speaker == "Nick Bell"
    assert all(s.speaker and s.speaker.endswith("dealer") for s in st[1:])
    assert [s.speaker_kind for s in st][1:] == ["unknown", "unknown"]


@slow
def test_a_name_that_modifies_the_speaker_is_not_the_speaker(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Michael Jordan did not attend. A Jordan lawyer told reporters the case was "
        "“a complete waste of everybody's time”."
    )
    (s,) = extract_statements(nlp(text), (person(text, "Michael Jordan", "Jordan"),))
    assert s.speaker != "Michael Jordan"


@slow
def test_a_cue_joined_to_a_clause_about_it_keeps_the_first_subject(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Shadow home secretary David Davis said it was not possible to overstate the "
        "importance of the judgment and urged the government to move as fast as "
        "“competently possible” to sort the problem out."
    )
    (s,) = extract_statements(nlp(text), (person(text, "David Davis"),))
    assert s.speaker == "David Davis"


@slow
def test_a_description_in_the_narrative_keeps_its_person_salient(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Mike Pence says too much is made of Donald Trump's messages.\n\n"
        "The Republican vice presidential nominee was speaking on Friday in Indiana, hours "
        "after Trump attacked a former beauty queen.\n\n"
        "The Indiana governor said the media were to blame for focusing on "
        "“what he said and what he wrote on a phone.”"
    )
    people = (person(text, "Mike Pence"), person(text, "Donald Trump", "Trump"))
    (s,) = extract_statements(nlp(text), people)
    assert s.speaker == "Mike Pence"


@slow
def test_a_short_phrase_a_speech_verb_reports_is_a_statement(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "The minister warned of the dangers of allowing the party to be "
        "“distracted or diverted” in the months ahead."
    )
    (s,) = extract_statements(nlp(text), ())
    assert s.text == "distracted or diverted"


@slow
def test_a_phrase_inside_narrative_does_not_continue_the_speaker_before(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "“We would not rule anything out,” said Alan Jones. "
        "The committee found the new computer system was “nowhere near working properly "
        "after two years of delays”."
    )
    st = extract_statements(nlp(text), (person(text, "Alan Jones"),))
    assert len(st) == 2
    assert st[0].speaker == "Alan Jones"
    assert st[1].speaker != "Alan Jones"


@slow
def test_a_name_after_the_office_it_holds_is_the_speaker(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "But director of the Victims of Crime Trust, Norman Brennan, accused the judge of "
        "having an “arrogant contempt for the victims of crime and their families”."
    )
    (s,) = extract_statements(nlp(text), (person(text, "Norman Brennan"),))
    assert s.speaker == "Norman Brennan"


@slow
def test_a_new_paragraph_about_someone_else_introduces_the_next_speaker(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "“We need to step back from all this,” Mike Pence said on Sunday.\n\n"
        "On “Meet the Press,” Senator Bernie Sanders identified young voters' exhaustion as "
        "one of the reasons they would turn out. “The younger people are sick and tired of "
        "it.”"
    )
    people = (person(text, "Mike Pence"), person(text, "Bernie Sanders"))
    assert speakers(said(nlp, text, *people)) == ["Mike Pence", "Bernie Sanders"]


@slow
def test_said_the_22_year_old_goes_to_the_player_just_named(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Justine Hardy lost 6-2 7-5 to Nathalie Dechy on Friday. "
        "“Physically, it is obvious that I am not ready yet,” said the 22-year-old."
    )
    people = (person(text, "Justine Hardy"), person(text, "Nathalie Dechy"))
    (s,) = extract_statements(nlp(text), people)
    assert s.speaker == "Justine Hardy"


def test_a_speaker_known_by_an_alias_is_not_added_again() -> None:
    text = "Lord Nicholls spoke. “It is anathema,” said Nicholls."
    people = [Person("Lord Nicholls", None, ("Nicholls",), ((0, 13), (45, 53)))]
    statements = [Statement("It is anathema,", 22, 37, "Nicholls", "person", "said")]
    assert add_quoted_people(text, people, statements) == people


@slow
def test_a_headline_run_into_the_first_sentence_does_not_speak(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Kennedy questions trust of Blair\n\n"
        "Lib Dem leader Charles Kennedy has said voters now have a \"fundamental lack of "
        "trust\" of Tony Blair as prime minister."
    )
    people = (person(text, "Charles Kennedy", "Kennedy"), person(text, "Tony Blair", "Blair"))
    (s,) = extract_statements(nlp(text), people)
    assert s.speaker == "Charles Kennedy"


@slow
def test_an_organisations_spokesperson_is_not_a_person_named_nearby(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Production fell after the Harry Potter films were finished, said Marc Selby.\n\n"
        "\"The drop was expected as there was no way the record could be bettered,\" the "
        "council's spokesperson said."
    )
    people = (person(text, "Marc Selby"), person(text, "Harry Potter"))
    (s,) = extract_statements(nlp(text), people)
    assert s.speaker_kind != "person"


def test_a_headline_names_no_one_that_the_body_does_not() -> None:
    from index.analysis import named_beyond_the_title
    from index.documents import load_document
    from index.model import Person
    from index.speakers import first_name_names

    text = "Can Yahoo dominate next decade?\n\nYahoo said it would. Sven Eriksson agreed.\n"
    # "Can" opens a question here: it is no first name for a surname to be completed from
    assert first_name_names(text) == {"eriksson": "Sven Eriksson"}
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "yahoo.txt"
        path.write_text(text, "utf-8")
        document = load_document(path)
    headline_only = Person("Can Yahoo", None, (), ((0, 9),))
    eriksson = Person("Sven Eriksson", None, (), ((text.index("Sven"), text.index(" agreed")),))
    assert named_beyond_the_title([headline_only, eriksson], document) == [eriksson]


# --- on whole articles, as the analyser reads them (selective parse) -------------------


def _said(analyser, text: str) -> list[tuple[str, str | None]]:  # type: ignore[no-untyped-def]
    from pathlib import Path

    from index.documents import document_from_text

    analysis = analyser.analyse(document_from_text(text, Path("article.txt")))
    return [(s.text[:20], s.speaker) for s in analysis.statements]


@slow
def test_a_description_in_the_first_sentence_is_the_person_the_next_one_names(
    analyser,  # type: ignore[no-untyped-def]
) -> None:
    text = (
        "Singer film 'absolute disaster'\n\n"
        "A PR expert has told the Michael Jackson trial that the documentary was an "
        "\"absolute disaster\".\n\n"
        "Ann Kite told the court she was hired to manage the fallout.\n"
    )
    assert _said(analyser, text) == [("absolute disaster", "Ann Kite")]


@slow
def test_a_person_named_before_an_appositive_that_ends_at_the_cue(
    analyser,  # type: ignore[no-untyped-def]
) -> None:
    text = (
        "Reshuffle row\n\n"
        "The first minister moved the health minister on Monday. Owen Pritchard, leader of "
        "the Plaid Cymru group in the assembly, said: \"It is apparent that this reshuffle "
        "was just changing the deckchairs on a sinking ship.\"\n"
    )
    assert speakers(_said(analyser, text)) == ["Owen Pritchard"]


@slow
def test_a_question_closing_a_quotation_is_not_attributed_to_the_next_sentence(
    analyser,  # type: ignore[no-untyped-def]
) -> None:
    text = (
        "Music to go\n\n"
        "Paul Myers, chief executive of Wippit, is not convinced. \"We have offered our "
        "service for three years and our customers know what they want,\" he said. \"Who "
        "wants to download a track that will not play next month?\" Wippit offers a "
        "service for five pounds a month.\n"
    )
    assert speakers(_said(analyser, text)) == ["Paul Myers", "Paul Myers"]


@slow
def test_a_word_or_two_quoted_in_reported_speech_is_no_statement_but_keeps_the_run(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Mary Stone said there were still “some people” who disagreed, “but not among the "
        "members of this party.”\n\n"
        "She called the plan “a mistake” on Monday.\n\n"
        "“Not yet,” she said when asked if she would resign."
    )
    found = said(nlp, text, person(text, "Mary Stone", "Stone"))
    assert [quote for quote, _ in found] == ["but not among the me", "Not yet,"]
    assert speakers(found) == ["Mary Stone", "Mary Stone"]


@slow
def test_he_said_goes_past_names_mentioned_in_passing(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Few players have risen as fast as Owen Pryce this season. "
        "None more so than Pryce, who can now expect the same attention as the likes of "
        "Jonny Wilkinson and Brian O'Driscoll. "
        "“I like pressure on me,” he said."
    )
    people = (person(text, "Owen Pryce", "Pryce"), person(text, "Jonny Wilkinson"),
              person(text, "Brian O'Driscoll"))
    assert speakers(said(nlp, text, *people)) == ["Owen Pryce"]


@slow
def test_letters_after_a_name_are_not_part_of_the_speaker(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "“The new guideline is tougher,” said Ken Macdonald QC."
    people = (person(text, "Ken Macdonald"),)
    assert speakers(said(nlp, text, *people)) == ["Ken Macdonald"]


def test_full_names_read_from_the_text_leave_letters_after_them_out() -> None:
    assert first_name_names("Director of Public Prosecutions Ken Macdonald QC said") == {
        "macdonald": "Ken Macdonald"}


def test_a_name_something_is_in_is_not_read_as_someones() -> None:
    text = "the new stadium in Stanley Park, which opens in 2007, said Rick Parton"
    assert first_name_names(text) == {"parton": "Rick Parton"}


@slow
def test_a_bracketed_abbreviation_before_the_cue_leaves_the_name_its_subject(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "“The story this year is all about digital,” Jeff Josephs, from the Consumer "
        "Electronics Association (CEA) told the BBC News website."
    )
    people = (person(text, "Jeff Josephs"),)
    assert speakers(said(nlp, text, *people)) == ["Jeff Josephs"]
