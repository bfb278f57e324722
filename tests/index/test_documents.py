"""Reading article files: encodings, unreadable files, structure, titles and datelines.

Fixture files are written into ``tmp_path`` by each test, so what a test reads is in front
of the reader; the shared corpora are used only where they exist (``../shared``).
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

import pytest

from index.documents import DocumentError, document_from_text, load_document
from index.model import Block, Document

SHARED = Path(__file__).resolve().parents[3] / "shared"

LEAD = (
    "WASHINGTON – Facing a “severely contested environment”, Japan and the United States "
    "will significantly enhance security and military coordination, the two sides said."
)


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def block_texts(document: Document, kind: str | None = None) -> list[str]:
    return [
        document.text[b.start : b.end]
        for b in document.blocks
        if kind is None or b.kind == kind
    ]


def assert_blocks_well_formed(document: Document) -> None:
    """Blocks are in order, do not overlap, and only white space lies between them."""
    pos = 0
    for block in document.blocks:
        assert pos <= block.start < block.end <= len(document.text)
        assert not document.text[pos : block.start].strip()
        piece = document.text[block.start : block.end]
        assert piece == piece.strip()
        pos = block.end
    assert not document.text[pos:].strip()


# --------------------------------------------------------------------------------------
# Encodings


def test_utf8_text_is_the_file_content_character_for_character(tmp_path: Path) -> None:
    content = "Headline here\n\n“Quoted,” she said — in Zürich.\n\nLast paragraph.\n"
    path = write(tmp_path, "a.txt", content)
    document = load_document(path)
    assert document.text == content == path.read_text(encoding="utf-8")
    assert (document.format, document.encoding, document.warnings) == ("txt", "utf-8", ())
    raw = path.read_bytes()
    assert document.sha256 == hashlib.sha256(raw).hexdigest()
    assert document.size == len(raw)
    assert document.mtime == path.stat().st_mtime
    assert document.path == path


def test_crlf_newlines_read_as_path_read_text_reads_them(tmp_path: Path) -> None:
    # The eval scorers take offsets against Path.read_text, which makes \r\n and \r \n.
    path = write(tmp_path, "crlf.txt", "Title\r\n\r\nOne line.\r\nAnother\rline.\r\n")
    document = load_document(path)
    assert document.text == path.read_text(encoding="utf-8") == (
        "Title\n\nOne line.\nAnother\nline.\n"
    )
    assert document.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_utf8_byte_order_mark_is_not_part_of_the_text(tmp_path: Path) -> None:
    path = write(tmp_path, "bom.txt", b"\xef\xbb\xbf" + "Café society\n\nText.".encode())
    document = load_document(path)
    assert document.text == "Café society\n\nText."
    assert document.title == "Café society"
    assert document.warnings == ()


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_a_byte_order_mark(tmp_path: Path, codec: str) -> None:
    text = "Ελλάδα – “news”\n\nΗ κυβέρνηση είπε."
    data = text.encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    document = load_document(write(tmp_path, "wide.txt", data))
    assert document.text == text
    assert document.warnings == ()


def test_utf16_without_byte_order_mark_is_recognised_with_a_warning(tmp_path: Path) -> None:
    text = "Plain English text written by an old Windows editor.\n"
    document = load_document(write(tmp_path, "le.txt", text.encode("utf-16-le")))
    assert document.text == text
    assert any("UTF-16" in w for w in document.warnings)


def test_windows_1252_file_is_read_with_a_warning(tmp_path: Path) -> None:
    text = "Café prices rose – “sharply”, said Ms Dupré.\n\nA £5 coffee is the norm now."
    document = load_document(write(tmp_path, "cp.txt", text.encode("cp1252")))
    assert document.text == text
    assert document.encoding == "cp1252"
    assert len(document.warnings) == 1
    assert "Windows-1252" in document.warnings[0]


def test_other_encodings_are_detected(tmp_path: Path) -> None:
    text = "Президент России заявил, что переговоры продолжатся на следующей неделе."
    document = load_document(write(tmp_path, "ru.txt", text.encode("cp1251")))
    assert document.text == text
    assert document.warnings  # a guess, and the user is told so


def test_undecodable_bytes_fall_back_to_windows_1252_without_crashing(tmp_path: Path) -> None:
    # Bytes no encoding makes sense of: still a document, with a warning.
    noise = bytes(0x80 + (i * 37) % 120 for i in range(300))
    document = load_document(write(tmp_path, "noise.txt", b"Title\n\n" + noise))
    assert document.text.startswith("Title\n\n")
    # Random high bytes hold valid UTF-8 sequences by chance (one pair in eight): read as
    # UTF-8 with the rest replaced, or as Windows-1252, it is garbage either way — said so.
    assert len(document.text) > len(noise) // 2
    assert document.warnings


def test_utf8_file_with_one_stray_latin1_byte_keeps_its_utf8(tmp_path: Path) -> None:
    data = "Mutu, a “£”-less signing\n\n".encode() + b"a \xa315.8m signing from Parma"
    document = load_document(write(tmp_path, "stray.txt", data))
    assert document.text == "Mutu, a “£”-less signing\n\na £15.8m signing from Parma"
    assert document.encoding == "utf-8"
    assert len(document.warnings) == 1
    assert "£" in document.warnings[0] and "line 3" in document.warnings[0]


def test_invalid_utf8_keeps_the_valid_utf8_and_replaces_only_the_bad_bytes(
    tmp_path: Path,
) -> None:
    # Was read as cp1251 (issue 13, 8): the curly quotes came out as "вЂњ".
    good = "He said “yes” and “no” — fine.\n\n"
    data = good.encode() + b"bad \xff\xfe\xfa\xfb bytes \x80\x81 here."
    document = load_document(write(tmp_path, "damaged.txt", data))
    assert document.text == good + "bad \ufffd\ufffd\ufffd\ufffd bytes \ufffd\ufffd here."
    assert document.encoding == "utf-8"
    assert len(document.warnings) == 1
    assert "6 bytes are not valid UTF-8" in document.warnings[0]
    assert "line 3" in document.warnings[0]


@pytest.mark.skipif(
    not (SHARED / "corpus/bbc/sport/199.txt").exists(), reason="shared BBC corpus not here"
)
def test_the_bbc_file_with_a_latin1_pound_sign() -> None:
    document = load_document(SHARED / "corpus/bbc/sport/199.txt")
    assert "a £15.8m signing from Parma" in document.text
    assert "\ufffd" not in document.text
    assert document.title == "Chelsea sack Mutu"
    assert len(document.warnings) == 1


# --------------------------------------------------------------------------------------
# Files that are not articles


def reason_for(path: Path, **kwargs: int) -> str:
    with pytest.raises(DocumentError) as caught:
        load_document(path, **kwargs)
    assert caught.value.path == path
    assert str(caught.value) == f"{path}: {caught.value.reason}"
    return caught.value.reason


def test_empty_file(tmp_path: Path) -> None:
    assert reason_for(write(tmp_path, "empty.txt", b"")) == "empty file"


def test_white_space_only_file_is_empty_too(tmp_path: Path) -> None:
    assert reason_for(write(tmp_path, "blank.txt", " \n\n\t\n")).startswith("empty file")


def test_markup_with_no_readable_text(tmp_path: Path) -> None:
    path = write(tmp_path, "nothing.html", "<html><script>var a = 1;</script><nav>Menu</nav>")
    assert "no readable text" in reason_for(path)


def test_binary_file(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256))
    assert reason_for(write(tmp_path, "image.txt", png)) == "not a text file (binary content)"


def test_control_characters_without_nul_are_binary_too(tmp_path: Path) -> None:
    data = bytes(range(1, 32)) * 20
    assert reason_for(write(tmp_path, "ctl.txt", data)) == "not a text file (binary content)"


def test_file_larger_than_the_limit(tmp_path: Path) -> None:
    path = write(tmp_path, "big.txt", "word " * 100)
    reason = reason_for(path, max_bytes=100)
    assert reason.startswith("file too large")
    assert "500 bytes" in reason and "100 bytes" in reason
    assert load_document(path, max_bytes=500).size == 500  # the limit itself is allowed


def test_missing_file(tmp_path: Path) -> None:
    assert reason_for(tmp_path / "gone.txt").startswith("file not found")


def test_a_folder_is_not_a_file(tmp_path: Path) -> None:
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    assert reason_for(folder) == "this is a folder, not a file"


def test_file_without_permission_to_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "secret.txt", "Text")
    if os.geteuid() != 0:  # root reads anything: there, only the monkeypatch can refuse
        path.chmod(0)
        try:
            assert reason_for(path).startswith("permission denied")
        finally:
            path.chmod(0o600)

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)
    assert reason_for(path).startswith("permission denied")


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert reason_for(fifo) == "not a regular file"


def test_symlink_loop_is_this_files_problem(tmp_path: Path) -> None:
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    assert "symbolic links" in reason_for(loop)


def test_a_file_name_that_is_not_utf8_reads_and_prints(tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9 news.txt")  # Latin-1 é: a surrogate escape in Python
    path = write(tmp_path, name, "Headline\n\nBody text.\n")
    assert load_document(path).title == "Headline"
    empty = write(tmp_path, os.fsdecode(b"\xff.txt"), b"")
    with pytest.raises(DocumentError) as caught:
        load_document(empty)
    shown = str(caught.value)
    assert shown.encode("utf-8") and "\ufffd.txt: empty file" in shown


def test_any_failure_reading_a_file_is_a_document_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import index.documents as documents

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("a fault inside a library")

    monkeypatch.setattr(documents, "decode", broken)
    reason = reason_for(write(tmp_path, "a.txt", "Some text.\n"))
    assert reason == "could not be read as an article (ValueError: a fault inside a library)"


def test_unsupported_extension(tmp_path: Path) -> None:
    reason = reason_for(write(tmp_path, "paper.pdf", "%PDF-1.4"))
    assert "(.pdf)" in reason and ".txt" in reason


def test_document_error_survives_pickling(tmp_path: Path) -> None:
    # Library updates may read files in worker processes.
    error = DocumentError(tmp_path / "a.txt", "empty file")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.path, copy.reason, str(copy)) == (error.path, error.reason, str(error))


# --------------------------------------------------------------------------------------
# Markdown


MARKDOWN = """\
# Talks *resume* in Tokyo

