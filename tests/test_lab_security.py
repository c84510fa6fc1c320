"""`make lab` serves the course safely: run for real (its command, a temporary folder), JupyterLab
answers only on 127.0.0.1, only with the token, and its command line never disables either; it
opens the course on notebook 00.

A Jupyter server runs code for whoever holds the token, so a learner's `make lab` on a shared
network must not be reachable from another machine, nor usable without the token.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import socket
import subprocess
import urllib.request
from pathlib import Path

import pytest
from lab_server import ROOT, LabServer, lab_command

pytestmark = pytest.mark.notebooks

# Command-line options that would open the server up. Checked on the running process.
UNSAFE = [
    r"--ServerApp\.ip=(?!127\.0\.0\.1$)",
    r"--ip=",
    r"--IdentityProvider\.token=$",
    r"--ServerApp\.token=",
    r"--NotebookApp\.token=",
    r"--ServerApp\.password",
    r"--ServerApp\.allow_remote_access",
    r"--ServerApp\.disable_check_xsrf",
    r"--ServerApp\.allow_origin",
    r"--no-token",
]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    folder = tmp_path_factory.mktemp("served")
    shutil.copy(ROOT / "notebooks" / "00_welcome.ipynb", folder)
    with LabServer(folder) as server:
        yield server


@pytest.mark.parametrize(
    "path", ["api/contents", "api/kernels", "api/sessions", "api/contents/00_welcome.ipynb"]
)
def test_api_refuses_requests_without_the_token(lab, path):
    assert lab.get(path)[0] == 200
    assert lab.get(path, token=None)[0] == 403
    assert lab.get(path, token="not-the-token")[0] == 403


def test_starting_a_kernel_without_the_token_is_refused(lab):
    request = urllib.request.Request(lab.url("api/kernels", token=False), data=b"{}", method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403
    kernels = lab.get("api/kernels")[1]
    assert kernels.strip() == b"[]", "a kernel was started without the token"


def test_the_lab_page_without_the_token_asks_for_it(lab):
    request = urllib.request.Request(lab.url("lab", token=False))
    with urllib.request.urlopen(request, timeout=10) as response:  # follows the redirect
        assert "/login" in response.url
        assert b"token" in response.read().lower()


@pytest.mark.skipif(shutil.which("make") is None, reason="GNU make not installed")
def test_make_lab_runs_the_command_these_tests_start():
    # Variables a parent `make` (e.g. `make test VENV=...`) would pass down to this one.
    drop = {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "TOKEN", "VENV", "PORT", "LAB_DIR"}
    printed = subprocess.run(
        ["make", "-n", "--no-print-directory", "lab", "PORT=9999", "TOKEN=abc", "LAB_DIR=a b"],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k not in drop},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert shlex.split(printed.strip().splitlines()[-1]) == lab_command(
        ".venv/bin/python", 9999, "abc", "a b"
    )


def test_the_course_opens_on_notebook_00(lab):
    assert f"/lab/tree/00_welcome.ipynb?token={lab.token}" in lab.log()
    request = urllib.request.Request(lab.url("", token=True))
    with urllib.request.urlopen(request, timeout=10) as response:  # follows the redirect
        assert response.url.split("?")[0].endswith("/lab/tree/00_welcome.ipynb")


def test_make_lab_command_line_keeps_token_and_localhost(lab):
    argv = lab.jupyterlab_argv()
    assert "--ServerApp.ip=127.0.0.1" in argv
    assert f"--IdentityProvider.token={lab.token}" in argv
    unsafe = [a for a in argv for pattern in UNSAFE if re.match(pattern, a)]
    assert unsafe == [], f"make lab passes {unsafe}"


def _listening(port: int) -> list[str]:
    """Local addresses listening on `port`, from /proc/net/tcp and tcp6 (state 0A = LISTEN)."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, port_hex = local.split(":")
            if state == "0A" and int(port_hex, 16) == port:
                found.append(address)
    return found


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="needs Linux's /proc/net/tcp")
def test_listens_on_loopback_only(lab):
    # 0100007F is 127.0.0.1 as /proc/net/tcp writes it (little-endian hex).
    assert _listening(lab.port) == ["0100007F"]


def _own_addresses() -> set[str]:
    """This machine's IPv4 addresses: its hostname's, and the one it would send from."""
    addresses = set()
    try:
        addresses |= {
            a[4][0] for a in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
        }
    except socket.gaierror:
        pass
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("198.51.100.1", 9))  # UDP connect picks a route; nothing is sent
            addresses.add(probe.getsockname()[0])
        except OSError:
            pass
    return addresses


def test_not_reachable_on_other_addresses(lab):
    addresses = _own_addresses()
    others = sorted(a for a in addresses if not a.startswith("127."))
    if not others:
        pytest.skip("this machine has no IPv4 address besides loopback")
    for address in others:
        with pytest.raises(OSError):
            socket.create_connection((address, lab.port), timeout=3).close()


def test_make_lab_without_a_token_generates_one(tmp_path):
    """`make lab` with TOKEN empty: a random token, printed in the URL, and required."""
    with LabServer(tmp_path, token="") as server:
        printed = re.search(r"/lab\S*\?token=([\w-]+)", server.log())
        assert printed, server.log()
        token = printed.group(1)
        assert len(token) >= 24
        assert f"--IdentityProvider.token={token}" in server.jupyterlab_argv()
        assert server.get("api/contents", token=token)[0] == 200
        assert server.get("api/contents", token=None)[0] == 403
