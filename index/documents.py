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

import codecs
import hashlib
import os
import re
import stat
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from index.model import Block, Document, Span
from index.paths import ARTICLE_FORMATS

__all__ = ["DEFAULT_MAX_BYTES", "DocumentError", "document_from_text", "load_document"]

#: Largest file read by default (bytes); a news article is a few kilobytes.
DEFAULT_MAX_BYTES = 20_000_000

#: Longest title made from an opening sentence (characters, before the "…").
TITLE_LENGTH = 80


class DocumentError(Exception):
    """A file that cannot be read as an article.

    ``path`` is the file, ``reason`` a short sentence a user understands ("empty file",
    "not a text file (binary content)"); ``str(error)`` is ``"<path>: <reason>"``.
    """

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(path, reason)  # both in args, so the error pickles (worker processes)
        self.path = Path(path)
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


# --------------------------------------------------------------------------------------
# Reading and decoding


def load_document(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Reads ``path`` into a :class:`Document`.

    Raises :class:`DocumentError` for a missing, unreadable, empty, binary or too-large
    file, or one whose extension is not in :data:`index.paths.ARTICLE_FORMATS`.
    """
    path = Path(path)
    fmt = ARTICLE_FORMATS.get(path.suffix.lower())
    if fmt is None:
        kinds = ", ".join(sorted(ARTICLE_FORMATS))
        shown = path.suffix or "no extension"
        raise DocumentError(
            path, f"not a supported kind of file ({shown}); Broadsheet reads {kinds}"
        )
    raw, st = _read_bytes(path, max_bytes)
    text, encoding, warnings = decode(raw, path, html=fmt == "html")
    document = _build(text, path, fmt, encoding=encoding, warnings=warnings)
    return _replace_file_facts(document, raw, st.st_mtime)


def document_from_text(text: str, path: Path, fmt: str = "txt") -> Document:
    """A :class:`Document` from text already in memory (tests, the command line).

    The text goes through the same steps as a file's decoded content (newlines made
    ``\\n``, a leading BOM dropped); ``sha256`` and ``size`` are those of its UTF-8 bytes
    and ``mtime`` is 0. Raises :class:`DocumentError` when there is no text.
    """
    if fmt not in ("txt", "md", "html"):
        raise ValueError(f"unknown format {fmt!r}: expected 'txt', 'md' or 'html'")
    path = Path(path)
    text = _universal_newlines(text.removeprefix("\ufeff"))
    document = _build(text, path, fmt, encoding="utf-8", warnings=())
    return _replace_file_facts(document, text.encode("utf-8", "surrogatepass"), 0.0)


def _read_bytes(path: Path, max_bytes: int) -> tuple[bytes, os.stat_result]:
    try:
        st = path.stat()
        if stat.S_ISDIR(st.st_mode):
            raise DocumentError(path, "this is a folder, not a file")
        if not stat.S_ISREG(st.st_mode):
            # a FIFO or a device would block or never end: do not open it
            raise DocumentError(path, "not a regular file")
        if st.st_size > max_bytes:
            raise DocumentError(path, _too_large(st.st_size, max_bytes))
        with path.open("rb") as f:
            raw = f.read(max_bytes + 1)
    except FileNotFoundError:
        raise DocumentError(path, "file not found (it may have been moved or deleted)") from None
    except IsADirectoryError:
        raise DocumentError(path, "this is a folder, not a file") from None
    except PermissionError:
        raise DocumentError(path, "permission denied: this file cannot be read") from None
    except OSError as e:
        raise DocumentError(path, f"the file could not be read ({e.strerror or e})") from None
    if len(raw) > max_bytes:  # it grew since stat()
        raise DocumentError(path, _too_large(len(raw), max_bytes))
    if not raw:
        raise DocumentError(path, "empty file")
    return raw, st


def _too_large(size: int, limit: int) -> str:
    return f"file too large ({_megabytes(size)}; the limit is {_megabytes(limit)})"


def _megabytes(n: int) -> str:
    if n < 1_000_000:
        return f"{n:,} bytes"
    return f"{n / 1_000_000:.1f} MB"


_BOMS = (  # longest first: the UTF-32-LE BOM begins with the UTF-16-LE one
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_WESTERN = {"cp1252", "windows-1252", "latin_1", "latin-1", "iso8859_1", "iso8859_15", "ascii"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_BINARY = "not a text file (binary content)"


def decode(raw: bytes, path: Path, *, html: bool = False) -> tuple[str, str, tuple[str, ...]]:
    """``raw`` as text: ``(text, encoding, warnings)``, newlines already made ``\\n``.

    Raises :class:`DocumentError` for binary content.
    """
    warnings: list[str] = []
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError:
                text = raw.decode(codec, errors="replace")
                warnings.append(
                    f"Some bytes are not valid {_codec_label(codec)} and were replaced by �."
                )
            return _checked_text(text, path), codec, tuple(warnings)

    if b"\x00" in raw:
        codec_guess = _bomless_utf16(raw)
        if codec_guess is None:
            raise DocumentError(path, _BINARY)
        text = raw.decode(codec_guess, errors="replace")
        warnings.append("The file has no byte-order mark; it was read as UTF-16.")
        return _checked_text(text, path), codec_guess, tuple(warnings)

    try:
        return _checked_text(raw.decode("utf-8"), path), "utf-8", ()
    except UnicodeDecodeError:
        pass

    if html:
        declared = _declared_charset(raw)
        if declared is not None:
            return _checked_text(raw.decode(declared, errors="replace"), path), declared, ()

    multibyte, stray = _utf8_census(raw)
    if multibyte >= len(stray):
        # Mostly UTF-8 with a few bytes from another encoding (the BBC corpus has one
        # Latin-1 pound sign in a UTF-8 file): keep the UTF-8, read the strays as cp1252.
        text = raw.decode("utf-8", errors=_CP1252_FALLBACK)
        warnings.append(_stray_warning(raw, stray))
        return _checked_text(text, path), "utf-8", tuple(warnings)

    as_cp1252 = raw.decode("cp1252", errors=_CP1252_FALLBACK)
    if _reads_as_western(as_cp1252):
        if len(stray) <= 5:
            warnings.append(_stray_warning(raw, stray))
        else:
            warnings.append(
                "The file is not UTF-8; it was read as Windows-1252 (Western European), "
                "which is a guess: check accented letters and symbols."
            )
        return _checked_text(as_cp1252, path), "cp1252", tuple(warnings)
    guess = _charset_normalizer_guess(raw)
    if guess is not None:
        codec, text = guess
        warnings.append(
            f"The file is not UTF-8; its encoding was detected as {_codec_label(codec)}, "
            "which is a guess: check that the text reads correctly."
        )
        return _checked_text(text, path), codec, tuple(warnings)
    warnings.append(
        "The file is not UTF-8 and its encoding could not be recognised; it was read as "
        "Windows-1252, so some characters may be wrong."
    )
    return _checked_text(as_cp1252, path), "cp1252", tuple(warnings)


def _codec_label(codec: str) -> str:
    name = codecs.lookup(codec).name
    labels = {
        "utf-8-sig": "UTF-8", "utf-16": "UTF-16", "utf-32": "UTF-32", "cp1252": "Windows-1252",
    }
    return labels.get(name, name)


def _universal_newlines(text: str) -> str:
    # What Path.read_text does (universal newlines): \r\n and a lone \r become \n.
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _checked_text(text: str, path: Path) -> str:
    text = _universal_newlines(text)
    if "\x00" in text:
        raise DocumentError(path, _BINARY)
    sample = text[:65536]
    controls = sum(1 for c in sample if c < " " and c not in "\t\n\f\v")
    if controls > max(4, len(sample) // 100):
        raise DocumentError(path, _BINARY)
    return text


def _bomless_utf16(raw: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` when NUL bytes sit where BOM-less UTF-16 of mostly
    Latin text puts them (every other byte); ``None`` when they mean binary content."""
    sample = raw[:4096]
    if len(sample) < 4 or len(raw) % 2:
        return None
    pairs = len(sample) // 2
    even = sum(1 for i in range(0, 2 * pairs, 2) if sample[i] == 0)
    odd = sum(1 for i in range(1, 2 * pairs, 2) if sample[i] == 0)
    if odd >= 0.6 * pairs and even <= 0.02 * pairs:
        return "utf-16-le"
    if even >= 0.6 * pairs and odd <= 0.02 * pairs:
        return "utf-16-be"
    return None


