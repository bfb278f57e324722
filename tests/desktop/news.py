"""Small news articles and a folder writer shared by the window tests that drive the real
library (``test_faults.py``, ``test_updates.py``)."""

from __future__ import annotations

from pathlib import Path

TIMEOUT = 60_000  # ms: a shared machine

PHONE = ("LONDON – A new mobile phone with a better camera went on sale on Monday.\n\n"
         "The camera takes pictures at night, the maker said.\n")
KYRGYZ = ("BISHKEK – Kyrgyz voters went to the polls on Sunday.\n\n"
          "Turnout was low in the capital.\n")


def write_folder(tmp_path: Path, files: dict[str, str | bytes], name: str = "news") -> Path:
    """``tmp_path/name`` holding ``files`` (text as UTF-8, bytes as they are)."""
    folder = tmp_path / name
    folder.mkdir(exist_ok=True)
    for file, content in files.items():
        if isinstance(content, bytes):
            (folder / file).write_bytes(content)
        else:
            (folder / file).write_text(content, encoding="utf-8")
    return folder
