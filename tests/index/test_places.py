"""Places: a name is a place where the text puts something in it, not where it is a
product, a firm or a title that the model (and only the model) took for one.

Each mechanism on short articles of our own, analysed and decided as ``broadsheet analyze``
decides them (:mod:`index.evidence` over the articles given together).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from index import evidence
from index.analysis import Analyser
from index.documents import document_from_text
from index.entity_cues import _located
from index.entity_text import _Text
from index.model import NameEvidence

pytestmark = pytest.mark.slow


def places(analyser: Analyser, *texts: str) -> list[list[str]]:
    """The place names of each article, decided with the evidence of all of them."""
    analyses = [analyser.analyse(document_from_text(text, Path(f"a{n}.txt")))
                for n, text in enumerate(texts)]
    decisions = evidence.decide(analyses)
    return [[p.name for p in evidence.apply(a, decisions).places] for a in analyses]


def test_a_place_only_the_model_knows_needs_something_put_in_it(analyser: Analyser) -> None:
    text = (
        "Drug sales halted\n\n"
        "The firms stopped sales of Tysabri after a death. The cases involved both Tysabri "
        "and Avonex. Avonex is the older drug. Police arrested four men near Ashford on "
        "Saturday.\n"
    )
    [found] = places(analyser, text)
    assert "Avonex" not in found and "Tysabri" not in found
    assert "Ashford" in found


def test_another_article_can_show_a_name_is_a_place(analyser: Analyser) -> None:
    # Alone, the first article says nothing of where Pattaya is; the second floods it.
    parade = "Town news\n\nCrowds came to see the parade, which Pattaya holds every year.\n"
    flood = "Town news\n\nFlooding hit Pattaya and Baghdad overnight.\n"
    assert places(analyser, parade) == [[]]
    assert places(analyser, parade, flood)[0] == ["Pattaya"]


@pytest.mark.parametrize(("text", "name", "located"), [
    ("Police arrested four men near Ashford.", "Ashford", True),
    ("The hunt met in the West Country.", "West Country", True),
    ("The hunt met at Badminton, Gloucestershire.", "Badminton", True),
    ("Barentsburg and Moscow are far apart.", "Barentsburg", True),
    ("Police in the town of Uyo said so.", "Uyo", True),
    ("He was a GP in the Upper Afan Valley.", "Upper Afan Valley", True),
    ("He sang Hot in Herre last night.", "Herre", False),  # a title
    ("Marc Gonsalves, an executive at Xstrata, said so.", "Xstrata", False),  # a firm
    ("There is pressure on Xstrata to raise its bid.", "Xstrata", False),
    ("He insulted Iran's Islamic Republic.", "Islamic Republic", False),
    ("The cases involved both Tysabri and Avonex.", "Avonex", False),
])
def test_what_puts_something_in_a_place(nlp, text: str, name: str,  # type: ignore[no-untyped-def]
                                        located: bool) -> None:
    t = _Text(nlp(text), text)
    start = text.index(name)
    assert _located(t, (start, start + len(name))) is located


def test_a_word_before_in_that_makes_a_title_is_not_a_place(analyser: Analyser) -> None:
    text = (
        "Chart news\n\n"
        "He has had twelve hit singles, including Hot in Herre and Dilemma. The band played "
        "in Lievin on Saturday.\n"
    )
    [found] = places(analyser, text)
    assert "Herre" not in found


def test_a_city_named_like_a_person_needs_something_put_in_it(analyser: Analyser) -> None:
    text = (
        "Old shows return\n\n"
        "Children loved Mary, Mungo and Midge. Mary was the star of the show, and Yaffle "
        "was her friend.\n"
    )
    [found] = places(analyser, text)
    assert "Mary" not in found


def test_the_cues_of_place_are_counted_for_the_library() -> None:
    # A name no gazetteer knows, with bare mentions and none that puts anything in it,
    # is not a place; one that is somewhere once is.
    bare = NameEvidence("avonex", "place", "Avonex", ((0, 6),), counts=(("bare", 2),))
    located = NameEvidence("ashford", "place", "Ashford", ((0, 7),),
                           counts=(("bare", 1), ("loc", 1)))
    decisions = evidence.decide([[bare, located]])
    assert evidence.kind_in(bare, decisions) == "other"
    assert evidence.kind_in(located, decisions) == "place"
    # Evidence recorded before these cues existed is read as before.
    old = NameEvidence("avonex", "place", "Avonex", ((0, 6),), counts=(("L:GPE", 1),))
    assert evidence.kind_in(old, evidence.decide([[old]])) == "place"


def test_a_known_region_the_model_reads_as_a_firm_needs_something_put_in_it() -> None:
    firm = NameEvidence("amazon", "place", "Amazon", ((0, 6),), place_kind="region",
                        counts=(("L:ORG", 2), ("bare", 2), ("gaz", 1)))
    assert evidence.kind_in(firm, evidence.decide([[firm]])) == "other"
    river = NameEvidence("amazon", "place", "Amazon", ((0, 6),), place_kind="region",
                         counts=(("L:ORG", 2), ("bare", 1), ("gaz", 1), ("loc", 1)))
    assert evidence.kind_in(river, evidence.decide([[river]])) == "place"
    # A country stays a country whatever the model calls it ("Japan said").
    japan = NameEvidence("japan", "place", "Japan", ((0, 5),), place_kind="country",
                         counts=(("L:ORG", 2), ("bare", 2), ("gaz", 1)))
    assert evidence.kind_in(japan, evidence.decide([[japan]])) == "place"


def test_a_name_something_is_in_is_not_a_persons() -> None:
    # "Judith Moritz, in Melton Mowbray, said": a first name in it, but things are in it.
    town = NameEvidence("melton mowbray", "person", "Melton Mowbray", ((0, 14),),
                        counts=(("at", 1), ("first", 1), ("in", 1)))
    assert evidence.kind_in(town, evidence.decide([[town]])) != "person"
    person = NameEvidence("judith moritz", "person", "Judith Moritz", ((0, 13),),
                          counts=(("first", 1), ("speech", 1)))
    assert evidence.kind_in(person, evidence.decide([[person]])) == "person"


def test_a_place_in_the_name_of_a_body_is_not_a_place(analyser: Analyser) -> None:
    text = (
        "Election costs\n\n"
        "The report covers the Northern Ireland Assembly and the Welsh Assembly. The UK "
        "Internet Forum is worried about the plan. Voters in Belfast were asked.\n"
    )
    [found] = places(analyser, text)
    assert "Northern Ireland" not in found and "United Kingdom" not in found
    assert "Belfast" in found


def test_a_team_sheet_without_scores_is_a_sports_report(analyser: Analyser) -> None:
    text = (
        "Hale named in England line-up\n\n"
        "England have named prop Tom Hale in the starting line-up for their Six Nations "
        "match in Dublin on Sunday. Coach Andy Kerr makes one change to the team that lost "
        "the last match. Kerr said the squad was ready. The captain is fit.\n\n"
        "J Fenton (Sale, capt); M Cole (Newcastle), J Nash (Bath), O Barr (Leicester), "
        "T Hale (Bath).\n\n"
        "Replacements: S Pike (Northampton), D Bell (Bath).\n"
    )
    [found] = places(analyser, text)
    assert "Newcastle" not in found and "Northampton" not in found
    assert "Dublin" in found


def test_a_court_named_after_a_place_is_not_a_place(analyser: Analyser) -> None:
    text = (
        "Trial costs\n\n"
        "The trial will cost the county up to $4m, Santa Barbara County Superior Court said "
        "on Monday in Santa Maria, California.\n"
    )
    [found] = places(analyser, text)
    assert not any("Court" in name for name in found)
    assert "Santa Maria" in found


def test_a_city_a_player_moves_to_in_a_sports_report_is_a_club(analyser: Analyser) -> None:
    text = (
        "Striker under fire\n\n"
        "The striker scored goals for the club last season, the coach said, but not enough "
        "goals this season. He turned down a move to Birmingham in favour of a season on "
        "loan at Celtic, where he has scored three goals in Glasgow.\n"
    )
    [found] = places(analyser, text)
    assert "Birmingham" not in found
    assert "Glasgow" in found
