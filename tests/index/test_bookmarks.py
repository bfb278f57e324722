"""Bookmarks: the user's passages are kept, follow edits, survive crashes, and export."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import markdown
import pytest

from index import bookmarks as bm
from index.bookmarks import (
    BookmarkError,
    BookmarkNotFound,
    BookmarkStore,
    find_anchor,
    find_quote,
)
from index.cli import main as cli

REPO = Path(__file__).resolve().parents[2]
BBC = REPO.parent / "shared" / "corpus" / "bbc"

ARTICLE = """\
Ministers agree on flood defence plan

LONDON, 3 March - Ministers agreed on Tuesday to spend more on flood defences after a winter \
of storms left thousands of homes under water.

The environment secretary said the money would "protect the towns that were hit hardest" and \
that work would begin in the spring. Engineers warned that the plan came too late for some \
villages on the coast.

Opposition leaders welcomed the plan but asked where the money would come from. "We have \
heard promises before," one of them said.
"""

PASSAGE = "protect the towns that were hit hardest"


def bookmark_passage(store: BookmarkStore, text: str = ARTICLE, passage: str = PASSAGE,
                     note: str = "") -> bm.Bookmark:
    start = text.index(passage)
    return store.add("k1", "news/flood.txt", text, start, start + len(passage), note)


#: The articles the tests bookmark, as files (relative to the test's folder), so that a
#: bookmark is orphaned only where a test means it to be (a missing file orphans it).
ARTICLE_FILES = ("news/flood.txt", "news/odd.txt", "news/old.txt", "a.txt", "b.txt", "x.txt",
                 "z.txt")


@pytest.fixture(autouse=True)
def articles_on_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ARTICLE_FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(ARTICLE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def store(data_dir: Path):  # type: ignore[no-untyped-def]
    with BookmarkStore(data_dir) as s:
        yield s


# ------------------------------------------------------------------ the store


def test_add_keeps_quote_context_offsets_and_time(store: BookmarkStore, data_dir: Path) -> None:
    b = bookmark_passage(store, note="check the figures")
    start = ARTICLE.index(PASSAGE)
    assert (b.quote, b.start, b.end) == (PASSAGE, start, start + len(PASSAGE))
    assert b.prefix == ARTICLE[start - 32 : start] and b.prefix.endswith('would "')
    assert b.suffix == ARTICLE[b.end : b.end + 32] and b.suffix.startswith('" and that')
    assert b.note == "check the figures" and not b.orphaned
    assert b.created.endswith("Z") and b.created[:4].isdigit()
    assert store.list() == [b] and store.get(b.id) == b
    assert store.list("k1") == [b] and store.list("other") == []
    # Stored apart from the index, in WAL mode.
    path = data_dir / "bookmarks.sqlite3"
    assert path.is_file()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_context_is_shorter_at_the_edges_of_the_article(store: BookmarkStore) -> None:
    first = store.add("k1", "a.txt", ARTICLE, 0, 9)
    last = store.add("k1", "a.txt", ARTICLE, len(ARTICLE) - 6, len(ARTICLE))
    assert (first.quote, first.prefix) == ("Ministers", "")
    # The final line break is white space: left out of the quote (issue 10, 10).
    assert (last.quote, last.suffix, last.end) == ("said.", "\n", len(ARTICLE) - 1)
    with pytest.raises(BookmarkError):
        store.add("k1", "a.txt", ARTICLE, 10, 10)
    with pytest.raises(BookmarkError):
        store.add("k1", "a.txt", ARTICLE, 10, len(ARTICLE) + 1)


def test_list_orders_by_creation_and_an_articles_by_position(store: BookmarkStore) -> None:
    late = bookmark_passage(store, passage="We have")
    early = bookmark_passage(store, passage="Ministers agreed")
    other = store.add("k2", "b.txt", "Another article entirely.", 0, 7)
    assert [b.id for b in store.list()] == [late.id, early.id, other.id]
    assert [b.id for b in store.list("k1")] == [early.id, late.id]
    assert store.keys() == {"k1", "k2"}


def test_set_note_is_kept_after_reopening(store: BookmarkStore, data_dir: Path) -> None:
    b = bookmark_passage(store)
    assert store.set_note(b.id, "ask the agency").note == "ask the agency"
    store.close()
    with BookmarkStore(data_dir) as again:
        assert again.get(b.id).note == "ask the agency"


def test_remove_returns_the_bookmark_and_restore_undoes_it(store: BookmarkStore) -> None:
    b = bookmark_passage(store, note="n")
    keep = bookmark_passage(store, passage="We have")
    removed = store.remove(b.id)
    assert removed == b
    assert store.list() == [keep]
    with pytest.raises(BookmarkNotFound):
        store.get(b.id)
    back = store.restore(removed)
    assert back == b  # same id, text, note and creation time
    assert store.restore(removed) == b  # restoring twice changes nothing
    assert [x.id for x in store.list()] == sorted([b.id, keep.id])
    # A new bookmark never takes a removed one's id, so undo can always give it back.
    gone = store.remove(keep.id)
    newer = bookmark_passage(store, passage="Engineers warned")
    assert newer.id > gone.id


def test_restore_into_a_taken_id_gives_a_new_id(store: BookmarkStore) -> None:
    b = bookmark_passage(store)
    other = bm.Bookmark(b.id, "k9", "z.txt", "zz", "", "", 0, 2, "from elsewhere")
    restored = store.restore(other)
    assert restored.id != b.id and restored.quote == "zz"
    assert store.get(b.id) == b


def test_unknown_ids_are_errors_a_user_can_read(store: BookmarkStore) -> None:
    for call in (store.get, store.remove, lambda i: store.set_note(i, "x")):
        with pytest.raises(BookmarkNotFound, match="no bookmark #42"):
            call(42)


def test_a_store_from_a_newer_version_is_left_untouched(data_dir: Path) -> None:
    path = data_dir / "bookmarks.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(BookmarkError, match="newer"):
        BookmarkStore(data_dir)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 99
        assert db.execute("SELECT name FROM sqlite_master").fetchall() == []


def test_one_store_can_be_shared_by_threads(store: BookmarkStore) -> None:
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(25):
                b = bookmark_passage(store, note=f"{n}-{i}")
                store.set_note(b.id, f"{n}-{i}!")
                store.list("k1")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    notes = sorted(b.note for b in store.list())
    assert notes == sorted(f"{n}-{i}!" for n in range(4) for i in range(25))


# ------------------------------------------------------------------ re-anchoring


def test_passage_moved_by_text_inserted_before_it(store: BookmarkStore) -> None:
    b = bookmark_passage(store, note="keep me")
    inserted = "Correction: an earlier version of this story gave the wrong date.\n\n"
    edited = inserted + ARTICLE
    (after,) = store.reanchor("k1", edited)
    assert after.id == b.id and not after.orphaned
    assert after.start == b.start + len(inserted)
    assert edited[after.start : after.end] == PASSAGE == after.quote
    assert after.note == "keep me" and after.created == b.created
    assert store.get(b.id) == after  # written, not only returned


def test_passage_with_a_word_changed_inside_is_found_fuzzily(store: BookmarkStore) -> None:
    bookmark_passage(store)
    edited = ARTICLE.replace("that were hit hardest", "that were struck hardest")
    (after,) = store.reanchor("k1", edited)
    assert not after.orphaned
    assert after.quote == "protect the towns that were struck hardest"
    assert edited[after.start : after.end] == after.quote
    assert after.prefix == edited[after.start - 32 : after.start]
    assert after.suffix == edited[after.end : after.end + 32]


def test_passage_whose_last_word_was_rewritten_keeps_its_whole_extent(
    store: BookmarkStore,
) -> None:
    bookmark_passage(store)
    edited = ARTICLE.replace("were hit hardest", "were hit most severely")
    (after,) = store.reanchor("k1", edited)
    assert not after.orphaned
    assert after.quote == "protect the towns that were hit most severely"


def test_deleted_passage_is_kept_orphaned_with_its_text(store: BookmarkStore) -> None:
    b = bookmark_passage(store, note="important")
    paragraph_start = ARTICLE.index("The environment secretary")
    paragraph_end = ARTICLE.index("Opposition leaders")
    edited = ARTICLE[:paragraph_start] + ARTICLE[paragraph_end:]
    (after,) = store.reanchor("k1", edited)
    assert after.orphaned
    assert (after.quote, after.prefix, after.suffix) == (b.quote, b.prefix, b.suffix)
    assert (after.start, after.end, after.note) == (b.start, b.end, "important")
    assert store.list() == [after]  # still listed, never dropped
    # Putting the passage back (undo in the editor) brings the bookmark back to life.
    (revived,) = store.reanchor("k1", ARTICLE)
    assert not revived.orphaned and (revived.start, revived.quote) == (b.start, PASSAGE)


def test_a_deleted_short_passage_is_not_moved_to_the_same_words_elsewhere(
    store: BookmarkStore,
) -> None:
    text = ARTICLE
    start = text.index("the plan came too late")  # "the plan" also occurs later
    b = store.add("k1", "news/flood.txt", text, start, start + len("the plan"))
    edited = text.replace("Engineers warned that the plan came too late for some villages on "
                          "the coast.", "")
    assert edited.count("the plan") == 1
    (after,) = store.reanchor("k1", edited)
    assert after.orphaned and after.quote == b.quote == "the plan"


def test_of_two_exact_occurrences_the_one_in_context_is_chosen(store: BookmarkStore) -> None:
    b = bookmark_passage(store, passage="the money would")  # the first of two
    assert ARTICLE.count("the money would") == 2
    edited = ARTICLE.replace("Ministers agreed", "On Tuesday, after a long night, ministers agreed")
    (after,) = store.reanchor("k1", edited)
    assert not after.orphaned
    assert edited[after.start - 20 : after.start] == ARTICLE[b.start - 20 : b.start]
    assert after.start == edited.index("the money would")


def test_unchanged_text_and_other_articles_are_left_alone(store: BookmarkStore) -> None:
    b = bookmark_passage(store)
    other = store.add("k2", "b.txt", "Another article entirely.", 0, 7)
    assert store.reanchor("k1", ARTICLE) == [b]
    store.reanchor("k1", "Nothing of the old article remains.")
    assert store.get(other.id) == other
    assert store.get(b.id).orphaned


def test_a_whole_paragraph_edited_at_both_ends_is_found(store: BookmarkStore) -> None:
    paragraph = ARTICLE[ARTICLE.index("The environment") : ARTICLE.index("Opposition") - 2]
    b = bookmark_passage(store, passage=paragraph)
    assert len(b.quote) > 200
    edited_paragraph = paragraph.replace("The environment secretary", "The secretary").replace(
        "on the coast.", "along the coast."
    )
    edited = "Updated at 10:00.\n\n" + ARTICLE.replace(paragraph, edited_paragraph)
    (after,) = store.reanchor("k1", edited)
    assert not after.orphaned and after.quote == edited_paragraph


def test_reanchoring_does_not_overwrite_a_change_made_meanwhile(
    store: BookmarkStore, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    b = bookmark_passage(store)
    real = bm.store._reanchored

    def slow_match(old: bm.Bookmark, text: str) -> bm.Bookmark:
        # Another window restores an old copy of the bookmark while the matching runs.
        with BookmarkStore(data_dir) as other:
            other.remove(b.id)
            other.restore(bm.Bookmark(b.id, "k1", b.path, "another passage", "", "", 0, 15))
        return real(old, text)

    monkeypatch.setattr(bm.store, "_reanchored", slow_match)
    store.reanchor("k1", "Moved.\n\n" + ARTICLE)
    assert store.get(b.id).quote == "another passage"  # the other writer's version stands


def test_find_quote_allows_other_white_space_and_reports_every_place() -> None:
    text = "The plan was\nfine. The plan was late."
    assert find_quote(text, "plan was fine.") == [(4, 18)]
    assert find_quote(text, "The plan") == [(0, 8), (19, 27)]
    assert find_quote(text, "absent") == [] and find_quote(text, "  ") == []


def _brute_force_ends(text: str, pattern: str, k: int) -> list[tuple[int, int]]:
    prev, out = list(range(len(pattern) + 1)), []
    for j, ch in enumerate(text):
        cur = [0]
        for i in range(1, len(pattern) + 1):
            cur.append(min(prev[i] + 1, cur[i - 1] + 1, prev[i - 1] + (pattern[i - 1] != ch)))
        prev = cur
        if cur[-1] <= k:
            out.append((j + 1, cur[-1]))
    return out


def test_approximate_search_agrees_with_plain_dynamic_programming() -> None:
    rng = random.Random(5)
    for _ in range(500):
        text = "".join(rng.choice("ab c") for _ in range(rng.randint(0, 30)))
        pattern = "".join(rng.choice("abcd") for _ in range(rng.randint(1, 70)))
        k = rng.randint(0, len(pattern))
        assert bm.anchoring._approx_ends(text, pattern, k) == _brute_force_ends(text, pattern, k)


@pytest.mark.skipif(not BBC.is_dir(), reason="needs the shared BBC corpus")
def test_reanchoring_real_articles_never_points_at_a_wrong_passage() -> None:
    """Sentence-long bookmarks in 40 BBC articles, each through three kinds of edit."""
    rng = random.Random(3)
    files = rng.sample(sorted(BBC.glob("*/*.txt")), 40)
    found = orphaned = 0
    for path in files:
        text = path.read_text("utf-8", errors="replace")
        paragraphs = [p for p in text.split("\n\n")[1:] if len(p.split()) > 12]
        if len(paragraphs) < 2:
            continue
        para = rng.choice(paragraphs[1:])
        words = para.split(" ")
        i = rng.randrange(0, len(words) - 10)
        quote = " ".join(words[i : i + 10])
        start = text.index(para) + len(" ".join(words[:i])) + (1 if i else 0)
        assert text[start : start + len(quote)] == quote
        prefix, suffix = text[max(0, start - 32) : start], text[start + len(quote) :][:32]
        # 1. A paragraph inserted before: found exactly, moved.
        inserted = text.replace(para, paragraphs[0] + "\n\n" + para, 1)
        a = find_anchor(inserted, quote, prefix, suffix, start)
        assert a is not None and inserted[a.start : a.end] == quote
        assert a.start == inserted.index(paragraphs[0] + "\n\n" + para) + len(paragraphs[0]) + 2 + (
            start - text.index(para)
        )
        found += 1
        # 2. A word inside changed: found, and it is the same stretch of text.
        changed_words = list(words)
        changed_words[i + 5] = "reportedly"
        changed = text.replace(para, " ".join(changed_words), 1)
        a = find_anchor(changed, quote, prefix, suffix, start)
        expected = " ".join(changed_words[i : i + 10])
        assert a is not None and changed[a.start : a.end] == expected
        # 3. The paragraph deleted: orphaned, never moved somewhere else.
        deleted = text.replace(para, "", 1)
        if quote not in deleted:
            assert find_anchor(deleted, quote, prefix, suffix, start) is None
            orphaned += 1
    assert found >= 30 and orphaned >= 30


# ------------------------------------------------------------------ crashes and processes

_WRITER = """
import sys
from pathlib import Path
from index.bookmarks import BookmarkStore
text = "The minister said the plan was fair and would be debated in the spring. " * 20
store = BookmarkStore(Path(sys.argv[1]))
i = 0
while True:
    start = (i * 7) % 1000
    b = store.add("k%d" % (i % 5), "/news/%d.txt" % (i % 5), text, start, start + 40,
                  sys.argv[2] + str(i))
    print(b.id, flush=True)
    i += 1
    if len(sys.argv) > 3 and i >= int(sys.argv[3]):
        break
