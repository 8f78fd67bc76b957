# The two commands a ward needs: `make demo` and `make test`. Both create the virtual
# environment themselves, so a fresh machine with only Python 3.11+ is enough.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test lint typecheck messages clean bench import-accuracy

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The demo serves on 127.0.0.1:8000 with the background worker (theodoi worker) beside it.
demo: $(STAMP)
	DEBUG=$${DEBUG:-1} $(BIN)/theodoi demo

test: $(STAMP)
	$(BIN)/python -m pytest

# ruff, the types of the pure cores, and the layers the apps import in (pyproject.toml).
lint: $(STAMP)
	$(BIN)/ruff check theodoi tests
	$(BIN)/ruff format --check theodoi tests
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

typecheck: $(STAMP)
	$(BIN)/mypy

# Needs GNU gettext (msgfmt) only when translations change; the compiled .mo files are committed.
messages: $(STAMP)
	cd theodoi && ../$(BIN)/theodoi makemessages -l vi --no-obsolete && ../$(BIN)/theodoi compilemessages

# Scale measurements on PostgreSQL (127.0.0.1:5432, user postgres) with Redis (127.0.0.1:6379):
# a synthetic province of 100 wards × 150 tasks × 2 years, page timings, the alert scan,
# imports, and Locust load tests against gunicorn (theodoi/gunicorn_conf.py) with `theodoi
# worker` on RQ beside it: the standard burst of 200 officers, gunicorn set-ups compared, users
# rising step by step to the capacity figure, and the same burst through nginx to 2 nodes
# (bench/nodes.py; needs nginx). Prints a table and writes bench/results.json; about 25–30
# minutes. Not part of `make test`. Extra options through BENCH_ARGS, e.g.
# `make bench BENCH_ARGS=--keep`; the load tests alone on a kept database:
# `make bench BENCH_ARGS="--keep --only load"`; the imports alone (the seeds and a 30-page plan
# as Word, Excel and Markdown, no synthetic data): `make bench BENCH_ARGS="--only import"`.
BENCH_STAMP := $(VENV)/.bench-stamp
$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# The importer against its corpus (tests/importer/corpus): recall, precision, leads, deadlines
# and codes per document, with each miss.
import-accuracy: $(STAMP)
	$(BIN)/python -m tests.importer.corpus.build var/corpus >/dev/null
	$(BIN)/theodoi import_accuracy var/corpus --details

clean:
	rm -rf $(VENV) var .pytest_cache
