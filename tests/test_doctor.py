"""`make doctor`: each check on fake inputs names the thing and gives the command that fixes it;
end to end, this venv passes and a disabled widget frontend is caught."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from course_lib.course import doctor as d
from course_lib.course.doctor import INFO, OK, PROBLEM, Context, Result

ROOT = Path(__file__).resolve().parents[1]
EXT = "@jupyter-widgets/jupyterlab-manager"
REQUIRES = [
    "numpy>=2.1",
    'ipywidgets>=8.1; extra == "course"',
    'ruff<0.18,>=0.17.6; extra == "test"',
    'pytest>=8.0; extra == "test"',
    'torch==2.13.0; extra == "parity"',
    'pywin32>=300; sys_platform == "no-such-platform"',
]
GOOD = {
    "numpy": "2.4.6",
    "ipywidgets": "8.1.9",
    "ruff": "0.17.6",
    "pytest": "9.2.0",
    "torch": "2.13.0+cpu",
}


@pytest.fixture
def ctx(tmp_path):
    """A checkout with a Makefile, run from inside it, with this Python called `py`."""
    (tmp_path / "Makefile").write_text("doctor:\n")
    return Context(python="py", root=tmp_path, cwd=tmp_path)


def only(results: list[Result], name: str) -> Result:
    (result,) = [r for r in results if r.text.startswith(name + " ")]
    return result


def requirements(ctx, **versions) -> list[Result]:
    installed = {**GOOD, **versions}
    return d.check_requirements(REQUIRES, installed.get, ctx)


# -- 1. Python --------------------------------------------------------------------------------


def test_python_too_old_is_a_problem_and_says_which_python_to_install(ctx):
    r = d.check_python((3, 10, 14, "final", 0), "/usr/bin/python3", ">=3.11", ctx)
    assert r.status == PROBLEM
    assert "Python 3.10.14 (/usr/bin/python3) is too old" in r.text and ">=3.11" in r.text
    assert r.fix.startswith("install Python 3.11,")
    assert r.fix.endswith("make distclean && make install")


def test_python_new_enough_is_ok(ctx):
    r = d.check_python((3, 11, 7, "final", 0), "/venv/bin/python", ">=3.11", ctx)
    assert r == Result(OK, "Python 3.11.7 (/venv/bin/python)")


def test_fallback_requires_python_is_the_one_in_pyproject():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert d.REQUIRES_PYTHON == pyproject["project"]["requires-python"]


# -- 2. requirements --------------------------------------------------------------------------


def test_every_requirement_satisfied_is_ok_and_local_versions_count(ctx):
    results = requirements(ctx)
    assert [r.status for r in results] == [OK] * 5  # the other platform's requirement is skipped
    assert only(results, "torch").text == "torch 2.13.0+cpu (parity extra, needs ==2.13.0)"
    assert only(results, "ruff").text == "ruff 0.17.6 (test extra, needs >=0.17.6,<0.18)"


def test_missing_runtime_package_is_a_problem_fixed_by_reinstalling(ctx):
    r = only(requirements(ctx, ipywidgets=None), "ipywidgets")
    assert r.status == PROBLEM
    assert r.text == "ipywidgets not installed (course extra, needs >=8.1)"
    # `make install` alone does nothing while .venv/.installed is newer than pyproject.toml.
    assert r.fix == "make -B install   (or: py -m pip install -e '.[course,test]')"


def test_wrong_runtime_version_is_a_problem(ctx):
    r = only(requirements(ctx, numpy="1.26.4"), "numpy")
    assert r.status == PROBLEM
    assert r.text == "numpy 1.26.4 installed, but the course needs >=2.1"
    assert r.fix.startswith("make -B install")


def test_missing_extras_are_only_notes(ctx):
    results = requirements(ctx, torch=None, pytest=None)
    torch, pytest_ = only(results, "torch"), only(results, "pytest")
    assert torch.status == INFO and pytest_.status == INFO
    assert torch.text.startswith("torch not installed (parity extra, needs ==2.13.0")
    assert "`make parity`" in torch.text and "`make -B install`" in pytest_.text
    assert not torch.fix and not pytest_.fix


def test_installed_extra_with_a_wrong_version_is_a_problem(ctx):
    r = only(requirements(ctx, torch="2.12.0"), "torch")
    assert r.status == PROBLEM
    assert r.text == "torch 2.12.0 installed, but the parity extra needs ==2.13.0"
    assert r.fix == "make parity   (or: py -m pip install -e '.[test,parity]')"
    r = only(requirements(ctx, ruff="0.18.0"), "ruff")
    assert r.status == PROBLEM and "ruff 0.18.0 installed, but the test extra needs" in r.text
    assert r.fix.startswith("make -B install")


def test_fixes_without_a_makefile_or_from_another_folder(tmp_path):
    elsewhere = Context(python="py", root=tmp_path, cwd=tmp_path.parent)
    r = only(d.check_requirements(REQUIRES, {**GOOD, "numpy": None}.get, elsewhere), "numpy")
    assert r.fix == f"py -m pip install -e '{tmp_path}[course,test]'"  # no Makefile in tmp_path
    (tmp_path / "Makefile").write_text("")
    r = only(d.check_requirements(REQUIRES, {**GOOD, "numpy": None}.get, elsewhere), "numpy")
    assert r.fix.startswith(f"make -C {tmp_path} -B install")


def test_course_lib_from_a_source_checkout_only_is_a_problem(ctx, tmp_path):
    r = d.check_distribution(None, tmp_path / "course_lib", ctx)
    assert r.status == PROBLEM and "torch-unboxed is not installed" in r.text
    assert r.fix == "py -m pip install -e ."
    assert d.check_distribution("0.1.0", tmp_path / "course_lib", ctx).status == OK


def test_requirements_are_read_from_pyproject_when_not_installed():
    requires = d._requires_from_pyproject(ROOT)
    assert "numpy>=2.1" in requires
    assert 'matplotlib>=3.9; extra == "course"' in requires
    assert 'torch==2.13.0; extra == "parity"' in requires


# -- 3. the widget frontend -------------------------------------------------------------------


def labextension(folder: Path, version: str = "5.0.16") -> Path:
    """A labextensions folder holding the widget manager's package.json."""
    package = folder / EXT / "package.json"
    package.parent.mkdir(parents=True)
    package.write_text(json.dumps({"name": EXT, "version": version}))
    return folder