WASHINGTON – Officials said on **Tuesday** that the talks, stalled since June, would
resume next week in [the capital](https://example.com).

## What was agreed

- more patrols
- shared radar data
    - from 2025

> “We are pleased,” the minister said.

```
code   stays   as is
  indented
```

Fish &amp; chips, 5 < 6.
"""


def test_markdown_is_rendered_to_paragraphs_with_blocks(tmp_path: Path) -> None:
    document = load_document(write(tmp_path, "talks.md", MARKDOWN))
    assert document.format == "md"
    assert_blocks_well_formed(document)
    kinds = [(b.kind, b.level) for b in document.blocks]
    assert kinds == [
        ("title", 1), ("paragraph", 0), ("heading", 2), ("item", 0), ("item", 0),
        ("item", 0), ("quote", 0), ("code", 0), ("paragraph", 0),
    ]
    assert block_texts(document) == [
        "Talks resume in Tokyo",
        "WASHINGTON – Officials said on Tuesday that the talks, stalled since June, would "
        "resume next week in the capital.",
        "What was agreed",
        "more patrols",
        "shared radar data",
        "from 2025",
        "“We are pleased,” the minister said.",
        "code   stays   as is\n  indented",
        "Fish & chips, 5 < 6.",
    ]
    assert document.text == "\n\n".join(block_texts(document))
    assert document.title == "Talks resume in Tokyo"
    assert document.dateline == "WASHINGTON"
    assert document.dateline_span is not None
    assert document.text[slice(*document.dateline_span)] == "WASHINGTON"


def test_markdown_keeps_straight_quotes_and_drops_raw_scripts(tmp_path: Path) -> None:
    source = 'He said "no" twice.\n\n<script>alert("x")</script>\n\nDone.'
    document = document_from_text(source, tmp_path / "q.md", "md")
    assert document.text == 'He said "no" twice.\n\nDone.'


def test_markdown_hard_line_break_stays_inside_its_paragraph(tmp_path: Path) -> None:
    document = document_from_text("First line  \nsecond line\nthird", tmp_path / "b.md", "md")
    assert document.text == "First line\nsecond line third"
    assert [b.kind for b in document.blocks] == ["paragraph"]


@pytest.mark.parametrize("depth", [500, 2000])
def test_markdown_nested_too_deep_is_read_as_plain_text(tmp_path: Path, depth: int) -> None:
    # 500 deep raised RecursionError out of the markdown package (issue 13, 1); 2,000 deep
    # took it 190 s to get there.
    source = "# Deep\n\n" + "".join("  " * i + f"- item {i}\n" for i in range(depth))
    document = load_document(write(tmp_path, "deep.md", source))
    assert document.text == source  # the file as written: offsets are file offsets
    assert document.format == "txt"
    assert "shown as plain text" in document.warnings[0]


def test_markdown_nested_a_little_is_still_laid_out(tmp_path: Path) -> None:
    source = "# Lists\n\n" + "".join("  " * i + f"- item {i}\n" for i in range(40))
    document = load_document(write(tmp_path, "nested.md", source))
    assert document.format == "md" and not document.warnings
    assert "item 39" in document.text and "- item" not in document.text


# --------------------------------------------------------------------------------------
# HTML


PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Economy grows | The Daily Site</title>
<style>p { color: red }</style>
<script>var html = "<p>not text</p>";</script></head>
<body>
<header class="site"><a href="/">The Daily Site</a>
  <nav><ul><li>Home</li><li>World</li></ul></nav></header>
<main><article>
<header><h1>Economy   grows &amp;
  surprises</h1></header>
<p>LONDON (Reuters) - Britain&#8217;s   economy <em>grew</em>
   faster than expected in the third quarter, official figures showed on Friday.</p>
<p>First line<br>second line<br><br>A new paragraph&nbsp;here.</p>
<aside>Related: other stories</aside>
<blockquote><p>“We are pleased,” the chancellor said.</p></blockquote>
<ul><li>one<li>two</ul>
<form><label>Your e-mail</label><input type="text"><button>Subscribe</button></form>
<div hidden>hidden text</div>
<p>The end.</p>
</article></main>
<footer>© The Daily Site</footer>
<noscript>Turn on JavaScript</noscript>
</body></html>
"""


def test_html_is_reduced_to_its_readable_text(tmp_path: Path) -> None:
    document = load_document(write(tmp_path, "page.html", PAGE))
    assert document.format == "html"
    assert_blocks_well_formed(document)
    assert block_texts(document) == [
        "Economy grows & surprises",
        "LONDON (Reuters) - Britain’s economy grew faster than expected in the third "
        "quarter, official figures showed on Friday.",
        "First line\nsecond line",
        "A new paragraph\xa0here.",
        "“We are pleased,” the chancellor said.",
        "one",
        "two",
        "The end.",
    ]
    assert [b.kind for b in document.blocks] == [
        "title", "paragraph", "paragraph", "paragraph", "quote", "item", "item", "paragraph",
    ]
    for gone in ("not text", "color", "Home", "Related", "e-mail", "Subscribe", "hidden",
                 "©", "JavaScript", "Daily Site"):
        assert gone not in document.text
    assert document.title == "Economy grows & surprises"
    assert document.dateline == "LONDON"


def test_html_title_element_is_used_when_there_is_no_h1(tmp_path: Path) -> None:
    page = "<html><head><title> Only  a title </title><body><p>Some text. More text.</p>"
    document = document_from_text(page, tmp_path / "t.html", "html")
    assert document.title == "Only a title"
    assert document.text == "Some text. More text."


def test_html_body_without_closing_head(tmp_path: Path) -> None:
    page = "<html><head><title>T</title><body><h2>Section</h2><p>Body text.</p></body>"
    document = document_from_text(page, tmp_path / "h.html", "html")
    assert document.text == "Section\n\nBody text."


def test_html_declared_charset_is_used_for_non_utf8_pages(tmp_path: Path) -> None:
    page = '<html><head><meta charset="iso-8859-7"></head><body><p>Αθήνα</p></body></html>'
    document = load_document(write(tmp_path, "greek.htm", page.encode("iso-8859-7")))
    assert document.text == "Αθήνα"
    assert document.encoding == "iso8859-7"


def test_html_table_rows_are_paragraphs(tmp_path: Path) -> None:
    page = "<table><tr><th>Team</th><td>Points</td></tr><tr><td>Leeds</td><td>3</td></tr>"
    document = document_from_text(page, tmp_path / "t.html", "html")
    assert document.text == "Team Points\n\nLeeds 3"


# --------------------------------------------------------------------------------------
# Titles


def test_title_is_a_headline_first_line_as_in_the_bbc_corpus(tmp_path: Path) -> None:
    text = "Ad sales boost Time Warner profit\n\nQuarterly profits at US media giant rose.\n"
    document = load_document(write(tmp_path, "bbc.txt", text))
    assert document.title == "Ad sales boost Time Warner profit"
    assert document.blocks[0] == Block("title", 0, len(document.title), 1)
    assert [b.kind for b in document.blocks] == ["title", "paragraph"]


def test_headline_with_a_final_full_stop_loses_it(tmp_path: Path) -> None:
    # PolNeAR's headlines end with a full stop; "U.S." keeps its own.
    text = "Stealth Over Health: Clinton Diverted to Avoid Bad Optics.\n\nThe Post reports.\n"
    document = document_from_text(text, tmp_path / "p.txt")
    assert document.title == "Stealth Over Health: Clinton Diverted to Avoid Bad Optics"
    assert document.blocks[0].kind == "title"
    other = document_from_text("Growth slows in the U.S.\n\nFigures show.", tmp_path / "u.txt")
    assert other.title == "Growth slows in the U.S."


def test_headline_with_a_standfirst_line(tmp_path: Path) -> None:
    text = (
        "Lawmaker urges retaliation on Russia; \n"
        "Member of House panel says U.S. has to keep Moscow out of elections.\n\n"
        "Rep. Adam Schiff called on President Obama to retaliate.\n"
    )
    document = document_from_text(text, tmp_path / "s.txt")
    assert document.title == "Lawmaker urges retaliation on Russia"
    assert [b.kind for b in document.blocks] == ["title", "paragraph", "paragraph"]
    assert block_texts(document)[:2] == [
        "Lawmaker urges retaliation on Russia;",
        "Member of House panel says U.S. has to keep Moscow out of elections.",
    ]


def test_title_from_a_long_opening_sentence_is_shortened_at_a_word(tmp_path: Path) -> None:
    document = document_from_text(LEAD + "\n\nSecond paragraph.\n", tmp_path / "seed.txt")
    # the dateline is not part of the title
    assert document.title == (
        "Facing a “severely contested environment”, Japan and the United States will…"
    )
    assert len(document.title) <= 81
    assert document.blocks[0].kind == "paragraph"


def test_title_from_a_short_single_paragraph(tmp_path: Path) -> None:
    document = document_from_text("Rates held. The bank will meet again.", tmp_path / "r.txt")
    assert document.title == "Rates held"


def test_title_sentence_does_not_end_at_an_abbreviation(tmp_path: Path) -> None:
    text = (
        "Mr. Obama said on Tuesday that the U.S. economy would grow. Others disagreed, and "
        "said so at length in the days that followed the speech."
    )
    document = document_from_text(text, tmp_path / "m.txt")
    assert document.title == "Mr. Obama said on Tuesday that the U.S. economy would grow"


def test_hard_wrapped_opening_paragraph_is_not_a_headline(tmp_path: Path) -> None:
    text = (
        "The council voted on Tuesday to close the\n"
        "library, despite protests.\n\nResidents said they would appeal.\n"
    )
    document = document_from_text(text, tmp_path / "w.txt")
    assert document.blocks[0].kind == "paragraph"
    assert document.title == "The council voted on Tuesday to close the library, despite protests"


def test_headline_directly_above_the_body_is_the_title(tmp_path: Path) -> None:
    # Issue 10, 12: no blank line between headline and body; the body one long line, or
    # hard-wrapped. The title is a block of its own, so the reader shows it once.
    long_line = (
        "The mobile phone market grew by a third last year, analysts said on Monday, and "
        "it is still growing."
    )
    wrapped = (
        "The mobile phone market grew by a third last year, analysts\n"
        "said on Monday, and it is still growing fast in every market\n"
        "they looked at."
    )
    for body in (long_line, wrapped):
        text = f"Mobile phones sell well\n{body}\n\nSecond paragraph.\n"
        document = load_document(write(tmp_path, "a.txt", text))
        assert document.text == text
        assert document.title == "Mobile phones sell well"
        assert block_texts(document) == ["Mobile phones sell well", body, "Second paragraph."]
        assert document.blocks[0].kind == "title"


def test_seed_article(seed_path: Path) -> None:
    document = load_document(seed_path)
    assert document.text == seed_path.read_text(encoding="utf-8")
    assert document.dateline == "WASHINGTON"
    assert document.dateline_span == (0, 10)
    assert document.title.startswith("Facing a “severely contested environment”")
    assert_blocks_well_formed(document)


# --------------------------------------------------------------------------------------
# Datelines


@pytest.mark.parametrize(
    ("opening", "place"),
    [
        ("WASHINGTON – ", "WASHINGTON"),
        ("LONDON (Reuters) - ", "LONDON"),
        ("NEW YORK, Jan 5 — ", "NEW YORK"),
        ("WASHINGTON (AP) — ", "WASHINGTON"),
        ("ST. LOUIS -- ", "ST. LOUIS"),
        ("HEMPSTEAD, N.Y., Sept. 26 (UPI) — ", "HEMPSTEAD"),
        ("Washington (CNN) — ", "Washington"),
    ],
)
def test_dateline_at_the_start_of_the_first_paragraph(
    tmp_path: Path, opening: str, place: str
) -> None:
    body = "Officials from both countries said on Wednesday that talks would go on."
    text = f"Leaders meet\n\n{opening}{body}"
    document = document_from_text(text, tmp_path / "d.txt")
    assert document.dateline == place
    assert document.dateline_span is not None
    assert document.text[slice(*document.dateline_span)] == place
    assert document.dateline_span[0] == len("Leaders meet\n\n")


@pytest.mark.parametrize(
    "opening",
    [
        "CRICKET - LEICESTERSHIRE TAKE OVER AT TOP AFTER INNINGS VICTORY AT GRACE ROAD .",
        "BREAKING – Officials from both countries said on Wednesday that talks would go on.",
        "US officials said on Wednesday that talks would go on, and that both sides agreed.",
        "NATO-led forces said on Wednesday that talks would go on, and that both sides agreed.",
        "Washington – Officials from both countries said on Wednesday that talks would go on.",
        "IPO FILING -- Homegate Hospitality Inc .",
        "NASA – the space agency – said on Wednesday that the launch would go ahead.",
    ],
)
def test_no_dateline_where_there_is_none(tmp_path: Path, opening: str) -> None:
    document = document_from_text(f"Leaders meet\n\n{opening}\n\nMore.", tmp_path / "n.txt")
    assert (document.dateline, document.dateline_span) == (None, None)


def test_dateline_later_in_the_article_is_not_the_dateline(tmp_path: Path) -> None:
    long_lead = "Officials said on Wednesday that the talks would resume. " * 4
    text = f"Leaders meet\n\n{long_lead}\n\nLONDON – Officials in Britain agreed with the plan."
    document = document_from_text(text, tmp_path / "l.txt")
    assert document.dateline is None


def test_conll_place_and_date_line(tmp_path: Path) -> None:
    text = (
        "SOCCER - SHEARER NAMED AS ENGLAND CAPTAIN .\nLONDON 1996-08-30\n"
        "The world 's costliest footballer Alan Shearer was named captain on Friday .\n"
    )
    document = document_from_text(text, tmp_path / "0003.txt")
    assert document.title == "SOCCER - SHEARER NAMED AS ENGLAND CAPTAIN ."
    assert document.dateline == "LONDON"
    assert document.dateline_span == (text.index("LONDON"), text.index("LONDON") + 6)


# --------------------------------------------------------------------------------------
# document_from_text


def test_document_from_text_matches_a_loaded_file(tmp_path: Path) -> None:
    content = "Headline\r\n\r\nBody text here.\r\n"
    path = write(tmp_path, "same.txt", content)
    loaded = load_document(path)
    made = document_from_text(content, path)
    assert made.text == loaded.text == "Headline\n\nBody text here.\n"
    assert (made.title, made.blocks, made.dateline) == (loaded.title, loaded.blocks, None)
    assert made.sha256 == hashlib.sha256(made.text.encode()).hexdigest()
    assert made.mtime == 0.0


def test_document_from_text_rejects_empty_text(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="empty"):
        document_from_text("  \n", tmp_path / "e.txt")


# --------------------------------------------------------------------------------------
# Real collections (where the shared data is on this machine)


@pytest.mark.parametrize("folder", ["eval/polnear/dev/text", "corpus/bbc/politics"])
def test_every_article_of_a_real_collection_reads_with_exact_offsets(folder: str) -> None:
    files = sorted((SHARED / folder).glob("*.txt"))
    if not files:
        pytest.skip(f"{SHARED / folder} is not on this machine")
    for path in files:
        document = load_document(path)
        if not document.warnings:
            assert document.text == path.read_text(encoding="utf-8"), path
        assert document.title, path
        assert document.blocks[0].kind == "title", path  # each has a headline on line 1
        assert_blocks_well_formed(document)
        if document.dateline_span:
            assert document.text[slice(*document.dateline_span)] == document.dateline
