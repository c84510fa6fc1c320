"""Driving JupyterLab in a real browser (Python playwright + Debian's chromium), for tests/browser.

The waits, measured on JupyterLab 4: wait for the status bar's "| Idle" (the toolbar's
indicator reads idle while the kernel is still starting), run all from the Run menu, and wait for
every code cell's prompt to hold its execution number.

Widgets are compared with the same widget built in the test process: `view(box)` lists what a
widget shows (the text of its HTML parts, a SHA-256 of its PNG images) in document order, and
`browser_view(root)` reads the same list off the page. Equal lists mean the browser shows exactly
what the course's Python code computes for those control values.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
from html.parser import HTMLParser
from pathlib import Path

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# Headless chromium as root on a machine whose network reaches only package registries: without
# the background-networking flags it keeps trying (and failing) to reach Google's services.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Kernel start, run all, a widget redraw: generous, the machine may be busy.
TIMEOUT_MS = int(os.environ.get("BROWSER_TIMEOUT_MS", 120_000))


# --- notebooks ---------------------------------------------------------------------------------


def open_notebook(context, lab, path: str):
    """A new page with `path` (relative to the served folder) open and its kernel idle."""
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(lab.url(f"lab/tree/{path}?reset"))  # ?reset: a fresh workspace, one open notebook
    wait_idle(page)
    return page


def wait_idle(page) -> None:
    page.get_by_text("| Idle").wait_for()


def run_all(page) -> None:
    """Run > Run All Cells, then wait until every code cell has its execution number."""
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    page.wait_for_function(
        """() => {
            const prompts = [...document.querySelectorAll(
                '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputArea-prompt')];
            return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
        }""",
        timeout=TIMEOUT_MS,
    )
    wait_idle(page)


def save(page, path: Path) -> dict:
    """Save the open notebook (Ctrl+S) and return what JupyterLab wrote to `path`."""
    before = path.stat().st_mtime_ns
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook").first.click(
        position={"x": 5, "y": 5}
    )
    page.keyboard.press("Control+s")
    deadline = time.monotonic() + 30
    while path.stat().st_mtime_ns == before:
        if time.monotonic() > deadline:
            raise TimeoutError(f"JupyterLab did not save {path.name} within 30 s")
        time.sleep(0.1)
    time.sleep(0.3)  # let the write finish
    return json.loads(path.read_text())


def stored_notebook(name: str) -> dict:
    """A solution notebook as committed (with the outputs nbval checks)."""
    from lab_server import ROOT

    return json.loads((ROOT / "solutions" / name).read_text())


def cell(page, index: int):
    """The notebook's cell number `index` (counting every cell from 0, text cells included)."""
    return page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell").nth(index)


def run_cell(page, index: int) -> None:
    """Select cell `index`, run it with Ctrl+Enter, wait until it has a fresh number and idle."""
    prompt = cell(page, index).locator(".jp-InputArea-prompt")
    before = prompt.text_content()
    prompt.click()
    page.keyboard.press("Control+Enter")
    page.wait_for_function(
        """([el, before]) => el.textContent !== before && /\\[\\d+\\]/.test(el.textContent)""",
        arg=[prompt.element_handle(), before],
    )
    wait_idle(page)


def type_into_cell(page, index: int, source: str) -> None:
    """Replace cell `index`'s code with `source`, as a learner would: click, select all, type."""
    editor = cell(page, index).locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(source)  # no auto-indent or bracket closing on the way
    page.keyboard.press("Escape")  # back to command mode


def output_text(page, index: int) -> str:
    return cell(page, index).locator(".jp-OutputArea").inner_text()


# --- widgets -----------------------------------------------------------------------------------


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_text(markup: str) -> str:
    """The text a browser's `textContent` gives for `markup`, whitespace runs collapsed."""
    parser = _Text()
    parser.feed(markup)
    parser.close()
    return " ".join("".join(parser.parts).split())


def view(box) -> list[tuple[str, str]]:
    """What a widget built in this process shows: ("html", text) and ("image", sha256) parts."""
    import ipywidgets as widgets

    parts = []

    def walk(widget):
        if isinstance(widget, widgets.Image):
            parts.append(("image", hashlib.sha256(widget.value).hexdigest()))
        elif isinstance(widget, widgets.HTML):
            parts.append(("html", html_text(widget.value)))
        for child in getattr(widget, "children", ()):
            walk(child)

    walk(box)
    return parts


_BROWSER_VIEW = """async (root) => {
    const parts = [];
    for (const el of root.querySelectorAll('img.widget-image, .widget-html-content')) {
        if (el.tagName === 'IMG') {
            if (!el.src) { parts.push(['image', '']); continue; }
            const bytes = await (await fetch(el.src)).arrayBuffer();
            const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
            parts.push(['image', [...digest].map(b => b.toString(16).padStart(2, '0')).join('')]);
        } else {
            parts.push(['html', el.textContent.split(/\\s+/).filter(s => s).join(' ')]);
        }
    }
    return parts;
}"""


def browser_view(root) -> list[tuple[str, str]]:
    return [tuple(part) for part in root.evaluate(_BROWSER_VIEW)]


def wait_for_view(root, expected, timeout: float = 30) -> list:
    """Wait until the page shows `expected`; on timeout raise with both views."""
    deadline = time.monotonic() + timeout
    while True:
        shown = browser_view(root)
        if shown == expected:
            return shown
        if time.monotonic() > deadline:
            raise AssertionError(
                "the browser does not show what the widget computes for these controls\n"
                f"  shown:    {_short(shown)}\n  expected: {_short(expected)}"
            )
        time.sleep(0.2)


