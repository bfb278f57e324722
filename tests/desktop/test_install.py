"""The desktop entry, icons and AppStream metainfo, and ``--install-desktop``.

The validators come from Debian's ``desktop-file-utils`` and ``appstream``; the tests
that need them skip, saying so, where they are not installed.
"""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from desktop import APP_NAME, DESKTOP_ID, install, launch

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "e2e"))
from xsession import parse_exec  # noqa: E402  (the desktop's Exec rules, shared with e2e)

RESOURCES = REPO / "resources"
ENTRY = RESOURCES / f"{DESKTOP_ID}.desktop"
METAINFO = RESOURCES / f"{DESKTOP_ID}.metainfo.xml"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def _entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


@pytest.fixture
def xdg_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "xdg-data"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home


# -- the shipped files ----------------------------------------------------------------------


@pytest.mark.skipif(not shutil.which("desktop-file-validate"),
                    reason="desktop-file-validate not installed (Debian: desktop-file-utils)")
def test_desktop_entry_is_valid() -> None:
    result = subprocess.run(["desktop-file-validate", str(ENTRY)], capture_output=True, text=True)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


@pytest.mark.skipif(not shutil.which("appstreamcli"),
                    reason="appstreamcli not installed (Debian: appstream)")
def test_metainfo_is_valid() -> None:
    result = subprocess.run(["appstreamcli", "validate", "--no-net", str(METAINFO)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_desktop_entry_says_what_the_issue_asks() -> None:
    entry = _entry(ENTRY)
    assert entry["Name"] == APP_NAME
    assert entry["GenericName"] and entry["Comment"]
    assert entry["Exec"].endswith(" %F")
    assert entry["Icon"] == DESKTOP_ID
    assert entry["Categories"] == "Office;Viewer;"
    assert set(entry["MimeType"].strip(";").split(";")) == {
        "text/plain", "text/markdown", "text/html"}
    # Qt's X11 WM_CLASS class is the application name: docks group the window with the entry.
    assert entry["StartupWMClass"] == APP_NAME


def test_metainfo_names_the_entry_and_has_a_screenshot() -> None:
    text = METAINFO.read_text(encoding="utf-8")
    assert f"<id>{DESKTOP_ID}</id>" in text
    assert f'<launchable type="desktop-id">{DESKTOP_ID}.desktop</launchable>' in text
    assert "<screenshot" in text and "<image>https://" in text
    assert "<description>" in text


def test_icons_are_shipped_at_every_size(qapp) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QImage
    from PySide6.QtSvg import QSvgRenderer

    icons = RESOURCES / "icons"
    assert QSvgRenderer(str(icons / f"{DESKTOP_ID}.svg")).isValid()
    for size in SIZES:
        image = QImage(str(icons / f"{DESKTOP_ID}-{size}.png"))
        assert (image.width(), image.height()) == (size, size)
        assert image.hasAlphaChannel()


# -- installing -----------------------------------------------------------------------------


def test_exec_quoting_survives_spaces_and_specials() -> None:
    command = ["/opt/My Apps/bin/python3", "-m", "desktop", 'a"b$c\\d', "50%"]
    line = install.exec_line(command)
    assert parse_exec(line, ["/x/1.txt"]) == [*command, "/x/1.txt"]


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="freedesktop only")
def test_install_writes_entry_icons_and_metainfo(xdg_home: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert launch.main(["--install-desktop"]) == 0
    entry_path = xdg_home / "applications" / f"{DESKTOP_ID}.desktop"
    assert entry_path.is_file()
    for size in SIZES:
        assert (xdg_home / f"icons/hicolor/{size}x{size}/apps/{DESKTOP_ID}.png").is_file()
    assert (xdg_home / f"icons/hicolor/scalable/apps/{DESKTOP_ID}.svg").is_file()
    assert (xdg_home / f"metainfo/{DESKTOP_ID}.metainfo.xml").is_file()
    assert str(entry_path) in capsys.readouterr().out
    if shutil.which("desktop-file-validate"):
        result = subprocess.run(["desktop-file-validate", str(entry_path)],
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stdout

    entry = _entry(entry_path)
    argv = parse_exec(entry["Exec"], [])
    assert Path(argv[0]).is_absolute() and Path(argv[0]).exists()
    assert Path(entry["TryExec"]) == Path(argv[0])
    # The entry runs Broadsheet: here, the command line's --version through the same Exec.
    result = subprocess.run([*argv, "--version"], cwd=entry.get("Path") or "/",
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "broadsheet" in result.stdout.lower()


def test_installed_entry_points_at_the_broadsheet_script(xdg_home: Path, tmp_path: Path,
                                                        monkeypatch) -> None:  # type: ignore[no-untyped-def]
    script = tmp_path / "bin" / "broadsheet"
    script.parent.mkdir()
    script.write_text("#!/bin/sh\n")
    monkeypatch.setattr(sys, "argv", [str(script)])
    command, workdir = install.program_command()
    assert command == [str(script)] and workdir is None
    install.install(command=command)
    entry = _entry(xdg_home / "applications" / f"{DESKTOP_ID}.desktop")
    assert entry["Exec"] == f"{script} %F"
    assert "Path" not in entry


def test_uninstall_removes_exactly_what_was_installed(xdg_home: Path) -> None:
    mine = xdg_home / "applications" / "someone-else.desktop"
    mine.parent.mkdir(parents=True)
    mine.write_text("[Desktop Entry]\n")
    written = install.install(command=["/usr/bin/broadsheet"])
    assert launch.main(["--uninstall-desktop"]) == 0
    assert not any(p.exists() for p in written)
    assert mine.exists()
    assert install.uninstall() == []
