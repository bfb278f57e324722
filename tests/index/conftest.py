"""Fixtures shared by the tests of ``index/``."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    """A folder of two small articles: Lloyd Austin in Japan, Ada Lovelace in London."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "austin.txt").write_text(
        "Austin visits Japan\n\nLloyd Austin went to Japan. "
        "“We are upgrading our forces,” Mr Austin said.\n", "utf-8")
    (folder / "lovelace.txt").write_text(
        "Engines of London\n\nAda Lovelace wrote about engines "
        "in London. “The engine weaves algebraic patterns,” she said.\n", "utf-8")
    return folder