def page_config(config_dir: Path, disabled, name: str = "page_config.json") -> Path:
    path = config_dir / "labconfig" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"disabledExtensions": disabled}))
    return path


def test_widget_frontend_installed_and_enabled_is_ok_and_says_where(ctx, tmp_path):
    ext = labextension(tmp_path / "share")
    r = d.check_widget_extension([tmp_path / "empty", ext], [tmp_path / "etc"], ctx)
    assert r.status == OK
    assert r.text == f"widget frontend {EXT} 5.0.16, enabled (share/{EXT})"


def test_missing_extension_folder_is_a_problem_fixed_by_reinstalling_jupyterlab_widgets(
    ctx, tmp_path
):
    r = d.check_widget_extension([tmp_path / "share"], [], ctx, expected_major=3)
    assert r.status == PROBLEM
    assert f"{EXT} not found (looked in {tmp_path / 'share'})" in r.text
    assert r.fix == "py -m pip install --force-reinstall 'jupyterlab_widgets==3.*'"


def test_extension_disabled_in_the_users_page_config_is_enabled_at_that_level(ctx, tmp_path):
    ext = labextension(tmp_path / "share")
    user, env = tmp_path / "user", tmp_path / "env"
    path = page_config(user, {EXT: True})
    levels = {str(user): "user", str(env): "sys_prefix"}
    r = d.check_widget_extension([ext], [env, user], ctx, levels=levels)
    assert r.status == PROBLEM
    assert f"{EXT} 5.0.16 is disabled" in r.text and str(path) in r.text
    assert r.fix == f"py -m jupyter labextension enable --level=user {EXT}"


def test_extension_disabled_in_the_environment_uses_the_default_level(ctx, tmp_path):
    ext = labextension(tmp_path / "share")
    env = tmp_path / "env"
    page_config(env, [EXT])  # the old list form
    r = d.check_widget_extension([ext], [env], ctx, levels={str(env): "sys_prefix"})
    assert r.status == PROBLEM
    assert r.fix == f"py -m jupyter labextension enable {EXT}"


def test_a_disabled_plugin_of_the_extension_counts_and_unknown_folders_are_edited(ctx, tmp_path):
    ext = labextension(tmp_path / "share")
    path = page_config(tmp_path / "extra", {EXT + ":plugin": True, "@other/ext": True})
    r = d.check_widget_extension([ext], [tmp_path / "extra"], ctx)
    assert r.status == PROBLEM and f'"{EXT}:plugin"' in r.text and "@other" not in r.text
    assert r.fix == f'remove "{EXT}:plugin" from "disabledExtensions" in {path}'


