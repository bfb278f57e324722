"""The reader's corrections: each operation on its own, and kept across everything the
library does (rebuild, edits, removing and re-adding an article), headless too."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from test_library import make_library, write

from index.cli import main
from index.curation import Correction, Curation, CurationStore
from index.model import Analysis, Person, Place, Statement

if TYPE_CHECKING:
    from index.library import Library

TEXT = "Lloyd Austin met Mr Austin and Ada Lovelace in Paris. Austin said so."


BARE = (54, 60)  # the second "Austin"


def analysis() -> Analysis:
    assert TEXT[slice(*BARE)] == "Austin" and TEXT[66:68] == "so"
    return Analysis(
        (Person("Lloyd Austin", "Secretary", ("Mr Austin", "Austin"),
                ((0, 12), (17, 26), BARE)),
         Person("Ada Lovelace", None, (), ((31, 43),))),
        (Place("Paris", "city", (), ((47, 52),)),),
        (Statement("so", 66, 68, "Lloyd Austin", "person", "said"),),
    )


def curated(*ops: tuple[str, str, str]) -> Analysis:
    corrections = [Correction(i, op, s, v) for i, (op, s, v) in enumerate(ops, 1)]
    return Curation(corrections).apply(analysis(), TEXT, "k1").analysis


def test_no_corrections_change_nothing() -> None:
    assert Curation().apply(analysis(), TEXT, "k1").analysis == analysis()


def test_rename_keeps_the_old_name_as_an_alias_and_follows_statements() -> None:
    a = curated(("rename", "lloyd austin", "General Austin"))
    austin = a.people[0]
    assert austin.name == "General Austin" and "Lloyd Austin" in austin.aliases
    assert a.statements[0].speaker == "General Austin"


def test_merge_makes_one_entry_and_a_chain_is_followed() -> None:
    a = curated(("merge", "Ada Lovelace", "Lloyd Austin"), ("rename", "Lloyd Austin", "L. A."))
    assert [p.name for p in a.people] == ["L. A."]
    assert len(a.people[0].mentions) == 4 and "Ada Lovelace" in a.people[0].aliases


def test_split_takes_an_alias_out_with_its_mentions() -> None:
    a = curated(("split", "Lloyd Austin", "Austin"))
    names = {p.name: p for p in a.people}
    assert names["Austin"].mentions == (BARE,)
    assert "Austin" not in names["Lloyd Austin"].aliases
    assert BARE not in names["Lloyd Austin"].mentions


def test_kind_moves_an_entry_and_none_removes_it() -> None:
    a = curated(("kind", "Paris", "person"), ("kind", "Ada Lovelace", "none"))
    assert [p.name for p in a.people] == ["Lloyd Austin", "Paris"] and a.places == ()
    c = Curation([Correction(1, "kind", "Lloyd Austin", "organisation")])
    out = c.apply(analysis(), TEXT, "k1")
    assert [o.name for o in out.organisations] == ["Lloyd Austin"]


def test_hide_and_unhide() -> None:
    assert [p.name for p in curated(("hide", "Ada Lovelace", "")).people] == ["Lloyd Austin"]
    assert len(curated(("hide", "Ada Lovelace", ""), ("unhide", "ada lovelace", "")).people) == 2


def test_a_statement_is_reassigned_or_struck() -> None:
    assert curated(("speaker", "k1:66:68", "Ada Lovelace")).statements[0].speaker == "Ada Lovelace"
    assert curated(("not-statement", "k1:66:68", "")).statements == ()
    assert curated(("not-statement", "other:66:68", "")).statements != ()  # another article


# ---------------------------------------------------------------------------- the library


def test_corrections_survive_rebuild_edit_and_re_adding(data_dir: Path, articles: Path) -> None:
    library = make_library(data_dir)
    library.add_sources([articles])
    library.update()
    library.correct("rename", "Lloyd Austin", "General Austin")
    library.correct("kind", "London", "person")
    library.correct("hide", "Ada Lovelace")

    def check() -> None:
        people = {e.name for e in library.entities("person")}
        assert people == {"General Austin", "London"}
        hidden = library.entities("person", hidden=True)
        assert [(e.name, e.hidden) for e in hidden] == [("Ada Lovelace", True)]
        assert not any(e.hidden for e in library.entities("person"))
        assert library.search('person:"General Austin"').total == 1
        assert library.statements("Mr Austin")[0].statement.speaker == "General Austin"

    check()
    library.update(rebuild=True)
    check()
    write(articles / "austin.txt", "Austin visits Japan again\n\nLloyd Austin went to Japan "
          "twice. “Again,” said Mr Austin.\n")
    library.update()
    check()
    library.remove_source(articles)
    library.update()
    assert library.entities("person") == []
    assert {c.subject for c in library.unused_corrections()} == {
        "Lloyd Austin", "London", "Ada Lovelace"}  # kept, and said to be unused
    library.add_sources([articles])
    library.update()
    check()


def test_another_library_instance_sees_a_correction(data_dir: Path, articles: Path) -> None:
    reader = make_library(data_dir)
    reader.add_sources([articles])
    reader.update()
    assert reader.find_entity("Mr Austin").name == "Lloyd Austin"  # type: ignore[union-attr]
    writer = make_library(data_dir)
    c = writer.correct("rename", "Lloyd Austin", "General Austin")
    assert reader.find_entity("Mr Austin").name == "General Austin"  # type: ignore[union-attr]
    article = reader.article(reader.documents()[0].key)
    assert "General Austin" in {p.name for p in article.analysis.people}
    writer.undo_correction(c.id)
    assert reader.find_entity("Mr Austin").name == "Lloyd Austin"  # type: ignore[union-attr]
    writer.redo_correction(c)
    assert reader.find_entity("General Austin") is not None


def test_entity_page(data_dir: Path, articles: Path) -> None:
    library = make_library(data_dir)
    library.add_sources([articles])
    library.update()
    page = library.entity_page("Mr Austin")
    assert page.entity.name == "Lloyd Austin" and page.entity.aliases == ("Mr Austin",)
    assert [a.title for a in page.articles] == ["Austin visits Japan"]
    assert "Lloyd Austin went to Japan" in page.articles[0].snippet
    assert [s.statement.text for s in page.statements] == ["We are upgrading our forces,"]
    assert page.places == (("Japan", 1),)
    place = library.entity_page("London")
    assert [s.statement.speaker for s in place.statements] == ["Ada Lovelace"]
    with pytest.raises(KeyError):
        library.entity_page("Nobody")


def test_the_command_line(data_dir: Path, articles: Path, tmp_path: Path,
                          capsys: pytest.CaptureFixture[str]) -> None:
    library = make_library(data_dir)
    library.add_sources([articles])
    library.update()
    assert main(["entities", "rename", "Mr Austin", "General Austin"]) == 0
    assert main(["entities", "merge", "Ada Lovelace", "General Austin"]) == 0
    assert main(["entities", "kind", "Japan", "organisation"]) == 0
    assert main(["entities", "rename", "Nobody", "X"]) == 1
    assert main(["entities", "kind", "London", "band"]) == 1
    capsys.readouterr()
    assert main(["entities", "list", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows[0] == {"name": "General Austin", "kind": "person",
                       "aliases": ["Lloyd Austin", "Mr Austin", "Ada Lovelace", "Ms Lovelace"],
                       "articles": 2, "mentions": 3, "roles": []}
    assert [r["name"] for r in rows if r["kind"] == "place"] == ["London"]
    assert main(["entities", "list", "--kind", "organisation", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["name"] == "Japan"
    assert main(["entities", "show", "Lloyd Austin", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert {"name", "kind", "aliases", "roles", "articles", "statements"} <= set(shown)
    assert {s["text"] for s in shown["statements"]} == {
        "We are upgrading our forces,", "The engine weaves algebraic patterns,"}
    assert all({"key", "start", "end", "text"} <= set(s) for s in shown["statements"])
    assert main(["entities", "export"]) == 0
    exported = capsys.readouterr().out
    (tmp_path / "c.json").write_text(exported, "utf-8")
    other = tmp_path / "other"
    assert main(["entities", "import", str(tmp_path / "c.json"), "--data-dir", str(other)]) == 0
    assert len(CurationStore(other).list()) == 3
    assert main(["entities", "undo", "3"]) == 0
    capsys.readouterr()
    assert main(["entities", "corrections", "--json"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2


# ---------------------------------------------------------------------------- speaker:, quote:


def test_speaker_and_quote_search(data_dir: Path, articles: Path) -> None:
    from index.model import QueryError

    library = make_library(data_dir)
    library.add_sources([articles])
    library.update()
    found = library.search("speaker:Austin quote:forces")
    assert [h.title for h in found.hits] == ["Austin visits Japan"]
    text = library.article(found.hits[0].key).text
    assert [text[a:b] for a, b in found.hits[0].hits] == ["We are upgrading our forces,"]
    assert library.hits_in(found.hits[0].key, "speaker:Austin") == found.hits[0].hits
    assert library.search('speaker:"Mr Austin" quote:"upgrading our forces"').total == 1
    assert library.search("speaker:Austin quote:engine").total == 0
    assert library.search("quote:engine London").total == 1
    assert library.search("quote:engine Japan").total == 0
    library.correct("speaker", f"{found.hits[0].key}:{found.hits[0].hits[0][0]}:"
                    f"{found.hits[0].hits[0][1]}", "Ada Lovelace")
    assert library.search("speaker:Lovelace quote:forces").total == 1  # a correction counts
    with pytest.raises(QueryError):
        library.search("speaker:Austin OR Japan")
    with pytest.raises(QueryError):
        library.search('quote:"the"')


@pytest.mark.slow
def test_the_seed_headless(data_dir: Path, tmp_path: Path,
                           capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 11's headless check, on the seed article and the real analyser."""
    from index import paths

    seed = next(paths.seeds_dir().glob("*.txt"))
    copy = tmp_path / "library" / seed.name
    copy.parent.mkdir()
    copy.write_bytes(seed.read_bytes())
    assert main(["index", "--no-seeds", str(copy.parent)]) == 0
    for command in (["merge", "Hayashi", "Fumio Kishida"],
                    ["rename", "Mr Austin", "General Austin"],
                    ["kind", "Okinawa", "person"],
                    ["hide", "Joe Biden"]):
        assert main(["entities", *command]) == 0
    assert main(["index", "--no-seeds", "--rebuild"]) == 0
    copy.write_text(copy.read_text("utf-8") + "\nMr Austin spoke again.\n", "utf-8")
    assert main(["index", "--no-seeds"]) == 0
    capsys.readouterr()
    assert main(["entities", "list", "--json"]) == 0
    rows = {r["name"]: r for r in map(json.loads, capsys.readouterr().out.splitlines())}
    assert "General Austin" in rows and "Lloyd Austin" in rows["General Austin"]["aliases"]
    assert "Hayashi" in rows["Fumio Kishida"]["aliases"] and "Yoshimasa Hayashi" not in rows
    assert rows["Okinawa"]["kind"] == "person" and "Joe Biden" not in rows
    assert main(["search", 'person:"General Austin"', "--json"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1
    assert main(["entities", "show", "Lloyd Austin", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert len(shown["statements"]) == 3
    text = copy.read_text("utf-8")
    for s in shown["statements"]:
        assert s["key"] == paths.document_key(copy) and text[s["start"]:s["end"]] == s["text"]
    assert main(["search", "speaker:Hayashi quote:China", "--json"]) == 0
    (hit,) = map(json.loads, capsys.readouterr().out.splitlines())
    assert hit["key"] == paths.document_key(copy)


# ---------------------------------------------------------------------------- evidence


class EvidenceAnalyser:
    """Calls "Mac Mini" a person in the one article that says "Mac Mini said", a product
    (with a determiner and a product word) wherever the text says "the Mac Mini"."""

    def analyse_many(self, documents):  # type: ignore[no-untyped-def]
        from index.model import NameEvidence

        for document in documents:
            text = document.text
            spans = tuple((i, i + 8) for i in range(len(text)) if text.startswith("Mac Mini", i))
            if "the Mac Mini" in text:
                ev = NameEvidence("mac mini", "other", "Mac Mini", spans,
                                  counts=(("det", 2), ("thing", 2)))
                yield Analysis((), (), (), (ev,))
            else:
                ev = NameEvidence("mac mini", "person", "Mac Mini", spans)
                yield Analysis((Person("Mac Mini", None, (), spans),), (), (), (ev,))


def _mac_mini_library(data_dir: Path, tmp_path: Path) -> tuple[Library, Path]:
    """Three articles where "Mac Mini" is read as a person in one and a thing in two."""
    from index.library import Library

    folder = tmp_path / "macs"
    write(folder / "a.txt", "Apple news\n\nMac Mini said nothing.\n")
    write(folder / "b.txt", "Review\n\nWe tried the Mac Mini computer.\n")
    write(folder / "c.txt", "Prices\n\nPrices of the Mac Mini fell.\n")
    library = Library(data_dir, with_seeds=False, analyser=EvidenceAnalyser())
    library.add_sources([folder])
    library.update()
    return library, folder


def test_the_panels_show_the_library_s_decision(data_dir: Path, tmp_path: Path) -> None:

    library, folder = _mac_mini_library(data_dir, tmp_path)
    assert library.entities("person") == []
    key = library.key_for_path(folder / "a.txt")
    assert key is not None and library.article(key).analysis.people == ()
    made = library.correct("kind", "Mac Mini", "person")  # the reader's word wins
    assert [len(e.articles) for e in library.entities("person")] == [3]
    assert [p.name for p in library.article(key).analysis.people] == ["Mac Mini"]
    library.undo_correction(made.id)
    library.remove_source(folder / "b.txt")
    library.remove_source(folder / "c.txt")
    library.update()  # alone, the article's own reading stands
    assert [e.name for e in library.entities("person")] == ["Mac Mini"]


def test_the_decision_cache_follows_the_library(data_dir: Path, tmp_path: Path) -> None:
    from index import evidence
    from index.library import Library
    from index.library.decisions import DecisionCache
    from index.library.fields import analysis_dict

    folder = tmp_path / "macs"
    write(folder / "a.txt", "Apple news\n\nMac Mini said nothing.\n")
    write(folder / "b.txt", "Review\n\nWe tried the Mac Mini computer.\n")
    library = Library(data_dir, with_seeds=False, analyser=EvidenceAnalyser())
    library.add_sources([folder])
    library.update()
    cache = DecisionCache()

    def both() -> tuple[object, object]:
        stored = list(library._fresh_searcher().reader().all_stored_fields())
        full = evidence.decide(Analysis.from_dict(analysis_dict(f)) for f in stored)
        return cache.decisions(stored).totals, full.totals

    cached, full = both()
    assert cached == full and full
    write(folder / "c.txt", "Prices\n\nPrices of the Mac Mini fell.\n")
    library.update()
    cached, full = both()
    assert cached == full
    library.remove_source(folder / "b.txt")
    library.remove_source(folder / "c.txt")
    library.update()
    cached, full = both()
    assert cached == full


def test_an_article_written_again_whole_is_not_parsed_again(data_dir: Path,
                                                            tmp_path: Path) -> None:
    """The analysis's last commit writes every article again with its word pairs (the
    analysis the same): the decisions after it need no article parsed again."""
    from index.library import Library
    from index.library import schema as S
    from index.library.decisions import DecisionCache

    write(tmp_path / "macs" / "a.txt", "Apple news\n\nMac Mini said nothing.\n")
    library = Library(data_dir, with_seeds=False, analyser=EvidenceAnalyser())
    library.add_sources([tmp_path / "macs"])
    library.update()
    [whole] = list(library._fresh_searcher().reader().all_stored_fields())
    assert whole[S.ANALYSED] == S.YES
    cache = DecisionCache()
    cache.decisions([{**whole, S.ANALYSED: S.UNPAIRED}])
    parsed = cache._evidence[whole[S.KEY]]
    assert parsed
    cache.decisions([whole])
    assert cache._evidence[whole[S.KEY]] is parsed
    cache.decisions([{**whole, S.ANALYSED: S.NO, S.ANALYSIS: "{}"}])
    assert cache._evidence[whole[S.KEY]] == ()


def test_the_library_wide_view_read_one_article_at_a_time_is_the_same(
        data_dir: Path, tmp_path: Path) -> None:
    """Given the article list's decisions, the library-wide view reads the stored articles
    one at a time (not all held until decided): the same view, corrections applied."""
    from index.library.entities import aggregate

    library, _ = _mac_mini_library(data_dir, tmp_path)
    library.correct("rename", "Mac Mini", "The Mac Mini")
    stored = list(library._fresh_searcher().reader().all_stored_fields())
    curation = library._curation()
    decisions = library._listing()["decisions"]
    held = aggregate(stored, curation)
    streamed = aggregate(iter(stored), curation, decisions)
    assert held["decisions"].totals == streamed["decisions"].totals
    for key in ("entities", "hidden", "statements", "names", "forms", "cooccur", "first"):
        assert held[key] == streamed[key], key
    assert held["entities"]
