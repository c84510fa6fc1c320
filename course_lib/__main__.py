"""`python -m course_lib <command>`: the course's command line.

notebooks [--force] [--check]   write notebooks/ from solutions/ (never overwriting your work)
progress [folder]               which exercises are done, failing or not started
doctor                          is this environment set up for the course? (and how to fix it)
lab [--port P] [--token T] [--dir D]   JupyterLab on the course, on 127.0.0.1 with a token
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    commands = {
        "notebooks": "course_lib.course.build",
        "progress": "course_lib.course.progress",
        "doctor": "course_lib.course.doctor",
        "lab": "course_lib.course.lab",
    }
    if not argv or argv[0] not in commands:
        print(__doc__.strip())
        return 0 if argv and argv[0] in ("-h", "--help") else 2
    import importlib

    return importlib.import_module(commands[argv[0]]).main(argv[1:])


if __name__ == "__main__":
    raise SystemExit(main())
