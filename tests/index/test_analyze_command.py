"""``broadsheet analyze``: the JSON contract the scorers read, bad files, folders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.cli import main

KEYS = {"file", "title", "people", "places", "statements"}


@pytest.mark.slow
def test_json_lines_with_the_contract_keys(
    seed_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["analyze", "--json", str(seed_path)]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    result = json.loads(line)
    assert set(result) == KEYS
    assert result["file"] == str(seed_path)
    text = seed_path.read_text(encoding="utf-8")
    austin = next(p for p in result["people"] if p["name"] == "Lloyd Austin")
    assert set(austin) == {"name", "role", "aliases", "mentions"}
    assert all(text[a:b].endswith("Austin") for a, b in austin["mentions"])
    place = result["places"][0]
    assert set(place) == {"name", "kind", "aliases", "mentions"}
    statement = result["statements"][0]
    assert set(statement) == {"text", "start", "end", "speaker", "speaker_kind", "cue"}
    assert all(text[s["start"] : s["end"]] == s["text"] for s in result["statements"])


@pytest.mark.slow
def test_bad_files_are_reported_and_the_good_ones_analysed(
    tmp_path: Path, seed_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    missing = tmp_path / "gone.txt"
    good = tmp_path / "good.md"
    good.write_text("# Talks in Paris\n\nAngela Merkel met Emmanuel Macron in Paris.\n")
    code = main(["analyze", "--json", str(empty), str(binary), str(missing), str(good)])
    out, err = capsys.readouterr()
    assert code == 1  # some files could not be read
    (line,) = out.splitlines()
    result = json.loads(line)
    assert result["title"] == "Talks in Paris"
    assert {p["name"] for p in result["people"]} == {"Angela Merkel", "Emmanuel Macron"}
    for path in (empty, binary, missing):
        assert str(path) in err  # each named, with its reason
    assert "Traceback" not in err


@pytest.mark.slow
def test_a_folder_is_its_articles_and_the_summary_is_readable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.txt").write_text("Talks\n\nAngela Merkel flew to Paris.\n")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    assert main(["analyze", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "a.txt" in out and "notes.pdf" not in out
    assert "Angela Merkel — 1 mention" in out
    assert "Paris [city] — 1 mention" in out


def test_no_files_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze"]) == 1
    assert "PATH" in capsys.readouterr().err
