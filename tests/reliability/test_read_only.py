"""Read-only places (issue 13, 7): with the data directory read-only, reading works and a
write says in one sentence what cannot be written.

The commands run as a user would run them, in a child process, on a data directory made
read-only for real: ``chmod`` when the tests run as an ordinary user; as root (who may
write anywhere), a read-only bind mount in a private mount namespace (``unshare``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _can_unshare() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "-rm", "sh", "-c", "mount --bind / /mnt 2>/dev/null || mount --bind /tmp "
         "/tmp"], capture_output=True, timeout=30,
    )
    return probe.returncode == 0


def run_read_only(data_dir: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """``broadsheet ARGV --data-dir DATA_DIR`` with ``data_dir`` read-only."""
    command = [sys.executable, "-m", "index", *argv, "--data-dir", str(data_dir)]
    env = dict(os.environ, PYTHONPATH=str(REPO))
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in [data_dir, *data_dir.rglob("*")]}
        for p in modes:
            p.chmod(modes[p] & ~0o222)
        try:
            return subprocess.run(command, capture_output=True, text=True, env=env, cwd=REPO,
                                  timeout=300)
        finally:
            for p, mode in modes.items():
                p.chmod(mode)
    if not _can_unshare():
        pytest.skip("root without unshare: no way to make a folder read-only for root")
    d = str(data_dir)
    script = ('mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" "$1" && shift && '
              'exec "$@"')
    return subprocess.run(["unshare", "-rm", "sh", "-c", script, "sh", d, *command],
                          capture_output=True, text=True, env=env, cwd=REPO, timeout=300)


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "articles" / "flood.txt"
    path.parent.mkdir()
    path.write_text("Flood defences agreed\n\nMinisters agreed to spend more on flood "
                    "defences after a winter of storms.\n", encoding="utf-8")
    return path


def test_bookmarks_list_and_export_work_read_only_and_add_says_why_not(
    data_dir: Path, article: Path
) -> None:
    from index.cli import main as cli

    assert cli(["bookmarks", "add", str(article), "--quote", "a winter of storms",
                "--data-dir", str(data_dir)]) == 0
    listed = run_read_only(data_dir, "bookmarks", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert '"quote": "a winter of storms"' in listed.stdout
    exported = run_read_only(data_dir, "bookmarks", "export", "--format", "md")
    assert exported.returncode == 0, exported.stderr
    assert "> a winter of storms" in exported.stdout
    added = run_read_only(data_dir, "bookmarks", "add", str(article), "--quote", "flood")
    assert added.returncode == 1
    lines = added.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot be saved" in lines[0] and "read-only" in lines[0]


def test_bookmarks_list_on_a_read_only_place_that_never_had_any(data_dir: Path) -> None:
    listed = run_read_only(data_dir, "bookmarks", "list")
    assert listed.returncode == 0, listed.stderr
    assert "No bookmarks yet." in listed.stdout
    assert not (data_dir / "bookmarks.sqlite3").exists()


def test_index_on_a_read_only_place_reads_and_says_what_cannot_be_written(
    data_dir: Path, article: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``index`` with nothing to change succeeds read-only (it rewrote sources.json); with
    something to write it says, in one line, what cannot be written."""
    from corpus import NamesAnalyser

    from index.cli import main as cli
    from index.library import Library

    monkeypatch.setattr(Library, "_analyser_for", lambda self, count: NamesAnalyser())
    assert cli(["index", "--no-seeds", "--data-dir", str(data_dir), str(article.parent)]) == 0
    unchanged = run_read_only(data_dir, "index", "--no-seeds")
    assert unchanged.returncode == 0, unchanged.stderr
    searched = run_read_only(data_dir, "search", "storms")
    assert searched.returncode == 0 and "Flood defences agreed" in searched.stdout
    article.write_text(article.read_text(encoding="utf-8") + "\nMore news.\n", encoding="utf-8")
    changed = run_read_only(data_dir, "index", "--no-seeds")
    assert changed.returncode == 1
    lines = changed.stderr.strip().splitlines()
    assert len(lines) == 1 and "read-only" in lines[0], changed.stderr