def _declared_charset(raw: bytes) -> str | None:
    match = _META_CHARSET.search(raw[:4096])
    if not match:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    # a page that says UTF-8 but is not: leave it to the guessing below
    return None if name.startswith("utf") else name


def _cp1252_byte(byte: int) -> str:
    # cp1252 leaves 0x81, 0x8D, 0x8F, 0x90 and 0x9D undefined; Latin-1 reads them as controls.
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    # one byte at a time: the decoder resumes right after it, so a valid sequence that
    # follows a stray lead byte is still read as UTF-8
    return _cp1252_byte(error.object[error.start]), error.start + 1


_CP1252_FALLBACK = "broadsheet-cp1252-fallback"
codecs.register_error(_CP1252_FALLBACK, _cp1252_fallback)


#: One valid multi-byte UTF-8 sequence, or (group 1) a byte that belongs to none.
_UTF8_OR_STRAY = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}|([\x80-\xff])"
)


def _utf8_census(raw: bytes) -> tuple[int, list[int]]:
    """How many valid multi-byte UTF-8 sequences ``raw`` holds, and the offsets of the
    non-ASCII bytes that are part of none."""
    multibyte = 0
    stray: list[int] = []
    for match in _UTF8_OR_STRAY.finditer(raw):
        if match.group(1) is None:
            multibyte += 1
        else:
            stray.append(match.start())
    return multibyte, stray


