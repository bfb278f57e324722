"""Keeping the library up to date: adding files and folders, updates, progress, problems.

:class:`Updates` asks for files and folders (File > Add…, starting where the last dialog
was left) and hands paths to the writer thread (which looks at the disk: nothing here
stats a file or walks a folder), runs one update at a time (asked again while one runs, it
runs once more after), shows the progress in the status bar with a Cancel button, watches
the library's folders and the open article's file for changes, and keeps the Problems
panel: files that could not be read (try again, remove) and the library's own errors.
"""

from __future__ import annotations

import logging
from pathlib import Path, PurePath

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QProgressBar, QPushButton, QWidget

from desktop.problems import ProblemsPanel
from desktop.reading import Reading
from desktop.service import LibraryService
from desktop.settings import Settings
from index.model import Article, LibraryError, Phase, Problem, Progress, UpdateReport
from index.paths import ARTICLE_FORMATS

log = logging.getLogger(__name__)

#: Files offered by File > Add files….
FILE_FILTER = (f"Articles ({' '.join('*' + ext for ext in ARTICLE_FORMATS)});;"
               "All files (*)")

#: Wait this long after the last change on disk before updating (milliseconds).
WATCH_DEBOUNCE_MS = 1000

_WORDS = {Phase.SCAN: "Looking for new and changed files", Phase.INDEX: "Indexing text",
          Phase.ANALYSE: "Analysing", Phase.COMMIT: "Saving", Phase.DONE: "Done"}


def progress_text(p: Progress) -> tuple[str, str]:
    """The progress bar's text and the status line for ``p``. While scanning, the count
    is of files looked at so far, not a total: neither is shown. Otherwise the status line
    holds the library's two counts ("2,225 searchable · 812 of 2,225 analysed"): what can
    be searched now, and how much of it has its people, places and statements."""
    words = _WORDS.get(p.phase, str(p.phase))
    if p.phase == Phase.SCAN:
        return "Looking…", f"{words}…"
    if p.phase == Phase.INDEX and p.total:
        bar = f"{words} {p.done:,}/{p.total:,}"  # files read: searchable at their commit
    elif p.phase == Phase.DONE:
        bar = words
    else:  # the whole update's share done: 100 % only when both counts are complete
        bar = f"{words} {int(p.fraction * 100)} %"
    counts = p.counts()
    if counts:
        return bar, counts
    return bar, (f"{words} {PurePath(p.path).name}…" if p.path else "")


def report_text(report: UpdateReport, last: Progress | None = None) -> str:
    """What an update did, in a line; with the counts of ``last`` (its last progress) when
    it stopped before every article was analysed."""
    parts = [f"{len(report.added)} added" if report.added else "",
             f"{len(report.updated)} updated" if report.updated else "",
             f"{len(report.removed)} removed" if report.removed else "",
             f"{len(report.failed)} could not be read (see Problems)" if report.failed else ""]
    done = ", ".join(p for p in parts if p) or "nothing new"
    if last is not None and last.analysed < max(last.articles, last.searchable):
        done += f" ({last.counts()}; the rest at the next update)"
    return ("Indexing cancelled: " if report.cancelled else "Library up to date: ") + done


