"""Quoted statements and their speakers (index.quotes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.model import Person, Statement
from index.quotes import extract_statements, find_quotations

# --------------------------------------------------------------------------------------------
# Finding quotations: no model needed


def _quoted(text: str) -> list[str]:
    return [text[q.start : q.end] for q in find_quotations(text)]


def test_curly_and_straight_quotes_are_both_found() -> None:
    text = 'She said: “We will win.” He replied, "We will see about that."'
    assert _quoted(text) == ["We will win.", "We will see about that."]


def test_a_quote_inside_a_quote_stays_part_of_it() -> None:
    text = "“They told me ‘no’ and then “never again” in one breath,” he said."
    assert _quoted(text) == ["They told me ‘no’ and then “never again” in one breath,"]


def test_straight_marks_nest_inside_curly_ones_and_mixed_marks_still_close() -> None:
    text = '“He called it "a disgrace" twice,” she said. There was “no evidence" yet.'
    assert _quoted(text) == ['He called it "a disgrace" twice,', "no evidence"]


def test_a_quotation_runs_over_paragraphs_that_reopen_it() -> None:
    text = (
        "The minister spoke at length.\n\n"
        "“We have reviewed every option and none of them is easy.\n\n"
        "“But we will not walk away from our partners,” she said.\n\n"
        "The talks resume on Monday."
    )
    (q,) = find_quotations(text)
    assert q.paragraphs == 2
    assert text[q.start : q.end].startswith("We have reviewed")
    assert text[q.start : q.end].endswith("our partners,")


def test_an_unclosed_paragraph_without_a_reopening_ends_at_the_paragraph() -> None:
    text = "“We have reviewed every option\n\nThe talks resume on Monday."
    assert _quoted(text) == ["We have reviewed every option"]


def test_an_unclosed_straight_quote_ends_where_the_next_one_opens() -> None:
    text = 'Ms Hewitt said: "We have doubled it. "We will extend it again next year."'
    assert _quoted(text) == ["We have doubled it.", "We will extend it again next year."]


def test_a_one_word_nickname_is_not_a_quotation_boundary_for_the_prose() -> None:
    text = 'State Del. Marcia "Cia" Price shouted: "The nation is watching us today."'
    assert _quoted(text)[-1] == "The nation is watching us today."


# --------------------------------------------------------------------------------------------
# Statements and speakers: with the spaCy model



def _statements(nlp, text: str, people: tuple[Person, ...] = ()) -> list[Statement]:  # type: ignore[no-untyped-def]
    return extract_statements(nlp(text), people)


def _only(statements: list[Statement], fragment: str) -> Statement:
    found = [s for s in statements if fragment in s.text]
    assert len(found) == 1, statements
    return found[0]


@pytest.mark.slow
def test_text_is_exactly_the_span_inside_the_marks(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Maria Lopez, the mayor, spoke on Friday. “The bridge will reopen in May,” she said."
    (s,) = _statements(nlp, text)
    assert s.text == text[s.start : s.end] == "The bridge will reopen in May,"


@pytest.mark.slow
def test_cue_verb_after_the_quote_names_the_speaker(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "“The bridge will reopen in May,” Maria Lopez said on Friday."
    (s,) = _statements(nlp, text)
    assert (s.speaker, s.speaker_kind, s.cue) == ("Maria Lopez", "person", "said")


@pytest.mark.slow
def test_inverted_cue_said_mr_x(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Tom Reed has led the council since 2019.\n\n"
        "“We cannot keep raising fares every single year,” said Mr Reed."
    )
    (s,) = _statements(nlp, text)
    assert (s.speaker, s.speaker_kind, s.cue) == ("Tom Reed", "person", "said")


@pytest.mark.slow
def test_colon_after_a_cue_verb(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Asked whether the plant would close, Anna Berg responded: “Not while I am in "
        "charge of this company.”"
    )
    (s,) = _statements(nlp, text)
    assert (s.speaker, s.cue) == ("Anna Berg", "responded")


@pytest.mark.slow
def test_bare_colon_names_the_speaker(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Anna Berg runs the plant.\n\nMs Berg: “Nobody here has been told anything yet.”"
    (s,) = _statements(nlp, text)
    assert (s.speaker, s.cue) == ("Anna Berg", ":")


@pytest.mark.slow
def test_according_to(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "The deal is “the best we could get under the circumstances”, according to "
        "Paul Grant, the union leader."
    )
    (s,) = _statements(nlp, text)
    assert (s.speaker, s.cue) == ("Paul Grant", "according to")


@pytest.mark.slow
def test_pronoun_is_the_person_it_refers_to(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Paul Grant leads the union.\n\n"
        "“We will strike on Monday unless the offer improves,” he said."
    )
    (s,) = _statements(nlp, text)
    assert (s.speaker, s.speaker_kind, s.cue) == ("Paul Grant", "person", "said")


@pytest.mark.slow
def test_continuation_keeps_the_speaker(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "“We will strike on Monday unless the offer improves,” Paul Grant said. "
        "“Our members have waited long enough for a fair deal.”\n\n"
        "“Nobody wants this, but we have no choice left.”"
    )
    statements = _statements(nlp, text)
    assert len(statements) == 3
    assert [s.speaker for s in statements] == ["Paul Grant"] * 3


@pytest.mark.slow
def test_partial_quote_inside_narrative(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Sales fell sharply, with Ms Jane Ford saying the market "
        "“has never been this difficult for small shops”."
    )
    (s,) = _statements(nlp, text)
    assert s.speaker == "Jane Ford"
    assert s.text == "has never been this difficult for small shops"


@pytest.mark.slow
def test_multi_paragraph_quote_is_one_statement_with_its_speaker(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Carla Diaz, the health minister, set out the plan.\n\n"
        "“We have reviewed every option and none of them is easy.\n\n"
        "“But we will not walk away from the hospitals that need us,” she said."
    )
    (s,) = _statements(nlp, text)
    assert "none of them is easy" in s.text and "hospitals that need us" in s.text
    assert s.speaker == "Carla Diaz"


@pytest.mark.slow
def test_group_speaker_is_kept_as_a_group(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "France and Germany will share the costs, the two governments said.\n\n"
        "“The new fund will be open to every member state,” they said in a statement."
    )
    (s,) = _statements(nlp, text)
    assert s.speaker_kind == "group"
    assert s.speaker is not None and "France" in s.speaker and "Germany" in s.speaker


@pytest.mark.slow
def test_scare_quotes_titles_and_nicknames_are_not_statements(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "The so-called “smart” meters were installed last year. Viewers of “Morning "
        "Report” saw the mayor, nicknamed “The Builder”, cut the ribbon at the “two plus "
        "two” talks."
    )
    assert _statements(nlp, text) == []


@pytest.mark.slow
def test_a_long_word_a_speech_verb_reports_is_a_statement(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "On Saturday, Tory spokesman David Dale said the Tories would fund the cuts by "
        "removing “inefficiencies” in the health service. The so-called “smart” meters were "
        "installed."
    )
    dale = Person("David Dale", mentions=((28, 38),))
    assert [(s.text, s.speaker) for s in _statements(nlp, text, (dale,))] == [
        ("inefficiencies", "David Dale")
    ]


@pytest.mark.slow
def test_people_list_gives_the_canonical_name(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Mr Ward spoke last. “It is time to go home and rest,” Mr Ward said."
    ward = Person("Samuel Ward", aliases=("Mr Ward", "Ward"), mentions=((0, 7), (55, 62)))
    (s,) = _statements(nlp, text, (ward,))
    assert s.speaker == "Samuel Ward"


@pytest.mark.slow
def test_dash_byline_after_the_quote(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Readers wrote in after the debate.\n\n"
        "“He never answered a single question about the economy.” ― Laura Mendes\n"
        "“I have never been so worried about the future of this country.”― Omar Haddad"
    )
    statements = _statements(nlp, text)
    assert [s.speaker for s in statements] == ["Laura Mendes", "Omar Haddad"]


@pytest.mark.slow
def test_quote_after_a_sentence_with_a_cue(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Talks on the budget will resume next week, Adam Schiff said. "
        "“The other factor is that nobody wants another shutdown this year.”"
    )
    (s,) = _statements(nlp, text)
    assert s.speaker == "Adam Schiff"


@pytest.mark.slow
def test_it_said_is_the_organisation_before(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "The US government denied the claims. In a statement, it said: “The detainee was "
        "properly held as an enemy combatant.”"
    )
    (s,) = _statements(nlp, text)
    assert s.speaker_kind == "organisation"
    assert s.speaker is not None and "government" in s.speaker


@pytest.mark.slow
def test_appositive_name_is_the_speaker(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "The Shadow Secretary of State for the Family, Theresa May, said: “These plans were "
        "announced in December and nothing has changed since.”"
    )
    (s,) = _statements(nlp, text)
    assert (s.speaker, s.speaker_kind) == ("Theresa May", "person")


@pytest.mark.slow
def test_a_quoted_subject_is_not_a_statement(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Mr Mubanga said the “MI6 agent” told him the passport had been found in a cave."
    assert _statements(nlp, text) == []


# --------------------------------------------------------------------------------------------
# The seed article


@pytest.mark.slow
def test_seed_article(nlp, seed_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = seed_path.read_text(encoding="utf-8")
    statements = _statements(nlp, text)
    for s in statements:
        assert text[s.start : s.end] == s.text
    texts = [s.text for s in statements]
    assert not any("two plus two" in t for t in texts)
    assert not any("severely contested environment" in t for t in texts)

    joint = _only(statements, "forward posture of US forces")
    assert joint.speaker_kind == "group"
    assert joint.speaker is not None
    assert "Japan" in joint.speaker and "United States" in joint.speaker

    hayashi = [s for s in statements if s.speaker and "Hayashi" in s.speaker]
    assert {s.speaker_kind for s in hayashi} == {"person"}
    assert len(hayashi) == 3
    assert any("unprecedented" in s.text for s in hayashi)
    assert any("foreign policy" in s.text for s in hayashi)
    assert any("continue to be united" in s.text for s in hayashi)

    austin = [s for s in statements if s.speaker and "Austin" in s.speaker]
    assert len(austin) == 3
    assert any("artillery regiment" in s.text for s in austin)
    assert any("combat element" in s.text for s in austin)  # after "he said."
    answer = _only(statements, "surface vessel activity")
    assert answer in austin and answer.cue == "responded"
    assert len(statements) == 7


def test_a_phrase_after_a_copula_goes_to_who_said_it(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Retired general Ann Cole said the senator was “absolutely right” on Monday."
    (s,) = _statements(nlp, text)
    assert s.speaker == "Ann Cole"


def test_a_phrase_a_thing_does_goes_to_who_said_it(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "City lawyer Brad Holt said in a letter that the poster “unmistakably and wrongly” "
        "suggests the police back the campaign."
    )
    (s,) = _statements(nlp, text)
    assert s.speaker == "Brad Holt"


def test_the_name_before_a_gerund_cue_is_its_speaker(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "The advert shows footage of Maria Lopez asking, “Why are we not further ahead?”"
    (s,) = _statements(nlp, text)
    assert s.speaker == "Maria Lopez"


def test_a_cue_in_a_clause_after_the_quotation_is_not_its_cue(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "The spot ends with footage of Tom Reed saying, “That makes me clever,” when Jane Fox "
        "attacked him for paying no tax."
    )
    (s,) = _statements(nlp, text)
    assert s.speaker == "Tom Reed"


def test_the_name_right_before_the_cue_beats_a_misparsed_subject(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Asked why he had paid no federal income tax for years, as was true when his returns "
        "were made public ― Donald Trump boasted, “That makes me smart.”"
    )
    (s,) = _statements(nlp, text)
    assert s.speaker == "Donald Trump"