def _stray_warning(raw: bytes, stray: list[int]) -> str:
    shown = []
    for offset in stray[:5]:
        line = raw.count(b"\n", 0, offset) + 1
        shown.append(f"“{_cp1252_byte(raw[offset])}” on line {line}")
    more = f" and {len(stray) - 5} more" if len(stray) > 5 else ""
    if len(stray) == 1:
        return f"One byte is not valid UTF-8 and was read as Windows-1252: {shown[0]}."
    return (
        f"{len(stray)} bytes are not valid UTF-8 and were read as Windows-1252: "
        f"{', '.join(shown)}{more}."
    )


#: Characters that do belong inside a word in Western text read as cp1252.
_IN_WORD_OK = set("’‘'-–—·\u00ad")


def _reads_as_western(text: str) -> bool:
    """Does this cp1252 reading look like Western European text?

    Few non-ASCII letters (Cyrillic or Greek read as cp1252 are nearly all accented
    Latin letters) and no symbol wedged between two letters.
    """
    letters = 0
    foreign = 0
    for c in text:
        if c.isalpha():
            letters += 1
            if c > "\x7f":
                foreign += 1
    if letters and foreign > 0.3 * letters:
        return False
    return _words_hold_together(text)


def _words_hold_together(text: str) -> bool:
    """No symbol wedged between two Latin letters, as the wrong single-byte code page
    leaves (Polish cp1250 read as cp1252 gives "rz¹d" for "rząd")."""
    for i in range(1, len(text) - 1):
        c = text[i]
        if (
            c > "\x7f" and not c.isalpha() and c not in _IN_WORD_OK
            and _is_latin_letter(text[i - 1]) and _is_latin_letter(text[i + 1])
        ):
            return False
    return True


def _is_latin_letter(c: str) -> bool:
    return c < "\u0250" and c.isalpha()


