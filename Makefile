# Torch, Unboxed: `make lab` opens the course, `make test` checks everything.
# Both set up the virtual environment in $(VENV) first if needed.

VENV ?= .venv
PY = $(VENV)/bin/python
STAMP = $(VENV)/.installed
BROWSER_STAMP = $(VENV)/.installed-browser
# Interpreter used only to create the venv: python3.11 if available, else python3.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
PORT ?= 8888
# Folder JupyterLab serves (`make lab LAB_DIR=solutions` browses the solved copies).
LAB_DIR ?= notebooks
# JupyterLab token; a random one is generated when TOKEN is unset or empty.
TOKEN ?=
PYTEST_ARGS ?=

.PHONY: install test test-fast swap test-browser screenshots lab notebooks outputs progress doctor bench parity fuzz clean distclean

install: $(STAMP)

# Re-run only when pyproject.toml changes (installing torch later does not touch the stamp).
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -e '.[course,test]'
	touch $@

# Lint, the test suite, the solutions under strict nbval (outputs compared) and the learner copies
# under nbval-lax (each runs once; conftest.py holds every erroring cell to its expected error).
test: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest $(PYTEST_ARGS)
	$(PY) -m pytest --nbval --nbval-current-env --nbval-sanitize-with nbval_sanitize.cfg solutions
	$(PY) -m pytest --nbval-lax --nbval-current-env notebooks

# Every solution notebook run as it is and with real torch imported instead: the same printed
# text, errors and warnings, cell by cell (needs `make parity`). The report: build/swap-report.txt.
swap: $(STAMP)
	rm -f build/swap-report.txt
	$(PY) -m pytest -m swap -s tests/test_swap.py $(PYTEST_ARGS)

# The fast lane while working on course_lib: no kernel, server or browser is started, and the
# `slow` sweeps (every learner answer, mutants, random fuzz programs) are left to `make test`.
test-fast: $(STAMP)
	$(PY) -m pytest -m 'not notebooks and not browser and not slow' $(PYTEST_ARGS)

# The browser extra (playwright) for the real-browser tests.
$(BROWSER_STAMP): $(STAMP)
	$(PY) -m pip install -q -e '.[course,test,browser]'
	touch $@

# JupyterLab in a real browser: Debian's chromium (`apt-get install -y chromium`), driven by
# playwright. Every notebook run from the Run menu, every widget control moved, an exercise typed.
# Skips, saying why, without chromium. Screenshots go to build/browser-artifacts/.
test-browser: $(BROWSER_STAMP)
	$(PY) -m pytest -m browser --durations=5 tests/browser $(PYTEST_ARGS)

# Refresh the README's widget gallery (docs/images/<widget>.png, one per widget) from the browser
# tests' screenshots of each widget as its notebook first shows it.
screenshots: $(BROWSER_STAMP)
	$(PY) -m pytest -m browser tests/browser/test_browser_widgets.py -k controls $(PYTEST_ARGS)
	mkdir -p docs/images
	for shot in build/browser-artifacts/test_widget_controls_in_the_browser_*/before.png; do \
		name=$$(basename "$$(dirname "$$shot")" | sed 's/^test_widget_controls_in_the_browser_//'); \
		cp "$$shot" "docs/images/$$(echo "$$name" | tr '_A-Z' '-a-z').png"; \
	done

# Write notebooks/ from solutions/ (an edited learner notebook is kept; FORCE=1 saves it, then rewrites).
notebooks: $(STAMP)
	$(PY) -m course_lib notebooks $(if $(FORCE),--force)

# Re-run the solution notebooks in place to refresh their stored outputs (maintainers).
outputs: $(STAMP)
	$(PY) -m jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.store_widget_state=False solutions/[0-9][0-9]_*.ipynb

# JupyterLab on 127.0.0.1 only, always with a token (a random one when TOKEN is empty), opened on
# notebook 00 (course_lib/course/lab.py).
lab: $(STAMP)
	$(PY) -m course_lib lab --port '$(PORT)' --token '$(TOKEN)' --dir '$(LAB_DIR)'

# Which exercises are done, failing or not started; runs temporary copies, never your files.
progress: $(STAMP)
	$(PY) -m course_lib progress $(or $(FOLDER),notebooks)

# Is this environment set up for the course? One line per check, and the command that fixes it.
doctor: $(STAMP)
	$(PY) -m course_lib doctor

bench: $(STAMP)
	$(PY) bench/engine.py

# The `parity` extra: torch==2.13.0 (CPU wheel), for the parity tests.
parity: $(STAMP)
	$(PY) -m pip install -q -e '.[course,test,parity]'

# Differential fuzzing against torch with fresh random programs (`make test` runs a fixed set).
fuzz: parity
	FUZZ_EXAMPLES=$(or $(FUZZ_EXAMPLES),1000) FUZZ_RANDOM=1 $(PY) -m pytest -m fuzz tests/test_fuzz_parity.py $(PYTEST_ARGS)

clean:
	find . -path ./$(VENV) -prune -o -type d \( -name __pycache__ -o -name .ipynb_checkpoints \) \
		-exec rm -rf {} +
	rm -rf .pytest_cache .ruff_cache .hypothesis build dist *.egg-info

distclean: clean
	rm -rf $(VENV)
