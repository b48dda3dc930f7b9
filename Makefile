# Two commands for a fresh Debian/Ubuntu machine with Python 3.11+:
#   make demo   set up and run the demo on SQLite (./bilan-demo); ADDR=127.0.0.1:8401 serves elsewhere
#   make test   set up with the test extras and run the whole suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_DIR ?= bilan-demo
ADDR ?= 127.0.0.1:8000

.PHONY: demo test lint guide install install-test check-python bench mutation clean

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Bilan demande Python 3.11 ou plus récent (trouvé : " + sys.version.split()[0] + ")")'

$(BIN)/python: | check-python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

demo: $(VENV)/.installed
	$(BIN)/bilan demo --dir $(DEMO_DIR) --addr $(ADDR)

test: $(VENV)/.installed-test
	$(BIN)/pytest $(PYTEST_ARGS)

# ruff (rule set in pyproject.toml) and the import contracts (import-linter).
lint: $(VENV)/.installed-test
	$(BIN)/ruff check bilan tests bench
	$(BIN)/lint-imports

# The pilot's guide's pictures (docs/guide-pilote/), taken by the whole-year browser test (needs Chromium).
guide: $(VENV)/.installed-test
	mkdir -p docs/guide-pilote
	BILAN_SCREENSHOTS=$(CURDIR)/docs/guide-pilote $(BIN)/pytest tests/browser/test_the_year.py -q

# Every benchmark, the long ones (end_to_end, respondents) in their quick form (BENCH_QUICK); bench/_*.py are
# their shared modules. Full figures: run those two by hand (their docstrings give the command).
bench: $(VENV)/.installed-test
	for script in bench/[!_]*.py; do BENCH_QUICK=1 $(BIN)/python $$script || exit 1; done

# Mutation testing of the pure statistics modules against their own tests (slow: not part of `make test`);
# docs/methodology.md gives the figures; each fails under 90 % killed (make -k mutation runs all three).
# MUTATION_ARGS='--sample 40 --seed 1' runs a sample.
mutation: $(VENV)/.installed-test
	$(BIN)/python tools/mutation.py bilan/analysis/stats.py 'tests/analysis/test_stats*.py' \
		tests/analysis/test_significance.py --fail-under 90 $(MUTATION_ARGS)
	$(BIN)/python tools/mutation.py bilan/analysis/suppression.py 'tests/analysis/test_suppression*.py' --fail-under 90 $(MUTATION_ARGS)
	$(BIN)/python tools/mutation.py bilan/questionnaire/answers.py 'tests/questionnaire/test_answers*.py' --fail-under 90 $(MUTATION_ARGS)

clean:
	rm -rf $(VENV) $(DEMO_DIR) .pytest_cache .hypothesis
