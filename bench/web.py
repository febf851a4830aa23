"""The app under gunicorn on loopback, driven by concurrent clients with signed-in sessions.

Sessions are created directly in the session store, as allauth leaves them after a password
and a TOTP step (``northstar.accounts.mfa``): the benchmark measures pages, not the login.
"""

from __future__ import annotations

import http.client
import socket
import statistics
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from bench.runtime import Child, tail

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def signed_in_cookie(user) -> str:
    """A session for ``user`` with MFA satisfied; returns the session key (cookie value)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from northstar.accounts.mfa import SESSION_KEY as MFA_SESSION_KEY
    from northstar.accounts.receivers import LOGIN_AT_KEY

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[MFA_SESSION_KEY] = str(user.pk)
    session[LOGIN_AT_KEY] = time.time()
    session.create()
    return session.session_key


class Server:
    """gunicorn with ``deploy/gunicorn.conf.py`` and the bench settings, on a free port, in a
    process group of its own (stopped with the run, whatever ends it)."""

    def __init__(self, env: dict[str, str], log_path: Path, *, ready_timeout: float = 90):
        self.port = free_port()
        self.child = Child(
            "gunicorn",
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
             "--access-logfile", "/dev/null", "northstar.wsgi:application"],
            env={**env, "GUNICORN_BIND": f"127.0.0.1:{self.port}"}, cwd=ROOT,
            log_path=log_path)
        self.ready_timeout = ready_timeout

    def __enter__(self) -> Server:
        self.child.start()
        try:
            self.wait_ready()
        except BaseException:
            self.child.stop()
            raise
        return self

    def wait_ready(self) -> None:
        deadline = time.monotonic() + self.ready_timeout
        last = "no answer"
        while time.monotonic() < deadline:
            self.child.check_alive()
            try:
                status, body = get(self.port, "/healthz", "", timeout=5)
                if status == 200:
                    return
                last = f"HTTP {status}: {body[:200]!r}"
            except OSError as error:
                last = str(error)
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer /healthz within {self.ready_timeout:.0f} s "
                           f"({last}); end of {self.child.log_path}:\n"
                           f"{tail(self.child.log_path)}")

    def __exit__(self, *exc) -> None:
        self.child.stop()


def get(port: int, path: str, session_key: str,
        connection: http.client.HTTPConnection | None = None,
        timeout: float = 60) -> tuple[int, bytes]:
    conn = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Host": "127.0.0.1"}
    if session_key:
        headers["Cookie"] = f"sessionid={session_key}"
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    if connection is None:
        conn.close()
    return response.status, body


@dataclass
class Timings:
    p50_ms: float
    p95_ms: float
    count: int


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def drive(port: int, paths: list[str], session_keys: list[str], *, clients: int = 4,
          warmup: int = 8, timeout: float = 30) -> Timings:
    """GET every path once, ``clients`` at a time (one keep-alive connection and one session
    each), after ``warmup`` untimed requests per client. Any answer but 200, or a request
    slower than ``timeout`` seconds, stops the run with an error."""
    lock = threading.Lock()
    pending = list(reversed(paths))
    durations: list[float] = []
    errors: list[str] = []

    def one(conn_box: list, path: str, session_key: str) -> int:
        for attempt in range(2):
            try:
                status, _ = get(port, path, session_key, conn_box[0])
                return status
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed the kept-alive connection (idle timeout, worker recycled).
                conn_box[0].close()
                conn_box[0] = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def worker(number: int) -> None:
        session_key = session_keys[number % len(session_keys)]
        conn_box = [http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)]
        try:
            for path in paths[number::clients][:warmup]:
                one(conn_box, path, session_key)
            while True:
                with lock:
                    if not pending or errors:
                        return
                    path = pending.pop()
                started = time.perf_counter()
                status = one(conn_box, path, session_key)
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    if status != 200:
                        errors.append(f"{path}: HTTP {status}")
                    durations.append(elapsed)
        except Exception as error:  # a timeout or a refused connection: stop every client
            with lock:
                errors.append(f"client {number}: {type(error).__name__}: {error}")
        finally:
            conn_box[0].close()

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError("benchmark request failed: " + errors[0])
    return Timings(round(statistics.median(durations), 1), round(percentile(durations, 0.95), 1),
                   len(durations))
