# The two commands a ward needs: `make demo` and `make test`. Both create the virtual
# environment themselves, so a fresh machine with only Python 3.11+ is enough.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test lint typecheck messages clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	DEBUG=$${DEBUG:-1} $(BIN)/theodoi demo

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check theodoi tests
	$(BIN)/ruff format --check theodoi tests

typecheck: $(STAMP)
	$(BIN)/mypy

# Needs GNU gettext (msgfmt) only when translations change; the compiled .mo files are committed.
messages: $(STAMP)
	cd theodoi && ../$(BIN)/theodoi makemessages -l vi --no-obsolete && ../$(BIN)/theodoi compilemessages

clean:
	rm -rf $(VENV) var .pytest_cache
