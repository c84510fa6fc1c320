"""`import course_lib` stands on NumPy alone, and its top level has torch's names."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest
from packaging.requirements import Requirement

import course_lib as cl

ROOT = Path(__file__).resolve().parents[1]


def test_import_loads_numpy_but_no_plotting_widgets_or_torch():
    code = (
        "import sys, course_lib\n"
        "heavy = {'matplotlib', 'ipywidgets', 'torch', 'IPython', 'pandas', 'scipy'}\n"
        "loaded = sorted({m.split('.')[0] for m in sys.modules} & heavy)\n"
        "print(','.join(loaded) or 'none', 'numpy' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["none", "True"]


@pytest.mark.notebooks  # starts other Pythons
def test_import_takes_under_300_ms_beyond_numpy():
    code = (
        "import time\n"
        "t0 = time.perf_counter(); import numpy\n"
        "t1 = time.perf_counter(); import course_lib\n"
        "print(time.perf_counter() - t1)\n"
    )
    # as a learner's import: from compiled bytecode (the first run writes it, if this
    # environment said not to, which makes every import compile all of course_lib again)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    times = []
    for _ in range(6):  # the best of these: a busy machine only ever makes an import slower
        result = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
            env=env,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        times.append(float(result.stdout))
    assert min(times) < 0.3, f"import course_lib took {min(times) * 1e3:.0f} ms beyond NumPy"


def test_the_library_installs_with_numpy_alone_and_the_course_is_an_extra():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert [Requirement(r).name for r in project["dependencies"]] == ["numpy"]
    course = {Requirement(r).name for r in project["optional-dependencies"]["course"]}
    assert course == {"matplotlib", "ipywidgets", "jupyterlab"}


@pytest.mark.parametrize("missing", ["matplotlib", "ipywidgets"])
def test_widgets_without_the_course_extra_say_so_in_one_line(missing):
    code = f"import sys; sys.modules[{missing!r}] = None; import course_lib.widgets"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    last = result.stderr.strip().splitlines()[-1]
    assert last == (
        f"ImportError: course_lib.widgets needs {missing}, which comes with the course extra: "
        "pip install 'torch-unboxed[course]' (in a checkout: make install)"
    )


def test_every_name_in_all_exists():
    missing = [name for name in cl.__all__ if not hasattr(cl, name)]
    assert not missing


API = (
    "Tensor tensor LongTensor FloatTensor empty zeros ones full arange randn rand from_numpy "
    "manual_seed float32 float64 int64 float double long bool no_grad enable_grad "
    "set_grad_enabled is_grad_enabled matmul mm bmm softmax log_softmax tanh exp log sum mean "
    "max min cat stack sigmoid relu sqrt abs clamp reshape flatten transpose t unsqueeze squeeze "
    "permute clone detach where allclose equal is_tensor numel Size dtype get_default_dtype nn "
    "optim"
).split()

TENSOR_API = (
    "requires_grad requires_grad_ grad is_leaf grad_fn backward detach data item tolist numpy "
    "shape dtype ndim dim size numel clone float double long reshape view transpose t T permute "
    "unsqueeze squeeze flatten expand sum mean max min exp log tanh sigmoid relu softmax "
    "log_softmax zero_ fill_ uniform_ normal_ copy_ add_ mul_ sub_ div_ retain_grad matmul mm "
    "bmm pow sqrt abs clamp neg reciprocal contiguous to"
).split()


@pytest.mark.parametrize("name", API)
def test_top_level_name_exists(name):
    assert hasattr(cl, name)


@pytest.mark.parametrize("name", TENSOR_API)
def test_tensor_attribute_exists(name):
    assert hasattr(cl.ones(2, 2), name)


def test_top_level_api_matches_torch(torch):
    missing = [name for name in API if not hasattr(torch, name)]
    assert not missing, f"not torch names: {missing}"
    missing = [name for name in TENSOR_API if not hasattr(torch.ones(2, 2), name)]
    assert not missing, f"not torch Tensor attributes: {missing}"


def test_top_level_functions_agree_with_methods(torch):
    x = [[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]]
    results = []
    for T in (cl, torch):
        t = T.tensor(x)
        results.append(
            [
                T.exp(t).tolist(),
                T.log(t.abs()).tolist(),
                T.tanh(t).tolist(),
                T.softmax(t, 1).tolist(),
                T.sum(t).item(),
                T.sum(t, 0).tolist(),
                T.mean(t, dim=1, keepdim=True).tolist(),
                T.max(t).item(),
                T.max(t, 1).indices.tolist(),
                T.cat([t, t], 1).shape,
                T.stack([t, t], 0).shape,
                T.matmul(t, t.t()).shape,
                T.mm(t, t.t()).shape,
                T.bmm(t[None], t.t()[None]).shape,
            ]
        )
    np.testing.assert_equal(len(results[0]), len(results[1]))
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(
            np.asarray(ours, dtype=float), np.asarray(theirs, dtype=float), rtol=1e-6
        )


def test_every_op_file_knows_tensor():
    """The op files under course_lib/_ops/ cannot import Tensor (it is built from their classes):
    tensor.py hands it to each of them. A file it forgot would fail only when an op runs."""
    import course_lib._ops as ops

    for name in ops.__all__:
        module = getattr(ops, name)
        assert getattr(module, "Tensor", cl.Tensor) is cl.Tensor, f"_ops/{name}.py has no Tensor"
