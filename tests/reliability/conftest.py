"""The reliability harness (issue 13): probes a hostile user would try, each with its figure.

``make test`` runs every probe at a size that takes about a minute in all; ``make soak``
(``BROADSHEET_SOAK=1``) runs the big ones: 2,000 fuzzed queries, 10 MB files, 200 kills.
No test asserts a time: the figures (the slowest query, the seconds a probe took) are
printed at the end of the run, under "reliability figures", and written as JSON to
``$BROADSHEET_FIGURES`` when that is set; docs/RELIABILITY.md holds a measured table.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import pytest

SOAK = os.environ.get("BROADSHEET_SOAK") == "1"  # as soak.SOAK (a conftest is not importable)

_FIGURES: dict[str, Any] = {}


@pytest.fixture
def figures() -> Iterator[dict[str, Any]]:
    """A place to record a probe's figures (name → value), printed after the run."""
    yield _FIGURES


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _FIGURES:
        return
    terminalreporter.section("reliability figures" + (" (soak)" if SOAK else ""))
    for name, value in _FIGURES.items():
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        terminalreporter.write_line(f"{name}: {shown}")
    target = os.environ.get("BROADSHEET_FIGURES")
    if target:
        with open(target, "w", encoding="utf-8") as fh:
            json.dump({"soak": SOAK, **_FIGURES}, fh, indent=2)
