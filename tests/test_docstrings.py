"""The `>>>` examples in course_lib's core docstrings run and print what they show.

Each example sees the names `import course_lib as torch` would give (tensor, ones, nn, ...), as a
learner reading the file would assume; anything else it imports itself."""

import doctest
import importlib

import pytest

import course_lib

MODULES = [
    "course_lib.autograd",
    "course_lib.creation",
    "course_lib.tensor",
    "course_lib._ops._common",
    "course_lib._ops._checks",
    "course_lib._ops.elementwise",
    "course_lib._ops.reductions",
    "course_lib._ops.shape",
    "course_lib._ops.indexing",
    "course_lib._ops.linalg",
    "course_lib.linalg",
    "course_lib._ops.joining",
    "course_lib._ops.inplace",
    "course_lib._ops.sorting",
    "course_lib.nn.parameter",
    "course_lib.nn.init",
    "course_lib.nn.functional",
    "course_lib.nn.modules.module",
    "course_lib.nn.modules.container",
    "course_lib.nn.modules.linear",
    "course_lib.nn.modules.activation",
    "course_lib.nn.modules.normalization",
    "course_lib.nn.modules.sparse",
    "course_lib.nn.modules.loss",
    "course_lib.nn.modules.flatten",
    "course_lib.nn.modules.dropout",
    "course_lib.nn.utils.clip_grad",
    "course_lib.optim.optimizer",
    "course_lib.optim.sgd",
    "course_lib.optim.adam",
    "course_lib.optim.adamw",
    "course_lib.optim.rmsprop",
    "course_lib.optim.adagrad",
    "course_lib.optim.lr_scheduler",
    "course_lib.utils.hooks",
    "course_lib._toplevel",
    "course_lib.return_types",
]


def _namespace() -> dict:
    names = {
        name: getattr(course_lib, name) for name in dir(course_lib) if not name.startswith("_")
    }
    names.update(
        course_lib=course_lib, torch=course_lib, nn=course_lib.nn, F=course_lib.nn.functional
    )
    return names


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    course_lib.manual_seed(0)
    result = doctest.testmod(
        module,
        extraglobs=_namespace(),
        optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS,
        verbose=False,
        report=True,
    )
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed"