"""


def _writer(data_dir: Path, tag: str, count: int | None = None) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    argv = [sys.executable, "-c", _WRITER, str(data_dir), tag]
    if count is not None:
        argv.append(str(count))
    return subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, env=env, cwd=REPO)


def test_kill_9_between_writes_loses_no_committed_bookmark(data_dir: Path) -> None:
    proc = _writer(data_dir, "crash-")
    assert proc.stdout is not None
    reported = [int(proc.stdout.readline()) for _ in range(150)]
    os.kill(proc.pid, signal.SIGKILL)
    rest = proc.stdout.read()
    proc.stdout.close()
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    # Whatever it printed completely had been committed before it said so.
    reported += [int(line) for line in rest.split("\n")[:-1]]
    with sqlite3.connect(data_dir / "bookmarks.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with BookmarkStore(data_dir) as store:
        ids = {b.id for b in store.list()}
        assert set(reported) <= ids
        assert all(b.note.startswith("crash-") for b in store.list())
        # And the store is usable afterwards.
        assert store.add("k", "x.txt", "after the crash", 0, 5).id > max(reported)


def test_two_processes_can_write_at_once(data_dir: Path) -> None:
    procs = [_writer(data_dir, tag, 60) for tag in ("a", "b")]
    outs = [p.communicate(timeout=120)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    ids = [int(x) for out in outs for x in out.split()]
    assert len(ids) == len(set(ids)) == 120
    with BookmarkStore(data_dir) as store:
        notes = {b.note for b in store.list()}
    assert notes == {f"{t}{i}" for t in "ab" for i in range(60)}


# ------------------------------------------------------------------ export


def test_markdown_export_shows_passages_titles_and_notes(store: BookmarkStore) -> None:
    bookmark_passage(store, note="Check against the budget.")
    tricky = "*not* emphasis, # not a heading, <b>not html</b>"
    text = "Intro.\n\n" + tricky + "\n\nEnd."
    store.add("k2", "news/odd.txt", text, 8, 8 + len(tricky))
    gone = store.add("k3", "news/old.txt", "An old line that was deleted.", 3, 17)
    store.reanchor("k3", "Nothing left.")
    md = store.export_markdown({"k1": "Ministers agree on flood defence plan"})
    html = markdown.markdown(md)
    assert "<h2>Ministers agree on flood defence plan</h2>" in html
    assert f"<blockquote>\n<p>{PASSAGE}</p>\n</blockquote>" in html
    assert "<p>Check against the budget.</p>" in html
    # Article text is shown as written, never interpreted as Markdown.
    assert "*not* emphasis, # not a heading, &lt;b&gt;not html&lt;/b&gt;" in html
    assert "<h2>odd.txt</h2>" in html  # no title known: the file name stands in
    assert gone.quote in html and "no longer found" in html


def test_markdown_export_of_nothing_says_so(store: BookmarkStore) -> None:
    assert "No bookmarks yet." in store.export_markdown({})


def test_json_export_has_every_bookmark_and_can_be_restored(
    store: BookmarkStore, tmp_path: Path
) -> None:
    a = bookmark_passage(store, note="one")
    b = bookmark_passage(store, passage="We have", note="two")
    doc = json.loads(store.export_json())
    assert doc["format"] == "broadsheet-bookmarks" and doc["version"] == 1
    assert doc["bookmarks"] == [a.to_dict(), b.to_dict()]
    with BookmarkStore(tmp_path / "elsewhere") as other:
        for d in doc["bookmarks"]:
            other.restore(bm.Bookmark(**d))
        assert other.list() == [a, b]


# ------------------------------------------------------------------ command line


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "flood.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_cli_add_then_list_as_json(
    article: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(["bookmarks", "add", str(article), "--quote", PASSAGE, "--note", "n1"]) == 0
    assert "Bookmark #1" in capsys.readouterr().out
    # Quotes typed on one line find passages that span a line break.
    assert cli(["bookmarks", "add", str(article), "--quote", "Opposition leaders welcomed"]) == 0
    capsys.readouterr()
    assert cli(["bookmarks", "list", "--json"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    rows = [json.loads(line) for line in lines]
    keys = {"id", "key", "path", "quote", "prefix", "suffix", "start", "end", "note",
            "created", "orphaned"}
    assert all(set(r) == keys for r in rows)
    assert rows[0]["quote"] == PASSAGE and rows[0]["note"] == "n1"
    assert rows[0]["path"] == str(article.resolve())
    assert ARTICLE[rows[0]["start"] : rows[0]["end"]] == PASSAGE
    assert rows[0]["orphaned"] is False
    from index.paths import document_key

    assert rows[0]["key"] == document_key(article)


def test_cli_add_user_errors_exit_1_with_one_line(
    article: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = [
        (["--quote", "the money would"], "2 times"),  # ambiguous
        (["--quote", "not in the article"], "not in"),
        (["--quote", "   "], "empty"),
    ]
    for extra, message in cases:
        assert cli(["bookmarks", "add", str(article), *extra]) == 1
        err = capsys.readouterr().err
        assert message in err and len(err.strip().splitlines()) == 1
    assert cli(["bookmarks", "add", str(article.with_name("nope.txt")), "--quote", "x"]) == 1
    assert "no such file" in capsys.readouterr().err
    assert cli(["bookmarks", "list", "--json"]) == 0
    assert capsys.readouterr().out == ""  # nothing was added


def test_cli_list_table_remove_and_orphans(
    article: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(["bookmarks", "list"]) == 0
    assert "No bookmarks yet." in capsys.readouterr().out
    assert cli(["bookmarks", "add", str(article), "--quote", PASSAGE, "--note", "read"]) == 0
    with BookmarkStore(data_dir) as store:
        store.reanchor(store.list()[0].key, "The whole article was rewritten.")
    capsys.readouterr()
    assert cli(["bookmarks", "list"]) == 0
    out = capsys.readouterr().out
    assert "flood.txt" in out and PASSAGE in out and "read" in out and "orphaned" in out
    assert cli(["bookmarks", "remove", "7"]) == 1
    assert "no bookmark #7" in capsys.readouterr().err
    assert cli(["bookmarks", "remove", "1"]) == 0
    assert cli(["bookmarks", "list", "--json"]) == 0
    assert capsys.readouterr().out.endswith("Removed bookmark #1: “" + PASSAGE + "”\n")


def test_cli_export(
    article: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(["bookmarks", "add", str(article), "--quote", PASSAGE, "--note", "read"]) == 0
    capsys.readouterr()
    assert cli(["bookmarks", "export", "--format", "md"]) == 0
    md = capsys.readouterr().out
    assert "## Ministers agree on flood defence plan" in md  # the article's own title
    assert f"> {PASSAGE}" in md and "read" in md
    out = tmp_path / "out" / "bookmarks.json"
    assert cli(["bookmarks", "export", "--format", "json", "--output", str(out)]) == 1
    assert "cannot write" in capsys.readouterr().err
    out.parent.mkdir()
    out.write_text("old export")
    assert cli(["bookmarks", "export", "--format", "json", "--output", str(out)]) == 0
    assert json.loads(out.read_text())["bookmarks"][0]["quote"] == PASSAGE
    assert [p.name for p in out.parent.iterdir()] == ["bookmarks.json"]  # no temporary left


def test_cli_remove_needs_a_number(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(["bookmarks", "remove", "first"]) == 1
    assert "not a bookmark number" in capsys.readouterr().err


# ------------------------------------------------------------------ with the real library


Indexed = tuple[Path, Callable[..., None]]


@pytest.fixture
def indexed(tmp_path: Path, data_dir: Path, analyser: Any) -> Indexed:
    """An article indexed by the real library, with one bookmark made from the command line."""
    from index.library import Library

    source = tmp_path / "sources"
    source.mkdir()
    path = source / "flood.txt"
    path.write_text(ARTICLE, encoding="utf-8")

    def update(**kw: bool) -> None:
        with Library(data_dir, with_seeds=False, analyser=analyser) as library:
            library.add_sources([source])
            library.update(**kw)

    update()
    assert cli(["bookmarks", "add", str(path), "--quote", PASSAGE, "--note", "mine"]) == 0
    return path, update


@pytest.mark.slow
def test_library_update_moves_bookmarks_with_the_edit(indexed: Indexed, data_dir: Path) -> None:
    path, update = indexed
    path.write_text("Correction: the date was wrong.\n\n" + ARTICLE.replace("hit", "struck"))
    update()
    with BookmarkStore(data_dir) as store:
        (b,) = store.list()
    text = path.read_text()
    assert not b.orphaned and b.note == "mine"
    assert text[b.start : b.end] == b.quote == "protect the towns that were struck hardest"


@pytest.mark.slow
def test_rebuilding_the_index_keeps_every_bookmark(indexed: Indexed, data_dir: Path) -> None:
    _path, update = indexed
    with BookmarkStore(data_dir) as store:
        before = store.list()
    update(rebuild=True)
    with BookmarkStore(data_dir) as store:
        assert store.list() == before and len(before) == 1


@pytest.mark.slow
def test_a_rebuild_after_an_edit_still_moves_bookmarks(indexed: Indexed, data_dir: Path) -> None:
    path, update = indexed
    path.write_text("Correction: the date was wrong.\n\n" + ARTICLE)
    update(rebuild=True)
    with BookmarkStore(data_dir) as store:
        (b,) = store.list()
    assert path.read_text()[b.start : b.end] == PASSAGE


# ------------------------------------------------------------------ issue 10 (10), issue 13


def test_a_bookmark_whose_file_was_deleted_is_orphaned(
    article: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(["bookmarks", "add", str(article), "--quote", PASSAGE]) == 0
    capsys.readouterr()
    article.unlink()
    assert cli(["bookmarks", "list", "--json"]) == 0
    (row,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert row["orphaned"] is True and row["quote"] == PASSAGE  # kept, with its text
    with BookmarkStore(data_dir) as store:
        assert store.list()[0].orphaned and store.get(row["id"]).orphaned
    # The file back: no longer orphaned (nothing was written about it).
    article.write_text(ARTICLE, encoding="utf-8")
    with BookmarkStore(data_dir) as store:
        assert not store.list()[0].orphaned


def test_the_saved_quote_has_no_white_space_at_its_ends(store: BookmarkStore) -> None:
    passage = "Engineers warned that the plan came too late"
    start = ARTICLE.index(passage)
    # A selection dragged from the space before to the space after the words.
    b = store.add("k1", "a.txt", ARTICLE, start - 1, start + len(passage) + 1)
    assert b.quote == passage
    assert (b.start, b.end) == (start, start + len(passage))
    assert b.prefix == ARTICLE[start - 32 : start] and b.prefix.endswith("spring. ")
    assert b.suffix == ARTICLE[b.end : b.end + 32] and b.suffix.startswith(" for some")
    end_of_title = ARTICLE.index("\n")
    with pytest.raises(BookmarkError, match="white space"):
        store.add("k1", "a.txt", ARTICLE, end_of_title, end_of_title + 2)


def test_opening_a_store_writes_nothing_when_nothing_needs_writing(data_dir: Path) -> None:
    with BookmarkStore(data_dir) as store:
        bookmark_passage(store)
    before = (data_dir / bm.FILENAME).read_bytes()
    with BookmarkStore(data_dir) as store:
        assert len(store.list()) == 1
        store.export_json()
    assert (data_dir / bm.FILENAME).read_bytes() == before


def test_a_read_only_store_lists_and_refuses_writes_in_one_sentence(data_dir: Path) -> None:
    with BookmarkStore(data_dir) as store:
        b = bookmark_passage(store, note="kept")
    with BookmarkStore(data_dir, read_only=True) as store:
        assert store.read_only
        assert [x.note for x in store.list()] == ["kept"]
        assert json.loads(store.export_json())["bookmarks"][0]["quote"] == PASSAGE
        for write in (
            lambda: bookmark_passage(store),
            lambda: store.set_note(b.id, "changed"),
            lambda: store.remove(b.id),
        ):
            with pytest.raises(BookmarkError) as caught:
                write()
            message = str(caught.value)
            assert message == f"Bookmarks cannot be saved: {data_dir / bm.FILENAME} is read-only."
    with BookmarkStore(data_dir) as store:
        assert store.get(b.id).note == "kept"


def test_a_read_only_place_with_no_store_lists_nothing(tmp_path: Path) -> None:
    with BookmarkStore(tmp_path / "never-made", read_only=True) as store:
        assert store.list() == [] and store.keys() == set()
        assert "No bookmarks yet." in store.export_markdown({})
        with pytest.raises(BookmarkError, match="never-made is read-only"):
            bookmark_passage(store)
    assert not (tmp_path / "never-made").exists()


def test_a_file_name_that_is_not_utf8(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `bookmarks add` failed with "surrogates not allowed" (issue 13, 1).
    name = os.fsdecode(b"fl\xf6od.txt")  # Latin-1 ö: a surrogate escape in Python
    article = tmp_path / name
    article.write_text(ARTICLE, encoding="utf-8")
    assert cli(["bookmarks", "add", str(article), "--quote", PASSAGE]) == 0
    assert "Bookmark #1" in capsys.readouterr().out
    with BookmarkStore(data_dir) as store:
        (b,) = store.list()
    assert b.path == str(article.resolve()) and not b.orphaned  # the exact name, read back
    assert cli(["bookmarks", "list", "--json"]) == 0
    row = json.loads(capsys.readouterr().out)
    assert row["path"].endswith("fl\ufffdod.txt") and row["orphaned"] is False
    assert cli(["bookmarks", "list"]) == 0
    assert "fl\ufffdod.txt" in capsys.readouterr().out
    for fmt in ("md", "json"):
        assert cli(["bookmarks", "export", "--format", fmt]) == 0
        assert "fl\ufffdod.txt" in capsys.readouterr().out
