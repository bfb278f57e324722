"""The stored fields of an article: written from its text and analysis, read back, and
its manifest entry."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from index.library import schema as S
from index.library.files import _Found, _sha256
from index.model import Analysis, Block, Document


def text_fields(f: _Found, document: Document) -> dict[str, Any]:
    """The fields of an article's text (phase 1): stored and searchable, not analysed."""
    return {
        S.KEY: f.key,
        S.PATH: f.path,
        S.SOURCE: str(f.source),
        S.TITLE: document.title or Path(f.path).stem,
        S.DATELINE: document.dateline,
        S.DATELINE_SPAN: list(document.dateline_span) if document.dateline_span else None,
        S.TEXT: document.text,
        S.SIZE: f.size,
        S.MTIME: f.mtime,
        S.SHA256: document.sha256 or _sha256(f.path) or "",
        S.FORMAT: document.format,
        S.ENCODING: document.encoding,
        S.WARNINGS: list(document.warnings),
        S.BLOCKS: [[b.kind, b.start, b.end, b.level] for b in document.blocks],
        S.ANALYSED: S.NO,
    }


def analysed_fields(stored: dict[str, Any], analysis: Analysis) -> dict[str, Any]:
    """The fields of an analysed article (phase 2): its stored text fields, the word
    pairs, the people and places, and the analysis."""
    fields = {k: v for k, v in stored.items() if k not in _ANALYSIS_FIELDS}
    fields[S.PAIRS] = stored.get(S.TEXT) or ""
    fields[S.PERSON] = S.person_keywords(analysis.people)
    fields[S.PLACE] = S.place_keywords(analysis.places)
    fields[S.ANALYSIS] = json.dumps(analysis.to_dict(), ensure_ascii=False)
    fields[S.ANALYSED] = S.YES
    return fields


_ANALYSIS_FIELDS = (S.PAIRS, S.PERSON, S.PLACE, S.ANALYSIS, S.ANALYSED)


def unpaired_fields(whole: dict[str, Any]) -> dict[str, Any]:
    """An analysed article's fields without its word pairs (:data:`S.UNPAIRED`)."""
    fields = {k: v for k, v in whole.items() if k != S.PAIRS}
    fields[S.ANALYSED] = S.UNPAIRED
    return fields


def article_fields(f: _Found, document: Document, analysis: Analysis) -> dict[str, Any]:
    """The fields of an article written in one go (text and analysis)."""
    return analysed_fields(text_fields(f, document), analysis)


def document_from_stored(fields: dict[str, Any]) -> Document:
    """The document the analyser reads, as the index stores it (its offsets are those of
    the stored text, whatever happened to the file since)."""
    span = fields.get(S.DATELINE_SPAN)
    return Document(
        path=Path(fields.get(S.PATH) or ""),
        text=fields.get(S.TEXT) or "",
        format=fields.get(S.FORMAT) or "txt",
        title=fields.get(S.TITLE) or "",
        dateline=fields.get(S.DATELINE),
        dateline_span=(int(span[0]), int(span[1])) if span else None,
        blocks=tuple(Block(k, a, b, lv) for k, a, b, lv in fields.get(S.BLOCKS) or ()),
        encoding=fields.get(S.ENCODING) or "utf-8",
        warnings=tuple(fields.get(S.WARNINGS) or ()),
        sha256=fields.get(S.SHA256) or "",
        size=int(fields.get(S.SIZE) or 0),
        mtime=float(fields.get(S.MTIME) or 0.0),
    )


def analysis_dict(fields: dict[str, Any]) -> dict[str, Any]:
    raw = fields.get(S.ANALYSIS)
    if isinstance(raw, str):
        loaded: dict[str, Any] = json.loads(raw)
        return loaded
    return raw or {}


def manifest_entry(fields: dict[str, Any]) -> dict[str, Any]:
    entry = {k: fields.get(k) for k in (S.PATH, S.SIZE, S.MTIME, S.SHA256)}
    entry[S.ANALYSED] = fields.get(S.ANALYSED) in (S.YES, S.UNPAIRED)
    entry[PAIRED] = fields.get(S.ANALYSED) == S.YES
    return entry


#: In a manifest entry: the article's word pairs are written (it is whole).
PAIRED = "paired"


def fields_from_stored(stored: dict[str, Any]) -> dict[str, Any]:
    """The fields to write again for a document rebuilt from what the index stored."""
    state = stored.get(S.ANALYSED)
    if state not in (S.YES, S.UNPAIRED):
        return {k: v for k, v in stored.items() if k not in _ANALYSIS_FIELDS} | {
            S.ANALYSED: S.NO}
    whole = analysed_fields(stored, Analysis.from_dict(analysis_dict(stored)))
    return whole if state == S.YES else unpaired_fields(whole)