def _charset_normalizer_guess(raw: bytes) -> tuple[str, str] | None:
    """charset-normalizer's best reading that is not Western European and keeps words
    whole: ``(codec, text)``, or None."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # declared in pyproject; fall back to cp1252 if it is missing
        return None
    for match in from_bytes(raw):
        codec = codecs.lookup(match.encoding).name
        if codec in _WESTERN:
            continue
        text = str(match)
        if _words_hold_together(text):
            return codec, text
    return None


def _replace_file_facts(document: Document, raw: bytes, mtime: float) -> Document:
    import dataclasses

    return dataclasses.replace(
        document,
        sha256=hashlib.sha256(raw).hexdigest(),
        size=len(raw),
        mtime=mtime,
    )


# --------------------------------------------------------------------------------------
# Structure: blocks, title, dateline


@dataclass
class _Piece:
    kind: str
    text: str
    level: int = 0


def _build(
    text: str, path: Path, fmt: str, *, encoding: str, warnings: tuple[str, ...]
) -> Document:
    if not text.strip():
        raise DocumentError(path, "empty file (only white space)")
    if fmt == "txt":
        blocks, title = _txt_structure(text)
    else:
        pieces, head_title = (
            _markdown_pieces(text) if fmt == "md" else _html_pieces(text)
        )
        if not pieces:
            raise DocumentError(path, "no readable text (nothing left once the markup is removed)")
        text, blocks = _join(pieces)
        blocks, title = _markup_title(text, blocks, head_title)
    dateline, span = _find_dateline(text, blocks)
    if not title:
        title = _title_from_sentence(text, blocks, span) or path.stem
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


def _join(pieces: list[_Piece]) -> tuple[str, list[Block]]:
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


# Plain text ---------------------------------------------------------------------------

_BLANK_LINE = re.compile(r"\n[ \t\f\v]*\n")


def _trimmed(text: str, start: int, end: int) -> Span | None:
    """``(start, end)`` narrowed to exclude surrounding white space; None when blank."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _paragraph_spans(text: str) -> list[Span]:
    spans: list[Span] = []
    if _BLANK_LINE.search(text):
        pos = 0
        for sep in _BLANK_LINE.finditer(text):
            span = _trimmed(text, pos, sep.start())
            if span:
                spans.append(span)
            pos = sep.end()
        span = _trimmed(text, pos, len(text))
        if span:
            spans.append(span)
    else:  # no blank lines: one paragraph a line (the CoNLL texts are one sentence a line)
        pos = 0
        for line in text.split("\n"):
            span = _trimmed(text, pos, pos + len(line))
            if span:
                spans.append(span)
            pos += len(line) + 1
    return spans


def _line_spans(text: str, span: Span) -> list[Span]:
    out: list[Span] = []
    pos = span[0]
    for line in text[span[0] : span[1]].split("\n"):
        trimmed = _trimmed(text, pos, pos + len(line))
        if trimmed:
            out.append(trimmed)
        pos += len(line) + 1
    return out


def _txt_structure(text: str) -> tuple[list[Block], str]:
    paragraphs = _paragraph_spans(text)
    blocks = [Block("paragraph", a, b) for a, b in paragraphs]
    if len(paragraphs) < 2:
        return blocks, ""
    lines = _line_spans(text, paragraphs[0])
    if len(lines) > 2:
        return blocks, ""
    first = text[lines[0][0] : lines[0][1]]
    if len(lines) == 2 and not first.rstrip().endswith((";", ":", ".", "?", "!", "”", "’", '"')):
        return blocks, ""  # a hard-wrapped opening paragraph, not headline + standfirst
    if not _reads_as_headline(first) or _dateline_match(first):
        return blocks, ""
    title_block = Block("title", lines[0][0], lines[0][1], 1)
    rest = [Block("paragraph", a, b) for a, b in lines[1:]]
    return [title_block, *rest, *blocks[1:]], _clean_title(first)


def _reads_as_headline(line: str) -> bool:
    words = line.split()
    if not words or len(line) > 150 or len(words) > 25:
        return False
    bare = line.rstrip().rstrip("\"'”’»)")
    if bare.endswith(".") and not bare.endswith(".."):
        # Some collections end headlines with a full stop (PolNeAR does); a short one-line
        # paragraph followed by the article still reads as one.
        return len(line) <= 100 and len(words) <= 18
    return True


def _clean_title(line: str) -> str:
    title = " ".join(line.split()).rstrip(";:,– —-").rstrip()
    # "…Diverted to Avoid Bad Optics." -> no final full stop; "U.S." and "..." keep theirs
    if len(title) > 2 and title.endswith(".") and title[-2].islower():
        title = title[:-1]
    return title or " ".join(line.split())


# Dateline ------------------------------------------------------------------------------

