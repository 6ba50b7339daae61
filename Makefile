# Two commands do all set-up on a fresh machine:
#   make site   install into .venv, validate the records and build the site into site/
#   make test   install into .venv (and a headless Chromium if missing), run the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.PHONY: site serve test lint validate browser clean schema

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

site: $(BIN)/.installed
	$(BIN)/evidence-map build --strict

serve: $(BIN)/.installed
	$(BIN)/mkdocs serve --dirty --dev-addr 127.0.0.1:8000

validate: $(BIN)/.installed
	$(BIN)/evidence-map validate

browser: $(BIN)/.installed
	PATH="$(CURDIR)/$(BIN):$$PATH" sh scripts/ensure-browser

test: $(BIN)/.installed browser
	$(BIN)/python -m pytest

# The committed JSON Schema that editors read (see CONTRIBUTING.md); CI fails when it is stale.
schema: $(BIN)/.installed
	$(BIN)/evidence-map schema > schema/study.schema.json.tmp && mv schema/study.schema.json.tmp schema/study.schema.json
	$(BIN)/evidence-map search-schema > schema/search.schema.json.tmp && mv schema/search.schema.json.tmp schema/search.schema.json

lint: $(BIN)/.installed
	$(BIN)/ruff check .

clean:
	rm -rf site $(VENV)
	find docs -mindepth 1 ! -name .gitignore -delete
