"""Start JupyterLab exactly as `make lab` does, on a folder of our choosing, for tests.

    with LabServer(folder) as lab:          # runs `python -m course_lib lab --dir folder ...`
        lab.url("lab/tree/00_welcome.ipynb")
        lab.get("api/status")              # (status code, body); with the token
        lab.get("api/contents", token=None)  # ... and without it

The server runs the command `make lab` runs (`lab_command`; tests/test_lab_security.py checks
that the Makefile's recipe is this command), from the running interpreter, so no test installs
anything and the security tests check what learners run. No browser is opened (`BROWSER=true`:
Python's webbrowser runs `true URL`). It gets its own settings, workspaces and config folders
(inside `home`):
the course's tests never read or change the user's JupyterLab settings, and JupyterLab's news toast
is turned off (it would cover part of the page). Always serve a temporary copy of notebooks:
JupyterLab autosaves.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def lab_command(python: str, port, token: str, folder) -> list[str]:
    """The command line of `make lab PORT=port TOKEN=token LAB_DIR=folder` with `python`."""
    return [
        python,
        "-m",
        "course_lib",
        "lab",
        "--port",
        str(port),
        "--token",
        token,
        "--dir",
        str(folder),
    ]


# JupyterLab settings for the test server: no news toast (it covers part of the page), and every
# cell kept in the page (by default cells far off screen may be left out of the DOM).
SETTINGS = {
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LabServer:
    def __init__(self, folder: Path, token: str | None = None, startup_timeout: float = 90):
        self.folder = Path(folder)
        # token="" runs `make lab TOKEN=`: the Makefile makes one up; we read it from its output.
        self.token = secrets.token_hex(16) if token is None else token
        self.port = free_port()
        self.startup_timeout = startup_timeout
        self.process: subprocess.Popen | None = None
        self._home = tempfile.TemporaryDirectory(prefix="torch-unboxed-lab-")
        self.home = Path(self._home.name)
        self.log_path = self.home / "server.log"

    # --- lifecycle --------------------------------------------------------------------------

    def __enter__(self) -> LabServer:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def _env(self) -> dict[str, str]:
        env = dict(os.environ, BROWSER="true")
        settings = self.home / "settings"
        for plugin, values in SETTINGS.items():
            path = settings / f"{plugin}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        env["JUPYTERLAB_SETTINGS_DIR"] = str(settings)
        env["JUPYTERLAB_WORKSPACES_DIR"] = str(self.home / "workspaces")
        env["JUPYTER_CONFIG_DIR"] = str(self.home / "config")
        env["JUPYTER_RUNTIME_DIR"] = str(self.home / "runtime")
        return env

    def start(self) -> None:
        command = lab_command(sys.executable, self.port, self.token, self.folder)
        self.command = command
        self._log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self._env(),
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stop() ends JupyterLab and kernels
        )
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"`{' '.join(command)}` exited early:\n{self.log(4000)}")
            if not self.token:
                printed = re.search(r"/lab\S*\?token=([\w-]+)", self.log())
                self.token = printed.group(1) if printed else ""
            try:
                if self.token and self.get("api/status")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(
            f"JupyterLab did not answer in {self.startup_timeout} s:\n{self.log(4000)}"
        )

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if hasattr(self, "_log"):
            self._log.close()
        self._home.cleanup()

    def log(self, tail: int | None = None) -> str:
        """What the server printed so far (its last `tail` characters)."""
        try:
            return self.log_path.read_text(errors="replace")[-tail if tail else 0 :]
        except OSError:
            return ""

    # --- talking to it ----------------------------------------------------------------------

    def url(self, path: str = "lab", token: bool = True) -> str:
        url = f"http://127.0.0.1:{self.port}/{path}"
        return f"{url}{'&' if '?' in url else '?'}token={self.token}" if token else url

    def get(self, path: str, token: str | None | bool = True) -> tuple[int, bytes]:
        """GET path; token=True sends ours in the Authorization header, None sends none."""
        headers = {}
        if token is True:
            headers["Authorization"] = f"token {self.token}"
        elif token:
            headers["Authorization"] = f"token {token}"
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}/{path}", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def jupyterlab_argv(self) -> list[str]:
        """The command line of the running JupyterLab process (read from /proc)."""
        for child in _descendants(self.process.pid):
            try:
                argv = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            argv = [a.decode() for a in argv if a]
            if "jupyterlab" in argv[1:3]:
                return argv
        raise RuntimeError("no JupyterLab process found")


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        found.append(parent)
        try:
            children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
        except OSError:
            continue
        todo += [int(c) for c in children]
    return found
