"""The structure of an article's text: paragraphs, title and dateline.

For plain text the blocks are found in the text itself (paragraphs between blank lines,
or one a line; a first line that reads as a headline becomes the ``title`` block); for
Markdown and HTML they come from the markup (:mod:`index.documents.markup`) and the title
is the first ``<h1>``. The dateline ("WASHINGTON (Reuters) —") is looked for at the start
of the lead, and a title made from the first sentence when nothing else gives one.
"""

from __future__ import annotations

import re

from index.model import Block, Span

#: Longest title made from an opening sentence (characters, before the "…").
TITLE_LENGTH = 80

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


def txt_structure(text: str) -> tuple[list[Block], str]:
    """The blocks of a plain text and its title ("" when its first line is no headline).

    A first line that reads as a headline becomes the ``title`` block when a blank line
    follows it, or when the lines after it show it is not the first line of a hard-wrapped
    paragraph (it ends a sentence above a standfirst, or it is far shorter than the lines
    below: see :func:`_stands_apart`)."""
    paragraphs = _paragraph_spans(text)
    blocks = [Block("paragraph", a, b) for a, b in paragraphs]
    if len(paragraphs) < 2:
        return blocks, ""
    lines = _line_spans(text, paragraphs[0])
    first = text[lines[0][0] : lines[0][1]]
    if len(lines) == 2 and not (
        first.rstrip().endswith((";", ":", ".", "?", "!", "”", "’", '"'))
        or _stands_apart(text, lines)
    ):
        return blocks, ""  # a hard-wrapped opening paragraph, not headline + standfirst
    if len(lines) > 2 and not _stands_apart(text, lines):
        return blocks, ""
    if not _reads_as_headline(first) or _dateline_match(first):
        return blocks, ""
    title_block = Block("title", lines[0][0], lines[0][1], 1)
    rest = [Block("paragraph", lines[1][0], lines[-1][1])] if len(lines) > 1 else []
    return [title_block, *rest, *blocks[1:]], _clean_title(first)


def _stands_apart(text: str, lines: list[Span]) -> bool:
    """Whether the first of ``lines`` (one paragraph's) is a line of its own above the
    others: had they been wrapped together, the next line's first word would have fitted
    on it. The others begin a sentence, and the first plus that word is well short of the
    widest of them (a wrapped line is filled to near the width)."""
    after = text[lines[1][0] : lines[1][1]]
    if not after[:1].isupper() and not after[:1].isdigit() and after[:1] not in "\"“‘'(":
        return False
    next_word = len(after.split()[0])
    widest = max(b - a for a, b in lines[1:])
    first = lines[0][1] - lines[0][0]
    return first + 1 + next_word < 0.75 * widest


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


def find_dateline(text: str, blocks: list[Block]) -> tuple[str | None, Span | None]:
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


def title_from_sentence(text: str, blocks: list[Block], dateline: Span | None) -> str:
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


def markup_title(
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

