"""The command line, `python -m vilco_core <command> ...`: all that must run without the UI.

Each command lives in `vilco_core/commands/<name>.py` and exposes `register(subparsers)`, which adds
its parser and sets `handler(args) -> int`. A `VilcoError` becomes an English message on stderr
(the CLI is for staff and auditors) and exit code 2; nothing here is interactive.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from vilco_core import __version__
from vilco_core.errors import ValidationErrors, VilcoError
from vilco_core.i18n import translate_error

COMMAND_MODULES = (
    "demo",
    "processes",
    "users",
    "tally",
    "draw",
    "codes",
    "posters",
    "audit",
    "mix",
    "backup",
    "resources",
    "migrate",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m vilco_core", description=__doc__)
    parser.add_argument("--version", action="version", version=f"vilco {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"vilco_core.commands.{name}")
        except ModuleNotFoundError as exc:  # a command still being written on a branch
            if exc.name != f"vilco_core.commands.{name}":
                raise
            continue
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.handler(args)
    except ValidationErrors as errors:
        for problem in errors.problems:
            print(f"error: {translate_error(problem.code, problem.params, 'en')}", file=sys.stderr)
        return 2
    except VilcoError as error:
        print(f"error: {translate_error(error.code, error.params, 'en')}", file=sys.stderr)
        return 2
    return code


if __name__ == "__main__":
    sys.exit(main())
