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
# Jupyter refuses to run as root (containers, some cloud machines) unless told it may.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)
# JupyterLab token; a random one is generated when TOKEN is unset or empty.
TOKEN ?=
PYTEST_ARGS ?=
# glibc gives large arrays fresh pages (mmap) and hands freed heap memory back to the OS, so each
# training step page-faults its arrays in again: measured ~1,300 page faults per Linear(512, 512)
# step and ~2,500 per LayerNorm step on (64, 128, 256). Serving arrays up to 32 MiB from the heap
# and keeping up to 256 MiB of freed heap removes them (bench/README.md). Only the processes
# started from this Makefile (JupyterLab and its kernels, the tests, the benchmarks) see it.
export MALLOC_MMAP_THRESHOLD_ ?= 33554432
export MALLOC_TRIM_THRESHOLD_ ?= 268435456

.PHONY: install test swap test-browser screenshots lab notebooks outputs progress doctor bench parity clean distclean

install: $(STAMP)

# Re-run only when pyproject.toml changes (installing torch later does not touch the stamp).
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -e '.[test]'
	touch $@

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

# The browser extra (playwright) for the real-browser tests.
$(BROWSER_STAMP): $(STAMP)
	$(PY) -m pip install -q -e '.[test,browser]'
	touch $@

# JupyterLab in a real browser: Debian's chromium (`apt-get install -y chromium`), driven by
# playwright. Every notebook run from the Run menu, every widget control moved, an exercise typed.
# Skips, saying why, without chromium. Screenshots go to build/browser-artifacts/.
test-browser: $(BROWSER_STAMP)
	$(PY) -m pytest -m browser --durations=5 tests/browser $(PYTEST_ARGS)

# Refresh the README's widget pictures from the browser tests' screenshots.
screenshots: $(BROWSER_STAMP)
	$(PY) -m pytest -m browser tests/browser/test_browser_widgets.py -k 'axes or depth' \
		$(PYTEST_ARGS)
	mkdir -p docs/images
	cp build/browser-artifacts/test_widget_controls_in_the_browser_softmax_axes_explorer_07/before.png \
		docs/images/softmax-axes-explorer.png
	cp build/browser-artifacts/test_widget_controls_in_the_browser_depth_explorer_01/before.png \
		docs/images/depth-explorer.png

# Write notebooks/ from solutions/ (an edited learner notebook is kept; FORCE=1 saves it, then rewrites).
notebooks: $(STAMP)
	$(PY) -m course_lib notebooks $(if $(FORCE),--force)

# Re-run the solution notebooks in place to refresh their stored outputs (maintainers).
outputs: $(STAMP)
	$(PY) -m jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.store_widget_state=False solutions/[0-9][0-9]_*.ipynb

# Serve on localhost only, always with a non-empty token.
lab: $(STAMP)
	@mkdir -p "$(LAB_DIR)"
	@token='$(TOKEN)'; \
	if [ -z "$$token" ]; then token=$$($(PY) -c 'import secrets;print(secrets.token_urlsafe(24))'); fi; \
	if [ -z "$$token" ]; then echo 'make lab: could not generate a token' >&2; exit 1; fi; \
	echo ''; \
	echo "Torch, Unboxed: open http://127.0.0.1:$(PORT)/lab?token=$$token"; \
	echo ''; \
	exec $(PY) -m jupyterlab --ServerApp.ip=127.0.0.1 --ServerApp.port=$(PORT) \
		--ServerApp.port_retries=0 --IdentityProvider.token="$$token" \
		--ServerApp.root_dir="$(LAB_DIR)" $(ALLOW_ROOT)

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
	$(PY) -m pip install -q -e '.[test,parity]'

clean:
	find . -path ./$(VENV) -prune -o -type d \( -name __pycache__ -o -name .ipynb_checkpoints \) \
		-exec rm -rf {} +
	rm -rf .pytest_cache .ruff_cache .hypothesis build dist *.egg-info

distclean: clean
	rm -rf $(VENV)
