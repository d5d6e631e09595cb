# The two commands of the README:
#   make serve   install into .venv, build the site and index, serve on http://127.0.0.1:8000
#   make test    install the test dependencies (TensorFlow included), run every test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: serve build test lint bench clean

serve: $(VENV)/.installed
	$(BIN)/kb build
	$(BIN)/kb serve

build: $(VENV)/.installed
	$(BIN)/kb build

test: $(VENV)/.installed-test
	$(BIN)/ruff check tools tests conftest.py scripts
	$(BIN)/python -m pytest

bench: $(VENV)/.installed-test
	$(BIN)/python scripts/benchmark.py

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

clean:
	rm -rf site .site-* .kb
