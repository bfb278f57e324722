"""The real program on a private X server, started as the desktop entry starts it.

1. ``broadsheet --install-desktop`` into a private ``$XDG_DATA_HOME``;
2. the entry's ``Exec`` with the seed article (what a double-click on the file runs);
3. the window is mapped, with Broadsheet's ``WM_CLASS`` (the entry's ``StartupWMClass``),
   and a screenshot is taken (``$BROADSHEET_E2E_SHOTS`` keeps a copy to look at);
4. the same ``Exec`` again hands the file to that window and exits 0: still one window.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from xsession import REPO, Lines, Xvfb, parse_exec, read_entry, wait_until, xdg_env

from desktop import APP_NAME, DESKTOP_ID

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("needs_main_window")]


def _shot(xvfb: Xvfb, tmp_path: Path, name: str) -> Path:
    path = xvfb.screenshot(tmp_path / name)
    keep = os.environ.get("BROADSHEET_E2E_SHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(keep) / name)
    return path


def test_double_click_opens_the_seed_then_a_second_launch_hands_it_over(
    xvfb: Xvfb, tmp_path: Path, seed_path: Path
) -> None:
    env = xvfb.env(**xdg_env(tmp_path), BROADSHEET_TRACE_STARTUP="1")
    subprocess.run([sys.executable, "-m", "desktop", "--install-desktop"], cwd=REPO, env=env,
                   check=True, capture_output=True, timeout=120)
    entry = read_entry(Path(env["XDG_DATA_HOME"]) / "applications" / f"{DESKTOP_ID}.desktop")
    argv = parse_exec(entry["Exec"], [str(seed_path)])
    cwd = entry.get("Path") or env["HOME"]
    Path(env["HOME"]).mkdir(exist_ok=True)

    first = subprocess.Popen(argv, cwd=cwd, env=env, stderr=subprocess.PIPE, text=True,
                             stdout=subprocess.DEVNULL)
    log = Lines(first.stderr)
    try:
        painted = log.wait_for(lambda line: "first-paint" in line, timeout=120)
        assert painted, f"no first paint; the program said:\n{log.text()}"
        windows = wait_until(lambda: xvfb.windows(entry["StartupWMClass"]), timeout=60)
        assert windows, f"no mapped {APP_NAME} window; the program said:\n{log.text()}"
        assert entry["StartupWMClass"] == APP_NAME
        # The article opens after the first paint, and (presumably) names itself in the
        # title: give it that moment before the shot, but do not insist on a title.
        wait_until(lambda: any(w.title not in ("", APP_NAME) for w in xvfb.windows(APP_NAME)),
                   timeout=20)
        shot = _shot(xvfb, tmp_path, "e2e-first-window.png")
        assert shot.stat().st_size > 10_000  # a painted screen, not a blank one

        second = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True,
                                timeout=120)
        assert second.returncode == 0, second.stderr
        assert "first-paint" not in second.stderr  # it never opened a window of its own
        assert log.wait_for(lambda line: "received 1 path(s)" in line, timeout=30), log.text()
        assert len(xvfb.windows(APP_NAME)) == 1
        _shot(xvfb, tmp_path, "e2e-after-second-launch.png")
        assert first.poll() is None, log.text()
    finally:
        first.terminate()
        try:
            first.wait(20)
        except subprocess.TimeoutExpired:
            first.kill()
            first.wait()
        log.close()