def wait_for_change(root, before, settle: float = 0.6, timeout: float = 30) -> list:
    """Wait until the page's view differs from `before` and then stays the same for `settle` s
    (a slider drag sends several values; the last one wins)."""
    deadline = time.monotonic() + timeout
    shown, since = browser_view(root), time.monotonic()
    while True:
        time.sleep(0.15)
        now = browser_view(root)
        if now != shown:
            shown, since = now, time.monotonic()
        elif shown != before and time.monotonic() - since >= settle:
            return shown
        if time.monotonic() > deadline:
            raise AssertionError(f"the widget's view did not change within {timeout} s")


def _short(parts) -> str:
    return "; ".join(f"{kind}:{value[:100]}" for kind, value in parts)


def control_locator(root, control):
    """The page element for a control built in this process, found by its kind and label."""
    import ipywidgets as widgets

    label = control.description
    if isinstance(control, widgets.Button):
        return root.locator("button.widget-button", has_text=re.compile(f"^{re.escape(label)}$"))
    kinds = [
        (widgets.ToggleButtons, ".widget-toggle-buttons"),
        (widgets.Dropdown, ".widget-dropdown"),
        (widgets.Combobox, ".widget-text"),  # a text box with a <datalist>
    ]
    css = next((css for cls, css in kinds if isinstance(control, cls)), ".widget-slider")
    exact = re.compile(f"^{re.escape(label)}$")
    box = root.locator(css).filter(has=root.page.locator(".widget-label", has_text=exact))
    return box.first


def option_label(control, value) -> str:
    for option in control.options:
        label, option_value = option if isinstance(option, tuple) else (str(option), option)
        if option_value == value:
            return label
    raise ValueError(f"{value!r} is not an option of {control.description!r}")


def readout(element) -> str:
    """A slider's readout text, as shown."""
    return element.locator(".widget-readout").inner_text().strip()


# Lines of the latency benchmark (tests/browser/test_browser_widget_speed.py), printed at the end.
BENCHMARK: list[str] = []


# --- how a widget looks: image sharpness, clipped labels ---------------------------------------

_IMAGES = """(root) => [...root.querySelectorAll('img.widget-image')].map(img => {
    const box = img.getBoundingClientRect();
    return {natural: img.naturalWidth, shown: box.width, ratio: window.devicePixelRatio};
})"""

# Every element that holds a control's words: descriptions, readouts, button and option labels.
_LABELS = ".widget-label, .widget-readout, .widget-toggle-button, button.widget-button"
_TRUNCATED = """(root) => [...root.querySelectorAll(SELECTOR)]
    .filter(el => el.offsetParent !== null && el.scrollWidth > el.clientWidth)
    .map(el => `${el.textContent.trim()} (${el.scrollWidth} px in ${el.clientWidth} px)`)
""".replace("SELECTOR", repr(_LABELS))


def images(root) -> list[dict]:
    """Each figure of the widget: natural width (image pixels), shown width (CSS pixels) and the
    device pixel ratio. Sharp means natural >= shown x ratio: no image pixel is stretched."""
    return root.evaluate(_IMAGES)


def upscale(image: dict) -> float:
    """How much the browser stretches the image's pixels: > 1 is blurry."""
    return image["shown"] * image["ratio"] / image["natural"]


def truncated_labels(root) -> list[str]:
    """The control labels the page cuts off (an ellipsis or a clip: scrollWidth > clientWidth)."""
    return root.evaluate(_TRUNCATED)


# --- latency: a key press or a selection until the widget's picture or text changed on screen ---

# Listens (capture phase) for the learner's action and watches the widget's figures and HTML:
# `start` is the event's time stamp, `end` the frame after the last change was painted (an image
# change counts once the new image is decoded). The slider's readout and the controls' own state
# are left out: the page changes those at once, without the kernel.
_ARM = """(root) => {
    const lat = window.__latency || (window.__latency = {});
    lat.start = null; lat.end = null; lat.changes = 0;
    if (!lat.listening) {
        for (const kind of ['keydown', 'mousedown', 'input']) {
            document.addEventListener(kind, (e) => {
                if (lat.start === null) lat.start = e.timeStamp;
            }, true);
        }
        lat.listening = true;
    }
    if (!root.__latencyObserver) {
        const painted = () => requestAnimationFrame(() => {
            lat.end = performance.now(); lat.changes += 1;
        });
        root.__latencyObserver = new MutationObserver((mutations) => {
            if (lat.start === null) return;
            for (const m of mutations) {
                const el = m.target.nodeType === 1 ? m.target : m.target.parentElement;
                if (el.matches('img.widget-image') && m.attributeName === 'src') {
                    el.decode().then(painted, painted);
                } else if (el.closest('.widget-html-content')) {
                    painted();
                }
            }
        });
        root.__latencyObserver.observe(root, {
            subtree: true, childList: true, characterData: true, attributes: true,
            attributeFilter: ['src'],
        });
    }
}"""

_SETTLED = """([quiet]) => {
    const lat = window.__latency;
    return lat.end !== null && performance.now() - lat.end > quiet;
}"""


def timed(page, root, action, quiet_ms: float = 300) -> float:
    """Milliseconds from the event `action()` fires (key, click or selection) to the frame after
    the widget's last change caused by it (no further change for `quiet_ms`)."""
    root.evaluate(_ARM)
    action()
    page.wait_for_function(_SETTLED, arg=[quiet_ms], timeout=TIMEOUT_MS)
    wait_idle(page)
    return page.evaluate("() => window.__latency.end - window.__latency.start")
