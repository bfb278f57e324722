"""The window's actions, toolbar and menus, and the About box they lead to.

:class:`desktop.mainwindow.MainWindow` calls :func:`build_actions` and :func:`build_menus`
while it builds its frame, :func:`build_shortcuts` after the first paint, and connects the
actions in its ``_connect_signals``.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu, QWidget

from desktop import APP_NAME

if TYPE_CHECKING:
    from desktop.mainwindow import MainWindow


class WindowActions:
    """What :func:`build_actions` and :func:`build_menus` make, as the window's attributes
    (annotations only: :class:`desktop.mainwindow.MainWindow` has them)."""

    add_folder_action: QAction
    add_files_action: QAction
    update_action: QAction
    cancel_action: QAction
    export_action: QAction
    quit_action: QAction
    undo_action: QAction
    redo_action: QAction
    copy_action: QAction
    select_all_action: QAction
    bookmark_action: QAction
    search_action: QAction
    find_action: QAction
    next_action: QAction
    previous_action: QAction
    clear_marks_action: QAction
    highlight_action: QAction
    zoom_in_action: QAction
    zoom_out_action: QAction
    zoom_reset_action: QAction
    back_action: QAction
    forward_action: QAction
    about_action: QAction
    view_menu: QMenu


def make_action(window: QMainWindow, text: str, *, tip: str = "",
                checkable: bool = False) -> QAction:
    """An action of the window's, its keys (:func:`build_shortcuts`) working even when the
    menu bar is hidden."""
    action = QAction(text, window)
    action.setCheckable(checkable)
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(tip)
    window.addAction(action)  # keys work even when the menu bar is hidden
    return action


def build_actions(window: MainWindow) -> None:
    """The window's actions (``window.<name>_action``) and its toolbar."""
    a = functools.partial(make_action, window)
    window.add_folder_action = a("Add &folder…", tip="Add a folder of articles to the library")
    window.add_files_action = a("Add &files…", tip="Add article files to the library")
    window.update_action = a("&Update library", tip="Re-index new and changed files")
    window.cancel_action = a("&Cancel indexing", tip="Stop indexing (what is done is kept)")
    window.export_action = a("&Export bookmarks…", tip="Save every bookmark to a Markdown file")
    window.quit_action = a("&Quit")
    window.undo_action = window.undo_stack.createUndoAction(window, "&Undo")
    window.redo_action = window.undo_stack.createRedoAction(window, "&Redo")
    window.addAction(window.undo_action)
    window.addAction(window.redo_action)
    window.copy_action = a("&Copy")
    window.select_all_action = a("Select &all")
    window.bookmark_action = a("&Bookmark selection…",
                               tip="Bookmark the selected passage (Ctrl+D)")
    window.search_action = a("&Search library", tip="Search the whole library (Ctrl+K)")
    window.find_action = a("&Find in article", tip="Search this article (Ctrl+F)")
    window.next_action = a("&Next mark")
    window.previous_action = a("&Previous mark")
    window.clear_marks_action = a("C&lear marks")
    window.removeAction(window.clear_marks_action)  # the article's: see build_shortcuts
    window.highlight_action = a("&Highlight people, places and statements", checkable=True,
                                tip="Mark every person, place and statement at once")
    window.zoom_in_action = a("Zoom &in")
    window.zoom_out_action = a("Zoom &out")
    window.zoom_reset_action = a("&Actual size")
    window.back_action = a("&Back", tip="Back to the previous article or page (Alt+Left)")
    window.forward_action = a("&Forward", tip="Forward again (Alt+Right)")
    window.back_action.setEnabled(False)
    window.forward_action.setEnabled(False)
    window.about_action = a("&About Broadsheet")
    window.reader.add_context_action(window.bookmark_action)

    window.toolbar.addAction(window.back_action)
    window.toolbar.addAction(window.forward_action)
    window.back_action.setIconText("◀ Back")
    window.forward_action.setIconText("Forward ▶")
    window.toolbar.addSeparator()
    window.toolbar.addAction(window.add_folder_action)
    window.toolbar.addAction(window.bookmark_action)
    window.toolbar.addAction(window.highlight_action)
    window.highlight_action.setIconText("Highlight all")
    window.bookmark_action.setIconText("Bookmark")
    window.add_folder_action.setIconText("Add folder")
    window.toolbar.addSeparator()
    window.toolbar.addWidget(window.search_box)


