"""The README's example is real: `import course_lib as torch` runs it unchanged."""

import re
from pathlib import Path

from course_lib.course import course_notebooks

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


ROOT = Path(__file__).resolve().parents[1]


def test_readme_lists_every_notebook_once():
    names = [p.name for p in course_notebooks(ROOT / "solutions")]
    table = README[README.index("## The notebooks") : README.index("## What's inside")]
    linked = re.findall(r"\]\(notebooks/([^)]+\.ipynb)\)", table)
    assert linked == names


def test_readme_links_and_images_exist():
    targets = re.findall(r"\]\(((?!https?://)[^)#]+)\)", README)
    targets += re.findall(r'<img src="([^"]+)"', README)
    assert any(t.endswith(".png") for t in targets), "the README shows no screenshot"
    missing = [t for t in targets if not (ROOT / t).exists()]
    assert missing == []


def test_no_binder_badge_until_the_project_has_a_public_repository():
    # a badge pointing at a repository that does not exist opens an error page on mybinder.org
    assert "mybinder.org/badge" not in README
    binder = README[README.index("- **Binder.**") : README.index("- **JupyterHub.**")]
    assert "urlpath=lab/tree/notebooks/00_welcome.ipynb" in binder  # where the badge will go
    assert (ROOT / "notebooks" / "00_welcome.ipynb").is_file()


def test_readme_documents_the_other_commands():
    for command in ("make doctor", "make test-browser", "make progress", "make notebooks"):
        assert command in README, command
