"""Shared fixtures. Tests run headless and never touch a real profile."""

from __future__ import annotations

import os
from pathlib import Path

# Before anything imports Qt: no screen in CI.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("BROADSHEET_DATA_DIR", None)

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own empty data directory through ``BROADSHEET_DATA_DIR``."""
    path = tmp_path / "data"
    path.mkdir()
    monkeypatch.setenv("BROADSHEET_DATA_DIR", str(path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return path


@pytest.fixture(scope="session")
def seed_path() -> Path:
    """The bundled seed article."""
    return next((REPO / "seeds").glob("*.txt"))


@pytest.fixture(scope="session")
def nlp():  # type: ignore[no-untyped-def]
    """The spaCy pipeline, loaded once for the whole run."""
    from index.nlp import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def analyser():  # type: ignore[no-untyped-def]
    """One :class:`index.analysis.Analyser` for the whole run."""
    from index.analysis import Analyser

    return Analyser()