_PLACE_WORD = r"[A-Z][A-Z'’.\-]*[A-Z.]"
_DATELINE = re.compile(
    rf"""
    (?P<place>{_PLACE_WORD}(?:[ ]{_PLACE_WORD}){{0,3}}       # WASHINGTON, NEW YORK, ST. LOUIS
        |[A-Z][a-z]+(?:[ ][A-Z][a-z]+){{0,2}}(?=,?[ ]\()) # Washington (CNN) —  (needs an agency)
    (?P<detail>,[ ][^\n()–—―"“”]{{1,30}}?)?                 # , Jan 5   , D.C.   , Lebanon
    (?:
        (?P<agency>[ ]\([A-Za-z][A-Za-z .&/-]{{0,30}}\))     # (Reuters) (AP)
        (?P<dash1>[ ]?(?:[–—―]|--?)(?=[ ]))?
      | (?P<dash2>[ ]?(?:[–—―]|--?)(?=[ ]))
    )
    [ ]
    """,
    re.VERBOSE,
)

#: All-caps lead-ins that are not places: labels ("BREAKING – ...") and organisations
#: that open a sentence ("NASA – the space agency – said ...").
_NOT_PLACES = {
    "ANALYSIS", "BREAKING", "COMMENT", "CORRECTION", "EDITORIAL", "EXCLUSIVE", "FACT CHECK",
    "LIVE", "OPINION", "PHOTOS", "REVIEW", "UPDATE", "UPDATED", "URGENT", "VIDEO", "WATCH",
    "AFP", "AP", "BBC", "CIA", "CNN", "EU", "FBI", "FIFA", "GOP", "IMF", "NASA", "NATO",
    "NHS", "OPEC", "UEFA", "UK", "UN", "US", "U.S", "WHO",
}


def _find_dateline(text: str, blocks: list[Block]) -> tuple[str | None, Span | None]:
    """The dateline opening the article's lead: ``(place, span)`` or ``(None, None)``.

    The lead is the first paragraph of some length; a short standfirst may come before it
    (PolNeAR's Washington Post articles), so the first three paragraphs up to and
    including the first long one are tried. Nothing after a heading, list or quotation.
    """
    tried = 0
    for block in blocks:
        if block.kind in ("heading", "item", "quote", "code") or tried == 3:
            break
        if block.kind != "paragraph":
            continue
        tried += 1
        para = text[block.start : block.end]
        match = _dateline_match(para) or _CONLL_DATELINE.match(para)
        if match is not None:
            start = block.start + match.start("place")
            return match.group("place"), (start, start + len(match.group("place")))
        if len(para) >= _LEAD_LENGTH:
            break
    return None, None


#: A paragraph at least this long (characters) is taken as the article's lead.
_LEAD_LENGTH = 150

#: A line that is only a place and a date, as in Reuters' CoNLL texts: "LONDON 1996-08-30".
_CONLL_DATELINE = re.compile(
    rf"(?P<place>{_PLACE_WORD}(?:[ ]{_PLACE_WORD}){{0,3}})(?:[ ]?,[ ][A-Z][A-Za-z. ]{{1,30}})?"
    r"[ ]\d{4}-\d\d-\d\d\Z"
)


def _dateline_match(para: str) -> re.Match[str] | None:
    """A dateline opening ``para``, or None.

    Conservative: capital letters followed by a dash or an agency in brackets, with the
    sentence after it in ordinary case (CoNLL's "CRICKET - LEICESTERSHIRE TAKE OVER ..."
    is a headline, not a dateline). A title-case place needs an agency and a dash.
    """
    match = _DATELINE.match(para)
    if not match:
        return None
    place = match.group("place")
    if place.rstrip(".") in _NOT_PLACES:
        return None
    if not place.isupper():  # title case: "Washington (CNN) —"
        if not (match.group("agency") and match.group("dash1")):
            return None
    elif not (match.group("dash2") or match.group("agency")):
        return None
    if len(para) - match.end() < 40:
        return None  # too short to be a lead: "IPO FILING -- Homegate Hospitality Inc ."
    after = para[match.end() : match.end() + 80]
    upper = sum(1 for c in after if c.isupper())
    lower = sum(1 for c in after if c.islower())
    if lower <= upper:  # the rest is in capitals too: a headline or a label, not a dateline
        return None
    return match


