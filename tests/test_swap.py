"""The swap test: every solution notebook prints the same with real torch as with course_lib.

Each notebook runs twice in a fresh kernel: as it is, and with course_lib's torch-named imports
replaced by torch's (`import course_lib as torch` → `import torch`, `from course_lib import nn`
→ `from torch import nn`, `import course_lib.nn.functional as F` → `import torch.nn.functional
as F`). For each code cell we compare the printed text (stdout, text/plain results), the error
(type and message) and the warnings (category and message; where a warning is raised from
differs between the two libraries, so file and line are dropped).

Left out, by this rule: a cell that exists only for course_lib — one whose code (its names and
strings, not its comments) names `course_lib` (after the swap: a cell comparing the two
libraries or showing course_lib's files), calls `getsource`/`getsourcefile` (reading the
library's source), or uses a name imported from `course_lib.*` (the exercise checks and hints,
widget functions) — is not compared; nor is a side-by-side cell, one that imports real torch
itself (or asks `find_spec("torch")`) to compare it with course_lib. Before
comparing, addresses (`at 0x...`), the package prefix (`course_lib.nn.Tanh` is `torch.nn.Tanh`)
and torch's "(Triggered internally at <C++ file>)" suffix are normalised.

A cell may print something else only when its metadata carries `"swap_differs": "<reason>"`;
the report lists every such cell and its reason. Any other difference fails, and so does any
difference in the error a cell raises, tagged or not. Run it with `make swap`.
"""

from __future__ import annotations

import importlib.util
import io
import re
import tokenize
from pathlib import Path

import pytest
from parity import TORCH_MISSING

from course_lib.course import course_notebooks

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = course_notebooks(ROOT / "solutions")
REPORT = ROOT / "build" / "swap-report.txt"

pytestmark = [pytest.mark.swap, pytest.mark.notebooks]  # kernels, and torch: `make swap`

SWAPS = (
    (re.compile(r"^import course_lib as torch\b", re.M), "import torch"),
    (re.compile(r"^from course_lib import nn\b", re.M), "from torch import nn"),
    (
        re.compile(r"^import course_lib\.nn\.functional as F\b", re.M),
        "import torch.nn.functional as F",
    ),
)
COURSE_ONLY_IMPORT = re.compile(r"^from course_lib\.[\w.]+ import (.+)$", re.M)


def swapped(source: str) -> str:
    for pattern, replacement in SWAPS:
        source = pattern.sub(replacement, source)
    return source


def course_only_names(cells) -> set[str]:
    """Names imported from course_lib's own modules (exercises, widgets)."""
    names = set()
    for cell in cells:
        for match in COURSE_ONLY_IMPORT.finditer(cell.source):
            imported = match.group(1).split("#")[0].strip("() ")
            names.update(n.strip().split(" as ")[-1] for n in imported.split(",") if n.strip())
    return names


