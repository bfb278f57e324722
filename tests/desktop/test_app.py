"""The application shell: the launcher's dispatch, start-up order, one window per library.

The main window is someone else's; these tests use a placeholder ``QMainWindow`` that
records what the shell asks of it (the contract in docs/ARCHITECTURE.md: ``start()``,
``open_paths(paths)``).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QDir
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

from desktop import APP_NAME, DESKTOP_ID, app, instance, launch

REPO = Path(__file__).resolve().parents[2]

#: The offscreen platform says so whenever a main window is shown or raised; it is the
#: test platform's limit, not ours.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise)")


class PlaceholderWindow(QMainWindow):
    """Stands in for desktop.mainwindow.MainWindow: shows a label, records calls."""

    def __init__(self, data_dir: Path) -> None:
        super().__init__()
        self.data_dir = data_dir
        self.calls: list[tuple[str, object]] = []
        self.setCentralWidget(QLabel("library"))

    def start(self) -> None:
        self.calls.append(("start", None))

    def open_paths(self, paths: list[Path]) -> None:
        self.calls.append(("open_paths", list(paths)))


@pytest.fixture
def qapp_configured(qapp: QApplication) -> QApplication:
    app.configure(qapp)
    return qapp


def _open(qtbot, data_dir: Path, files=()) -> PlaceholderWindow:  # type: ignore[no-untyped-def]
    window = app.open_window(files, data_dir, window_factory=PlaceholderWindow)
    assert isinstance(window, PlaceholderWindow)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: ("start", None) in window.calls, timeout=5000)
    return window


# -- launcher -------------------------------------------------------------------------


def test_command_line_does_not_import_qt() -> None:
    code = "import sys, desktop.launch; print(any(m.startswith('PySide6') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(
    "argv",
    [["search", "Austin"], ["--version"], ["-h"], ["--data-dir", "/x", "index"],
     ["--data-dir=/x", "bookmarks", "list"]],
)
def test_subcommands_go_to_the_command_line(argv, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import index.cli.main  # noqa: F401 (loaded, so that sys.modules has it)

    seen = []
    monkeypatch.setattr(sys.modules["index.cli.main"], "main", lambda a: seen.append(a) or 7)
    monkeypatch.setattr("desktop.app.run", lambda *a: pytest.fail("the window was opened"))
    assert launch.main(argv) == 7
    assert seen == [argv]


def test_files_and_data_dir_go_to_the_window(tmp_path, seed_path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    seen = []
    monkeypatch.setattr("desktop.app.run",
                        lambda files, data_dir: seen.append((files, data_dir)) or 0)
    monkeypatch.chdir(seed_path.parent)
    assert launch.main(["--data-dir", str(tmp_path), seed_path.name, "missing.txt"]) == 0
    assert seen == [([seed_path.absolute()], tmp_path)]
    assert "missing.txt: no such file" in capsys.readouterr().err


@pytest.mark.parametrize(("word", "hint"), [("serch", "did you mean 'search'?"),
                                            ("bokmarks", "did you mean 'bookmarks'?"),
                                            ("xyzzy", "the commands are analyze, index")])
def test_a_word_neither_command_nor_file_is_a_user_error(word, hint, monkeypatch, capsys,  # type: ignore[no-untyped-def]
                                                         tmp_path) -> None:
    """Fault 13: ``broadsheet serch Austin`` said "no such file", then opened the window."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("desktop.app.run", lambda *a: pytest.fail("the window was opened"))
    assert launch.main([word, "Austin"]) == 1
    err = capsys.readouterr().err
    assert err == f"broadsheet: '{word}' is not a command or a file; {hint}\n" or (
        word == "xyzzy" and err.startswith(f"broadsheet: '{word}' is not a command or a file; "
                                           f"{hint}"))