# Titles from sentences ----------------------------------------------------------------

_SENTENCE_END = re.compile(r"""[.!?]["'”’)]*(?=\s+["'“‘(]?[A-Z0-9]|\s*$)""")


def _title_from_sentence(text: str, blocks: list[Block], dateline: Span | None) -> str:
    first = next((b for b in blocks if b.kind == "paragraph"), blocks[0] if blocks else None)
    if first is None:
        return ""
    start = first.start
    if dateline and first.start <= dateline[0] < first.end:
        match = _dateline_match(text[first.start : first.end])
        if match:
            start = first.start + match.end()
    para = " ".join(text[start : first.end].split())
    return _shorten(_first_sentence(para))


#: Words whose full stop does not end a sentence ("Mr. Obama said").
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "mt", "rep", "sen", "gov", "gen", "col", "lt", "sgt",
    "capt", "prof", "rev", "jr", "sr", "no", "vs", "inc", "co", "corp", "ltd", "jan", "feb",
    "aug", "sept", "sep", "oct", "nov", "dec", "ft", "fig", "pres",
}


def _first_sentence(para: str) -> str:
    for end in _SENTENCE_END.finditer(para):
        before = para[: end.start()].rsplit(None, 1)[-1] if end.start() else ""
        word = before.lstrip("\"'“‘(").lower()
        if para[end.start()] == "." and (
            word in _ABBREVIATIONS or len(word) == 1 or "." in word  # "J. Smith", "U.S."
        ):
            continue
        return para[: end.end()]
    return para


def _shorten(sentence: str, limit: int = TITLE_LENGTH) -> str:
    if len(sentence) <= limit:
        return _clean_title(sentence) if sentence else sentence
    cut = sentence.rfind(" ", 0, limit + 1)
    if cut < limit // 2:
        cut = limit
    return sentence[:cut].rstrip(" ,;:–—-") + "…"


# Markdown and HTML -------------------------------------------------------------------


def _markdown_pieces(source: str) -> tuple[list[_Piece], str]:
    import markdown

    # No "smarty": straight quotes stay as written (the quotation finder reads them).
    html = markdown.markdown(source, extensions=["fenced_code", "tables", "sane_lists"])
    return _html_pieces(html, markup_from_markdown=True)


#: Elements whose content is never article text.
_SKIP = {
    "script", "style", "noscript", "template", "head", "nav", "aside", "form", "button",
    "select", "textarea", "svg", "math", "canvas", "iframe", "object", "embed", "video",
    "audio", "map", "dialog", "footer", "header",
}
#: ARIA roles of the same page furniture.
_SKIP_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar"}
_VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
}
#: Elements that end one block and start another.
_BLOCK_TAGS = {
    "address", "article", "blockquote", "body", "caption", "dd", "details", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "html", "li", "main", "ol", "p", "pre", "section", "summary", "table", "tbody", "tfoot",
    "thead", "tr", "ul",
}
#: What may stand in a <head>; anything else means the body began without </head>.
_HEAD_TAGS = {"title", "meta", "link", "style", "script", "base", "noscript", "template"}
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")


