"""Reading article files: bytes on disk to one analysed text.

:func:`load_document` turns a ``.txt``, ``.md``/``.markdown`` or ``.html``/``.htm`` file
into an :class:`index.model.Document`. Every offset in the program (entities, quotations,
search hits, bookmarks) indexes ``Document.text``, so this module decides that text once:

* **Plain text** is the decoded file content character for character, exactly what
  ``Path.read_text(encoding=...)`` gives: ``\\r\\n`` and lone ``\\r`` become ``\\n`` (Python's
  universal newlines) and a byte-order mark is dropped; nothing else changes.
* **Markdown** is rendered with the ``markdown`` package and **HTML** is reduced to its
  readable text (no scripts, styles, navigation, page header/footer, asides or forms), each
  to paragraphs separated by blank lines, white space inside a paragraph collapsed and
  entities decoded. ``Document.blocks`` records the structure (title, headings, paragraphs,
  list items, quotations, code) as spans of that same text, so the reader can show headings
  and lists without changing any offset.

Encodings: UTF-8 (with or without a BOM), UTF-16/32 with a BOM, the ``<meta charset>`` of
an HTML file, then a guess (Windows-1252 when the bytes read as Western European text,
else charset-normalizer's answer, else Windows-1252). Anything other than clean UTF-8
leaves a sentence in ``Document.warnings``. A UTF-8 file with a few stray single-byte
characters (one Latin-1 pound sign, say) keeps its UTF-8 and reads those bytes as
Windows-1252. Files that cannot be read as an article raise :class:`DocumentError` with a
reason a user understands.

Title and dateline are found here too; see :func:`document_from_text`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from pathlib import Path

from index import paths
from index.documents.files import (
    DEFAULT_MAX_BYTES,
    DocumentError,
    decode,
    read_bytes,
    universal_newlines,
)
from index.documents.markup import Piece, TooDeep, html_pieces, markdown_pieces
from index.documents.structure import (
    find_dateline,
    markup_title,
    title_from_sentence,
    txt_structure,
)
from index.model import Block, Document
from index.paths import ARTICLE_FORMATS

log = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_MAX_BYTES", "DocumentError", "decode", "document_from_text", "load_document",
]


def load_document(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Reads ``path`` into a :class:`Document`.

    Raises :class:`DocumentError` for a missing, unreadable, empty, binary or too-large
    file, or one whose extension is not in :data:`index.paths.ARTICLE_FORMATS` — and for
    any other failure to read this one file: never another exception, so that one bad file
    never stops the reading of the others.
    """
    path = Path(path)
    fmt = ARTICLE_FORMATS.get(path.suffix.lower())
    if fmt is None:
        kinds = ", ".join(sorted(ARTICLE_FORMATS))
        shown = path.suffix or "no extension"
        raise DocumentError(
            path, f"not a supported kind of file ({shown}); Broadsheet reads {kinds}"
        )
    try:
        raw, st = read_bytes(path, max_bytes)
        text, encoding, warnings = decode(raw, path, html=fmt == "html")
        document = build(text, path, fmt, encoding=encoding, warnings=warnings)
        return _replace_file_facts(document, raw, st.st_mtime)
    except DocumentError:
        raise
    except MemoryError:
        raise DocumentError(path, "too large to read in the memory available") from None
    except RecursionError:
        raise DocumentError(path, "its structure is nested too deeply to read") from None
    except Exception as exc:  # a fault of ours or of a library: this file's problem only
        log.exception("reading %s failed", paths.display(path))
        raise DocumentError(
            path, f"could not be read as an article ({type(exc).__name__}: {exc})"
        ) from exc


def document_from_text(text: str, path: Path, fmt: str = "txt") -> Document:
    """A :class:`Document` from text already in memory (tests, the command line).

    The text goes through the same steps as a file's decoded content (newlines made
    ``\\n``, a leading BOM dropped); ``sha256`` and ``size`` are those of its UTF-8 bytes
    and ``mtime`` is 0. Raises :class:`DocumentError` when there is no text.
    """
    if fmt not in ("txt", "md", "html"):
        raise ValueError(f"unknown format {fmt!r}: expected 'txt', 'md' or 'html'")
    path = Path(path)
    text = universal_newlines(text.removeprefix("\ufeff"))
    document = build(text, path, fmt, encoding="utf-8", warnings=())
    return _replace_file_facts(document, text.encode("utf-8", "surrogatepass"), 0.0)



def _replace_file_facts(document: Document, raw: bytes, mtime: float) -> Document:
    return dataclasses.replace(
        document,
        sha256=hashlib.sha256(raw).hexdigest(),
        size=len(raw),
        mtime=mtime,
    )


def build(
    text: str, path: Path, fmt: str, *, encoding: str, warnings: tuple[str, ...]
) -> Document:
    if not text.strip():
        raise DocumentError(path, "empty file (only white space)")
    if fmt == "md":
        try:
            pieces, head_title = markdown_pieces(text)
        except (TooDeep, RecursionError) as exc:
            # Still an article: its text as written, without the Markdown layout.
            reason = exc if isinstance(exc, TooDeep) else "nested too deeply"
            warnings = (
                *warnings,
                f"The Markdown is not laid out ({reason}); it is shown as plain text.",
            )
            fmt = "txt"
    if fmt == "txt":
        blocks, title = txt_structure(text)
    else:
        pieces, head_title = (pieces, head_title) if fmt == "md" else html_pieces(text)
        if not pieces:
            raise DocumentError(path, "no readable text (nothing left once the markup is removed)")
        text, blocks = _join(pieces)
        blocks, title = markup_title(text, blocks, head_title)
    dateline, span = find_dateline(text, blocks)
    if not title:
        title = title_from_sentence(text, blocks, span) or path.stem
    return Document(
        path=path,
        text=text,
        format=fmt,
        title=title,
        dateline=dateline,
        dateline_span=span,
        blocks=tuple(blocks),
        encoding=encoding,
        warnings=warnings,
    )


def _join(pieces: list[Piece]) -> tuple[str, list[Block]]:
    parts: list[str] = []
    blocks: list[Block] = []
    pos = 0
    for piece in pieces:
        if parts:
            parts.append("\n\n")
            pos += 2
        parts.append(piece.text)
        blocks.append(Block(piece.kind, pos, pos + len(piece.text), piece.level))
        pos += len(piece.text)
    return "".join(parts), blocks