def test_a_higher_priority_folder_enabling_it_wins(ctx, tmp_path):
    ext = labextension(tmp_path / "share")
    env, user = tmp_path / "env", tmp_path / "user"
    page_config(user, {EXT: True}, name="page_config.d/from-a-package.json")
    page_config(env, {EXT: False})
    assert d.check_widget_extension([ext], [env, user], ctx).status == OK  # env comes first
    assert d.check_widget_extension([ext], [user, env], ctx).status == PROBLEM


def test_an_old_copy_found_first_hides_the_one_jupyterlab_widgets_installed(ctx, tmp_path):
    old, new = labextension(tmp_path / "old", "3.1.0"), labextension(tmp_path / "new")
    r = d.check_widget_extension([old, new], [], ctx, shipped=(new / EXT, "5.0.16"))
    assert r.status == PROBLEM and f"{EXT} 3.1.0 from {old / EXT}" in r.text
    assert r.fix.startswith(f"rm -r {old / EXT}")
    assert d.check_widget_extension([new, old], [], ctx, shipped=(new / EXT, "5.0.16")).status == OK


def test_jupyterlab_widgets_major_must_match_ipywidgets(ctx):
    r = d.check_widget_versions("8.1.9", "1.1.1", ctx)
    assert r.status == PROBLEM
    assert "jupyterlab_widgets 1.1.1 does not match ipywidgets 8.1.9" in r.text
    assert r.fix == "py -m pip install --force-reinstall 'jupyterlab_widgets==3.*'"
    assert d.check_widget_versions("8.1.9", "3.0.17", ctx).status == OK
    assert d.check_widget_versions("7.8.5", "1.1.11", ctx).status == OK
    assert d.check_widget_versions("8.1.9", None, ctx).status == PROBLEM


def test_the_frontend_shipped_by_this_jupyterlab_widgets_is_found():
    shipped = d._shipped_extension()
    assert shipped is not None and shipped[0].name == "jupyterlab-manager"


# -- 4. the kernel ----------------------------------------------------------------------------


