"""Command-line screening (README 1): ``python -m eligibility.engine.cli FILE`` (``-`` = stdin).

Prints the assessment as one JSON document and exits 0. If the file is unreadable, the JSON
is malformed or the facts are invalid, prints nothing on stdout, one line per error on stderr
(``invalid facts: /plan/entry_date: '2026-13-01' is not a 'date'``) and exits 2. Never a
traceback. The Django ``screen`` management command calls ``run``.
"""

from __future__ import annotations

import json
import sys
from typing import TextIO

from . import InvalidFacts, screen

USAGE = "usage: screen FILE.json (use - for standard input)"
EXIT_OK, EXIT_INTERNAL, EXIT_INVALID = 0, 1, 2


class _Unreadable(Exception):
    """The facts could not be read or parsed; ``lines`` are the stderr lines."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__(lines)
        self.lines = lines


def run(argv: list[str], stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    """Screen the facts named by ``argv`` (one FILE, or ``-``); return the exit code."""
    if len(argv) != 1 or argv[0] in ("-h", "--help"):
        stream = stdout if argv and argv[0] in ("-h", "--help") else stderr
        stream.write(USAGE + "\n")
        return EXIT_OK if stream is stdout else EXIT_INVALID
    try:
        facts = _load(argv[0], stdin)
        assessment = screen(facts)
    except _Unreadable as problem:
        return _fail(stderr, problem.lines)
    except InvalidFacts as invalid:
        return _fail(stderr, [_error_line(error) for error in invalid.errors])
    except Exception as unexpected:
        stderr.write(f"internal error while screening: {type(unexpected).__name__}\n")
        return EXIT_INTERNAL
    stdout.write(json.dumps(assessment, ensure_ascii=False, indent=2) + "\n")
    return EXIT_OK


def _fail(stderr: TextIO, lines: list[str]) -> int:
    for line in lines:
        stderr.write(line + "\n")
    return EXIT_INVALID


def _error_line(error: dict) -> str:
    path = error["path"]
    return (
        f"invalid facts: {path}: {error['message']}"
        if path
        else f"invalid facts: {error['message']}"
    )


def _load(name: str, stdin: TextIO) -> object:
    raw = _read(name, stdin)
    try:
        return json.loads(raw, parse_constant=_reject_constant)
    except json.JSONDecodeError as problem:
        raise _Unreadable(
            [
                f"invalid facts: malformed JSON: {problem.msg} at line {problem.lineno} "
                f"column {problem.colno}"
            ]
        ) from None
    except ValueError as problem:
        raise _Unreadable([f"invalid facts: malformed JSON: {problem}"]) from None
    except RecursionError:
        raise _Unreadable(["invalid facts: malformed JSON: nested too deeply"]) from None


def _read(name: str, stdin: TextIO) -> str | bytes:
    label = "standard input" if name == "-" else name
    try:
        if name == "-":
            data = getattr(stdin, "buffer", stdin).read()
        else:
            with open(name, "rb") as handle:
                data = handle.read()
    except OSError as problem:
        raise _Unreadable(
            [f"invalid facts: cannot read {label}: {problem.strerror or problem}"]
        ) from None
    except UnicodeDecodeError:
        raise _Unreadable([f"invalid facts: cannot read {label}: not UTF-8 text"]) from None
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise _Unreadable([f"invalid facts: cannot read {label}: not UTF-8 text"]) from None
    return data


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not valid JSON")


def main() -> int:
    """Entry point for ``python -m eligibility.engine.cli``."""
    return run(sys.argv[1:], sys.stdin, sys.stdout, sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
