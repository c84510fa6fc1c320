"""Is this environment set up for the course? One line per check, and the command that fixes it.

    python -m course_lib doctor                                   # or: make doctor

Run it when the course misbehaves: a slider shows as raw text (`IntSlider(value=3)`), a notebook
says `ModuleNotFoundError: No module named 'course_lib'`, a check cell fails for no reason. It
checks, in a second or so and without starting JupyterLab or a kernel,
    - the Python version against the project's `requires-python`;
    - every requirement of `torch-unboxed`: NumPy and the `course` extra (matplotlib, ipywidgets,
      JupyterLab) are needed; its extras `test`, `parity`, `browser` are optional (absent is only a
      note, a wrong version of one that is installed is a problem);
    - the widget frontend `@jupyter-widgets/jupyterlab-manager`: installed where JupyterLab looks
      for it, not disabled, and from a jupyterlab_widgets that matches ipywidgets;
    - the `python3` kernel the notebooks run on: this Python, or one that can import course_lib;
    - in a course checkout, that `notebooks/` holds a copy of every notebook in `solutions/`.

Exit status: 0 when every check passes (notes do not count), 1 when one or more found a problem.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from course_lib.course import course_notebooks

OK, PROBLEM, INFO = "ok", "problem", "info"
DIST = "torch-unboxed"
# pyproject.toml's requires-python, used only when torch-unboxed is not installed (tests compare).
REQUIRES_PYTHON = ">=3.11"
EXTRAS = ("course", "test", "parity", "browser")
# The extras the course cannot run without (`import course_lib` alone needs only NumPy).
REQUIRED_EXTRAS = ("course",)
EXTENSION = "@jupyter-widgets/jupyterlab-manager"
# ipywidgets major version -> the jupyterlab_widgets major version that ships its frontend.
WIDGETS_FRONTEND = {7: 1, 8: 3}
KERNEL = "python3"
PROBE_TIMEOUT = 20.0


@dataclass
class Result:
    """One line of the report: `status` is OK, PROBLEM or INFO; `fix` is a command (problems)."""

    status: str
    text: str
    fix: str = ""


@dataclass
class Context:
    """How to spell a fix here: this interpreter, and the checkout (with its Makefile) if any."""

    python: str = "python"  # this interpreter, as a command typed in `cwd`
    root: Path | None = None  # the checkout course_lib comes from (pyproject.toml beside it)
    cwd: Path = field(default_factory=Path.cwd)

    def show(self, path) -> str:
        """`path` relative to `cwd` when it is inside it, else as it is."""
        try:
            return str(Path(os.path.abspath(path)).relative_to(os.path.abspath(self.cwd)))
        except ValueError:
            return str(path)

    def make(self, target: str) -> str | None:
        """`make TARGET` (with -C when the checkout is elsewhere), or None without a Makefile."""
        if self.root is None or not (self.root / "Makefile").is_file():
            return None
        here = _same_dir(self.root, self.cwd)
        return f"make {target}" if here else f"make -C {_quote(self.root)} {target}"

    def pip_editable(self, extras: str = "") -> str:
        """`python -m pip install -e '.[extras]'` for the checkout (else by the project's name)."""
        extras = f"[{extras}]" if extras else ""
        if self.root is None:
            return f"{self.python} -m pip install {shlex.quote(DIST + extras)}"
        where = "." if _same_dir(self.root, self.cwd) else str(self.root)
        return f"{self.python} -m pip install -e {shlex.quote(where + extras)}"

    def either(self, target: str, extras: str) -> str:
        """`make TARGET   (or: pip install -e '.[extras]')`, or the pip command alone."""
        make = self.make(target)
        pip = self.pip_editable(extras)
        return f"{make}   (or: {pip})" if make else pip


def _same_dir(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _quote(path: Path | str) -> str:
    return shlex.quote(str(path))


def _specifier_text(specifier) -> str:
    """'>=0.17.6,<0.18' (lower bounds first), not packaging's alphabetical '<0.18,>=0.17.6'."""
    parts = sorted(specifier, key=lambda s: (not s.operator.startswith(">"), str(s)))
    return ",".join(str(s) for s in parts) or "any version"


def _satisfies(version: str, specifier) -> bool:
    from packaging.version import InvalidVersion, Version

    try:
        return specifier.contains(Version(version), prereleases=True)
    except InvalidVersion:
        return False


def _major(version: str | None) -> int | None:
    try:
        return int(str(version).split(".")[0])
    except ValueError:
        return None


# -- 1. Python -------------------------------------------------------------------------------------


def check_python(version: tuple, executable: str, requires: str, ctx: Context) -> Result:
    """This interpreter's version against `requires` (the project's requires-python, '>=3.11')."""
    from packaging.specifiers import SpecifierSet

    text = ".".join(str(v) for v in version[:3])
    where = executable or "unknown path"
    spec = SpecifierSet(requires)
    if _satisfies(text, spec):
        return Result(OK, f"Python {text} ({where})")
    wanted = next((s.version for s in spec if s.operator in (">=", "~=", "==")), None)
    name = f"Python {wanted}" if wanted else f"a Python {_specifier_text(spec)}"
    if ctx.make("install"):  # the Makefile creates .venv with python3.11 when there is one
        fix = f"install {name}, then: {ctx.make('distclean')} && {ctx.make('install')}"
    else:
        fix = f"install {name}, then install the course with it"
    return Result(
        PROBLEM,
        f"Python {text} ({where}) is too old: the course needs {_specifier_text(spec)}",
        fix,
    )


# -- 2. requirements -------------------------------------------------------------------------------


def _group(requirement, extras) -> str | None:
    """'' for a runtime requirement, the extra's name for an optional one, None if not for here."""
    marker = requirement.marker
    if marker is None or marker.evaluate({"extra": ""}):
        return ""
    return next((e for e in extras if marker.evaluate({"extra": e})), None)


def check_requirements(requires, version_of, ctx: Context, extras=EXTRAS) -> list[Result]:
    """One result per requirement in `requires` (strings like 'numpy>=2.1; extra == "test"').

    `version_of(name)` gives the installed version of a distribution, or None when it is absent.
    """
    from packaging.requirements import Requirement

    results = []
    for line in requires:
        req = Requirement(line)
        group = _group(req, extras)
        if group is None:
            continue
        needs = _specifier_text(req.specifier)
        what = f"{group} extra, needs {needs}" if group else f"needs {needs}"
        if group == "parity":
            fix = ctx.either("parity", "test,parity")
        elif group == "browser":  # `make test-browser` installs it once, then keeps its stamp
            fix = ctx.pip_editable("test,browser")
        else:
            # `make install` alone does nothing once .venv/.installed is newer than pyproject.toml.
            fix = ctx.either("-B install", "course,test")
        version = version_of(req.name)
        if version is None and group and group not in REQUIRED_EXTRAS:
            how = {"parity": ctx.make("parity"), "browser": ctx.make("test-browser")}.get(
                group, ctx.make("-B install")
            ) or fix
            results.append(
                Result(INFO, f"{req.name} not installed ({what}; optional: `{how}` adds it)")
            )
        elif version is None:
            results.append(Result(PROBLEM, f"{req.name} not installed ({what})", fix))
        elif not _satisfies(version, req.specifier):
            who = f"the {group} extra" if group else "the course"
            text = f"{req.name} {version} installed, but {who} needs {needs}"
            results.append(Result(PROBLEM, text, fix))
        else:
            results.append(Result(OK, f"{req.name} {version} ({what})"))
    return results


def check_distribution(version: str | None, package_dir: Path, ctx: Context) -> Result:
    """Is `torch-unboxed` installed, or is course_lib only found because it is on sys.path?"""
    if version is None:
        return Result(
            PROBLEM,
            f"{DIST} is not installed: course_lib is imported from {package_dir} only because "
            "it is on sys.path (notebooks in other folders will not find it)",
            ctx.pip_editable(),
        )
    return Result(OK, f"course_lib imported from {package_dir} ({DIST} {version})")


def _installed_version(name: str) -> str | None:
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _requires_from_pyproject(root: Path | None) -> list[str]:
    """The project's requirements read from pyproject.toml, when torch-unboxed is not installed."""
    if root is None or not (root / "pyproject.toml").is_file():
        return []
    import tomllib

    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requires = list(project.get("dependencies", []))
    for extra, lines in project.get("optional-dependencies", {}).items():
        requires += [f'{line}; extra == "{extra}"' for line in lines]
    return requires


# -- 3. the widget frontend ------------------------------------------------------------------------


def find_labextension(name: str, dirs) -> tuple[Path, str] | None:
    """(folder, version) of the first `name` in labextensions `dirs`: the one JupyterLab loads."""
    for d in dirs:
        package = Path(d, *name.split("/"), "package.json")
        if package.is_file():
            try:
                version = json.loads(package.read_text(encoding="utf-8")).get("version", "?")
            except (OSError, ValueError):
                version = "?"
            return package.parent, str(version)
    return None


def _page_config_files(config_dirs, app_settings_dir=None) -> list[Path]:
    """The files that can set `disabledExtensions`, lowest priority first (JupyterLab's order).

    The app settings folder comes first; then each `labconfig` folder of the Jupyter config path,
    last to first, its `page_config.d/*.json` before its `page_config.json`.
    """
    files = []
    if app_settings_dir is not None:
        files.append(Path(app_settings_dir, "page_config.json"))
    for d in reversed(list(config_dirs)):
        labconfig = Path(d, "labconfig")
        files += sorted(labconfig.glob("page_config.d/*.json")) + [labconfig / "page_config.json"]
    return files


def disabled_entries(name: str, config_dirs, app_settings_dir=None) -> dict[str, Path]:
    """The `disabledExtensions` entries that disable `name` (or one of its plugins `name:...`).

    Maps each entry to the file whose setting wins for it (the highest-priority one).
    """
    winners: dict[str, Path] = {}
    for path in _page_config_files(config_dirs, app_settings_dir):
        try:
            if not path.is_file() or not path.stat().st_size:
                continue
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        disabled = data.get("disabledExtensions") if isinstance(data, dict) else None
        if isinstance(disabled, list):
            disabled = dict.fromkeys(disabled, True)
        if not isinstance(disabled, dict):
            continue
        for key, value in disabled.items():
            if key == name or key.startswith(name + ":"):
                if value:
                    winners[key] = path
                else:  # false (enabled) or null (setting removed)
                    winners.pop(key, None)
    return winners


def _enable_fix(key: str, path: Path, levels: dict, ctx: Context) -> str:
    """`jupyter labextension enable` at the level of the file that disables `key`, else an edit."""
    # <config dir>/labconfig/page_config.json or <config dir>/labconfig/page_config.d/<name>.json
    config_dir = path.parents[2] if path.parent.name == "page_config.d" else path.parents[1]
    level = next((lvl for d, lvl in levels.items() if _same_dir(config_dir, Path(d))), None)
    if level is None:
        return f'remove "{key}" from "disabledExtensions" in {path}'
    option = "" if level == "sys_prefix" else f" --level={level}"  # sys_prefix is the default
    return f"{ctx.python} -m jupyter labextension enable{option} {shlex.quote(key)}"


def check_widget_extension(
    labextension_dirs,
    config_dirs,
    ctx: Context,
    app_settings_dir=None,
    levels: dict | None = None,
    shipped: tuple[Path, str] | None = None,
    expected_major: int | None = None,
) -> Result:
    """Is `@jupyter-widgets/jupyterlab-manager` installed where JupyterLab looks, and enabled?

    `levels` maps Jupyter config folders to the `--level` that `jupyter labextension enable` writes
    to; `shipped` is (folder, version) of the copy jupyterlab_widgets installed, if known;
    `expected_major` the jupyterlab_widgets major version ipywidgets needs (for the fix).
    """
    reinstall = (
        f"jupyterlab_widgets=={expected_major}.*" if expected_major else "jupyterlab_widgets"
    )
    reinstall = f"{ctx.python} -m pip install --force-reinstall {shlex.quote(reinstall)}"
    found = find_labextension(EXTENSION, labextension_dirs)
    if found is None:
        searched = ", ".join(str(d) for d in labextension_dirs) or "no folders"
        return Result(
            PROBLEM,
            f"widget frontend {EXTENSION} not found (looked in {searched}): "
            "widgets show as raw text",
            reinstall,
        )
    folder, version = found
    if shipped is not None and not _same_dir(folder, shipped[0]):
        if _major(version) != _major(shipped[1]):
            return Result(
                PROBLEM,
                f"JupyterLab loads {EXTENSION} {version} from {folder}, which hides the "
                f"{shipped[1]} that jupyterlab_widgets installed in {shipped[0]}",
                f"rm -r {_quote(folder)}   (an old copy, found first)",
            )
    disabled = disabled_entries(EXTENSION, config_dirs, app_settings_dir)
    if disabled:
        fixes = [_enable_fix(k, p, levels or {}, ctx) for k, p in disabled.items()]
        where = "; ".join(f'"{k}" in {p}' for k, p in disabled.items())
        return Result(
            PROBLEM,
            f"widget frontend {EXTENSION} {version} is disabled ({where}): "
            "widgets show as raw text",
            " && ".join(fixes),
        )
    return Result(OK, f"widget frontend {EXTENSION} {version}, enabled ({ctx.show(folder)})")


def check_widget_versions(ipywidgets: str | None, jupyterlab_widgets: str | None, ctx: Context):
    """Is jupyterlab_widgets (frontend) of the major version ipywidgets (kernel side) needs?"""
    if ipywidgets is None:
        return Result(INFO, "ipywidgets not installed: widget versions not compared")
    expected = WIDGETS_FRONTEND.get(_major(ipywidgets))
    spec = f"jupyterlab_widgets=={expected}.*" if expected else "jupyterlab_widgets"
    fix = f"{ctx.python} -m pip install --force-reinstall {shlex.quote(spec)}"
    if jupyterlab_widgets is None:
        return Result(
            PROBLEM, f"jupyterlab_widgets not installed (ipywidgets {ipywidgets} needs it)", fix
        )
    if expected is None:
        return Result(
            INFO,
            f"jupyterlab_widgets {jupyterlab_widgets} with ipywidgets {ipywidgets}: "
            "no known pairing to compare",
        )
    if _major(jupyterlab_widgets) != expected:
        return Result(
            PROBLEM,
            f"jupyterlab_widgets {jupyterlab_widgets} does not match ipywidgets {ipywidgets} "
            f"(ipywidgets {_major(ipywidgets)} needs jupyterlab_widgets {expected}.x)",
            fix,
        )
    return Result(OK, f"jupyterlab_widgets {jupyterlab_widgets} matches ipywidgets {ipywidgets}")


def _shipped_extension() -> tuple[Path, str] | None:
    """(folder, version) of the frontend that the installed jupyterlab_widgets put on disk."""
    from importlib import metadata

    try:
        dist = metadata.distribution("jupyterlab_widgets")
    except metadata.PackageNotFoundError:
        return None
    for f in dist.files or []:
        if str(f).replace("\\", "/").endswith(EXTENSION + "/package.json"):
            labextensions = Path(dist.locate_file(f)).parents[2]
            return find_labextension(EXTENSION, [labextensions])
    return None


# -- 4. the kernel ---------------------------------------------------------------------------------


def probe_python(python: str, modules, timeout: float = PROBE_TIMEOUT) -> tuple[bool, str]:
    """Run `python -c 'import ...'` in a neutral folder: (True, course_lib path) or (False, why)."""
    code = f"import {', '.join(modules)}; print(course_lib.__file__)"
    try:
        done = subprocess.run(
            [python, "-c", code],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=tempfile.gettempdir(),  # not the checkout: the kernel runs in notebooks/
        )
    except subprocess.TimeoutExpired:
        return False, f"it did not finish in {timeout:g} s"
    except OSError as e:
        return False, f"it could not be run ({e.strerror or e})"
    if done.returncode != 0:
        lines = [line for line in (done.stderr or done.stdout).splitlines() if line.strip()]
        return False, lines[-1].strip() if lines else f"exit status {done.returncode}"
    lines = done.stdout.strip().splitlines()
    return True, lines[-1] if lines else ""


def _same_python(a: str, b: str) -> bool:
    """Same environment: same folder and same file (a venv's python is a link to another one)."""
    try:
        pa, pb = Path(os.path.abspath(a)), Path(os.path.abspath(b))
        return pa.parent == pb.parent and os.path.samefile(pa, pb)
    except OSError:
        return False


def kernel_fix(resource_dir, kernel_dirs, ctx: Context, user_dir=None, env_dir=None) -> str:
    """The command that puts this Python's kernelspec where Jupyter finds it before `resource_dir`.

    `kernel_dirs` is Jupyter's search order (the first `python3` found wins); `env_dir` and
    `user_dir` are where `ipykernel install --sys-prefix` and `--user` write.
    """
    env_dir = (
        os.path.join(sys.prefix, "share", "jupyter", "kernels") if env_dir is None else env_dir
    )
    dirs = [Path(d) for d in kernel_dirs]
    found = next(
        (i for i, d in enumerate(dirs) if resource_dir and _same_dir(d, Path(resource_dir).parent)),
        None,
    )
    for option, target in (("--sys-prefix", env_dir), ("--user", user_dir)):
        if target is None:
            continue
        at = next((i for i, d in enumerate(dirs) if _same_dir(d, Path(target))), None)
        if found is None or (at is not None and at <= found):
            return f"{ctx.python} -m ipykernel install {option}"
    # The wrong spec sits in a folder searched first (JUPYTER_PATH): remove it, then install ours.
    return (
        f"{ctx.python} -m jupyter kernelspec remove -y {KERNEL} && "
        f"{ctx.python} -m ipykernel install --sys-prefix"
    )


def check_kernel(
    argv,
    resource_dir,
    this_python: str,
    package_dir: Path,
    ctx: Context,
    fix: str | None = None,
    probe=probe_python,
) -> Result:
    """Does the `python3` kernelspec (its `argv` and folder) run a Python that imports course_lib?

    `fix` is the command that installs this Python's kernelspec (default: `kernel_fix` with no
    search path, i.e. `python -m ipykernel install --sys-prefix`).
    """
    fix = fix or kernel_fix(resource_dir, [], ctx)
    if not argv:
        return Result(PROBLEM, f"no Jupyter kernel named {KERNEL}: notebooks cannot run", fix)
    spec = f"kernel {KERNEL} ({ctx.show(resource_dir)})" if resource_dir else f"kernel {KERNEL}"
    command = argv[0]
    minor = f"python{sys.version_info[0]}.{sys.version_info[1]}"
    if command in ("python", f"python{sys.version_info[0]}", minor):
        # jupyter_client starts these with the Python that runs JupyterLab: this one.
        python = this_python
    elif os.sep in command or (os.altsep and os.altsep in command):
        python = command
    else:
        python = shutil.which(command) or command
    if not os.path.exists(python):
        return Result(PROBLEM, f"{spec} runs {command}, which does not exist", fix)
    modules = ["course_lib", "ipywidgets", "matplotlib"]
    if "ipykernel_launcher" in argv:
        modules.append("ipykernel")
    if _same_python(python, this_python):
        from importlib.util import find_spec

        # course_lib is the package running this check; the others must be importable here.
        missing = [m for m in modules if m != "course_lib" and find_spec(m) is None]
        if missing:
            return Result(
                PROBLEM,
                f"{spec} runs this Python, which lacks {', '.join(missing)}",
                ctx.either("-B install", "course,test"),
            )
        return Result(OK, f"{spec} runs this Python ({command})")
    ok, detail = probe(python, modules)
    if not ok:
        return Result(
            PROBLEM,
            f"{spec} runs another Python, {python}, which cannot import "
            f"{', '.join(modules)} ({detail})",
            fix,
        )
    theirs = Path(detail).resolve().parent if detail else None
    if theirs is not None and not _same_dir(theirs, package_dir):
        return Result(
            PROBLEM,
            f"{spec} runs another Python, {python}, which imports course_lib from {theirs}, "
            f"not {package_dir}",
            fix,
        )
    return Result(OK, f"{spec} runs {python}, which imports course_lib")


def check_jupyter_on_path(found: str | None, scripts_dir, ctx: Context) -> Result | None:
    """A note when `jupyter-lab` on PATH belongs to another environment (its kernels, its widgets).

    `found` is what `shutil.which("jupyter-lab")` gives; None (no note) when it is this one's.
    """
    if found is None or _same_dir(Path(found).parent, Path(scripts_dir)):
        return None
    start = ctx.make("lab") or f"{ctx.python} -m jupyterlab"
    return Result(
        INFO,
        f"`jupyter lab` on your PATH is {found}, from another environment: "
        f"start the course with `{start}`",
    )


# -- 5. the learner notebooks ----------------------------------------------------------------------


def course_roots(*candidates: Path) -> list[Path]:
    """The distinct folders among `candidates` holding a `solutions/` folder (course checkouts)."""
    roots: list[Path] = []
    for c in candidates:
        if (c / "solutions").is_dir() and not any(_same_dir(c, r) for r in roots):
            roots.append(c)
    return roots


def check_notebooks(root: Path, ctx: Context) -> Result:
    """Does `root/notebooks/` hold a learner copy of every notebook in `root/solutions/`?"""
    here = _same_dir(root, ctx.cwd)
    if (root / "Makefile").is_file():
        fix = "make notebooks" if here else f"make -C {_quote(root)} notebooks"
    else:
        fix = f"cd {_quote(root)} && {ctx.python} -m course_lib notebooks"
    notebooks = root / "notebooks"
    shown = "notebooks/" if here else f"{notebooks}/"
    if not notebooks.is_dir():
        return Result(PROBLEM, f"{shown} is missing (the learner copies of solutions/)", fix)
    wanted = [p.name for p in course_notebooks(root / "solutions")]
    missing = [n for n in wanted if not (notebooks / n).is_file()]
    if missing:
        names = ", ".join(missing[:3]) + (
            f" and {len(missing) - 3} more" if len(missing) > 3 else ""
        )
        return Result(
            PROBLEM, f"{shown} lacks {len(missing)} of the {len(wanted)} notebooks: {names}", fix
        )
    return Result(OK, f"{shown} has all {len(wanted)} course notebooks")


# -- running them ----------------------------------------------------------------------------------


def _command_name(executable: str, cwd: Path) -> str:
    """This interpreter as a command: relative to `cwd` when inside it (.venv/bin/python)."""
    if not executable:
        return "python"
    path = Path(os.path.abspath(executable))
    try:
        rel = path.relative_to(Path(os.path.abspath(cwd)))
    except ValueError:
        return _quote(path)
    return _quote(rel) if len(rel.parts) > 1 else _quote(f".{os.sep}{rel}")


def _guard(name: str, check, ctx: Context) -> list[Result]:
    """Run one check; a check that itself crashes is reported, and the others still run."""
    try:
        out = check()
    except Exception as e:
        # e.g. packaging or jupyter_core missing: reinstalling the course brings them back.
        fix = ctx.either("-B install", "course,test") if isinstance(e, ImportError) else ""
        return [Result(PROBLEM, f"the {name} check failed: {type(e).__name__}: {e}", fix)]
    return out if isinstance(out, list) else [out]


def run_checks(cwd: Path | None = None) -> list[Result]:
    """Every check, on this interpreter and the Jupyter setup it sees."""
    import course_lib

    cwd = Path.cwd() if cwd is None else cwd
    package_dir = Path(course_lib.__file__).resolve().parent
    root = package_dir.parent if (package_dir.parent / "pyproject.toml").is_file() else None
    ctx = Context(_command_name(sys.executable, cwd), root, cwd)
    version = _installed_version(DIST)

    def python():
        from importlib import metadata

        requires = metadata.metadata(DIST)["Requires-Python"] if version else None
        return check_python(sys.version_info, sys.executable, requires or REQUIRES_PYTHON, ctx)

    def requirements():
        from importlib import metadata

        requires = metadata.requires(DIST) if version else _requires_from_pyproject(root)
        return [
            check_distribution(version, package_dir, ctx),
            *check_requirements(requires or [], _installed_version, ctx),
        ]

    def extension():
        from jupyter_core import paths

        levels = {paths.jupyter_config_dir(): "user"}
        levels.update({d: "sys_prefix" for d in paths.ENV_CONFIG_PATH})
        levels.update({d: "system" for d in paths.SYSTEM_CONFIG_PATH})
        app_dir = os.environ.get("JUPYTERLAB_DIR") or os.path.join(
            sys.prefix, "share", "jupyter", "lab"
        )
        expected = WIDGETS_FRONTEND.get(_major(_installed_version("ipywidgets")))
        return check_widget_extension(
            paths.jupyter_path("labextensions"),
            paths.jupyter_config_path(),
            ctx,
            app_settings_dir=os.path.join(app_dir, "settings"),
            levels=levels,
            shipped=_shipped_extension(),
            expected_major=expected,
        )

    def widget_versions():
        return check_widget_versions(
            _installed_version("ipywidgets"), _installed_version("jupyterlab_widgets"), ctx
        )

    def kernel():
        from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

        manager = KernelSpecManager()
        try:
            spec = manager.get_kernel_spec(KERNEL)
        except NoSuchKernel:
            spec = None
        return check_kernel(
            spec.argv if spec else None,
            spec.resource_dir if spec else None,
            sys.executable,
            package_dir,
            ctx,
            fix=kernel_fix(
                spec.resource_dir if spec else None,
                manager.kernel_dirs,
                ctx,
                user_dir=manager.user_kernel_dir,
            ),
        )

    def jupyter_on_path():
        found = check_jupyter_on_path(shutil.which("jupyter-lab"), Path(sys.executable).parent, ctx)
        return [found] if found else []

    def notebooks():
        roots = course_roots(cwd, *([root] if root else []))
        return [check_notebooks(r, ctx) for r in roots] or [
            Result(INFO, "not in a course checkout (no solutions/ here): notebooks/ not checked")
        ]

    results = []
    for name, check in [
        ("Python", python),
        ("requirements", requirements),
        ("widget frontend", extension),
        ("widget versions", widget_versions),
        ("kernel", kernel),
        ("jupyter on PATH", jupyter_on_path),
        ("notebooks", notebooks),
    ]:
        results += _guard(name, check, ctx)
    return results


def format_report(results: list[Result]) -> str:
    """The report: a title, one line per result (and its fix), then the verdict."""
    lines = ["Torch, Unboxed doctor"]
    for r in results:
        lines.append(f"{r.status:<8} {r.text}")
        if r.fix:
            lines.append(f"{'':<8} fix: {r.fix}")
    problems = sum(r.status == PROBLEM for r in results)
    checks = sum(r.status != INFO for r in results)
    if problems:
        lines.append(f"{problems} problem{'s' if problems > 1 else ''} found (of {checks} checks).")
    else:
        lines.append(f"All {checks} checks passed.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    import argparse

    p = argparse.ArgumentParser(
        prog="python -m course_lib doctor",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.parse_args(argv)
    if hasattr(sys.stdout, "reconfigure"):  # a path may hold characters the console lacks
        sys.stdout.reconfigure(errors="replace")
    results = run_checks()
    print(format_report(results))
    return 1 if any(r.status == PROBLEM for r in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
