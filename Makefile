# The two commands of the README:
#   make serve   install into .venv, build the site and index, serve on http://127.0.0.1:8000
#   make test    install the test dependencies (TensorFlow included), run every test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: serve build test lint bench wheel clean

serve: $(VENV)/.installed
	$(BIN)/kb build
	$(BIN)/kb serve

build: $(VENV)/.installed
	$(BIN)/kb build

test: $(VENV)/.installed-test /usr/bin/chromium
	$(BIN)/ruff check tools tests conftest.py scripts
	$(BIN)/python -m pytest -n 2 --dist loadfile

bench: $(VENV)/.installed-test
	$(BIN)/python scripts/benchmark.py

# The installable kb with the knowledge base inside (README, "Install"): sdist and wheel.
wheel: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet 'build>=1.2'
	$(BIN)/python -m build --outdir dist .
	@ls -l dist/*.whl

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# The browser tests drive Debian's Chromium (a Playwright browser download does not work here).
# KB_NO_BROWSER=1 skips them (and this install) where no Debian Chromium can be had.
/usr/bin/chromium:
	if [ -n "$$KB_NO_BROWSER" ]; then exit 0; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	else sudo apt-get update -qq && sudo apt-get install -y -qq chromium; fi

clean:
	rm -rf site .site-* .kb