class _Reducer(HTMLParser):
    """Collects the readable text of an HTML page as :class:`_Piece` blocks."""

    def __init__(self, *, keep_page_furniture: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.keep_page_furniture = keep_page_furniture
        self.pieces: list[_Piece] = []
        self.head_title: list[str] = []
        self._in_title = False
        self._buffer: list[str] = []
        self._open: dict[str, int] = {}
        self._list_items: list[dict[str, int]] = []  # open item counts when each list began
        self._skip_tag: str | None = None
        self._skip_depth = 0

    # -- structure

    def _count(self, tag: str) -> int:
        return self._open.get(tag, 0)

    def _kind(self) -> tuple[str, int]:
        if self._count("pre"):
            return "code", 0
        for tag, level in _HEADINGS.items():
            if self._count(tag):
                return "heading", level
        if self._count("li") or self._count("dt") or self._count("dd"):
            return "item", 0
        if self._count("blockquote"):
            return "quote", 0
        return "paragraph", 0

    def _flush(self) -> None:
        if not self._buffer:
            return
        raw = "".join(self._buffer)
        self._buffer = []
        kind, level = self._kind()
        if kind == "code":
            lines = raw.split("\n")
            while lines and not lines[0].strip():
                lines.pop(0)
            text = "\n".join(lines).rstrip()
            if text:
                self.pieces.append(_Piece(kind, text, level))
            return
        # <br><br> separates paragraphs in old pages: make them separate blocks
        for part in re.split(r" ?\n(?: ?\n)+ ?", raw):
            text = "\n".join(line.strip(" ") for line in part.split("\n")).strip()
            if text:
                self.pieces.append(_Piece(kind, text, level))

    def _skips(self, tag: str, attrs: list[tuple[str, str | None]]) -> bool:
        if tag in _VOID:
            return False
        values = {k: (v or "") for k, v in attrs}
        if "hidden" in values or values.get("aria-hidden", "").lower() == "true":
            return True
        if re.search(r"display\s*:\s*none", values.get("style", ""), re.I):
            return True
        if self.keep_page_furniture:
            return tag in ("script", "style", "head", "template")
        if tag == "header" and (self._count("article") or self._count("main")):
            return False  # an article's own header holds its headline
        return tag in _SKIP or values.get("role", "").lower() in _SKIP_ROLES

    # -- HTMLParser callbacks

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title" and self._skip_tag in (None, "head") and not self.head_title:
            self._in_title = True
        if self._skip_tag == "head" and tag not in _HEAD_TAGS:
            self._skip_tag = None  # </head> may be left out: the body has begun
        if self._skip_tag is not None:
            if tag == self._skip_tag:
                self._skip_depth += 1
            return
        if self._skips(tag, attrs):
            self._skip_tag, self._skip_depth = tag, 1
            return
        if tag == "br":
            self._buffer.append("\n")
            return
        if tag in ("td", "th") and self._buffer:
            self._buffer.append(" ")
            return
        if tag in _BLOCK_TAGS:
            self._flush()
            if tag in ("ul", "ol", "dl"):
                self._list_items.append({t: self._count(t) for t in ("li", "dt", "dd")})
        if tag not in _VOID and tag not in ("td", "th"):
            self._open[tag] = self._count(tag) + 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if self._skip_tag is not None:
            if tag == self._skip_tag:
                self._skip_depth -= 1
                if self._skip_depth == 0:
                    self._skip_tag = None
            return
        if tag in _BLOCK_TAGS:
            self._flush()
        if tag in ("ul", "ol", "dl") and self._list_items:
            self._open.update(self._list_items.pop())  # closes <li>s left open
        elif self._count(tag):
            self._open[tag] -= 1

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.head_title.append(data)
            return
        if self._skip_tag is not None:
            return
        if self._count("pre"):
            self._buffer.append(data)
            return
        data = _HTML_SPACE.sub(" ", data)
        if data.startswith(" ") and (not self._buffer or self._buffer[-1].endswith((" ", "\n"))):
            data = data[1:]
        if data:
            self._buffer.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def _html_pieces(source: str, *, markup_from_markdown: bool = False) -> tuple[list[_Piece], str]:
    reducer = _Reducer(keep_page_furniture=markup_from_markdown)
    reducer.feed(source)
    reducer.close()
    head_title = " ".join("".join(reducer.head_title).split())
    return reducer.pieces, head_title


def _markup_title(
    text: str, blocks: list[Block], head_title: str
) -> tuple[list[Block], str]:
    """The first ``<h1>`` (``#``), else the page's ``<title>``, else the first heading.

    The block the title comes from becomes a ``title`` block when it opens the text.
    """
    source = next((b for b in blocks if b.kind == "heading" and b.level == 1), None)
    if source is None and head_title:
        return blocks, head_title
    if source is None:
        source = next((b for b in blocks if b.kind == "heading"), None)
    if source is None:
        return blocks, ""
    title = " ".join(text[source.start : source.end].split())
    if source is blocks[0]:
        blocks = [Block("title", source.start, source.end, source.level), *blocks[1:]]
    return blocks, title
