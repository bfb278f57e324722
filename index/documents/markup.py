"""Markdown and HTML reduced to their readable text, as pieces (paragraphs, headings,
list items, quotations, code) that :func:`index.documents.load_document` joins into one
text with blank lines between them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser


@dataclass
class Piece:
    kind: str
    text: str
    level: int = 0


#: Deepest nesting laid out as Markdown: leading indentation in columns (a tab is four),
#: and block-quote markers (``>``) at the start of a line. The ``markdown`` package recurses
#: once a level and slows with the square of the depth: a list nested 500 deep took 2.5 s
#: and overflowed the stack, 2,000 deep 190 s.
MAX_INDENT = 120
MAX_QUOTE_MARKERS = 50

_LEAD = re.compile(r"^[ \t>]+", re.MULTILINE)


class TooDeep(ValueError):
    """Markdown nested deeper than :data:`MAX_INDENT` / :data:`MAX_QUOTE_MARKERS`."""


def check_nesting(source: str) -> None:
    """Raises :class:`TooDeep` for Markdown nested too deeply to lay out safely."""
    for match in _LEAD.finditer(source):
        lead = match.group()
        if lead.count(">") > MAX_QUOTE_MARKERS:
            raise TooDeep(f"block quotes nested more than {MAX_QUOTE_MARKERS} deep")
        if len(lead.expandtabs(4)) > MAX_INDENT and not lead.strip(" \t"):
            raise TooDeep(f"indented more than {MAX_INDENT} columns")


def markdown_pieces(source: str) -> tuple[list[Piece], str]:
    """The pieces of a Markdown text; :class:`TooDeep` when it is nested too deeply to lay
    out (see :func:`check_nesting`); RecursionError is still possible in theory and is the
    caller's to catch."""
    import markdown

    check_nesting(source)
    # No "smarty": straight quotes stay as written (the quotation finder reads them).
    html = markdown.markdown(source, extensions=["fenced_code", "tables", "sane_lists"])
    return html_pieces(html, markup_from_markdown=True)


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
    """Collects the readable text of an HTML page as :class:`Piece` blocks."""

    def __init__(self, *, keep_page_furniture: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.keep_page_furniture = keep_page_furniture
        self.pieces: list[Piece] = []
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
                self.pieces.append(Piece(kind, text, level))
            return
        # <br><br> separates paragraphs in old pages: make them separate blocks
        for part in re.split(r" ?\n(?: ?\n)+ ?", raw):
            text = "\n".join(line.strip(" ") for line in part.split("\n")).strip()
            if text:
                self.pieces.append(Piece(kind, text, level))

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


def html_pieces(source: str, *, markup_from_markdown: bool = False) -> tuple[list[Piece], str]:
    reducer = _Reducer(keep_page_furniture=markup_from_markdown)
    reducer.feed(source)
    reducer.close()
    head_title = " ".join("".join(reducer.head_title).split())
    return reducer.pieces, head_title

