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

.PHONY: run test lint soak bench screenshots clean rebuild-venv

rebuild-venv:
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml $(REBUILD)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/notesdesk $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

test: lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

soak: $(STAMP)
	QT_QPA_PLATFORM=offscreen NOTESDESK_SOAK=1 $(BIN)/python -m pytest tests/security tests/ui/test_crash_soak.py -s -p no:randomly --timeout 3600 | tee soak-report.txt

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info
