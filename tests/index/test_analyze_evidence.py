"""``broadsheet analyze FILE...`` decides what a name is with the evidence of every file
given, as the library does; ``--alone`` decides each file on its own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.cli import main

pytestmark = pytest.mark.slow


def people(out: str) -> dict[str, list[str]]:
    found = {}
    for line in out.splitlines():
        result = json.loads(line)
        assert "evidence" not in result
        found[Path(result["file"]).name] = [p["name"] for p in result["people"]]
    return found


def test_files_given_together_share_their_evidence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Alone, nothing in the first article shows "Keane" to be a person (it could be a band);
    # the second article names him in full, with a role.
    concert = tmp_path / "concert.txt"
    concert.write_text("Fans queued for hours to see Keane play in Leeds on Friday.\n")
    interview = tmp_path / "interview.txt"
    interview.write_text("Tom Keane, the singer, said he was delighted with the tour.\n")
    assert main(["analyze", "--json", "--alone", str(concert), str(interview)]) == 0
    assert people(capsys.readouterr().out) == {"concert.txt": [],
                                               "interview.txt": ["Tom Keane"]}
    assert main(["analyze", "--json", str(concert), str(interview)]) == 0
    assert people(capsys.readouterr().out) == {"concert.txt": ["Keane"],
                                               "interview.txt": ["Tom Keane"]}


def test_a_work_in_apposition_or_after_a_years_possessive_is_not_a_person(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    obituary = tmp_path / "obituary.txt"
    obituary.write_text(
        "Comic Cyril Lane dies\n\n"
        "Cyril Lane played the king in the first televised pantomime, Dick Whittington. "
        "He appeared in several films, including 1947's Nicholas Nickleby. He married "
        "actress Betty Astor in 1941, his agent Tom Reed said.\n"
    )
    assert main(["analyze", "--json", str(obituary)]) == 0
    found = people(capsys.readouterr().out)["obituary.txt"]
    assert "Dick Whittington" not in found and "Nicholas Nickleby" not in found
    assert "Cyril Lane" in found
