"""``index/`` never imports Qt: the command line and the tests run it without a screen,
and the GUI is only one of its clients (qutebrowser's ``check_pyqt_imports`` idea).

Two checks: every ``import`` statement in ``index/`` (names the file and line, so the
failure says where), and a fresh interpreter that imports every ``index`` module and must
not end up with Qt loaded (catches an indirect import through a third-party package).
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

INDEX = Path(__file__).resolve().parents[2] / "index"
QT_PACKAGES = ("PySide6", "PySide2", "PyQt6", "PyQt5", "shiboken6", "shiboken2", "qtpy")


def _is_qt(module: str) -> bool:
    return module.split(".")[0] in QT_PACKAGES


def qt_imports(source: str, filename: str) -> list[str]:
    """``"file:line: import X"`` for each Qt import in ``source``, even one inside a
    function, under ``if TYPE_CHECKING`` or through ``importlib.import_module("...")``."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif (
            isinstance(node, ast.Call)
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and (
                (isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
                or (isinstance(node.func, ast.Name) and node.func.id == "__import__")
            )
        ):
            names = [node.args[0].value]
        for name in names:
            if _is_qt(name):
                found.append(f"{filename}:{node.lineno}: imports {name}")
    return found


def test_the_checker_catches_every_form_of_qt_import() -> None:
    source = (
        "import PySide6\n"
        "from PySide6.QtCore import Signal\n"
        "def f():\n    import PyQt6.QtWidgets as w\n"
        "import importlib\nimportlib.import_module('PySide6.QtGui')\n"
        "__import__('shiboken6')\n"
        "import json, os.path\nfrom . import model\nfrom index.model import Document\n"
    )
    assert [line.split(": ", 1)[1] for line in qt_imports(source, "x.py")] == [
        "imports PySide6",
        "imports PySide6.QtCore",
        "imports PyQt6.QtWidgets",
        "imports PySide6.QtGui",
        "imports shiboken6",
    ]


def test_no_module_in_index_imports_qt() -> None:
    files = sorted(INDEX.rglob("*.py"))
    assert files, f"no Python files under {INDEX}"
    offenders = []
    for path in files:
        rel = path.relative_to(INDEX.parent).as_posix()
        offenders += qt_imports(path.read_text(encoding="utf-8"), rel)
    assert offenders == [], "index/ must not import Qt:\n" + "\n".join(offenders)


_PROBE = """
import importlib, json, pkgutil, sys
import index
failed = {}
for info in pkgutil.walk_packages(index.__path__, "index."):
    if info.name.endswith("__main__"):  # runs the command line when imported
        continue
    try:
        importlib.import_module(info.name)
    except (Exception, SystemExit) as exc:  # reported, but this test is about Qt only
        failed[info.name] = repr(exc)
qt = sorted(m for m in sys.modules if m.split(".")[0] in %r)
print(json.dumps({"qt": qt, "failed": failed}))
"""


def test_importing_all_of_index_does_not_load_qt() -> None:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(INDEX.parent), env.get("PYTHONPATH", "")) if p
    )
    done = subprocess.run(
        [sys.executable, "-c", _PROBE % (QT_PACKAGES,)],
        capture_output=True, text=True, env=env, cwd=INDEX.parent, check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["qt"] == [], (
        f"importing index/ loaded Qt: {result['qt']} (modules that failed to import, "
        f"if any: {result['failed']})"
    )
