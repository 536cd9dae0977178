# Two commands a fresh machine needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= rationale.db

.PHONY: demo test install system-deps schemas readme bench clean cassettes

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# The HTML tests drive a real headless Chromium and the drill test a real
# terminal multiplexer; both come from Debian's packages.
system-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v tmux >/dev/null 2>&1; then \
		if [ "$$(id -u)" = "0" ]; then \
			apt-get update -qq && apt-get install -y -qq chromium tmux >/dev/null; \
		else \
			echo "install Debian's chromium and tmux packages for the browser and terminal tests" >&2; \
		fi; \
	fi

demo: $(STAMP)
	$(BIN)/rationale grade examples/drill/judgments.jsonl \
		--rubric rubrics/hhh.yaml --gold examples/drill/gold.jsonl \
		--items examples/drill/items.jsonl --db $(DB)

test: $(STAMP) system-deps
	$(BIN)/python -m pytest -q

schemas: $(STAMP)
	$(BIN)/python -m rationale.schemas_gen --write

# The command outputs in README.md, run again on the shipped examples (tests/test_readme.py checks them).
readme: $(STAMP)
	$(BIN)/cog -r README.md

# Every script in bench/, each printing its figures next to a baseline measured in the same run.
bench: $(STAMP)
	@set -e; for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script; done

clean:
	rm -rf $(VENV) rationale.db rationale.db-*

# Re-record the LLM cassettes against a real llama.cpp server (see scripts/record-cassettes).
cassettes: $(STAMP)
	scripts/record-cassettes
