"""The hand-annotated BBC evaluation (tests/data/bbc) and its scorer (bbc_eval.py).

The scorer's matching rules are pinned on tiny handmade gold/prediction dicts (no model);
the gold files are checked for shape and, where the corpus is beside the repository,
for offsets that land on the names they claim; one slow test runs the analyser over the
dev and test sets at once and holds it to floors just under today's scores.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import bbc_eval
import pytest
from bbc_eval import (
    Count,
    GoldMismatch,
    Scores,
    check_corpus,
    load_gold,
    match_entities,
    match_spans,
    name_key,
    role_matches,
    score,
    speaker_right,
)

CORPUS = bbc_eval.CORPUS
needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(), reason=f"the BBC corpus is not beside the repository ({CORPUS})"
)


def person(name: str, *mentions: tuple[int, int], aliases: tuple[str, ...] = (),
           roles: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"name": name, "aliases": list(aliases), "roles": list(roles), "gender": None,
            "mentions": [list(m) for m in mentions]}


def quote(start: int, end: int, speaker: str | None = None,
          speaker_text: str | None = None) -> dict[str, Any]:
    return {"start": start, "end": end, "speaker": speaker, "speaker_text": speaker_text}


def said(start: int, end: int, speaker: str | None, kind: str = "person") -> dict[str, Any]:
    return {"text": "x" * (end - start), "start": start, "end": end, "speaker": speaker,
            "speaker_kind": kind}


# --- names and roles -----------------------------------------------------------------


def test_name_key_drops_honorifics_possessives_and_punctuation() -> None:
    assert name_key("Mr O'Neill's") == "oneill"
    assert name_key("Sir Elton John") == "elton john"
    assert name_key("Sven-Goran Eriksson") == "sven goran eriksson"


@pytest.mark.parametrize(("gold", "predicted"), [
    ("Tory leader", "tory leader"),                                  # equal, case aside
    ("the prime minister", "prime minister"),                        # leading article
    ("managing director of T-Mobile in the UK", "managing director"),  # one contains other
    ("Next chief executive", "chief executive"),
    ("reviews editor of Empire magazine", "Empire magazine reviews editor"),  # token F1
])
def test_roles_that_match(gold: str, predicted: str) -> None:
    assert role_matches(gold, predicted)


@pytest.mark.parametrize(("gold", "predicted"), [
    ("shadow chancellor", "chancellor"),          # a dropped modifier changes the office
    ("former Labour leader", "Labour leader"),
    ("chancellor", "shadow chancellor"),
    ("Tory leader", "leader of the house"),
    ("race director", "director of communications"),
    ("editor", "editorial"),                      # containment is by whole words
])
def test_roles_that_do_not_match(gold: str, predicted: str) -> None:
    assert not role_matches(gold, predicted)


# --- entity matching -----------------------------------------------------------------


def test_entities_match_by_overlapping_mentions_or_shared_names_one_to_one() -> None:
    gold = [person("Brian McBride", (10, 23), (50, 57), aliases=("McBride",)),
            person("Michael Howard", (100, 114))]
    pred = [
        {"name": "McBride", "aliases": [], "mentions": [[50, 57]]},         # overlap
        {"name": "Brian McBride", "aliases": [], "mentions": [[300, 313]]},  # name only
        {"name": "Mr Howard", "aliases": [], "mentions": []},                # "howard" ≠ key
    ]
    assert match_entities(gold, pred) == {0: 0}


def test_entity_matching_prefers_the_prediction_with_most_shared_mentions() -> None:
    gold = [person("Mrs Howard", (0, 10)), person("Michael Howard", (20, 34), (40, 49))]
    pred = [{"name": "Michael Howard", "aliases": ["Mrs Howard"],
             "mentions": [[0, 10], [20, 34], [40, 49]]}]
    # One prediction merges both; it goes to the person it shares more mentions with.
    assert match_entities(gold, pred) == {1: 0}


def test_a_place_named_by_an_alias_matches() -> None:
    gold = [{"name": "United Kingdom", "aliases": ["UK", "Britain"], "mentions": [[5, 7]]}]
    pred = [{"name": "Britain", "aliases": [], "mentions": [[90, 97]]}]
    assert match_entities(gold, pred) == {0: 0}


def test_quotes_match_one_to_one_by_overlap() -> None:
    gold = [quote(0, 20), quote(25, 40)]
    pred = [said(0, 40, None), said(26, 39, None)]
    # The long prediction overlaps both; each gold quote takes a different prediction.
    assert match_spans(gold, pred) == {0: 0, 1: 1}


# --- speakers ------------------------------------------------------------------------


def test_a_named_speaker_is_right_by_surname_or_alias() -> None:
    people = [person("Sven-Goran Eriksson", aliases=("Eriksson",)),
              person("Charly Moya", aliases=("Charly",))]
    q = quote(0, 5, "Sven-Goran Eriksson")
    assert speaker_right(q, said(0, 5, "Eriksson"), people, [])
    assert speaker_right(q, said(0, 5, "Mr Eriksson"), people, [])
    assert not speaker_right(q, said(0, 5, "Jamie Carragher"), people, [])
    assert not speaker_right(q, said(0, 5, None), people, [])
    assert not speaker_right(q, None, people, [])
    assert speaker_right(quote(0, 5, "Charly Moya"), said(0, 5, "Charly"), people, [])


def test_an_unnamed_source_is_right_unless_a_person_is_named() -> None:
    people = [person("Nick Bubb")]
    q = quote(0, 5, None, "one dealer")
    assert speaker_right(q, said(0, 5, None, "unknown"), people, [])
    assert speaker_right(q, said(0, 5, "a spokesman", "group"), people, [])
    assert not speaker_right(q, said(0, 5, "Nick Bubb", "person"), people, [])
    assert not speaker_right(q, said(0, 5, "Manchester United", "person"), people, [])
    # Not flagged as a person, but the name of one of the article's people: still wrong.
    assert not speaker_right(q, said(0, 5, "Mr Bubb", "unknown"), people, [])


# --- whole articles ------------------------------------------------------------------


def _gold() -> dict[str, Any]:
    return {
        "file": "politics/999.txt", "sha256": "0" * 64,
        "people": [
            person("Oliver Letwin", (0, 13), (60, 70), aliases=("Mr Letwin",),
                   roles=("Tory shadow chancellor",)),
            person("Tony Blair", (30, 40), roles=("prime minister",)),
        ],
        "places": [{"name": "United Kingdom", "aliases": ["Britain"], "mentions": [[80, 87]]}],
        "statements": [quote(100, 150, "Oliver Letwin"), quote(160, 200, "Tony Blair"),
                       quote(210, 220, None, "a spokesman")],
    }


def _prediction() -> dict[str, Any]:
    return {
        "file": "/somewhere/bbc/politics/999.txt",
        "people": [
            {"name": "Oliver Letwin", "role": "chancellor", "aliases": [],
             "mentions": [[0, 13]]},
            {"name": "Tony Blair", "role": "Prime Minister", "aliases": [],
             "mentions": [[30, 40]]},
            {"name": "Labour", "role": None, "aliases": [], "mentions": [[90, 96]]},
        ],
        "places": [{"name": "Britain", "aliases": [], "mentions": [[80, 87]]}],
        "statements": [said(100, 150, "Letwin"), said(160, 200, "Labour"),
                       said(300, 310, None, "unknown")],
    }


def test_scores_of_a_small_article_are_exact() -> None:
    s = score([_gold()], [_prediction()])
    figures = s.figures()
    assert (s.people.gold, s.people.pred, s.people.matched_gold) == (2, 3, 2)
    assert figures["people_p"] == pytest.approx(2 / 3)
    assert figures["people_r"] == 1.0
    assert figures["places_f1"] == 1.0
    # "chancellor" is not "shadow chancellor"; "Prime Minister" is "prime minister".
    assert (s.roles.right, s.roles.total) == (1, 2)
    assert (s.quotes.gold, s.quotes.pred, s.quotes.matched_gold) == (3, 3, 2)
    # Letwin right, Blair's quote given to "Labour": 1 of 2 matched; the spokesman's
    # quote was not found, so named-speaker accuracy is also 1 of 2.
    assert (s.speakers.right, s.speakers.total) == (1, 2)
    assert (s.named_speakers.right, s.named_speakers.total) == (1, 2)
    errors = "\n".join(s.errors["politics/999.txt"])
    assert "spurious person: Labour" in errors
    assert "role of Oliver Letwin" in errors
    assert "missed quote at 210" in errors
    assert "speaker at 160: wanted Tony Blair, got Labour" in errors


def test_an_article_without_predictions_counts_as_nothing_found() -> None:
    s = score([_gold()], [])
    assert s.people.recall == 0.0 and s.places.recall == 0.0 and s.quotes.recall == 0.0
    assert s.named_speakers.value == 0.0


def test_empty_counts_do_not_divide_by_zero() -> None:
    assert Count().f1 == 1.0 and Scores().figures()["speakers"] == 1.0


def test_a_changed_corpus_file_fails_clearly(tmp_path: Path) -> None:
    (tmp_path / "politics").mkdir()
    (tmp_path / "politics" / "999.txt").write_text("changed", encoding="utf-8")
    with pytest.raises(GoldMismatch, match="differs from the annotated"):
        check_corpus([_gold()], tmp_path)
    with pytest.raises(GoldMismatch, match="missing"):
        check_corpus([{**_gold(), "file": "politics/998.txt"}], tmp_path)


def test_predictions_are_read_from_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps(_prediction()) + "\n\n", encoding="utf-8")
    assert bbc_eval.load_predictions(path) == [_prediction()]


# --- the gold files themselves -------------------------------------------------------


def _all_gold() -> list[dict[str, Any]]:
    return [g for name in bbc_eval.SETS for g in load_gold(name)]


def test_the_sets_hold_89_dev_and_29_test_articles_none_in_both() -> None:
    dev, test = load_gold("dev"), load_gold("test")
    assert (len(dev), len(test)) == (89, 29)
    assert not {g["file"] for g in dev} & {g["file"] for g in test}


def test_gold_files_are_well_formed() -> None:
    for g in _all_gold():
        names = {p["name"] for p in g["people"]}
        assert len(names) == len(g["people"]), g["file"]
        for entity in [*g["people"], *g["places"]]:
            spans = entity["mentions"]
            assert spans and spans == sorted(spans), (g["file"], entity["name"])
        for p in g["people"]:
            assert p["gender"] in ("male", "female", None)
        for st in g["statements"]:
            assert st["start"] < st["end"], g["file"]
            assert (st["speaker"] in names) if st["speaker"] else st["speaker_text"], st
        starts = [st["start"] for st in g["statements"]]
        assert starts == sorted(starts)


@needs_corpus
def test_gold_offsets_land_on_the_names_they_claim() -> None:
    check_corpus(_all_gold())
    for g in _all_gold():
        text = (CORPUS / g["file"]).read_text(encoding="utf-8", errors="replace")
        taken: list[tuple[int, int]] = []
        for entity in [*g["people"], *g["places"]]:
            forms = {entity["name"], *entity["aliases"]}
            for start, end in entity["mentions"]:
                assert text[start:end] in forms, (g["file"], entity["name"], text[start:end])
                taken.append((start, end))
        taken.sort()
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(taken)), g["file"]
        for st in g["statements"]:
            assert text[st["start"] - 1] == '"', (g["file"], st["start"])


# --- the analyser on real news -------------------------------------------------------

#: Today's scores minus 0.02 (measured 2026-12-02 on the accuracy branch with
#: `python tests/index/bbc_eval.py`; dev has 89 articles and test 29).
#: Raise them as the analyser improves.
FLOORS = {
    # measured dev (89 articles): people P .938 R .929; places P .949 R .915; roles .860;
    #                             quotes P .994 R .915; speakers .962; named speakers .895
    "dev": {"people_p": 0.918, "people_r": 0.909, "places_p": 0.929, "places_r": 0.895,
            "roles": 0.84, "quotes_p": 0.974, "quotes_r": 0.895, "speakers": 0.942,
            "named_speakers": 0.875},
    # measured test (29 articles): people P .925 R .939; places P .936 R .890; roles .775;
    #                              quotes P 1.000 R .930; speakers .902; named speakers .861
    "test": {"people_p": 0.905, "people_r": 0.919, "places_p": 0.916, "places_r": 0.87,
             "roles": 0.755, "quotes_p": 0.98, "quotes_r": 0.91, "speakers": 0.882,
             "named_speakers": 0.841},
}


@pytest.mark.slow
@needs_corpus
def test_the_analyser_on_hand_annotated_bbc_articles() -> None:
    results = bbc_eval.evaluate(bbc_eval.SETS)
    print()
    print(bbc_eval.table(results))
    low = [
        f"{name} {metric} {results[name].figures()[metric]:.3f} < {floor}"
        for name, floors in FLOORS.items() for metric, floor in floors.items()
        if results[name].figures()[metric] < floor
    ]
    assert not low, "below the floor: " + "; ".join(low)
