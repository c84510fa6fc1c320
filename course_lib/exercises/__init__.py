"""Exercise checks and hints for the notebooks: `check("0.1", answer)`, `hint("0.1")`.

One file per notebook (`nb00.py`, `nb01.py`, ...) declares that notebook's exercises with
`exercise(...)`: the task, three tiers of hints, a reference, the cases (adversarial ones named)
and the known mistakes, each reproduced by a small wrong answer. `_check.py` runs them: it calls
the answer, guards type, dtype, shape, inputs and gradients, and names the mistake whose outputs
the answer reproduces. This package imports the core; the core never imports it.
"""

from ._check import Mistake, NotStarted, all_exercises, check, get, hint, parse

__all__ = ["Mistake", "NotStarted", "all_exercises", "check", "get", "hint", "parse"]
