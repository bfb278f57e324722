"""``broadsheet analyze [--json] PATH...``: what the analyser finds in each article.

With ``--json`` it prints one object per line per file —
``{"file", "title", "people", "places", "statements"}`` — the format the evaluation scorers
read. Bad files are reported on stderr, by name with the reason, and the rest are still
analysed; the model is loaded once and documents go through ``nlp.pipe`` in batches.

The files given in one call are read together, as a library reads its articles: what kind
of name each name is (person, place or neither) is decided with the evidence of all of them
(:mod:`index.evidence`), so the results are printed once every file is analysed. With
``--alone`` each file is decided on its own evidence and printed as soon as it is done.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from index import evidence
from index.model import Analysis, Document
from index.paths import display, is_article


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "analyze",
        help="list the people, places and statements in articles",
        description="Analyse articles (files, or folders of .txt/.md/.html) and print what "
        "they name and quote.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders")
    p.add_argument("--json", action="store_true", help="one JSON object per line per file")
    p.add_argument("--alone", action="store_true",
                   help="decide each file on its own, not with the evidence of all files given")
    p.set_defaults(func=run)


def expand(paths: list[str]) -> Iterator[Path]:
    """The files named, with folders replaced by the articles inside them (sorted)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and is_article(p))
        else:
            yield path


def run(args: argparse.Namespace) -> int:
    from index.analysis import Analyser, analysis_note
    from index.documents import DocumentError, load_document

    failures = 0

    def documents() -> Iterator[Document]:
        nonlocal failures
        for path in expand(args.paths):
            try:
                document = load_document(path)
            except DocumentError as exc:
                failures += 1
                print(f"broadsheet: {display(path)}: {exc.reason}", file=sys.stderr)
                continue
            for warning in (*document.warnings, analysis_note(document)):
                if warning:
                    print(f"broadsheet: {display(path)}: warning: {warning}", file=sys.stderr)
            yield document

    analysed: list[Document] = []

    def remembered() -> Iterator[Document]:
        for document in documents():
            analysed.append(document)
            yield document

    analyser = Analyser()
    out = sys.stdout

    def show(document: Document, analysis: Analysis) -> None:
        if args.json:
            out.write(json.dumps(as_json(document, analysis), ensure_ascii=False) + "\n")
        else:
            out.write(summary(document, analysis) + "\n")
        out.flush()

    decisions = evidence.Decisions()
    done: list[tuple[Document, Analysis]] = []
    for analysis in analyser.analyse_many(remembered()):
        # Only what is printed is kept: the text goes, the analysis (small) stays.
        document = dataclasses.replace(analysed.pop(0), text="", blocks=())
        if args.alone:
            show(document, evidence.apply(analysis, evidence.decide([analysis])))
            continue
        decisions.add(analysis)
        done.append((document, analysis))
    for document, analysis in done:
        show(document, evidence.apply(analysis, decisions))
    return 1 if failures else 0


def as_json(document: Document, analysis: Analysis) -> dict[str, object]:
    found = analysis.to_dict()
    found.pop("evidence", None)
    # display(): a file name that is not UTF-8 would make the JSON line unwritable
    return {"file": display(document.path), "title": document.title, **found}


def summary(document: Document, analysis: Analysis) -> str:
    lines = [display(document.path), f"  {document.title}"]
    if document.dateline:
        lines.append(f"  Dateline: {document.dateline}")
    lines.append(f"  People ({len(analysis.people)}):")
    for person in analysis.people:
        role = f", {person.role}" if person.role else ""
        also = f" (also {', '.join(person.aliases)})" if person.aliases else ""
        lines.append(f"    {person.name}{role}{also} — {_mentions(person.mentions)}")
    lines.append(f"  Places ({len(analysis.places)}):")
    for place in analysis.places:
        kind = f" [{place.kind}]" if place.kind else ""
        lines.append(f"    {place.name}{kind} — {_mentions(place.mentions)}")
    lines.append(f"  Statements ({len(analysis.statements)}):")
    for statement in analysis.statements:
        speaker = statement.speaker or "unknown speaker"
        text = statement.text if len(statement.text) <= 100 else statement.text[:99] + "…"
        lines.append(f"    {speaker} ({statement.cue or '—'}): “{text}”")
    return "\n".join(lines)


def _mentions(spans: tuple[tuple[int, int], ...]) -> str:
    return f"{len(spans)} mention" + ("" if len(spans) == 1 else "s")
