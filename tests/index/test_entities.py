"""People and places: what a reader sees in the side panels and the highlights.

Each mechanism is shown on a short article of our own; the seed article is checked whole.
These tests load spaCy once (the session ``nlp`` fixture).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from index.documents import document_from_text, load_document
from index.entities import extract_entities
from index.gazetteer import load as load_gazetteer
from index.model import Analysis, Person, Place

pytestmark = pytest.mark.slow


def analyse(nlp, text: str) -> tuple[list[Person], list[Place]]:  # type: ignore[no-untyped-def]
    document = document_from_text(text, Path("article.txt"))
    return extract_entities(nlp(document.text), document)


def analysed(analyser, text: str) -> Analysis:  # type: ignore[no-untyped-def]
    """The whole analysis, as the program makes it (entities, statements, quoted people)."""
    return analyser.analyse(document_from_text(text, Path("article.txt")))


def person(people: list[Person], name: str) -> Person:
    found = [p for p in people if p.name == name]
    assert found, f"{name} not among {[p.name for p in people]}"
    return found[0]


def place(places: list[Place], name: str) -> Place:
    found = [p for p in places if p.name == name]
    assert found, f"{name} not among {[p.name for p in places]}"
    return found[0]


def texts(text: str, spans: tuple[tuple[int, int], ...]) -> list[str]:
    return [text[a:b] for a, b in spans]


# --- the seed article -----------------------------------------------------------------


def test_seed_has_exactly_its_six_people_with_their_roles(nlp, seed_path: Path) -> None:
    document = load_document(seed_path)
    people, _ = extract_entities(nlp(document.text), document)
    roles = {p.name: p.role for p in people}
    assert roles == {
        "Antony Blinken": "US Secretary of State",
        "Lloyd Austin": "Secretary of Defence",
        "Yoshimasa Hayashi": "Foreign Minister",
        "Yasukazu Hamada": "Defence Minister",
        "Joe Biden": "US President",
        "Fumio Kishida": "Japanese Prime Minister",
    }
    austin = person(people, "Lloyd Austin")
    # "Secretary of Defence Lloyd Austin" and twice "Mr Austin": the name, not the title.
    assert texts(document.text, austin.mentions) == ["Lloyd Austin", "Austin", "Austin"]
    assert set(austin.aliases) == {"Austin", "Mr Austin"}
    hayashi = person(people, "Yoshimasa Hayashi")
    assert texts(document.text, hayashi.mentions) == ["Yoshimasa Hayashi", "Hayashi"]


def test_seed_has_exactly_its_twelve_places(nlp, seed_path: Path) -> None:
    document = load_document(seed_path)
    _, places = extract_entities(nlp(document.text), document)
    assert {p.name for p in places} == {
        "Washington", "Japan", "United States", "North Korea", "Russia", "Ukraine", "China",
        "East China Sea", "Senkaku Islands", "Okinawa", "Yonaguni", "Taiwan",
    }
    us = place(places, "United States")
    assert us.kind == "country"
    assert set(texts(document.text, us.mentions)) == {"United States", "US"}
    assert len(us.mentions) == 7  # "the United States" once, "US" six times
    assert place(places, "East China Sea").kind == "sea"
    assert place(places, "Senkaku Islands").kind == "island"
    # The dateline "WASHINGTON –" is where the story was filed: it counts.
    assert place(places, "Washington").mentions[0] == (0, len("WASHINGTON"))


def test_mentions_are_in_reading_order_and_inside_the_text(nlp, seed_path: Path) -> None:
    document = load_document(seed_path)
    people, places = extract_entities(nlp(document.text), document)
    for entity in [*people, *places]:
        assert list(entity.mentions) == sorted(set(entity.mentions))
        for a, b in entity.mentions:
            assert 0 <= a < b <= len(document.text)
            assert document.text[a:b].strip() == document.text[a:b]


# --- people -----------------------------------------------------------------------------


def test_titles_are_split_from_the_name_into_the_role(nlp) -> None:
    text = (
        "Talks were held in Paris on Monday. Secretary of Defence Lloyd Austin met "
        "French President Emmanuel Macron at the Elysee Palace, officials said."
    )
    people, _ = analyse(nlp, text)
    austin = person(people, "Lloyd Austin")
    assert austin.role == "Secretary of Defence"
    assert texts(text, austin.mentions) == ["Lloyd Austin"]
    macron = person(people, "Emmanuel Macron")
    assert macron.role == "French President"
    assert all("Secretary" not in p.name and "President" not in p.name for p in people)


def test_role_from_an_appositive(nlp) -> None:
    text = (
        "Rishi Sunak, the prime minister, said on Tuesday that the budget would be balanced. "
        "Critics disagreed."
    )
    people, _ = analyse(nlp, text)
    assert person(people, "Rishi Sunak").role == "prime minister"


def test_honorifics_and_surnames_join_the_full_name(nlp) -> None:
    text = (
        "Margaret Okafor, a teacher from Leeds, won the award on Friday. Mrs Okafor said she "
        "was delighted. Okafor has taught for thirty years, and Ms Okafor plans to continue."
    )
    people, _ = analyse(nlp, text)
    named = [p for p in people if "Okafor" in p.name]
    assert [p.name for p in named] == ["Margaret Okafor"]
    okafor = named[0]
    assert texts(text, okafor.mentions) == ["Margaret Okafor", "Okafor", "Okafor", "Okafor"]
    assert {"Okafor", "Mrs Okafor", "Ms Okafor"} <= set(okafor.aliases)


def test_every_occurrence_of_a_known_name_is_a_mention(nlp) -> None:
    # Surnames used alone, the model tends to miss some of them; all are the same person.
    text = (
        "Chinese dissident Wang Donghai was detained on Friday, activists said. "
        "Wang had been released last year. Police declined to say where Wang was held, "
        "and Wang 's family had not been told."
    )
    people, _ = analyse(nlp, text)
    wang = person(people, "Wang Donghai")
    assert texts(text, wang.mentions) == ["Wang Donghai", "Wang", "Wang", "Wang"]


def test_names_in_capitals_headlines_are_found(nlp) -> None:
    text = (
        "LEBED SAYS PEACE DEAL IS CLOSE .\n"
        "Russian security chief Alexander Lebed said on Friday a peace deal was close. "
        "Lebed met rebel leaders in the village."
    )
    people, _ = analyse(nlp, text)
    lebed = person(people, "Alexander Lebed")
    assert texts(text, lebed.mentions) == ["LEBED", "Alexander Lebed", "Lebed"]


# --- places -----------------------------------------------------------------------------


def test_place_aliases_merge_into_one_place(nlp) -> None:
    text = (
        "The United States and Canada signed the pact. U.S. officials said America would "
        "ratify it soon, and the US Senate is expected to agree."
    )
    _, places = analyse(nlp, text)
    us = place(places, "United States")
    assert us.kind == "country"
    assert {"U.S.", "America"} <= set(texts(text, us.mentions))
    assert "the United States" not in texts(text, us.mentions)  # the name, not the article
    assert [p.name for p in places].count("United States") == 1


def test_nationality_adjectives_are_not_places(nlp) -> None:
    text = (
        "Japanese and German diplomats met French officials in Geneva. The Japanese "
        "delegation left for Tokyo on Sunday."
    )
    _, places = analyse(nlp, text)
    names = {p.name for p in places}
    assert {"Geneva", "Tokyo"} <= names
    assert not names & {"Japanese", "German", "French"}
    assert place(places, "Tokyo").kind == "city"


def test_places_the_model_missed_come_from_the_gazetteer(nlp) -> None:
    text = "Fighting spread to Nagorno-Karabakh and Tajikistan, while talks in Minsk stalled."
    _, places = analyse(nlp, text)
    assert {"Nagorno-Karabakh", "Tajikistan", "Minsk"} <= {p.name for p in places}


def test_dateline_place_is_counted(nlp) -> None:
    text = "BELGRADE – Serbia's parliament met on Monday to discuss the budget."
    document = document_from_text(text, Path("article.txt"))
    _, places = extract_entities(nlp(document.text), document)
    belgrade = place(places, "Belgrade")
    assert belgrade.mentions[0] == (0, len("BELGRADE"))
    assert belgrade.kind == "city"


def test_dateline_with_a_date_is_counted(nlp) -> None:
    text = "Rebels seize town .\nKHASAVYURT 1996-08-31\nRebels seized the town on Saturday ."
    _, places = analyse(nlp, text)
    assert any(text[a:b] == "KHASAVYURT" for p in places for a, b in p.mentions)


def test_sports_teams_named_after_cities_are_not_places(nlp) -> None:
    text = (
        "CRICKET - LEICESTERSHIRE TAKE OVER AT TOP .\n"
        "Leicestershire beat Somerset by an innings at Grace Road in Leicester on Friday, "
        "while Essex closed in on victory against Yorkshire at Headingley. England's "
        "selectors watched."
    )
    _, places = analyse(nlp, text)
    names = {p.name for p in places}
    assert "Somerset" not in names and "Essex" not in names
    assert "Leicester" in names


def test_a_person_named_like_a_place_is_a_person(nlp) -> None:
    text = (
        "The actor Denzel Washington arrived in Los Angeles on Tuesday. "
        "Washington said he would start filming next month."
    )
    people, places = analyse(nlp, text)
    assert texts(text, person(people, "Denzel Washington").mentions) == [
        "Denzel Washington", "Washington",
    ]
    assert "Washington" not in {p.name for p in places}


def test_gazetteer_knows_countries_cities_seas_and_aliases() -> None:
    g = load_gazetteer()
    assert g.lookup("U.S.").canonical == "United States"
    assert g.lookup("Britain").canonical == "United Kingdom"
    assert g.lookup("Kiev").canonical == "Kyiv"
    assert g.lookup("TOKYO").kind == "city"
    assert g.lookup("Black Sea").kind == "sea"
    assert "Japanese" in g.demonyms


def test_people_in_a_results_list(nlp) -> None:
    text = (
        "TENNIS - RESULTS FROM THE U.S. OPEN .\n"
        "Results from the U.S. Open on Friday :\n"
        "Mark Philippoussis ( Australia ) beat Andrei Olhovskiy ( Russia ) 6-3 6-4 6-2\n"
        "Guy Forget ( France ) beat Felix Mantilla ( Spain ) 6-4 7-5 6-3\n"
    )
    people, places = analyse(nlp, text)
    names = {p.name for p in people}
    assert {"Mark Philippoussis", "Andrei Olhovskiy", "Guy Forget", "Felix Mantilla"} <= names
    assert {"Australia", "Russia", "France", "Spain"} <= {p.name for p in places}


def test_a_role_keeps_its_qualifier_and_not_the_sentence_around_it(nlp) -> None:
    text = (
        "Olympic champion Christian Olsson will miss the season. Yesterday Prime Minister "
        "Tony Blair said the games were a success."
    )
    people, _ = analyse(nlp, text)
    assert person(people, "Christian Olsson").role == "Olympic champion"
    assert person(people, "Tony Blair").role == "Prime Minister"


def test_a_doubtful_title_does_not_make_a_person(nlp) -> None:
    text = (
        "The Conservatives would announce their proposals closer to the General Election, "
        "Labour's National Executive Committee said."
    )
    people, _ = analyse(nlp, text)
    assert not {"Election", "Committee"} & {p.name for p in people}


def test_an_empty_article_has_no_people_or_places(nlp) -> None:
    from index.model import Document

    for text in ("", "  \n\n", "“ ”"):
        document = Document(Path("empty.txt"), text, "txt", "")
        assert extract_entities(nlp(text), document) == ([], [])


def test_offsets_hold_for_a_document_parsed_in_pieces(nlp, seed_path: Path) -> None:
    # Long articles are parsed paragraph by paragraph and joined (index.analysis).
    from spacy.tokens import Doc

    document = load_document(seed_path)
    cut = document.text.index("\n\n", len(document.text) // 2) + 2
    whole = Doc.from_docs(
        [nlp(document.text[:cut]), nlp(document.text[cut:])], ensure_whitespace=False
    )
    assert whole.text == document.text
    people, places = extract_entities(whole, document)
    for entity in [*people, *places]:
        for a, b in entity.mentions:
            written = document.text[a:b].lower()  # "WASHINGTON" is Washington
            assert written in {entity.name.lower(), *(x.lower() for x in entity.aliases)}


def test_every_name_in_a_team_sheet_is_a_person(nlp) -> None:
    text = (
        "CRICKET - ENGLAND NAME SQUAD .\n"
        "LONDON 1996-08-30\n"
        "England named their squad on Friday :\n"
        "England : Mike Atherton ( captain ) , Nick Knight , Alec Stewart , Graham Thorpe , "
        "Matthew Maynard , Adam Hollioake , Ronnie Irani , Robert Croft , Darren Gough .\n"
    )
    people, places = analyse(nlp, text)
    names = {p.name for p in people}
    assert {
        "Mike Atherton", "Nick Knight", "Alec Stewart", "Graham Thorpe", "Matthew Maynard",
        "Adam Hollioake", "Ronnie Irani", "Robert Croft", "Darren Gough",
    } <= names
    assert "London" in {p.name for p in places}


# --- roles (issue 9) ----------------------------------------------------------------------


def test_role_from_an_appositive_after_the_name(nlp) -> None:
    text = (
        "Mobile firms are racing to sell faster phones. Brian Castle, managing director of "
        "Telmex in the UK, said the market was growing. Nick Hazelwood, Globex's head of "
        "consumer services, thinks the change will help."
    )
    people, _ = analyse(nlp, text)
    assert person(people, "Brian Castle").role == "managing director of Telmex in the UK"
    assert person(people, "Nick Hazelwood").role == "Globex's head of consumer services"


def test_role_from_a_description_before_the_name(nlp) -> None:
    text = "Schools were criticised by the Ofsted chief, David Bellamy, on Monday."
    people, _ = analyse(nlp, text)
    assert person(people, "David Bellamy").role == "Ofsted chief"


def test_a_role_word_is_never_part_of_the_name(nlp) -> None:
    text = "Comedian Harry Hillman will host the show, while DJ Trevor Nelsen plays records."
    people, _ = analyse(nlp, text)
    assert {p.name: p.role for p in people} == {"Harry Hillman": "Comedian",
                                               "Trevor Nelsen": "DJ"}


def test_role_modifiers_are_kept(nlp) -> None:
    text = "The Tory shadow chancellor Oliver Letwood attacked the plan on Sunday."
    people, _ = analyse(nlp, text)
    assert person(people, "Oliver Letwood").role == "Tory shadow chancellor"


# --- places inside names (issue 9) --------------------------------------------------------


def test_a_place_inside_the_name_of_a_firm_or_a_band_is_not_a_place(nlp) -> None:
    text = (
        "Shoppers deserted House of Fraser in December. The band supported Echo and the "
        "Bunnymen in Leeds. His Achilles tendon was hurt in Madrid."
    )
    _, places = analyse(nlp, text)
    assert {p.name for p in places} == {"Leeds", "Madrid"}


def test_where_someone_is_from_stays_a_place(nlp) -> None:
    text = "Karlsruhe of Germany beat the champions on Saturday."
    _, places = analyse(nlp, text)
    assert "Germany" in {p.name for p in places}


def test_new_york_city_is_new_york(nlp) -> None:
    text = "The band left New York City in May, and fans in New York cheered them on."
    _, places = analyse(nlp, text)
    ny = place(places, "New York")
    assert texts(text, ny.mentions) == ["New York City", "New York"]
    assert [p.name for p in places].count("New York") == 1


# --- people (issue 9) ---------------------------------------------------------------------


def test_a_first_name_the_model_cut_off_gets_its_surname(nlp) -> None:
    text = "Fans hope that Johnny Deppford will play the role in the new film."
    people, _ = analyse(nlp, text)
    assert "Johnny Deppford" in {p.name for p in people}


def test_lower_case_words_are_never_people(nlp) -> None:
    # The model calls "marijuana" a person here.
    text = ("He was accused of possessing marijuana . Police said Lopez had carried marijuana "
            "for weeks .")
    people, _ = analyse(nlp, text)
    assert [p.name for p in people] == ["Lopez"]


def test_two_people_sharing_a_surname_stay_apart(nlp) -> None:
    text = (
        "Michael Howard launched the campaign in Folkestone. Mrs Howard joined him on stage. "
        "Mr Howard said the party would win, and Howard later left. Mrs Howard said she was "
        "proud."
    )
    people, _ = analyse(nlp, text)
    assert [p.name for p in people] == ["Michael Howard", "Mrs Howard"]
    michael, wife = people
    assert texts(text, michael.mentions) == ["Michael Howard", "Howard", "Howard"]
    assert len(wife.mentions) == 2


def test_a_bare_surname_goes_to_the_person_named_last(nlp) -> None:
    text = (
        "Avi Glazer and Joel Glazer were at the meeting. Malcolm Glazer, their father, stayed "
        "at home. Glazer said the bid was fair."
    )
    people, _ = analyse(nlp, text)
    malcolm = person(people, "Malcolm Glazer")
    assert texts(text, malcolm.mentions) == ["Malcolm Glazer", "Glazer"]
    assert all(len(p.mentions) == 1 for p in people if p.name != "Malcolm Glazer")


def test_a_role_in_the_plural_belongs_to_both_people(nlp) -> None:
    text = "Shares rose after the Irish horse racing tycoons John Magnier and Pat Dunne sold."
    people, _ = analyse(nlp, text)
    # Each of them is one of the tycoons: the role as written, for both.
    assert {p.name: p.role for p in people} == {
        "John Magnier": "Irish horse racing tycoons", "Pat Dunne": "Irish horse racing tycoons"
    }
    # A role in the singular stays with its own person.
    text = "Prime Minister Tony Blair and Gordon Brown met on Monday."
    people, _ = analyse(nlp, text)
    assert {p.name: p.role for p in people} == {"Tony Blair": "Prime Minister",
                                               "Gordon Brown": None}


def test_a_person_inside_an_organisation_with_their_office(nlp) -> None:
    # The model reads the whole phrase as one organisation.
    text = "Jones has filed a lawsuit for defamation against Balco boss Victor Conte on Friday."
    people, _ = analyse(nlp, text)
    assert person(people, "Victor Conte").role == "Balco boss"


def test_words_around_a_name_can_show_it_is_not_a_person(nlp) -> None:
    text = (
        "Analysts at accountancy firm Grant Thornby said Man Utd would be sold. The charity "
        "Very Nordic Aid said the bid was a mistake."
    )
    people, _ = analyse(nlp, text)
    assert not {p.name for p in people} & {"Grant Thornby", "Man Utd", "Very Nordic Aid"}


def test_a_film_title_is_not_a_place(nlp) -> None:
    text = "The success of Pirates of the Caribbean helped the studio, he said in Paris."
    _, places = analyse(nlp, text)
    assert {p.name for p in places} == {"Paris"}


def test_a_first_name_beside_a_person_is_a_person(nlp) -> None:
    text = "The bid is being led by his two sons, Avi and Joel. Their father stayed at home."
    people, _ = analyse(nlp, text)
    assert {p.name: p.role for p in people} == {"Avi": "two sons", "Joel": "two sons"}


def test_a_result_is_not_a_person(nlp) -> None:
    text = "Results on Saturday :\nNorwich 1 Wolverhampton 0\nBirmingham v Barnsley postponed\n"
    people, _ = analyse(nlp, text)
    assert not any(any(ch.isdigit() for ch in p.name) or " v " in p.name for p in people)


def test_names_ending_in_a_square_or_towers_are_not_people(analyser) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Attractions\n\n"
        "Visitors went to Alton Towers and Trafalgar Square this year, said Mary Keller.\n"
    )
    analysis = analysed(analyser, text)
    names = [p.name for p in analysis.people]
    assert "Alton Towers" not in names and "Trafalgar Square" not in names
    assert "Mary Keller" in names


def test_mr_goes_with_a_surname_not_with_a_first_name(analyser) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Tories reject MP\n\n"
        "Sacked MP Howard Fleet will not be the party's candidate. Mr Fleet said he would "
        "fight on. At a news conference, Mr Howard insisted he had played by the rules.\n"
    )
    analysis = analysed(analyser, text)
    fleet = next(p for p in analysis.people if p.name == "Howard Fleet")
    assert "Mr Howard" not in fleet.aliases
    assert any(p.name != "Howard Fleet" and "Howard" in p.name for p in analysis.people)


def test_a_one_word_name_after_the_that_speaks_is_not_added_to_people(analyser) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Festival\n\n"
        "The 58-year-old US singer of Because the Night told The Observer newspaper that the "
        "festival would be her response to these \"material, exploitative and greedy times\".\n"
    )
    analysis = analysed(analyser, text)
    assert "Night" not in [p.name for p in analysis.people]
    assert [s.speaker_kind for s in analysis.statements] == ["unknown"]