class Updates(QObject):
    """Sources, updates and problems.

    Signals:
        message(str, int): a status-bar message and how long to show it (ms; 0: until
            the next one).
        problemsFound(): new problems (show the Problems panel).
    """

    message = Signal(str, int)
    problemsFound = Signal()

    def __init__(self, service: LibraryService, reading: Reading, problems: ProblemsPanel,
                 cancel_action: QAction, settings: Settings, parent: QWidget) -> None:
        super().__init__(parent)
        self.window = parent
        self.settings = settings
        self.service = service
        self.reading = reading
        self.problems = problems
        self.started = False
        self.opened = False
        self._again = False
        self._error_shown = False  # a library error was shown during the update running
        self._reported: set[str] = set()
        self._last: Progress | None = None  # the running update's latest progress
        self._elsewhere = False  # another process's analysis is being shown
        self.progress = QProgressBar(parent)
        self.progress.setObjectName("indexProgress")
        self.progress.setAccessibleName("Indexing progress")
        self.progress.setMaximumWidth(220)
        self.progress.setRange(0, 1000)
        self.progress.hide()
        self.cancel_button = QPushButton("Cancel", parent)
        self.cancel_button.setAccessibleName("Cancel indexing")
        self.cancel_button.setToolTip("Stop indexing (what is done is kept)")
        self.cancel_button.hide()
        self.cancel_action = cancel_action  # the menu's: enabled while an update runs
        self.cancel_action.setEnabled(False)
        self.watcher = QFileSystemWatcher(self)
        self.watch_timer = QTimer(self)
        self.watch_timer.setSingleShot(True)
        self.watch_timer.setInterval(WATCH_DEBOUNCE_MS)
        self._folders: set[str] = set()
        self._file = ""

    # -- the library ------------------------------------------------------------------

    def start(self) -> None:
        if not self.started:
            self.started = True
            self.message.emit("Opening the library…", 0)
            self.service.start()

    def library_opened(self) -> None:
        self.opened = True
        self.message.emit("Checking the library for new and changed files…", 5000)
        self.update()

    def open_paths(self, paths: list[Path]) -> None:
        """Adds files and folders to the library and updates it; the first file among
        them is opened once it is indexed (a folder's files are not: what is being read
        stays)."""
        paths = [p.expanduser().absolute() for p in paths]
        if not paths:
            return
        self.start()
        self.reading.expect_files()
        self.service.add(paths)
        self.message.emit(f"Adding {len(paths)} item(s) to the library…", 5000)
        self.update()

    def add_folder_dialog(self) -> None:
        """File > Add folder…: starts where the last folder was, so its siblings are near."""
        folder = QFileDialog.getExistingDirectory(self.window, "Add a folder of articles",
                                                  self.settings.last_folder())
        if folder:
            self.settings.set_last_folder(str(PurePath(folder).parent))
            self.open_paths([Path(folder)])

    def add_files_dialog(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self.window, "Add articles",
                                                self.settings.last_folder(), FILE_FILTER)
        if files:
            self.settings.set_last_folder(str(PurePath(files[0]).parent))
            self.open_paths([Path(f) for f in files])

    def update(self) -> None:
        """Updates the library in the background (one update at a time)."""
        if not self.opened:
            return
        if self.service.busy:
            self._again = True
            return
        self.service.update()
        self._last = None
        self.progress.setValue(0)
        self.progress.setFormat("Indexing…")
        self.progress.show()
        self.cancel_button.show()
        self.cancel_action.setEnabled(True)

    def cancel(self) -> None:
        self._again = False
        self.service.cancel()
        self.message.emit("Cancelling…", 0)

    def show_progress(self, p: Progress) -> None:
        self.progress.show()
        self.cancel_button.show()
        self._last = p
        self.progress.setValue(int(p.fraction * 1000))
        bar, line = progress_text(p)
        self.progress.setFormat(bar)
        if line:
            self.message.emit(line, 0)

    def analysis_state(self, analysed: int, searchable: int) -> None:
        """The library's counts after another process's commit, while some articles are
        not analysed (this window's own update says them with its progress)."""
        if self.service.busy:
            return
        if analysed < searchable:
            self.message.emit(f"{searchable:,} searchable · {analysed:,} of {searchable:,} "
                              "analysed", 0)
            self._elsewhere = True
        elif self._elsewhere:
            self._elsewhere = False
            self.message.emit(f"{searchable:,} searchable · {analysed:,} of {searchable:,} "
                              "analysed", 8000)

    def finished(self, report: UpdateReport) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        self.cancel_action.setEnabled(False)
        if not self._error_shown:  # the library's error says more than "cancelled"
            self.message.emit(report_text(report, self._last), 8000)
        self._error_shown = False
        if not report.cancelled:
            self.problems.model.clear_errors()
        if report.failed:
            self.problemsFound.emit()
        if self._again:
            self._again = False
            self.update()

    # -- problems -------------------------------------------------------------------

    def retry(self, problem: Problem) -> None:
        self.service.retry(problem.path)
        self.update()

    def remove(self, problem: Problem) -> None:
        self.service.remove_source(problem.path)
        self.update()

    def library_failed(self, error: LibraryError) -> None:
        self._error_shown = self.service.busy
        self.problems.model.add_error(error)
        self.message.emit(error.message, 15000)
        self.problemsFound.emit()

    def failed(self, message: str) -> None:
        """Something unexpected (logged where it happened): said once."""
        if message not in self._reported:
            self._reported.add(message)
            self.message.emit(message, 15000)

    # -- watching -------------------------------------------------------------------

    def watch_folders(self, folders: list[str]) -> None:
        new = sorted(set(folders) - self._folders)
        self._folders.update(new)
        if new:
            self.watcher.addPaths(new)

    def watch_article(self, article: Article) -> None:
        """Watches the open article's file (an edit in place changes no folder)."""
        if self.reading.preview or article.info.path == self._file:
            return
        if self._file:
            self.watcher.removePath(self._file)
        self._file = article.info.path
        self.watcher.addPath(self._file)

    def disk_changed(self, _path: str) -> None:
        self.watch_timer.start()
