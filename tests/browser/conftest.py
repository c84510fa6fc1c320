"""Fixtures for the real-browser tests (`make test-browser`): one JupyterLab started by `make lab`
on a temporary copy of solutions/ and notebooks/, one headless Debian chromium driven by playwright.

These tests carry the `browser` marker and are left out of plain `pytest` (pyproject's addopts);
`make test-browser` selects them. Without chromium or playwright they skip, saying how to get them
(under CI=true they fail instead: CI must run them).
Each test writes its screenshots to build/browser-artifacts/<test name>/ (or $BROWSER_ARTIFACTS).
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from lab_page import BENCHMARK, CHROMIUM, CHROMIUM_ARGS, open_notebook, run_all, save
from lab_server import ROOT, LabServer

HERE = Path(__file__).parent
ARTIFACTS = Path(os.environ.get("BROWSER_ARTIFACTS", ROOT / "build" / "browser-artifacts"))


def _missing() -> str | None:
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return (
            f"no chromium at {CHROMIUM}: install Debian's with `apt-get install -y chromium` "
            "(or set CHROMIUM=/path/to/chromium); the browser tests need it"
        )
    if importlib.util.find_spec("playwright") is None:
        return "playwright is not installed: `make test-browser` installs it (the browser extra)"
    return None


@pytest.hookimpl(tryfirst=True)  # mark them before `-m` selects
def pytest_collection_modifyitems(config, items):
    reason = _missing()
    for item in items:
        if HERE in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


def pytest_collection_finish(session):
    """Under CI the browser tests must run: a missing chromium is an error, not a skip."""
    reason = _missing()
    selected = [item for item in session.items if HERE in Path(item.fspath).parents]
    if reason and selected and os.environ.get("CI"):
        raise pytest.UsageError(f"CI is set and the browser tests cannot run: {reason}")


def pytest_terminal_summary(terminalreporter):
    if BENCHMARK:
        terminalreporter.write_sep("-", "widget latency in the browser (event to painted change)")
        for line in BENCHMARK:
            terminalreporter.write_line(line)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "widget-latency.txt").write_text("\n".join(BENCHMARK) + "\n")
    if _written:
        shots = sum(len(list(folder.glob("*.png"))) for folder in _written)
        terminalreporter.write_line(
            f"browser artifacts: {shots} screenshots in {len(_written)} folders under {ARTIFACTS}"
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_failed = report.failed
    return report


_written: list[Path] = []  # the artifact folders of this run's tests


@pytest.fixture
def artifacts(request) -> Path:
    """This test's own folder for screenshots, emptied first: build/browser-artifacts/<test>/."""
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.name).strip("_")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    _written.append(folder)
    return folder


@pytest.fixture(scope="session")
def course(tmp_path_factory) -> Path:
    """A temporary copy of the course: JupyterLab autosaves, so it never serves our files."""
    folder = tmp_path_factory.mktemp("course")
    for name in ("solutions", "notebooks"):
        shutil.copytree(ROOT / name, folder / name, ignore=shutil.ignore_patterns(".*"))
    return folder


@pytest.fixture(scope="session")
def lab(course):
    with LabServer(course) as server:
        yield server


@pytest.fixture(scope="session")
def playwright():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as running:
        yield running


def _chromium(playwright, profile: Path, **options):
    return playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=CHROMIUM,
        headless=True,
        args=CHROMIUM_ARGS,
        viewport={"width": 1400, "height": 1000},
        **options,
    )


@pytest.fixture(scope="session")
def browser(playwright, tmp_path_factory):
    context = _chromium(playwright, tmp_path_factory.mktemp("chromium-profile"))
    yield context
    context.close()


@pytest.fixture(scope="session")
def hidpi(playwright, tmp_path_factory):
    """A second chromium whose screen has two device pixels per CSS pixel (a HiDPI laptop)."""
    context = _chromium(
        playwright, tmp_path_factory.mktemp("chromium-hidpi"), device_scale_factor=2
    )
    yield context
    context.close()


@dataclass
class RanNotebook:
    page: object  # playwright Page, the notebook open and run
    saved: dict  # the notebook as JupyterLab saved it after the run
    open_seconds: float
    run_seconds: float


@pytest.fixture(scope="session")
def solved(lab, browser, course):
    """solved("07_softmax.ipynb"): the solution notebook opened and run once per session."""
    ran: dict[str, RanNotebook] = {}

    def get(name: str) -> RanNotebook:
        if name not in ran:
            start = time.monotonic()
            page = open_notebook(browser, lab, f"solutions/{name}")
            opened = time.monotonic()
            run_all(page)
            ran_at = time.monotonic()
            saved = save(page, course / "solutions" / name)
            ran[name] = RanNotebook(page, saved, opened - start, ran_at - opened)
        return ran[name]

    yield get
    for notebook in ran.values():
        notebook.page.close()


@pytest.fixture(autouse=True)
def _screenshot_on_failure(request, artifacts):
    """When a test fails, keep a picture of every open page in its artifacts folder."""
    yield
    if getattr(request.node, "browser_failed", False) and "browser" in request.fixturenames:
        context = request.getfixturevalue("browser")
        for i, page in enumerate(context.pages):
            try:
                page.screenshot(path=artifacts / f"failure-page{i}.png")
            except Exception as error:  # a closed or crashed page: note it, keep going
                (artifacts / f"failure-page{i}.txt").write_text(repr(error))
