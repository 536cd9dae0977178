# Two commands a fresh machine needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RUNTIME := $(VENV)/.runtime
DB ?= rationale.db

.PHONY: demo test install system-deps schemas readme bench clean cassettes

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# The demo needs the package alone; the test extras (scikit-learn, statsmodels, Datasette, ...) are
# several hundred MB more and come only with `make test`.
$(RUNTIME): pyproject.toml | $(BIN)/python
	@echo "installing rationale and its runtime dependencies into $(VENV)"
	$(BIN)/pip install -q -e .
	touch $(RUNTIME)

$(STAMP): pyproject.toml | $(BIN)/python
	@echo "installing rationale with the test extras into $(VENV) (a few minutes the first time)"
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP) $(RUNTIME)

install: $(STAMP)

# The HTML tests drive a real headless Chromium and the drill test a real
# terminal multiplexer; both come from Debian's packages.
system-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v tmux >/dev/null 2>&1; then \
		if [ "$$(id -u)" = "0" ]; then \
			echo "installing Debian's chromium and tmux for the browser and terminal tests (apt-get; a few minutes)"; \
			apt-get update -qq && apt-get install -y -qq chromium tmux >/dev/null && echo "chromium and tmux installed"; \
		else \
			echo "install Debian's chromium and tmux packages for the browser and terminal tests" >&2; \
		fi; \
	fi

demo: $(RUNTIME)
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
