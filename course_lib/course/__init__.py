"""The notebook pipeline: build learner copies from solutions, report a learner's progress.

It knows notebooks, not tensors; `python -m course_lib` is its command line.
"""

from pathlib import Path

# A course notebook is named like `07_softmax.ipynb`, in solutions/ and in notebooks/ alike.
NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"


def course_notebooks(folder: Path) -> list[Path]:
    """The course notebooks in `folder`, in course order."""
    return sorted(Path(folder).glob(NOTEBOOK_GLOB))