def build_shortcuts(window: MainWindow) -> None:
    """Every action's keys, given after the first paint: no key is seen in it, and
    QKeySequence (seventy standard keys, each an enum member) would cost it a hundredth of
    a bare window's start-up (see :mod:`desktop.app`). Esc belongs to the article (and its
    find bar); elsewhere it closes what it closes."""
    from PySide6.QtGui import QKeySequence

    SK = QKeySequence.StandardKey
    keys: list[tuple[QAction, list[QKeySequence.StandardKey | str]]] = [
        (window.add_folder_action, ["Ctrl+Shift+O"]),
        (window.add_files_action, [SK.Open]),
        (window.update_action, [SK.Refresh]),
        (window.quit_action, [SK.Quit]),
        (window.undo_action, [SK.Undo]),
        (window.redo_action, [SK.Redo]),
        (window.copy_action, [SK.Copy]),
        (window.select_all_action, [SK.SelectAll]),
        (window.bookmark_action, ["Ctrl+D"]),
        (window.search_action, ["Ctrl+K"]),
        (window.find_action, [SK.Find]),
        (window.next_action, [SK.FindNext]),
        (window.previous_action, [SK.FindPrevious]),
        (window.clear_marks_action, ["Esc"]),
        (window.highlight_action, ["Ctrl+Shift+H"]),
        (window.zoom_in_action, [SK.ZoomIn, "Ctrl+="]),
        (window.zoom_out_action, [SK.ZoomOut]),
        (window.zoom_reset_action, ["Ctrl+0"]),
        (window.back_action, [SK.Back]),
        (window.forward_action, [SK.Forward]),
    ]
    for action, sequences in keys:
        action.setShortcuts([QKeySequence(key) for key in sequences])
    window.clear_marks_action.setShortcutContext(
        QtCore.Qt.ShortcutContext.WidgetWithChildrenShortcut)
    window.pane.addAction(window.clear_marks_action)


def build_menus(window: MainWindow) -> None:
    """The menu bar: File, Edit, View, Go, Help."""
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    for action in (window.add_folder_action, window.add_files_action, window.update_action,
                   window.cancel_action):
        file_menu.addAction(action)
    file_menu.addSeparator()
    file_menu.addAction(window.export_action)
    file_menu.addSeparator()
    file_menu.addAction(window.quit_action)
    edit = bar.addMenu("&Edit")
    for action in (window.undo_action, window.redo_action):
        edit.addAction(action)
    edit.addSeparator()
    for action in (window.copy_action, window.select_all_action, window.bookmark_action):
        edit.addAction(action)
    edit.addSeparator()
    for action in (window.search_action, window.find_action, window.next_action,
                   window.previous_action, window.clear_marks_action):
        edit.addAction(action)
    view = bar.addMenu("&View")
    window.view_menu = view
    for dock in (window.library_dock, window.people_dock, window.places_dock,
                 window.statements_dock, window.bookmarks_dock, window.results_dock,
                 window.problems_dock):
        view.addAction(dock.toggleViewAction())
    view.addSeparator()
    view.addAction(window.highlight_action)
    view.addSeparator()
    for action in (window.zoom_in_action, window.zoom_out_action, window.zoom_reset_action):
        view.addAction(action)
    go = bar.addMenu("&Go")
    go.addAction(window.back_action)
    go.addAction(window.forward_action)
    help_menu = bar.addMenu("&Help")
    help_menu.addAction(window.about_action)


def show_about(parent: QWidget) -> None:
    """The About box."""
    from PySide6.QtWidgets import QMessageBox  # not at import: the first frame has no box

    QMessageBox.about(
        parent, f"About {APP_NAME}",
        f"<h3>{APP_NAME}</h3><p>A reader for a library of news articles: the people, "
        "places and statements in each, at a glance.</p>"
        "<p>Search uses Whoosh's query language: <code>anti-ship</code>, "
        "<code>title:japan</code>, <code>\"joint statement\"</code>, "
        "<code>austin AND taiwan</code>.</p>"
        "<p>Names, places and quotations are found by spaCy's <i>en_core_web_sm</i> "
        "model, on this computer; nothing is sent anywhere.</p>")
