"""The project's setup files agree with each other: environment.yml (conda) lists the same
runtime, course and test packages as pyproject.toml, with the same version bounds, and pins
Python 3.11."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet

ROOT = Path(__file__).resolve().parents[1]

# pip name -> conda-forge name, where they differ.
CONDA_NAMES = {"torch": "pytorch"}
# Entries of environment.yml that are not packages from pyproject.toml.
CONDA_ONLY = {"python", "pip"}


def normalize(name: str) -> str:
    """PEP 503-style name normalisation: lowercase, runs of -_. become a single -."""
    return re.sub(r"[-_.]+", "-", name).lower()


def split_conda_spec(entry: str) -> tuple[str, str]:
    """'numpy>=2.1' -> ('numpy', '>=2.1'); 'python=3.11' -> ('python', '=3.11')."""
    m = re.fullmatch(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(.*?)\s*", entry)
    if not m:
        raise ValueError(f"cannot parse conda dependency {entry!r}")
    return normalize(m.group(1)), m.group(2).replace(" ", "")


def parse_environment_yml(text: str) -> dict:
    """Tiny parser for the parts of environment.yml we use (no PyYAML needed).

    Returns {"name", "channels", "conda": {name: spec}, "pip": [entries],
    "commented": {name: spec}} where "commented" holds `# - pkg=ver` lines in dependencies.
    """
    result: dict = {"name": None, "channels": [], "conda": {}, "pip": [], "commented": {}}
    section = None
    in_pip = False
    for raw in text.splitlines():
        if not raw.strip():
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        stripped = raw.strip()
        if stripped.startswith("#"):
            m = re.fullmatch(r"#\s*-\s*(\S+)", stripped)
            if section == "dependencies" and m:
                name, spec = split_conda_spec(m.group(1))
                result["commented"][name] = spec
            continue
        line = re.sub(r"\s+#.*$", "", stripped)
        if indent == 0:
            key, _, value = line.partition(":")
            section, in_pip = key.strip(), False
            if section == "name":
                result["name"] = value.strip()
            continue
        if not line.startswith("- "):
            raise ValueError(f"unexpected line in environment.yml: {raw!r}")
        item = line[2:].strip()
        if section == "channels":
            result["channels"].append(item)
        elif section == "dependencies":
            if item == "pip:":
                in_pip = True
            elif in_pip and indent > 2:
                result["pip"].append(item)
            else:
                in_pip = False
                name, spec = split_conda_spec(item)
                if name in result["conda"]:
                    raise ValueError(f"{name} listed twice in environment.yml")
                result["conda"][name] = spec
    return result


def pyproject_requirements(pyproject: dict, extras: list[str]) -> dict[str, str]:
    """{conda-style name: specifier string} for runtime deps plus the given extras."""
    reqs = list(pyproject["project"]["dependencies"])
    for extra in extras:
        reqs += pyproject["project"]["optional-dependencies"][extra]
    out = {}
    for r in map(Requirement, reqs):
        name = normalize(r.name)
        out[CONDA_NAMES.get(name, name)] = str(r.specifier)
    return out


def compare_deps(pip_deps: dict[str, str], conda_deps: dict[str, str]) -> list[str]:
    """Problems between pyproject deps and environment.yml deps; empty list if they agree.

    Every pip dep must be in conda with an equivalent version specifier, and conda may list
    nothing else except python and pip.
    """
    problems = []
    for name, spec in sorted(pip_deps.items()):
        if name not in conda_deps:
            problems.append(f"{name}: in pyproject.toml but missing from environment.yml")
            continue
        try:
            conda_spec = SpecifierSet(conda_deps[name])
        except InvalidSpecifier:
            problems.append(f"{name}: unsupported conda spec {conda_deps[name]!r}")
            continue
        if conda_spec != SpecifierSet(spec):
            problems.append(
                f"{name}: version {spec!r} in pyproject.toml but {conda_deps[name]!r} "
                "in environment.yml"
            )
    for name in sorted(set(conda_deps) - set(pip_deps) - CONDA_ONLY):
        problems.append(f"{name}: in environment.yml but not in pyproject.toml")
    return problems


@pytest.fixture(scope="module")
def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


@pytest.fixture(scope="module")
def env() -> dict:
    return parse_environment_yml((ROOT / "environment.yml").read_text())


def test_environment_yml_basics(env):
    assert env["name"] == "torch-unboxed"
    assert env["channels"] == ["conda-forge"]
    assert env["conda"].get("python") == "=3.11"


def test_environment_yml_matches_pyproject(pyproject, env):
    problems = compare_deps(pyproject_requirements(pyproject, ["course", "test"]), env["conda"])
    assert problems == []


def test_environment_yml_pip_section_only_installs_the_project(env):
    assert env["pip"] == ["-e ."]


def test_parity_extra_matches_commented_pytorch(pyproject, env):
    parity = [Requirement(r) for r in pyproject["project"]["optional-dependencies"]["parity"]]
    assert [(r.name, str(r.specifier)) for r in parity] == [("torch", "==2.13.0")]
    assert "pytorch" not in env["conda"], "torch must stay optional in environment.yml"
    assert env["commented"].get("pytorch") == "=2.13.0"


def test_compare_deps_reports_problems():
    pip = {"numpy": ">=2.1", "pytest": ">=8.0"}
    assert (
        compare_deps(pip, {"python": "=3.11", "pip": "", "numpy": ">=2.1", "pytest": ">=8"}) == []
    )
    problems = compare_deps(pip, {"numpy": ">=2.0", "scipy": "", "python": "=3.11"})
    assert len(problems) == 3
    assert any("pytest" in p and "missing" in p for p in problems)
    assert any("numpy" in p and "version" in p for p in problems)
    assert any("scipy" in p and "not in pyproject" in p for p in problems)
    assert compare_deps({"numpy": ">=2.1"}, {"numpy": "2.1.*|>=3"}) != []


def test_parse_environment_yml():
    text = (
        "name: x\nchannels:\n  - conda-forge\ndependencies:\n  - python=3.11\n"
        "  - Some_Pkg >=1.0  # comment\n  # - pytorch=2.13.0\n  - pip:\n      - -e .\n"
    )
    env = parse_environment_yml(text)
    assert env["conda"] == {"python": "=3.11", "some-pkg": ">=1.0"}
    assert env["pip"] == ["-e ."]
    assert env["commented"] == {"pytorch": "=2.13.0"}


# --- make lab ---------------------------------------------------------------------------------
