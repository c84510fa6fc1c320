"""`python -m course_lib lab`: JupyterLab on the course, safely (what `make lab` runs).

    python -m course_lib lab [--port 8888] [--token TOKEN] [--dir notebooks]

A Jupyter server runs code for whoever holds its token, so this one listens on 127.0.0.1 only and
always has a token: the one given, or a random one when it is empty. It prints the address of
notebook 00 with the token and opens the course there (JupyterLab opens the browser, when the
machine has one), so the first thing a learner sees is the course, not the Launcher.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from pathlib import Path

FIRST_NOTEBOOK = "00_welcome.ipynb"


def jupyterlab_argv(port: int, token: str, folder: Path) -> list[str]:
    """The JupyterLab command line: loopback only, this token, `folder` as its root."""
    argv = [sys.executable, "-m", "jupyterlab", "--ServerApp.ip=127.0.0.1"]
    argv += [f"--ServerApp.port={port}", "--ServerApp.port_retries=0"]
    argv += [f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={folder}"]
    if (folder / FIRST_NOTEBOOK).is_file():
        argv.append(f"--LabApp.default_url=/lab/tree/{FIRST_NOTEBOOK}")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        argv.append("--allow-root")  # Jupyter refuses to run as root unless told it may
    return argv


def start_url(port: int, token: str, folder: Path) -> str:
    page = f"lab/tree/{FIRST_NOTEBOOK}" if (folder / FIRST_NOTEBOOK).is_file() else "lab"
    return f"http://127.0.0.1:{port}/{page}?token={token}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course_lib lab", description=__doc__)
    parser.add_argument("--port", type=int, default=8888)
    parser.add_argument("--token", default="", help="empty: a random one")
    parser.add_argument("--dir", type=Path, default=Path("notebooks"), help="the folder to serve")
    args = parser.parse_args(argv)
    token = args.token or secrets.token_urlsafe(24)
    folder = args.dir.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nTorch, Unboxed: open {start_url(args.port, token, folder)}\n", flush=True)
    command = jupyterlab_argv(args.port, token, folder)
    os.execv(command[0], command)
    return 0  # not reached: JupyterLab replaced this process
