"""The README's example is real: `import course_lib as torch` runs it unchanged."""

import re
from pathlib import Path

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_readme_python_examples_run():
    blocks = re.findall(r"```python\n(.*?)```", README, flags=re.S)
    assert blocks, "the README has no python example"
    for block in blocks:
        namespace: dict = {}
        exec(compile(block, "README.md", "exec"), namespace)
    assert namespace["loss"].item() < 1.0  # the 100 SGD steps of the example did train


def test_readme_starts_with_the_two_commands_and_links_notebook_00():
    head = README[: README.index("## What's inside")]
    assert "make lab" in head and "make test" in head
    assert "notebooks/00_welcome.ipynb" in head
