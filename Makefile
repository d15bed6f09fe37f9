# Two commands do all set-up on a fresh machine: `make run` and `make test`.
# They build .venv with the newest Python >= 3.12 on the machine (scripts/find-python: PATH first,
# then pyenv), or stop with one line saying which Python is needed and how to get it.
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# A .venv made by an older interpreter is rebuilt, not reused.
VENV_OK := $(shell $(BIN)/python -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && echo yes)
ifneq ($(VENV_OK),yes)
ifneq ($(filter-out clean,$(or $(MAKECMDGOALS),run)),)
PYTHON ?= $(shell $(SHELL) scripts/find-python 2>/dev/null)
ifeq ($(PYTHON),)
$(error $(shell $(SHELL) scripts/find-python --why))
endif
REBUILD := rebuild-venv
endif
endif

.PHONY: run test lint soak bench screenshots clean rebuild-venv bundle packages nsis installer

rebuild-venv:
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml $(REBUILD)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/notesdesk $(ARGS)

# mypy's settings and the files it checks are in pyproject.toml; its cache is .mypy_cache/.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy

test: lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

soak: $(STAMP)
	QT_QPA_PLATFORM=offscreen NOTESDESK_SOAK=1 $(BIN)/python -m pytest tests/security tests/ui/test_crash_soak.py -s --timeout 3600 | tee soak-report.txt

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/screenshots.py

# -- installers (installer/README.md) ----------------------------------------------------------------
# `make installer`: the PyInstaller bundle, the .deb and .tar.xz, the NSIS installer over a stand-in
# payload, then the .deb installed with apt-get and checked (self-test, menu entry, remove). Linux, root.
BUILD_STAMP := $(VENV)/.installed-build

$(BUILD_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,build]'
	touch $(BUILD_STAMP)

bundle: $(BUILD_STAMP)
	rm -rf build/notesdesk dist/notesdesk
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build installer/notesdesk.spec
	cd /tmp && QT_QPA_PLATFORM=offscreen $(CURDIR)/dist/notesdesk/notesdesk --selftest

packages: bundle
	installer/linux/build-packages.sh dist

nsis:
	installer/windows/build-standin.sh dist

installer: packages nsis
	installer/linux/check-deb.sh dist

clean:
	rm -rf $(VENV) build dist src/*.egg-info
