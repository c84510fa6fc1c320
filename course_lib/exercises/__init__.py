"""Exercise checks and hints for the notebooks: `check("0.1", answer)`, `hint("0.1")`.

One file per notebook (`nb00.py`, `nb01.py`, ...) registers that notebook's exercises; each check
runs the learner's answer on reference cases against course_lib's own implementation and names
the specific mistake when it is wrong. This package imports the core; the core never imports it.
"""

from ._check import Mistake, NotStarted, all_exercises, check, get, hint

__all__ = ["Mistake", "NotStarted", "all_exercises", "check", "get", "hint"]
