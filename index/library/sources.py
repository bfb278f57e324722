"""The user's list of sources (folders and files added to the library) and of problems.

``sources.json`` holds the folders and files the user added (the bundled seeds are implicit)
and the files inside them the user removed (``excluded``), and whether the bundled seeds
are in the library (``seeds``, remembered from the last update that was told, so that a
rebuild started by ``search`` leaves them out after ``index --no-seeds``). It is the
user's data: every change is a read-modify-write under its own file lock
(``sources.lock``), written atomically, so two processes adding sources at once lose
nothing; a damaged file is an error, never an empty list (an empty list would make the
next update remove every article).
Reading takes no lock and writes nothing, so it works in a read-only data directory.

``problems.json`` is what the last update could not read (file, reason, when), written by
the update under the library's writer lock.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from index import paths
from index.library.storage import FileLock, atomic_write
from index.model import LibraryError, Problem

SOURCES_FILE = "sources.json"
SOURCES_LOCK = "sources.lock"
PROBLEMS_FILE = "problems.json"


class SourceList:
    """The sources of one data directory."""

    def __init__(
        self, data_dir: Path, *, with_seeds: bool | None = None, timeout: float = 10.0
    ) -> None:
        self.data_dir = data_dir
        self._with_seeds = with_seeds
        self.timeout = timeout

    @property
    def with_seeds(self) -> bool:
        """Whether the bundled seeds are a source: as told, else as remembered (yes)."""
        if self._with_seeds is not None:
            return self._with_seeds
        return bool(self._read().get("seeds", True))

    @property
    def file(self) -> Path:
        return self.data_dir / SOURCES_FILE

    # ------------------------------------------------------------------ reading

    def _read(self) -> dict[str, Any]:
        try:
            raw = self.file.read_bytes()
        except FileNotFoundError:
            return {"sources": [], "excluded": []}
        except OSError as exc:
            raise LibraryError(
                f"The list of sources ({self.file}) cannot be read: {exc.strerror}."
            ) from exc
        try:
            data = json.loads(raw.decode("utf-8"))
            if not isinstance(data, dict):
                raise ValueError("not an object")
            sources = data.get("sources", [])
            excluded = data.get("excluded", [])
            if not isinstance(sources, list) or not isinstance(excluded, list):
                raise ValueError("not a list")
        except ValueError as exc:
            raise LibraryError(
                f"The list of sources ({self.file}) is damaged ({exc}); nothing was removed "
                "from the library. Fix the file, or delete it and add your folders again."
            ) from exc
        found: dict[str, Any] = {
            "sources": [p for p in sources if isinstance(p, str)],
            "excluded": [p for p in excluded if isinstance(p, str)],
        }
        if isinstance(data.get("seeds"), bool):
            found["seeds"] = data["seeds"]
        return found

    def added(self) -> list[Path]:
        """The folders and files the user added, in the order they were added."""
        return [Path(p) for p in self._read()["sources"]]

    def all(self) -> list[Path]:
        """Every source, the bundled seeds first."""
        data = self._read()
        seeds = self._with_seeds if self._with_seeds is not None else data.get("seeds", True)
        found = [paths.seeds_dir()] if seeds else []
        for p in (Path(p) for p in data["sources"]):
            if p not in found:
                found.append(p)
        return found

    def excluded(self) -> set[str]:
        """Files inside a source folder that the user removed from the library."""
        return set(self._read()["excluded"])

    # ------------------------------------------------------------------ writing

    def _change(self, change: Any) -> None:
        lock = FileLock(self.data_dir / SOURCES_LOCK, self.timeout,
                        f"Another Broadsheet process is changing the sources in {self.data_dir}; "
                        "try again in a moment.")
        try:
            with lock:
                data = self._read()
                if change(data) is False:
                    return
                atomic_write(self.file, json.dumps(data, indent=2) + "\n")
        except PermissionError as exc:
            raise LibraryError(
                f"Cannot write the list of sources in {self.data_dir}: {exc.strerror}."
            ) from exc

    def add(self, sources: Iterable[Path | str]) -> None:
        """Remembers folders or files (resolved); :class:`FileNotFoundError` if one is missing.
        A file that had been removed from inside a folder comes back."""
        resolved = []
        for source in sources:
            path = Path(source).expanduser().resolve()
            if not path.exists():
                raise FileNotFoundError(f"No such file or folder: {source}")
            resolved.append(str(path))

        def change(data: dict[str, Any]) -> bool:
            before = json.dumps(data)
            for path in resolved:
                if path in data["excluded"]:
                    data["excluded"].remove(path)
                if path not in data["sources"] and not self._is_seed(path):
                    data["sources"].append(path)
            return json.dumps(data) != before

        self._change(change)

    def remove(self, path: Path | str) -> bool:
        """Forgets a source; a file inside a source folder is excluded from then on. True
        when something changed; the next update removes the articles."""
        resolved = str(Path(path).expanduser().resolve())
        folders = [str(p) for p in self.all()]
        changed = False

        def change(data: dict[str, Any]) -> bool:
            nonlocal changed
            if resolved in data["sources"]:
                data["sources"].remove(resolved)
                changed = True
            if any(resolved.startswith(f.rstrip("/") + "/") for f in folders) \
                    and resolved not in data["excluded"]:
                data["excluded"].append(resolved)
                changed = True
            return changed

        self._change(change)
        return changed

    def remember_seeds(self) -> None:
        """Remembers whether the seeds are in the library when this list was told (by a
        caller's ``with_seeds``) and it differs from what is remembered; writes nothing
        otherwise (a read-only data directory stays readable)."""
        wanted = self._with_seeds
        if wanted is None or self._read().get("seeds", True) == wanted:
            return

        def change(data: dict[str, Any]) -> bool:
            if data.get("seeds", True) == wanted:
                return False
            data["seeds"] = wanted
            return True

        self._change(change)

    def _is_seed(self, path: str) -> bool:
        return self.with_seeds and path == str(paths.seeds_dir())

    # ------------------------------------------------------------------ problems

    def problems(self) -> list[Problem]:
        """What the last update could not read."""
        try:
            data = json.loads((self.data_dir / PROBLEMS_FILE).read_text("utf-8"))
            return [Problem(str(d["path"]), str(d["reason"]), str(d.get("when", "")))
                    for d in data.get("problems", [])]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return []

    def save_problems(self, problems: Iterable[Problem]) -> None:
        """Replaces the list (called by the update, under the library's writer lock)."""
        data = {"problems": [{"path": p.path, "reason": p.reason, "when": p.when}
                             for p in problems]}
        atomic_write(self.data_dir / PROBLEMS_FILE, json.dumps(data, indent=1) + "\n")

    def forget_problem(self, path: Path | str) -> None:
        """Drops ``path`` from the list, so that the next update reads it again."""
        wanted = {str(path), str(Path(path).expanduser().resolve())}
        kept = [p for p in self.problems() if p.path not in wanted]
        self.save_problems(kept)
