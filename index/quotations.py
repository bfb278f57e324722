"""Finding quotations in text: a scanner over the quotation marks of each paragraph (see
:func:`find_quotations` and :mod:`index.quotes`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_OPENERS = "“\"„«"
_MARK_RE = re.compile(r"[“”\"„«»]")
_PARA_RE = re.compile(r"[^\n]+")


@dataclass
class Quotation:
    """A run of quoted text: ``start``/``end`` inside the outer marks (it may cover several
    paragraphs), ``closed`` False when the last paragraph never closed it."""

    start: int
    end: int
    closed: bool = True
    paragraphs: int = 1


def _is_space(ch: str) -> bool:
    return ch.isspace() or ch in "([{—–-/" or ch == ""


def find_quotations(text: str) -> list[Quotation]:
    """Every quoted stretch of ``text``, outermost marks only, in text order."""
    paras = [(m.start(), m.end()) for m in _PARA_RE.finditer(text) if m.group().strip()]
    out: list[Quotation] = []
    open_at: int | None = None  # content start of the open quotation
    depth = 0  # nested curly quotes inside the open one
    curly = True  # whether the open quotation began with a curly mark
    inner = False  # a straight quotation is open inside a curly one
    n_paras = 1
    for pi, (pa, pb) in enumerate(paras):
        skip = -1
        if open_at is not None:  # continued from the previous paragraph: skip its reopening mark
            lead = pa + len(text[pa:pb]) - len(text[pa:pb].lstrip())
            skip = lead
            n_paras += 1
        for m in _MARK_RE.finditer(text, pa, pb):
            i = m.start()
            if i == skip:
                continue
            ch = m.group()
            prev = text[i - 1] if i > pa else ""
            nxt = text[i + 1] if i + 1 < pb else ""
            opens_like = _is_space(prev) and not nxt.isspace() and nxt != ""
            closes_like = not _is_space(prev) or nxt == "" or nxt.isspace() or nxt in ".,;:!?)"
            if open_at is None:
                if ch in "“„«" or (ch in "\"”" and opens_like):
                    open_at, depth, n_paras = i + 1, 0, 1
                    curly, inner = ch != '"', False
                continue
            # a quotation is open
            if ch == '"' and curly:
                # “… "inner" …”: straight marks inside a curly quotation are nested, unless
                # one closes it (“no evidence" yet: mixed marks)
                if inner or (opens_like and not closes_like):
                    inner = not inner
                    continue
                out.append(Quotation(open_at, i, True, n_paras))
                open_at = None
                continue
            if ch in "“„«":
                if closes_like and not opens_like:  # a typo'd closing mark
                    out.append(Quotation(open_at, i, True, n_paras))
                    open_at = None
                elif not depth and opens_like and _after_sentence(text, i, open_at):
                    # “… today. “Nobody …”: the writer left the first one open and starts
                    # the next (a quotation within a quotation does not open a sentence)
                    end = i
                    while end > open_at and text[end - 1].isspace():
                        end -= 1
                    out.append(Quotation(open_at, end, False, n_paras))
                    open_at, depth, n_paras = i + 1, 0, 1
                else:
                    depth += 1
            elif ch in "”»":
                if depth:
                    depth -= 1
                else:
                    out.append(Quotation(open_at, i, True, n_paras))
                    open_at = None
            else:  # straight mark
                if opens_like and not closes_like and i > open_at:
                    # ` … 26 weeks. "We are going …`: the writer never closed the first
                    # quotation; this mark opens the next one
                    end = i
                    while end > open_at and text[end - 1].isspace():
                        end -= 1
                    out.append(Quotation(open_at, end, False, n_paras))
                    open_at, depth, n_paras = i + 1, 0, 1
                    continue
                out.append(Quotation(open_at, i, True, n_paras))
                open_at = None
        if open_at is not None:
            nxt_para = paras[pi + 1] if pi + 1 < len(paras) else None
            if nxt_para is not None:
                body = text[nxt_para[0]:nxt_para[1]].lstrip()
                if body[:1] in _OPENERS:
                    continue  # runs on into the next paragraph
            end = pb
            while end > open_at and text[end - 1].isspace():
                end -= 1
            if end > open_at:
                out.append(Quotation(open_at, end, False, n_paras))
            open_at = None
    return out


def _after_sentence(text: str, i: int, open_at: int) -> bool:
    """Whether the mark at ``i`` follows the end of a sentence ("today. “") of the quotation
    open since ``open_at``, and a capital letter follows it."""
    j = i - 1
    while j > open_at and text[j] in " \t\xa0":
        j -= 1
    return j > open_at and j < i - 1 and text[j] in ".!?" and text[i + 1 : i + 2].isupper()