def test_no_screen_is_one_sentence_and_exit_1(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    """Fault 13: without a screen Qt aborted with a core dump (exit 134)."""
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr("desktop.app.run", lambda *a: pytest.fail("Qt was started"))
    assert launch.main([]) == 1
    err = capsys.readouterr().err.strip()
    assert "no screen" in err and err.count(".") <= 1 and "\n" not in err


def test_no_screen_in_a_real_process_exits_1_not_134(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {k: v for k, v in _env().items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    out = subprocess.run([sys.executable, "-m", "desktop", "--data-dir", str(tmp_path)],
                         cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 1, out.stderr
    assert out.stderr.startswith("broadsheet: there is no screen")


def test_no_arguments_opens_the_window(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    seen = []
    monkeypatch.setattr("desktop.app.run",
                        lambda files, data_dir: seen.append((files, data_dir)) or 0)
    assert launch.main([]) == 0
    assert seen == [([], None)]


# -- application ------------------------------------------------------------------------


def test_application_identity(qapp_configured: QApplication) -> None:
    assert qapp_configured.applicationName() == APP_NAME
    assert qapp_configured.desktopFileName() == DESKTOP_ID
    assert qapp_configured.organizationName()
    icon = qapp_configured.windowIcon()
    assert not icon.isNull()
    assert {16, 32, 48, 256} <= {s.width() for s in icon.availableSizes()}


def test_window_starts_after_it_is_shown_then_opens_files(qtbot, qapp_configured, data_dir,
                                                          seed_path) -> None:  # type: ignore[no-untyped-def]
    window = _open(qtbot, data_dir, [seed_path])
    assert window.isVisible()
    assert window.data_dir == data_dir
    assert window.calls == [("start", None), ("open_paths", [seed_path])]
    assert not window.windowIcon().isNull()
    window.grab().save(str(data_dir.parent / "placeholder-window.png"))


def test_no_files_means_no_open_paths(qtbot, qapp_configured, data_dir) -> None:  # type: ignore[no-untyped-def]
    window = _open(qtbot, data_dir)
    assert window.calls == [("start", None)]


def test_startup_does_not_load_spacy(qtbot, qapp_configured, data_dir) -> None:  # type: ignore[no-untyped-def]
    code = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from PySide6.QtWidgets import QMainWindow
        from desktop import app
        class W(QMainWindow):
            def __init__(self, d): super().__init__()
            def start(self): pass
            def open_paths(self, p): pass
        a = app.application(["t"])
        w = app.open_window([], Path({str(data_dir)!r}), window_factory=W)
        print(sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'thinc')))
    """)
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                         check=True, env=_env())
    assert out.stdout.strip() == "[]"


# -- one instance per library -------------------------------------------------------------


def _env() -> dict[str, str]:
    import os

    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONPATH"] = str(REPO)
    return env


def _second_launch(data_dir: Path, files: list[Path]) -> subprocess.Popen[str]:
    """A second Broadsheet on ``data_dir`` (the real launcher, window stubbed out)."""
    code = textwrap.dedent("""
        import sys
        from desktop import app
        def no_window(d):
            print("second window opened", flush=True)
            raise SystemExit(3)
        app._main_window_class = lambda: no_window
        sys.exit(__import__("desktop.launch").launch.main(sys.argv[1:]))
    """)
    args = [sys.executable, "-c", code, "--data-dir", str(data_dir), *map(str, files)]
    return subprocess.Popen(args, cwd=REPO, env=_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_second_launch_hands_its_files_to_the_first(qtbot, qapp_configured, data_dir,
                                                   seed_path) -> None:  # type: ignore[no-untyped-def]
    window = _open(qtbot, data_dir)
    window.showMinimized()
    with qtbot.waitSignal(window.findChild(instance.SingleInstance).filesReceived,
                          timeout=20000) as blocker:
        proc = _second_launch(data_dir, [seed_path])
        qtbot.waitUntil(lambda: proc.poll() is not None, timeout=20000)
    out, err = proc.communicate()
    assert proc.returncode == 0, (out, err)
    assert "second window" not in out
    assert blocker.args == [[str(seed_path)]]
    assert window.calls[-1] == ("open_paths", [seed_path])
    assert not window.isMinimized()


def test_a_busy_first_window_still_gets_the_files(qtbot, qapp_configured, data_dir,
                                                  seed_path) -> None:  # type: ignore[no-untyped-def]
    window = _open(qtbot, data_dir)
    proc = _second_launch(data_dir, [seed_path])
    # The first window does not answer for longer than the second launch waits.
    time.sleep((instance.TIMEOUT_MS + 1500) / 1000)
    with qtbot.waitSignal(window.findChild(instance.SingleInstance).filesReceived,
                          timeout=20000):
        qtbot.waitUntil(lambda: proc.poll() is not None, timeout=20000)
    out, err = proc.communicate()
    assert proc.returncode == 0, (out, err)
    assert "second window" not in out
    assert window.calls[-1] == ("open_paths", [seed_path])


def test_other_library_gets_its_own_window(qtbot, qapp_configured, data_dir, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _open(qtbot, data_dir)
    other = tmp_path / "other"
    other.mkdir()
    assert instance.server_name(other) != instance.server_name(data_dir)
    proc = _second_launch(other, [])
    qtbot.waitUntil(lambda: proc.poll() is not None, timeout=20000)
    out, _ = proc.communicate()
    assert proc.returncode == 3
    assert "second window opened" in out


@pytest.mark.skipif(sys.platform == "win32", reason="Unix-domain socket files only")
def test_stale_socket_from_a_crash_is_replaced(qtbot, qapp_configured, data_dir) -> None:  # type: ignore[no-untyped-def]
    name = instance.server_name(data_dir)
    stale = Path(QDir.tempPath()) / name
    stale.unlink(missing_ok=True)
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(str(stale))  # bound, never listening: what a crashed server leaves behind
    dead.close()
    assert stale.exists()
    window = _open(qtbot, data_dir)
    assert window.findChild(instance.SingleInstance).listening


def test_a_launch_before_the_first_window_serves_is_answered_when_it_does(
        qtbot, qapp_configured, data_dir, seed_path) -> None:  # type: ignore[no-untyped-def]
    """The first launch listens from its check on, and answers once its window is up
    (serve(), after the first paint): a launch in between waits in the backlog."""
    first = instance.SingleInstance(data_dir)
    assert first.claim([])
    assert first.listening
    proc = _second_launch(data_dir, [seed_path])
    if instance.UNIX_SOCKETS:  # wait until it has connected: it is waiting for an answer
        import select

        assert first._socket is not None
        ready, _, _ = select.select([first._socket.fileno()], [], [], 20)
        assert ready, "the second launch never connected"
    with qtbot.waitSignal(first.filesReceived, timeout=20000) as blocker:
        first.serve()
    qtbot.waitUntil(lambda: proc.poll() is not None, timeout=20000)
    out, err = proc.communicate()
    assert proc.returncode == 0, (out, err)
    assert "second window" not in out
    assert blocker.args == [[str(seed_path)]]
    first.close()


@pytest.mark.skipif(sys.platform == "win32", reason="Unix-domain socket files only")
def test_the_socket_is_the_users_alone(data_dir) -> None:  # type: ignore[no-untyped-def]
    first = instance.SingleInstance(data_dir)
    assert first.claim([])
    path = Path(instance.socket_path(first.name))
    assert path == Path(QDir.tempPath()) / first.name  # where QLocalServer looks
    assert path.stat().st_mode & 0o777 == 0o600
    first.close()
    assert not path.exists()


def test_the_first_frame_loads_only_what_it_shows(data_dir) -> None:  # type: ignore[no-untyped-def]
    """Before the first paint, start-up loads nothing the frame does not show (see
    desktop.app): not QtNetwork, nor the ``Qt`` namespace (its hundred enums), nor the
    fonts and keys, nor the modules the library, the marks and the hand-over need. The
    real launcher and window, up to its first paint; start() only reports."""
    code = textwrap.dedent(f"""
        import os, sys
        from pathlib import Path
        import PySide6.QtCore as QtCore
        import PySide6.QtGui as QtGui
        from desktop import app, launch
        from desktop.mainwindow import MainWindow

        class Frame(MainWindow):
            loaded = None

            def paintEvent(self, event):
                if self.loaded is None:  # the first frame
                    self.loaded = (set(sys.modules) | ({{"Qt"}} & set(vars(QtCore)))
                                   | {{f"QtGui.{{name}}" for name in vars(QtGui)}})
                super().paintEvent(event)

            def start(self):
                print(sorted(self.loaded & set(sys.argv[1:])), flush=True)
                os._exit(0)

        app._main_window_class = lambda: Frame
        launch.main(["--data-dir", {str(data_dir)!r}])
    """)
    unwanted = ["Qt", "QtGui.QFont", "QtGui.QKeySequence", "QtGui.QTextDocument",
                "PySide6.QtNetwork", "socket", "hashlib", "json", "dataclasses", "platformdirs",
                "html", "whoosh", "spacy", "index.library", "desktop.service"]
    out = subprocess.run([sys.executable, "-c", code, *unwanted], cwd=REPO, env=_env(),
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
