"""Library-wide evidence: a name's kind decided with every article that uses it.

These tests build the evidence by hand (no spaCy): what the analyser records about each name
in an article, and what the library then shows.
"""

from __future__ import annotations

from index import evidence
from index.model import Analysis, NameEvidence, Person, Place, Statement


def name(text: str, kind: str, mentions: list[tuple[int, int]], **counts: int) -> NameEvidence:
    return NameEvidence(evidence.key_of(text), kind, text, tuple(mentions),
                        counts=tuple(sorted(counts.items())))


def article(*names: NameEvidence, statements: tuple[Statement, ...] = ()) -> Analysis:
    people = tuple(Person(e.name, e.role, e.aliases, e.mentions) for e in names
                   if e.kind == "person")
    places = tuple(Place(e.name, e.place_kind, e.aliases, e.mentions) for e in names
                   if e.kind == "place")
    return Analysis(people, places, statements, names)


def organisation(text: str) -> Analysis:
    return article(name(text, "other", [(0, len(text))], org=1))


def test_a_name_the_library_calls_an_organisation_leaves_people() -> None:
    # The model took "Pirelli Cables" for a person in one article; three others call it a firm.
    alone = article(name("Pirelli Cables", "person", [(10, 24), (80, 94)]))
    library = evidence.decide([alone, *(organisation("Pirelli Cables") for _ in range(3))])
    shown = evidence.apply(alone, library)
    assert shown.people == ()
    assert library.kind("Pirelli Cables") == "other"
    # On its own evidence the article keeps its reading.
    assert evidence.apply(alone, evidence.decide([alone])).people == alone.people


def test_cues_against_a_person_outweigh_the_models_label() -> None:
    # "the Mac Mini", "Apple's Mac Mini", "Mac Mini computers": a product, even alone.
    mini = article(name("Mac Mini", "person", [(4, 12), (40, 48), (90, 98)],
                        det=2, owned=1, thing=1))
    shown = evidence.apply(mini, evidence.decide([mini]))
    assert [p.name for p in shown.people] == []
    assert evidence.decide([mini]).kind("mac mini") == "other"


def test_a_bare_word_needs_some_sign_of_a_person() -> None:
    band = article(name("Keane", "person", [(0, 5), (30, 35)]))
    assert evidence.apply(band, evidence.decide([band])).people == ()
    # Where any article gives the word an honorific, or a person has it as a surname,
    # it stays a person.
    mr = article(name("Keane", "person", [(3, 8)], hon=1))
    assert evidence.apply(band, evidence.decide([band, mr])).people != ()
    full = article(name("Roy Keane", "person", [(0, 9)], first=1))
    assert [p.name for p in evidence.apply(band, evidence.decide([band, full])).people] == [
        "Keane"
    ]


def test_an_organisation_label_the_library_reads_as_a_person_joins_the_full_name() -> None:
    # One article: "Michael Howard" once, then "Howard" three times labelled an organisation.
    here = article(
        name("Michael Howard", "person", [(0, 14)], first=1),
        name("Howard", "other", [(50, 56), (90, 96), (130, 136)]),
    )
    elsewhere = [article(name("Howard", "person", [(4, 10)], hon=1)) for _ in range(3)]
    shown = evidence.apply(here, evidence.decide([here, *elsewhere]))
    assert [p.name for p in shown.people] == ["Michael Howard"]
    howard = shown.people[0]
    assert howard.mentions == ((0, 14), (50, 56), (90, 96), (130, 136))
    assert "Howard" in howard.aliases


def test_a_place_name_keeps_its_local_reading_as_a_team() -> None:
    # "Leeds beat Chelsea": a team in a sports report, a place everywhere else.
    report = article(name("Leeds", "other", [(0, 5)], gaz=1, team=1))
    visits = [article(name("Leeds", "place", [(3, 8)], gaz=1, at=1)) for _ in range(6)]
    library = evidence.decide([report, *visits])
    assert evidence.apply(report, library).places == ()
    assert library.kind("Leeds") == "place"


def test_a_place_no_gazetteer_knows_goes_with_the_library() -> None:
    # The model called the firm "BT" a place once; the library knows it as a company.
    once = article(name("BT", "place", [(20, 22)]))
    library = evidence.decide([once, *(organisation("BT") for _ in range(3))])
    assert evidence.apply(once, library).places == ()