def stub_python(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "other-env" / "bin" / "python"
    path.parent.mkdir(parents=True)
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(0o755)
    return path


KERNEL_ARGV = ["-m", "ipykernel_launcher", "-f", "{connection_file}"]


def test_kernel_on_another_python_that_cannot_import_course_lib_is_a_problem(ctx, tmp_path):
    python = stub_python(
        tmp_path, "echo \"ModuleNotFoundError: No module named 'course_lib'\" >&2; exit 1"
    )
    r = d.check_kernel([str(python), *KERNEL_ARGV], None, sys.executable, ROOT / "course_lib", ctx)
    assert r.status == PROBLEM
    assert f"runs another Python, {python}, which cannot import course_lib" in r.text
    assert "No module named 'course_lib'" in r.text
    assert r.fix == "py -m ipykernel install --sys-prefix"


def test_kernel_on_another_python_with_another_course_lib_is_a_problem(ctx, tmp_path):
    python = stub_python(tmp_path, "echo /old/site-packages/course_lib/__init__.py")
    r = d.check_kernel([str(python), *KERNEL_ARGV], None, sys.executable, ROOT / "course_lib", ctx)
    assert r.status == PROBLEM and "imports course_lib from /old/site-packages/course_lib" in r.text


def test_kernel_on_another_python_with_this_course_lib_is_ok(ctx, tmp_path):
    python = stub_python(tmp_path, f"echo {ROOT / 'course_lib' / '__init__.py'}")
    r = d.check_kernel([str(python), *KERNEL_ARGV], None, sys.executable, ROOT / "course_lib", ctx)
    assert r.status == OK and str(python) in r.text


def test_kernel_on_this_python_is_ok_and_a_missing_one_is_not(ctx, tmp_path):
    for command in ("python", "python3", sys.executable):
        r = d.check_kernel([command, *KERNEL_ARGV], None, sys.executable, ROOT / "course_lib", ctx)
        assert r.status == OK and "runs this Python" in r.text
    r = d.check_kernel([str(tmp_path / "gone"), *KERNEL_ARGV], None, sys.executable, ROOT, ctx)
    assert r.status == PROBLEM and "does not exist" in r.text
    r = d.check_kernel(None, None, sys.executable, ROOT / "course_lib", ctx)
    assert r.status == PROBLEM and r.fix == "py -m ipykernel install --sys-prefix"


def test_kernel_fix_installs_where_jupyter_looks_first(ctx, tmp_path):
    extra, user, env = tmp_path / "extra", tmp_path / "user", tmp_path / "env"
    dirs = [extra, user, env]  # JUPYTER_PATH, then the user's, then the environment's folders
    fix = d.kernel_fix(user / "python3", dirs, ctx, user_dir=user, env_dir=env)
    assert fix == "py -m ipykernel install --user"
    fix = d.kernel_fix(env / "python3", [env, user], ctx, user_dir=user, env_dir=env)
    assert fix == "py -m ipykernel install --sys-prefix"
    fix = d.kernel_fix(extra / "python3", dirs, ctx, user_dir=user, env_dir=env)
    assert fix.startswith("py -m jupyter kernelspec remove -y python3 && ")


def test_a_probe_that_hangs_is_stopped(tmp_path):
    python = stub_python(tmp_path, "sleep 10")
    ok, why = d.probe_python(str(python), ["course_lib"], timeout=0.5)
    assert not ok and "did not finish in 0.5 s" in why


# -- 5. notebooks, and the report -------------------------------------------------------------


def test_missing_notebooks_folder_is_fixed_by_make_notebooks(ctx, tmp_path):
    (tmp_path / "solutions").mkdir()
    (tmp_path / "solutions" / "00_welcome.ipynb").write_text("{}")
    (tmp_path / "solutions" / "01_empty.ipynb").write_text("{}")
    assert d.course_roots(tmp_path, tmp_path / "solutions") == [tmp_path]
    r = d.check_notebooks(tmp_path, ctx)
    assert r == Result(
        PROBLEM, "notebooks/ is missing (the learner copies of solutions/)", "make notebooks"
    )
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "00_welcome.ipynb").write_text("{}")
    r = d.check_notebooks(tmp_path, ctx)
    assert r.status == PROBLEM and "lacks 1 of the 2 notebooks: 01_empty.ipynb" in r.text
    assert r.fix == "make notebooks"
    (tmp_path / "notebooks" / "01_empty.ipynb").write_text("{}")
    assert d.check_notebooks(tmp_path, ctx).status == OK


def test_report_counts_checks_and_problems_and_shows_fixes():
    results = [Result(OK, "a"), Result(INFO, "b"), Result(PROBLEM, "c", "do x")]
    assert d.format_report(results).splitlines() == [
        "Torch, Unboxed doctor",
        "ok       a",
        "info     b",
        "problem  c",
        "         fix: do x",
        "1 problem found (of 2 checks).",
    ]
    assert d.format_report(results[:2]).endswith("All 1 checks passed.")


# -- end to end -------------------------------------------------------------------------------


def run_doctor(**env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "course_lib", "doctor"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.notebooks  # runs `python -m course_lib doctor`, which starts a kernel's Python
def test_this_venv_passes():
    done = run_doctor()
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("Torch, Unboxed doctor\n")
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith("All ") and last.endswith(" checks passed."), done.stdout
    assert "problem" not in done.stdout


@pytest.mark.notebooks  # runs `python -m course_lib doctor`, which starts a kernel's Python
def test_a_disabled_widget_frontend_fails_with_the_enable_fix(tmp_path):
    config, data = tmp_path / "config", tmp_path / "data"
    page_config(config, {EXT: True})
    data.mkdir()
    done = run_doctor(JUPYTER_CONFIG_DIR=str(config), JUPYTER_PATH=str(data))
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"problem  widget frontend {EXT} " in done.stdout and "is disabled" in done.stdout
    python = d._command_name(sys.executable, ROOT)  # .venv/bin/python
    assert f"fix: {python} -m jupyter labextension enable --level=user {EXT}\n" in done.stdout
    assert re.search(r"\n1 problem found \(of \d+ checks\)\.$", done.stdout.strip())


@pytest.mark.notebooks  # runs `python -m course_lib doctor`, which starts a kernel's Python
def test_the_command_line_lists_doctor():
    done = subprocess.run(
        [sys.executable, "-m", "course_lib", "--help"], capture_output=True, text=True, cwd=ROOT
    )
    assert "doctor" in done.stdout
