"""Reading an article file's bytes and decoding them: the first half of
:func:`index.documents.load_document`.

Encodings: UTF-8 (with or without a BOM), UTF-16/32 with a BOM, the ``<meta charset>`` of
an HTML file, then a guess (Windows-1252 when the bytes read as Western European text,
else charset-normalizer's answer, else Windows-1252). Anything other than clean UTF-8
leaves a sentence in the warnings. A UTF-8 file with some bytes that are not UTF-8 keeps
its UTF-8: a few stray bytes (one Latin-1 pound sign, say) are read as Windows-1252, more
are replaced by U+FFFD. Files that cannot be read raise :class:`DocumentError` with a
reason a user understands.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from pathlib import Path

from index import paths

__all__ = ["DEFAULT_MAX_BYTES", "DocumentError", "decode", "read_bytes"]

#: Largest file read by default (bytes); a news article is a few kilobytes.
DEFAULT_MAX_BYTES = 20_000_000

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
        return f"{paths.display(self.path)}: {self.reason}"



def read_bytes(path: Path, max_bytes: int) -> tuple[bytes, os.stat_result]:
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
    if multibyte and multibyte * _UTF8_EVIDENCE >= len(stray):
        # UTF-8 with some bytes that are not: keep the UTF-8 (its curly quotes and dashes
        # would garble read as anything else). A few strays are most likely characters
        # from another encoding (the BBC corpus has one Latin-1 pound sign in a UTF-8
        # file): read them as cp1252; more are damage, replaced by U+FFFD.
        if len(stray) <= _FEW_STRAYS:
            text = raw.decode("utf-8", errors=_CP1252_FALLBACK)
            warnings.append(_stray_warning(raw, stray))
        else:
            text = raw.decode("utf-8", errors="replace")
            line = raw.count(b"\n", 0, stray[0]) + 1
            warnings.append(
                f"{len(stray)} bytes are not valid UTF-8 and were replaced by �, "
                f"the first on line {line}."
            )
        return _checked_text(text, path), "utf-8", tuple(warnings)

    as_cp1252 = raw.decode("cp1252", errors=_CP1252_FALLBACK)
    if _reads_as_western(as_cp1252):
        if len(stray) <= _FEW_STRAYS:
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


#: A file with valid multi-byte UTF-8 sequences is UTF-8 unless its stray bytes outnumber
#: them this many times (text in a single-byte encoding almost never holds one: it needs
#: an accented capital followed by a symbol; random bytes hold one in eight).
_UTF8_EVIDENCE = 4
#: Up to this many stray bytes in a UTF-8 file are read as Windows-1252.
_FEW_STRAYS = 5


def _codec_label(codec: str) -> str:
    name = codecs.lookup(codec).name
    labels = {
        "utf-8-sig": "UTF-8", "utf-16": "UTF-16", "utf-32": "UTF-32", "cp1252": "Windows-1252",
    }
    return labels.get(name, name)


def universal_newlines(text: str) -> str:
    # What Path.read_text does (universal newlines): \r\n and a lone \r become \n.
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _checked_text(text: str, path: Path) -> str:
    text = universal_newlines(text)
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

