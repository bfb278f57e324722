"""Fixtures for end-to-end runs of the real program on a private X server."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from xsession import Xvfb, missing_tools  # found through the line above


def pytest_configure(config: pytest.Config) -> None:
    # Registered here, beside the only tests that use it (--strict-markers is on).
    config.addinivalue_line(
        "markers", "bundle: builds the PyInstaller bundle (minutes); skip with -m 'not bundle'"
    )


@pytest.fixture(scope="module")
def xvfb() -> Iterator[Xvfb]:
    missing = missing_tools()
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed (Debian: xvfb, x11-utils)")
    with Xvfb() as server:
        yield server


@pytest.fixture
def needs_main_window() -> None:
    if importlib.util.find_spec("desktop.mainwindow") is None:
        pytest.skip("desktop.mainwindow (the main window) is not there yet")
