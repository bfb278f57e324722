# Broadsheet: `make run` opens the window, `make test` checks everything, headless.
# Both create the virtual environment when it is missing and install what they need.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check -q

# Debian packages the tests use: fonts for offscreen rendering, Xvfb and the libraries
# PySide6's xcb plugin needs for the end-to-end test, and the desktop-entry validators.
# Installed when we are root with apt-get; otherwise the tests that need them skip.
APT_PACKAGES := fonts-dejavu-core libegl1 libgl1 libfontconfig1 libxkbcommon0 libdbus-1-3 \
	xvfb xauth x11-utils libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxcb-image0 \
	libxcb-render-util0 libxkbcommon-x11-0 libxcb-shape0 libxcb-randr0 libxcb-xfixes0 \
	libxcb-xinerama0 libxcb-xkb1 desktop-file-utils appstream

.PHONY: run test lint typecheck pytest bench install-desktop uninstall-desktop bundle test-bundle \
	system-deps clean venv

$(PY):
	$(PYTHON) -m venv $(VENV)

# Bytecode is compiled at install: an editable install leaves it to the first import, and
# where PYTHONDONTWRITEBYTECODE is set every start would compile the sources again (about
# 70 ms of the window's start-up).
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PIP) install -e .
	$(PY) -m compileall -q index desktop
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(PIP) install -e '.[test]'
	touch $@

venv: $(VENV)/.installed

run: $(VENV)/.installed
	@if [ -z "$$DISPLAY" ] && [ -z "$$WAYLAND_DISPLAY" ] && [ -z "$$QT_QPA_PLATFORM" ]; then \
		echo "make run: no screen here (DISPLAY is not set). Use the command line instead:"; \
		echo "  $(VENV)/bin/broadsheet index && $(VENV)/bin/broadsheet search 'anti-ship'"; \
		echo "or start a virtual screen: xvfb-run $(VENV)/bin/broadsheet"; \
		exit 1; \
	fi
	$(VENV)/bin/broadsheet

system-deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing Debian packages for the tests: $$missing"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null) \
			|| echo "could not install $$missing: the tests that need them will skip"; \
	else \
		echo "not installed (the tests that need them will skip): $$missing"; \
	fi

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check index desktop tests

typecheck: $(VENV)/.installed-test
	$(VENV)/bin/mypy

# The bundle test builds a PyInstaller folder (minutes): `make test-bundle` runs it.
pytest: $(VENV)/.installed-test system-deps
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/pytest -q -m "not bundle"

test: lint typecheck pytest

bench: $(VENV)/.installed-test system-deps
	$(PY) tests/e2e/startup.py
	$(PY) tests/benchmarks/bench.py

# The reliability harness at full size (several minutes): 2,000 fuzzed queries, a 10 MB
# article among the hostile files, 200 kills of a bookmark writer. Figures are printed at
# the end; docs/RELIABILITY.md holds a measured table.
.PHONY: soak
soak: $(VENV)/.installed-test system-deps
	BROADSHEET_SOAK=1 QT_QPA_PLATFORM=offscreen $(VENV)/bin/pytest -q -rxX tests/reliability

install-desktop: $(VENV)/.installed
	$(VENV)/bin/broadsheet --install-desktop

uninstall-desktop: $(VENV)/.installed
	$(VENV)/bin/broadsheet --uninstall-desktop

bundle: $(VENV)/.installed
	$(PIP) install -e '.[bundle]'
	$(VENV)/bin/pyinstaller --noconfirm --clean resources/packaging/broadsheet.spec

test-bundle: $(VENV)/.installed-test
	$(PIP) install -e '.[bundle]'
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/pytest -q -m bundle tests/e2e/test_bundle.py

clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache
