"""Every link in the README and the notebooks leads somewhere a reader can follow, offline:
relative links name files of this repository, and external links go only to documentation
(listed below) or to the course's own local server. No file of the repository points at
material outside it."""

import json
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# The external sites the course may link to: documentation only.
ALLOWED_EXTERNAL = (
    "https://docs.pytorch.org/docs/2.13/",  # PyTorch 2.13, the version course_lib follows
    "https://numpy.org/doc/",
    "https://nbgitpuller.readthedocs.io",
    "https://ipywidgets.readthedocs.io/",
    "https://jupyterlab.readthedocs.io/",
)
# Addresses that are examples of what a command prints, not links; a URL with a <placeholder>
# is a template the reader fills in.
EXAMPLES = ("http://127.0.0.1:",)

MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)\)")
IMG_SRC = re.compile(r'<img[^>]+src="([^"]+)"')
BARE_URL = re.compile(r"https?://[^\s)\"'`>]+")


def _documents() -> list[tuple[Path, str]]:
    docs = [(ROOT / "README.md", (ROOT / "README.md").read_text(encoding="utf-8"))]
    for folder in ("solutions", "notebooks"):
        for path in sorted((ROOT / folder).glob("*.ipynb")):
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
            text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
            docs.append((path, text))
    return docs


def _links(text: str) -> list[str]:
    return MARKDOWN_LINK.findall(text) + IMG_SRC.findall(text)


@pytest.mark.parametrize("path,text", _documents(), ids=lambda v: getattr(v, "name", ""))
def test_relative_links_resolve(path, text):
    missing = []
    for link in _links(text):
        if re.match(r"[a-z]+:", link) or link.startswith("#"):
            continue
        target = (path.parent / link.split("#")[0]).resolve()
        if not target.exists() or ROOT not in target.parents:
            missing.append(link)
    assert missing == [], f"{path.name}: links to files that do not exist here: {missing}"


@pytest.mark.parametrize("path,text", _documents(), ids=lambda v: getattr(v, "name", ""))
def test_external_links_are_documentation(path, text):
    urls = set(BARE_URL.findall(text)) | {u for u in _links(text) if re.match(r"https?:", u)}
    others = sorted(
        u
        for u in urls
        if not u.startswith(ALLOWED_EXTERNAL) and not u.startswith(EXAMPLES) and "<" not in u
    )
    assert others == [], (
        f"{path.name} links outside the documentation the course cites: {others} "
        f"(allowed: {ALLOWED_EXTERNAL})"
    )


def _tracked_text_files() -> list[Path]:
    out = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [ROOT / name for name in out if not name.endswith((".png", ".jpg", ".svg"))]


# Pieces joined at run time, so that this file does not match itself.
OUTSIDE = ["TORCH_" + "REFERENCE", "../" + "shared", "/work/" + "shared"]


def test_nothing_points_at_files_outside_the_repository():
    hits = []
    for path in _tracked_text_files():
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        hits += [f"{path.relative_to(ROOT)}: {word}" for word in OUTSIDE if word in text]
    assert hits == [], "cite PyTorch's documentation or show the fact with a cell instead: " + (
        "; ".join(hits)
    )
