"""The library-wide decisions of :mod:`index.evidence`, kept up to date cheaply.

Opening one article shows its names as the whole library decides them, so the decisions
need every article's evidence. Reading and parsing every stored analysis after each commit
took about a second on the BBC corpus; :class:`DecisionCache` instead remembers each
article's evidence by its content hash and analysis state, and after a commit parses only
the articles that changed (reading the stored fields of all of them stays: about 0.1 s).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from index import evidence
from index.library import schema as S
from index.model import NameEvidence


class DecisionCache:
    """Each article's evidence, by key, and the decisions of all of them."""

    def __init__(self) -> None:
        self._seen: dict[str, tuple[Any, ...]] = {}  # key -> (what identifies its analysis)
        self._evidence: dict[str, tuple[NameEvidence, ...]] = {}

    def decisions(self, stored: Iterable[Mapping[str, Any]]) -> evidence.Decisions:
        """The decisions of the articles in ``stored`` (every stored article's fields)."""
        live: set[str] = set()
        for f in stored:
            key = f[S.KEY]
            live.add(key)
            # Analysed or not: an article written again whole (its word pairs added, the
            # analysis the same) is not parsed again.
            stamp = (f.get(S.SHA256), f.get(S.ANALYSED, S.NO) != S.NO,
                     len(f.get(S.ANALYSIS) or ""))
            if self._seen.get(key) != stamp:
                self._seen[key] = stamp
                self._evidence[key] = _evidence_of(f.get(S.ANALYSIS))
        for gone in set(self._seen) - live:
            del self._seen[gone]
            del self._evidence[gone]
        return evidence.decide(self._evidence.values())


def _evidence_of(raw: Any) -> tuple[NameEvidence, ...]:
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return ()
    if not isinstance(raw, dict):
        return ()
    return tuple(NameEvidence.from_dict(e) for e in raw.get("evidence", ()))
