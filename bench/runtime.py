"""What keeps a benchmark run from hanging or leaking: timestamped progress, a deadline on
every step, and child processes (gunicorn, the Celery worker) that always end with the run.

* ``log`` prints each line with the wall-clock time and the seconds since the start, flushed.
* ``step(name, timeout)`` logs the start and the end (with its duration) of a step, and raises
  ``BenchTimeout`` if the step runs past ``timeout`` seconds (SIGALRM in the main thread, so a
  blocking database call is interrupted too; the server also has a statement timeout).
* ``Child`` starts a process in a process group of its own, its output in a log file (never a
  pipe: a pipe nobody reads fills up and blocks the child), and kills the whole group on exit,
  whatever ended the run (error, timeout, Ctrl-C, SIGTERM).
"""

from __future__ import annotations

import contextlib
import datetime
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path


class BenchTimeout(RuntimeError):
    """A step ran past its deadline."""


class Log:
    def __init__(self, stream=None):
        self.started = time.monotonic()
        self.stream = stream or sys.stdout

    def __call__(self, message: str) -> None:
        stamp = datetime.datetime.now(datetime.UTC).strftime("%H:%M:%SZ")
        elapsed = time.monotonic() - self.started
        print(f"[{stamp} +{elapsed:7.1f}s] {message}", file=self.stream, flush=True)


def _alarm(signum, frame):
    raise BenchTimeout("deadline reached")


@contextlib.contextmanager
def step(log: Log, name: str, timeout: float) -> Iterator[None]:
    """Log ``name`` and its duration; raise ``BenchTimeout`` after ``timeout`` seconds."""
    log(f"{name} …")
    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        yield
    except BenchTimeout as error:
        raise BenchTimeout(f"step {name!r} did not finish within {timeout:.0f} s") from error
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    log(f"{name}: done in {time.monotonic() - started:.1f} s")


def terminate_on_sigterm() -> None:
    """SIGTERM (``kill PID``, ``timeout``) unwinds like Ctrl-C, so every ``finally`` runs."""

    def handler(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, handler)


def tail(path: Path, size: int = 3000) -> str:
    try:
        data = path.read_bytes()
    except OSError:
        return ""
    return data[-size:].decode("utf-8", "replace")


class Child:
    """A child process in its own process group, output to ``log_path``."""

    def __init__(self, name: str, argv: list[str], *, env: dict[str, str], cwd: Path,
                 log_path: Path):
        self.name = name
        self.argv = argv
        self.env = env
        self.cwd = cwd
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def start(self) -> Child:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as output:
            self.process = subprocess.Popen(
                self.argv, cwd=self.cwd, env=self.env, stdin=subprocess.DEVNULL,
                stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
        return self

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def check_alive(self) -> None:
        if self.process is not None and self.process.poll() is not None:
            raise RuntimeError(f"{self.name} exited with status {self.process.returncode}; "
                               f"end of {self.log_path}:\n{tail(self.log_path)}")

    def stop(self, grace: float = 20) -> None:
        """SIGTERM to the whole group, then SIGKILL after ``grace`` seconds."""
        if self.process is None:
            return
        for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 10)):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.process.wait(timeout=wait)
            except subprocess.TimeoutExpired:
                continue
            # The leader is gone; make sure nothing of its group is left behind.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            break
        self.process = None

    def __enter__(self) -> Child:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
