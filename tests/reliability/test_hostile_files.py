"""A folder of hostile files beside 49 good articles (issue 13, 1 and 8).

One file's failure is that file's problem: reading any file gives an article or a
:class:`DocumentError` with a reason, never another exception; the library indexes the 49
and every odd-but-readable article, names each bad file with its reason, and
``broadsheet index`` exits 1. The analyser is a stand-in (no spaCy): what is under test is
reading, naming and indexing, not the analysis.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from corpus import GOOD_COUNT, Corpus, make_corpus
from soak import SOAK  # tests/reliability is on sys.path (no __init__)

from index import paths
from index.documents import DocumentError, load_document
from index.library import Library
from index.model import Analysis, Document


class NoAnalysis:
    """Analyses nothing (an empty analysis for every document), instantly."""

    def analyse_many(self, documents: Iterable[Document]) -> Iterator[Analysis]:
        for _ in documents:
            yield Analysis()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return make_corpus(tmp_path_factory.mktemp("hostile") / "articles",
                       huge_bytes=10_000_000 if SOAK else 1_000_000)


def test_every_file_reads_as_an_article_or_a_document_error(
    corpus: Corpus, figures: dict[str, Any]
) -> None:
    slowest = (0.0, "")
    for path in [*corpus.good, *corpus.bad, *corpus.odd]:
        started = time.perf_counter()
        try:
            document = load_document(path)
        except DocumentError as exc:
            assert path not in corpus.good, exc
            reason = exc.reason
            assert reason and "\n" not in reason
            str(exc).encode("utf-8")  # printable, whatever the file's name
            if path in corpus.bad:
                assert any(w in reason for w in corpus.bad[path]), (path, reason)
        else:
            assert path not in corpus.bad, path
            assert document.text.strip()
            document.path.name.encode("utf-8", "surrogateescape")
        slowest = max(slowest, (time.perf_counter() - started, path.name))
    figures["hostile files: slowest file read (s)"] = slowest[0]
    figures["hostile files: slowest file"] = paths.display(slowest[1])[:60]


@pytest.fixture(scope="module")
def indexed(
    corpus: Corpus, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Library, Any]]:
    library = Library(tmp_path_factory.mktemp("hostile-data"), with_seeds=False,
                      analyser=NoAnalysis(), processes=1)
    library.add_sources([corpus.folder])
    report = library.update()
    yield library, report
    library.close()


def _keys(paths_: Iterable[Path]) -> dict[str, Path]:
    return {paths.document_key(p): p for p in paths_}


def test_index_adds_the_good_files_and_names_each_bad_one(
    corpus: Corpus, indexed: tuple[Library, Any], figures: dict[str, Any]
) -> None:
    library, report = indexed
    listed = {info.key for info in library.documents()}
    copies = {paths.document_key(c) for info in library.documents() for c in info.copies}
    known = listed | copies
    good = _keys(corpus.good)
    assert set(good) <= known, [good[k].name for k in set(good) - known]
    problems = {Path(p.path): p.reason for p in library.problems()}
    for path, words in corpus.bad.items():
        assert path in problems, f"{path.name} is not named"
        assert any(w in problems[path].lower() for w in words), (path.name, problems[path])
    odd = _keys(corpus.odd)
    named = {paths.document_key(p) for p in problems}
    shown = {paths.display(p) for p in problems}  # a name that is not UTF-8 is shown so
    unaccounted = [odd[k] for k in odd
                   if k not in known and k not in named and paths.display(odd[k]) not in shown]
    # A dangling link may simply be skipped; every other odd file is indexed or named.
    assert [p.name for p in unaccounted if not p.is_symlink()] == []
    assert not set(_keys(corpus.ignored)) & (known | named)
    figures["hostile files: good articles indexed"] = f"{len(set(good) & known)} of {GOOD_COUNT}"
    figures["hostile files: odd articles indexed"] = f"{len(set(odd) & known)} of {len(odd)}"
    figures["hostile files: bad files named"] = f"{len(corpus.bad)} of {len(corpus.bad)}"
    figures["hostile files: index seconds"] = float(report.seconds)


def test_a_second_update_is_calm(indexed: tuple[Library, Any]) -> None:
    library, first = indexed
    again = library.update()
    assert not again.added and not again.removed
    assert {p.path for p in library.problems()} >= {p.path for p in first.failed}


def test_cli_index_names_each_bad_file_and_exits_1(
    corpus: Corpus, data_dir: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from index.cli import main as cli

    monkeypatch.setattr(Library, "_analyser_for", lambda self, count: NoAnalysis())
    assert cli(["index", "--no-seeds", str(corpus.folder)]) == 1
    out = capsys.readouterr().out
    out.encode("utf-8")
    for path in corpus.bad:
        assert f"failed: {path}: " in out, path.name
    assert f"{len(corpus.good)} added" not in out or "failed" in out


def test_analyze_json_prints_a_file_name_that_is_not_utf8(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # `analyze --json` failed with "surrogates not allowed" (issue 13, 1).
    import json
    import os

    import index.analysis
    from index.cli import main as cli

    monkeypatch.setattr(index.analysis, "Analyser", NoAnalysis)
    path = tmp_path / os.fsdecode(b"caf\xe9.txt")
    path.write_text("Headline\n\nSome text.\n", encoding="utf-8")
    assert cli(["analyze", "--json", str(path)]) == 0
    row = json.loads(capsys.readouterr().out)
    assert row["file"].endswith("caf\ufffd.txt") and row["title"] == "Headline"
    assert cli(["analyze", str(path)]) == 0
    assert "caf\ufffd.txt" in capsys.readouterr().out


_MARKUP = ["<p>", "</p>", "<div>", "</div>", "<script>", "</script>", "<h1>", "</h1>", "<br>",
           "<!--", "-->", "<![CDATA[", "&amp;", "&#x110000;", "&#0;", "<meta charset=foo>",
           "# ", "> ", "- ", "1. ", "```", "    ", "\t", "*", "_", "[", "](", ")", "\n", "\r",
           "\ufeff", "“", "é", "\x00", "\x85", "\u2028"]


def test_fuzzed_files_read_as_an_article_or_a_document_error(
    tmp_path: Path, figures: dict[str, Any]
) -> None:
    """Hypothesis writes bytes and markup soup as .txt, .md and .html files: reading each
    gives an article (a .txt's text the file's own) or a DocumentError, nothing else."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    soup = st.lists(st.one_of(st.sampled_from(_MARKUP), st.text(max_size=20)), max_size=60)
    content = st.one_of(
        st.binary(max_size=2000),
        soup.map(lambda parts: "".join(parts).encode("utf-8", "surrogatepass")),
        soup.map(lambda parts: "".join(parts).encode("utf-16")),
        st.integers(1, 300).map(lambda n: ("<div>" * n + "x" + "</div>" * n).encode()),
        st.integers(1, 300).map(lambda n: "".join("  " * i + "- i\n" for i in range(n)).encode()),
    )
    counter = iter(range(10**9))
    refused: list[str] = []

    @settings(max_examples=2000 if SOAK else 200, deadline=None, derandomize=True,
              database=None, suppress_health_check=list(HealthCheck))
    @given(content, st.sampled_from([".txt", ".md", ".html"]))
    def one(data: bytes, suffix: str) -> None:
        path = tmp_path / f"f{next(counter)}{suffix}"
        path.write_bytes(data)
        try:
            document = load_document(path)
        except DocumentError as exc:
            assert exc.reason and "\n" not in exc.reason
            refused.append(exc.reason)
            return
        assert document.text.strip()
        for block in document.blocks:
            assert 0 <= block.start <= block.end <= len(document.text)

    one()
    read = next(counter)
    figures["fuzzed files"] = (
        f"{read} files, {read - len(refused)} articles, {len(refused)} DocumentErrors, "
        "0 other exceptions"
    )