def test_a_speaker_who_is_not_a_person_is_marked_as_an_organisation() -> None:
    quote = Statement("We are pleased", 100, 114, "Pirelli Cables", "person", "said")
    alone = article(name("Pirelli Cables", "person", [(10, 24)]), statements=(quote,))
    library = evidence.decide([alone, *(organisation("Pirelli Cables") for _ in range(3))])
    (shown,) = evidence.apply(alone, library).statements
    assert (shown.speaker, shown.speaker_kind) == ("Pirelli Cables", "organisation")


def test_decisions_follow_articles_added_and_removed() -> None:
    person = article(name("Jo Lane", "person", [(0, 7)], first=1, hon=1))
    firms = [organisation("Jo Lane") for _ in range(4)]
    library = evidence.decide([person])
    assert library.kind("Jo Lane") == "person"
    for firm in firms:
        library.add(firm)
    assert library.kind("jo lane") == "other"
    assert library.articles("Jo Lane") == 5
    for firm in firms:
        library.remove(firm)
    assert library.kind("Jo Lane") == "person"
    library.remove(person)
    assert library.kind("Jo Lane") is None
    assert library.totals == {}


def test_evidence_survives_storage_and_stays_out_of_the_plain_dict() -> None:
    a = article(name("Jo Lane", "person", [(0, 7)], first=1, hon=2))
    assert Analysis.from_dict(a.to_dict()) == a
    assert "evidence" not in Analysis(a.people, a.places, a.statements).to_dict()
    # Analyses stored before evidence existed still load.
    old = {"people": [p.to_dict() for p in a.people], "places": [], "statements": []}
    assert Analysis.from_dict(old).evidence == ()


def test_key_of_ignores_case_spacing_and_possessives() -> None:
    assert evidence.key_of("Mac  Mini’s") == evidence.key_of("mac mini") == "mac mini"


def test_a_longer_name_with_a_place_in_it_needs_a_sign_of_a_person() -> None:
    # "Greenock Morton": a club the model took for a person; no cue says otherwise.
    club = article(name("Greenock Morton", "person", [(0, 15)], placeword=1))
    assert evidence.apply(club, evidence.decide([club])).people == ()
    # "Jack London" with "he" and a first name is a person all the same.
    writer = article(name("Jack London", "person", [(0, 11)], placeword=1, first=1, he=1))
    assert evidence.apply(writer, evidence.decide([writer])).people != ()


def test_a_name_of_common_words_only_needs_a_sign_of_a_person() -> None:
    # "Twin Peaks" (no first name, every word in the dictionary): a show, not a person.
    show = article(name("Twin Peaks", "person", [(0, 10)], common=1))
    assert evidence.apply(show, evidence.decide([show])).people == ()
    # "Tiger Woods" with a role and "he" is a person all the same.
    golfer = article(name("Tiger Woods", "person", [(0, 11)], common=1, role=1, he=1))
    assert evidence.apply(golfer, evidence.decide([golfer])).people != ()


def test_a_plural_verb_or_a_work_outweighs_a_first_name() -> None:
    band = article(name("Franz Ferdinand", "person", [(0, 15)], first=1, they=2))
    assert evidence.apply(band, evidence.decide([band])).people == ()
    film = article(name("Nicholas Nickleby", "person", [(0, 17)], first=1, work=1))
    assert evidence.apply(film, evidence.decide([film])).people == ()
    singer = article(name("Franz Keller", "person", [(0, 12)], first=1, he=1))
    assert evidence.apply(singer, evidence.decide([singer])).people != ()


def test_one_stray_it_does_not_outweigh_a_name_that_often_speaks_as_he() -> None:
    # "Parry said ... he" three times and one "it" after the name: a person.
    chief = article(name("Parry", "person", [(0, 5)], he=3, speech=3, it=1))
    assert evidence.apply(chief, evidence.decide([chief])).people != ()
    # "Euronext said it would ...": as often "it" as a sign of a person: not one.
    firm = article(name("Euronext", "person", [(0, 8)], speech=1, it=1))
    assert evidence.apply(firm, evidence.decide([firm])).people == ()
