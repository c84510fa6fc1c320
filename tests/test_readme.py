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


def test_binder_badge_points_at_the_repository_and_notebook_00():
    import tomllib

    repository = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"][
        "Repository"
    ]
    owner_repo = repository.removeprefix("https://github.com/")
    badge = re.search(
        r"https://mybinder\.org/v2/gh/([^/]+/[^/]+)/(\w+)\?urlpath=lab/tree/(\S+?)\)", README
    )
    assert badge, "no Binder badge in the README"
    assert badge.group(1) == owner_repo
    assert (ROOT / badge.group(3)).is_file()
    assert f"repo={repository}" in README  # the nbgitpuller link names the same repository


def test_readme_documents_the_other_commands():
    for command in ("make doctor", "make test-browser", "make progress", "make notebooks"):
        assert command in README, command