def _code_words(source: str) -> set[str]:
    """The identifiers and string contents of a cell's code (its comments are not code)."""
    lines = [ln for ln in source.splitlines() if not ln.lstrip().startswith(("%", "!"))]
    try:
        tokens = tokenize.generate_tokens(io.StringIO("\n".join(lines) + "\n").readline)
        words = set()
        for t in tokens:
            if t.type == tokenize.NAME:
                words.add(t.string)
            elif t.type in (tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", -1)):
                words.update(re.findall(r"\w+", t.string))
        return words
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return set(re.findall(r"\w+", source))


READS_SOURCE = {"course_lib", "getsource", "getsourcefile"}


IMPORTS_TORCH = re.compile(r"^\s*(import torch\b|from torch\b)", re.M)


def is_course_only(source: str, names: set[str]) -> bool:
    if IMPORTS_TORCH.search(source) or "find_spec" in _code_words(source):
        return True  # a side-by-side cell: it runs real torch itself, next to course_lib
    return bool(_code_words(swapped(source)) & (READS_SOURCE | names))


_WARNING_LINE = re.compile(r"^.*?:\d+: (\w*Warning): (.*)$")


def _normalise_stderr(text: str) -> list[str]:
    """Warnings as 'Category: message' lines: file, line and the echoed source line dropped."""
    out, in_warning = [], False
    for line in text.splitlines():
        m = _WARNING_LINE.match(line)
        if m:
            out.append(f"{m.group(1)}: {m.group(2)}")
            in_warning = True
        elif in_warning and line.startswith("  "):
            in_warning = False  # the source line Python echoes under a warning
        else:
            out.append(line)  # a message's next line, or other stderr text
    return out


def _sanitise(text: str) -> str:
    text = re.sub(r"at 0x[0-9a-f]+", "at 0xADDR", text)
    text = re.sub(r"\bcourse_lib\.", "torch.", text)  # course_lib.nn.Tanh is torch.nn.Tanh
    text = re.sub(r" \(Triggered internally at [^)]*\)", "", text)  # torch's C++ source line
    return re.sub(r"<Figure size \d+x\d+ with", "<Figure size WxH with", text)


def observed(cell) -> dict:
    """What a learner sees of a code cell: printed text, warnings, error."""
    stdout, stderr, shown, error = [], [], [], None
    for o in cell.get("outputs", []):
        if o.output_type == "stream":
            (stdout if o.name == "stdout" else stderr).append(o.text)
        elif o.output_type in ("execute_result", "display_data"):
            if "text/plain" in o.data:
                shown.append(o.data["text/plain"])
        elif o.output_type == "error":
            error = (o.ename, _sanitise(o.evalue))
    return {
        "printed": _sanitise("".join(stdout) + "\n".join(shown)),
        "warnings": _normalise_stderr(_sanitise("".join(stderr))),
        "error": error,
    }


def _run(nb, tmp_path: Path):
    from nbclient import NotebookClient

    NotebookClient(
        nb, timeout=300, kernel_name="python3", allow_errors=True,
        resources={"metadata": {"path": str(tmp_path)}},
    ).execute()  # fmt: skip
    return nb


def compare_notebook(path: Path, tmp_path: Path) -> dict:
    import nbformat

    original = nbformat.read(path, as_version=4)
    as_is = _run(nbformat.read(path, as_version=4), tmp_path)
    with_torch = nbformat.read(path, as_version=4)
    for cell in with_torch.cells:
        if cell.cell_type == "code":
            cell.source = swapped(cell.source)
    with_torch = _run(with_torch, tmp_path)
    names = course_only_names(c for c in original.cells if c.cell_type == "code")
    result = {
        "compared": 0,
        "identical": 0,
        "tagged": [],
        "untagged": [],
        "errors": [],
        "left": 0,
        "stale": [],
    }
    for i, (cell, a, b) in enumerate(zip(original.cells, as_is.cells, with_torch.cells)):
        if cell.cell_type != "code":
            continue
        if is_course_only(cell.source, names):
            result["left"] += 1
            continue
        result["compared"] += 1
        ours, theirs = observed(a), observed(b)
        where = (
            f"cell {i}: {cell.source.strip().splitlines()[0][:70]!r}"
            if cell.source.strip()
            else f"cell {i}"
        )
        reason = cell.metadata.get("swap_differs")
        if ours == theirs:
            result["identical"] += 1
            if reason:
                result["stale"].append((where, reason))
            continue
        detail = {k: (ours[k], theirs[k]) for k in ours if ours[k] != theirs[k]}
        if ours["error"] != theirs["error"]:
            result["errors"].append((where, detail))
        if reason:
            result["tagged"].append((where, reason))
        elif ours["error"] == theirs["error"]:
            result["untagged"].append((where, detail))
    return result


def _report(name: str, r: dict) -> str:
    lines = [
        f"{name}: {r['compared']} cells compared, {r['identical']} identical, "
        f"{len(r['tagged'])} tagged as differing, {r['left']} course_lib-only cells left out"
    ]
    lines += [f"    tagged {where}: {reason}" for where, reason in r["tagged"]]
    lines += [f"    tagged but identical this run {where}" for where, _ in r["stale"]]
    for kind in ("untagged", "errors"):
        for where, detail in r[kind]:
            lines.append(f"    {kind.upper()} {where}")
            for key, (ours, theirs) in detail.items():
                lines.append(f"        {key}: course_lib {ours!r}")
                lines.append(f"        {key}: torch      {theirs!r}")
    return "\n".join(lines)


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.name)
def test_notebook_prints_the_same_with_real_torch(path, tmp_path):
    if importlib.util.find_spec("torch") is None:
        pytest.skip(TORCH_MISSING)
    r = compare_notebook(path, tmp_path)
    text = _report(path.name, r)
    print("\n" + text)
    REPORT.parent.mkdir(exist_ok=True)
    with REPORT.open("a") as f:
        f.write(text + "\n")
    assert not r["errors"], f"a cell raises a different error with torch:\n{text}"
    assert not r["untagged"], f"untagged differences (tag with swap_differs + reason):\n{text}"


def test_the_swap_rule_replaces_exactly_the_three_imports():
    src = (
        "import course_lib as torch\nfrom course_lib import nn\n"
        "import course_lib.nn.functional as F\nfrom course_lib.exercises import check, hint\n"
    )
    assert swapped(src) == (
        "import torch\nfrom torch import nn\nimport torch.nn.functional as F\n"
        "from course_lib.exercises import check, hint\n"
    )
    names = course_only_names([type("C", (), {"source": src})()])
    assert names == {"check", "hint"}
    assert is_course_only('check("1.1", f)', names)
    assert not is_course_only("torch.randn(3)", names)
    assert is_course_only("import torch as real_torch\nreal_torch.randn(3)", names)
