"""Bookmarks written out: JSON a program can read back, Markdown a person can read."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from index import paths
from index.model import Bookmark

__all__ = ["EXPORT_VERSION", "exported", "to_json", "to_markdown"]

#: Version of the JSON export format.
EXPORT_VERSION = 1


def to_json(bookmarks: Sequence[Bookmark], now: str) -> str:
    """``bookmarks`` as one JSON document (``now``: the time of the export, ISO 8601)."""
    return json.dumps(
        {
            "format": "broadsheet-bookmarks",
            "version": EXPORT_VERSION,
            "exported": now,
            "bookmarks": [exported(b) for b in bookmarks],
        },
        ensure_ascii=False,
        indent=2,
    ) + "\n"


def to_markdown(bookmarks: Sequence[Bookmark], titles: Mapping[str, str]) -> str:
    """``bookmarks`` as Markdown: one section per article (``titles`` maps key to title;
    the file name stands in for a missing one), each passage a block quote with its note."""
    by_key: dict[str, list[Bookmark]] = {}
    for b in bookmarks:
        by_key.setdefault(b.key, []).append(b)
    out = ["# Bookmarks", ""]
    if not by_key:
        out += ["No bookmarks yet.", ""]

    def title_of(key: str) -> str:
        return titles.get(key) or paths.display(Path(by_key[key][0].path).name)

    for key in sorted(by_key, key=lambda k: (title_of(k).casefold(), k)):
        marks = sorted(by_key[key], key=lambda b: (b.start, b.id))
        out += [f"## {_md_escape(title_of(key))}", "", f"`{paths.display(marks[0].path)}`", ""]
        for b in marks:
            out += ["> " + line if line else ">" for line in _md_escape(b.quote).splitlines()]
            out.append("")
            if b.note.strip():
                out += [b.note.strip(), ""]
            meta = f"*Bookmark #{b.id}, {b.created.replace('T', ' ').replace('Z', ' UTC')}"
            if b.orphaned:
                meta += (" — no longer found in the article (edited away, or the file is "
                         "gone); this is the text as it was")
            out += [meta.rstrip() + "*", ""]
    return "\n".join(out).rstrip("\n") + "\n"


def exported(b: Bookmark) -> dict[str, Any]:
    """``b`` as a dictionary for JSON: its path as text any encoder takes (a file name that
    is not UTF-8 shows U+FFFD for its bad bytes; see :func:`index.paths.display`)."""
    d = b.to_dict()
    d["path"] = paths.display(b.path)
    return d


# Characters that Markdown (CommonMark and Python-Markdown alike) would read as markup, each
# escaped as both understand: a backslash where both allow one, an entity otherwise.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]>])")
_MD_ENTITY = re.compile(r"<|&(?=#?\w+;)")
_MD_LINE_START = re.compile(r"^(\s*)([#+\-])", re.MULTILINE)
_MD_NUMBERED = re.compile(r"^(\s*\d+)([.)])", re.MULTILINE)
_MD_SETEXT = re.compile(r"^(\s*)=", re.MULTILINE)


def _md_escape(text: str) -> str:
    """Plain text made safe to put in Markdown: it reads as itself, not as markup."""
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _MD_ENTITY.sub(lambda m: "&lt;" if m.group() == "<" else "&amp;", text)
    text = _MD_LINE_START.sub(r"\1\\\2", text)
    text = _MD_SETEXT.sub(r"\1&#61;", text)
    return _MD_NUMBERED.sub(r"\1\\\2", text)
