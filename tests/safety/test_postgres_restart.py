"""PostgreSQL restarted and stopped under a running app (issue 8, "Reliability").

A private cluster (never the shared server), the app under gunicorn as in production (gthread
workers, persistent connections: ``DATABASE_CONN_MAX_AGE=60`` with health checks), a signed-in
coordinator talking HTTP to it. Each of ``CASES`` cases gets three submissions: an intake step
saved (the contact notes carry a value unique to the case), a note added, its referral sent.

1. In flight: a session holds an exclusive lock on the tables those writes end on (notes,
   case events, outbox), so the submissions for three cases stop in the middle of their
   transactions (the case and client rows already updated); PostgreSQL is then restarted.
2. Committed: three more cases, on the same gunicorn workers (which reconnect by themselves),
   while a lock holds back the one write after the view's commit, the session refresh;
   PostgreSQL is restarted again. The work is done, so the answer is the normal one.
3. Stopped: three more cases, a page, the JSON API and an htmx autosave while PostgreSQL is
   down; then it is started again.
4. The last three cases while nothing is wrong.

Pages are also read in a loop the whole time. Every answer is a success or a 503 with
``Retry-After`` and a "try again" page that names no error (JSON for the API, a status line
for htmx), never a 500; a submission answered 503 is submitted again once PostgreSQL is back,
as the page asks. Then every case holds exactly what was submitted, each note exactly once,
each referral sent once with one notification delivered once (counted at a file mail sink by
Message-ID), the audit chain verifies, and gunicorn never restarted a worker.
"""

from __future__ import annotations

import http.client
import json
import re
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter

import pytest

from tests.intake.intake_helpers import step_post
from tests.private_services import ROOT, django_env, free_port, migrate
from tests.referrals.mail_sink import raw_sends
from tests.safety.restart_world import CASES

pytestmark = [pytest.mark.fault, pytest.mark.slow]

LOCKED_TABLES = "intake_note, intake_caseevent, referrals_outboxmessage"
UNAVAILABLE_TEXT = "Briefly unavailable"
LEAKS = ("OperationalError", "InterfaceError", "Traceback", "psycopg", "terminating",
         "connection", "server closed", "5432", "Connection refused")


class Gunicorn:
    def __init__(self, env: dict, directory):
        self.port = free_port()
        self.log_path = directory / "gunicorn.log"
        self.env = {**env, "GUNICORN_BIND": f"127.0.0.1:{self.port}", "GUNICORN_WORKERS": "2",
                    "GUNICORN_THREADS": "16"}
        self.process: subprocess.Popen | None = None

    def start(self) -> Gunicorn:
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "northstar.wsgi:application", "-c",
                 "deploy/gunicorn.conf.py", "--no-control-socket"], cwd=ROOT, env=self.env,
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log()[-3000:]
            try:
                if request(self.port, "GET", "/healthz")[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"gunicorn did not start:\n{self.log()[-3000:]}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def request(port: int, method: str, path: str, body: dict | str | None = None,
            headers: dict | None = None) -> tuple[int, dict, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        headers = dict(headers or {})
        if isinstance(body, dict):
            body = urllib.parse.urlencode(body, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        merged: dict = {}
        for name, value in response.getheaders():
            merged[name.lower()] = f"{merged[name.lower()]}, {value}" if name.lower() in merged \
                else value
        return response.status, merged, response.read().decode("utf-8", errors="replace")
    finally:
        connection.close()


class Coordinator:
    """The signed-in coordinator's browser: session and CSRF cookies, the form token."""

    def __init__(self, port: int, world: dict):
        self.port = port
        self.cookies = {world["session_cookie"]: world["session"]}
        self.token = ""
        status, headers, html = self.get(f"/cases/{world['cases'][0]['number']}/")
        assert status == 200, html[:500]
        self.cookies["csrftoken"] = re.search(r"csrftoken=([^;]+)", headers["set-cookie"])[1]
        self.token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
        self.answers: list[tuple[str, int, dict, str]] = []
        self.lock = threading.Lock()

    def headers(self, extra: dict | None = None) -> dict:
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        token = {"X-CSRFToken": self.token} if self.token else {}
        return {"Cookie": cookie, **token, **(extra or {})}

    def record(self, label: str, answer):
        with self.lock:
            self.answers.append((label, *answer))
        return answer

    def get(self, path: str, extra: dict | None = None):
        return request(self.port, "GET", path, headers=self.headers(extra))

    def post(self, label: str, path: str, data: dict, extra: dict | None = None):
        return self.record(label, request(self.port, "POST", path, body=data,
                                          headers=self.headers(extra)))


def contact_value(index: int) -> str:
    return f"Restart contact {index:02d}"


def note_body(index: int) -> str:
    return f"Restart note {index:02d}"


def submissions(case: dict, index: int) -> list[tuple[str, str, dict]]:
    # The seeded contact, but for the notes (not in any packet: the send's preview stays valid).
    contact = step_post("contact", {"client": {
        "contact_method": "signal", "contact_details": "+1 555 0100 7788",
        "safe_to_call": False, "safe_to_leave_message": False, "code_word": "herongate",
        "contact_notes": contact_value(index), "us_city": "Plattsburghville",
        "us_state": "NY"}}, save="1")
    return [
        ("step", f"/cases/{case['number']}/intake/contact/", contact),
        ("note", f"/cases/{case['number']}/notes/", {"body": note_body(index)}),
        ("send", f"/referrals/{case['reference']}/send/", {"fingerprint": case["fingerprint"]}),
    ]


def submit_all(browser: Coordinator, cases: dict[int, dict]) -> dict:
    """Every submission of ``cases`` at once (one thread each); (index, kind) → status."""
    outcome, threads = {}, []

    def one(index, kind, path, data):
        outcome[(index, kind)] = browser.post(kind, path, data)[0]

    for index, case in cases.items():
        for kind, path, data in submissions(case, index):
            threads.append(threading.Thread(target=one, args=(index, kind, path, data)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    return outcome


def lock_waiters(cluster, database: str) -> int:
    """Writes waiting on a lock (page reads wait on it too: not counted). A send waits for
    its case's row, which the step save of that case holds while it waits on the table."""
    return int(cluster.psql(database, (
        "SELECT count(*) FROM pg_locks WHERE NOT granted AND "
        "(mode = 'RowExclusiveLock' OR locktype IN ('transactionid', 'tuple'))")))


def hold_lock(cluster, database: str, tables: str, mode: str) -> subprocess.Popen:
    """A session holding ``LOCK TABLE tables IN mode MODE`` until the server goes away."""
    return subprocess.Popen(
        ["psql", "-h", "127.0.0.1", "-p", str(cluster.port), "-U", cluster.user, "-d",
         database, "-c", f"BEGIN; LOCK TABLE {tables} IN {mode} MODE; SELECT pg_sleep(60);"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_for_lock_waiters(cluster, database: str, count: int) -> None:
    deadline = time.monotonic() + 30
    while lock_waiters(cluster, database) < count:
        assert time.monotonic() < deadline, cluster.psql(database, (
            "SELECT wait_event_type, state, left(query, 80) FROM pg_stat_activity "
            "WHERE datname = current_database()"))
        time.sleep(0.1)


def run_world(command: str, env: dict, out) -> dict:
    finished = subprocess.run([sys.executable, "-m", "tests.safety.restart_world", command,
                               str(out)], cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=300, check=False)
    assert finished.returncode == 0, finished.stderr[-4000:]
    return json.loads(out.read_text())


def test_postgres_restarted_and_stopped_under_load(private_postgres, tmp_path):
    cluster, database = private_postgres, "restart_under_load"
    url = cluster.create_database(database)
    sink = tmp_path / "sink"
    sink.mkdir()
    env = django_env(url, DJANGO_SETTINGS_MODULE="tests.safety.process_settings",
                     MEDIA_ROOT=str(tmp_path / "media"), MAIL_SINK_DIR=str(sink),
                     DATABASE_CONN_MAX_AGE="60", LOG_LEVEL="WARNING")
    migrate(url, env)
    world = run_world("seed", env, tmp_path / "world.json")
    cases = dict(enumerate(world["cases"]))
    assert len(cases) == CASES == 12
    server = Gunicorn(env, tmp_path).start()
    reads: Counter = Counter()
    reading = threading.Event()
    lockers: list[subprocess.Popen] = []
    try:
        browser = Coordinator(server.port, world)

        paused, busy = threading.Event(), [threading.Lock(), threading.Lock()]

        def reader(mine: threading.Lock):  # colleagues reading case pages all along
            while not reading.is_set():
                for case in world["cases"][:4]:
                    while paused.is_set() and not reading.is_set():
                        time.sleep(0.05)
                    with mine:
                        status, headers, body = browser.get(f"/cases/{case['number']}/")
                    reads[status] += 1
                    if status == 503:
                        assert headers.get("retry-after") == "30"
                        assert UNAVAILABLE_TEXT in body
                time.sleep(0.05)

        def pause_readers() -> None:
            paused.set()
            for lock in busy:  # wait for the reads under way
                with lock:
                    pass

        readers = [threading.Thread(target=reader, args=(lock,)) for lock in busy]
        for thread in readers:
            thread.start()

        # 1. In flight: the writes wait on the lock inside their transactions; restart.
        lockers.append(locker := hold_lock(cluster, database, LOCKED_TABLES,
                                           "ACCESS EXCLUSIVE"))
        outcome: dict = {}
        in_flight = threading.Thread(target=lambda: outcome.update(
            submit_all(browser, {i: cases[i] for i in range(3)})))
        time.sleep(0.5)  # the lock first
        in_flight.start()
        wait_for_lock_waiters(cluster, database, 9)  # the 9 submissions wait on the lock
        cluster.restart()
        in_flight.join(timeout=90)
        locker.wait(timeout=30)
        assert sorted(outcome.values()) == [503] * 9, outcome  # none half-stored: see below

        # 2. Committed, then restarted before the session was refreshed: the work is done,
        # so the answer is the normal one (a 503 would make the user add the note again).
        # The same workers reconnect by themselves.
        pause_readers()  # their session refreshes would wait on the lock too
        # A lock that blocks UPDATEs of sessions, not their reads.
        lockers.append(locker := hold_lock(cluster, database, "django_session", "SHARE"))
        committed = threading.Thread(target=lambda: outcome.update(
            submit_all(browser, {i: cases[i] for i in range(3, 6)})))
        time.sleep(0.5)
        committed.start()
        wait_for_lock_waiters(cluster, database, 9)
        cluster.restart()
        committed.join(timeout=90)
        locker.wait(timeout=30)
        paused.clear()
        after = {key: status for key, status in outcome.items() if key[0] in (3, 4, 5)}
        assert sorted(after.values()) == [302] * 9, after

        # 3. Stopped: submissions, a page, the API and an autosave all get a clear 503.
        cluster.stop()
        outcome.update(down := submit_all(browser, {i: cases[i] for i in range(6, 9)}))
        assert sorted(down.values()) == [503] * 9, down
        page = browser.get("/cases/")
        api = browser.record("api", request(
            server.port, "POST", "/api/eligibility/screen/", body="{}",
            headers=browser.headers({"Content-Type": "application/json",
                                     "Accept": "application/json"})))
        autosave = browser.post("autosave", f"/cases/{cases[9]['number']}/intake/contact/",
                                {**submissions(cases[9], 9)[0][2], "autosave": "1"},
                                {"HX-Request": "true"})
        cluster.start()

        # 4. The rest, with nothing wrong; then everything answered 503 is submitted again.
        outcome.update(calm := submit_all(browser, {i: cases[i] for i in range(9, 12)}))
        assert sorted(calm.values()) == [302] * 9, calm
        retried = {}
        for (index, kind), status in sorted(outcome.items()):
            if status == 503:
                path, data = next((p, d) for k, p, d in submissions(cases[index], index)
                                  if k == kind)
                retried[(index, kind)] = browser.post(f"retry-{kind}", path, data)[0]
        assert len(retried) == 18 and set(retried.values()) == {302}, retried
        reading.set()
        for thread in readers:
            thread.join(timeout=60)
    finally:
        reading.set()
        server.stop()
        for locker in lockers:
            if locker.poll() is None:
                locker.kill()
        if not (cluster.data / "postmaster.pid").exists():
            cluster.start()  # the cluster serves the session's other tests
    log = server.log()

    # Every answer: a success or a clean 503, never a server error.
    assert page[0] == 503 and page[1]["retry-after"] == "30" and UNAVAILABLE_TEXT in page[2]
    assert api[0] == 503 and api[1]["content-type"] == "application/json"
    assert json.loads(api[2]) == {
        "error": "service_unavailable", "retry_after": 30,
        "message": "Northstar is briefly unavailable. Try again in a moment."}
    assert autosave[0] == 503 and "Not saved" in autosave[2] and "<html" not in autosave[2]
    statuses = Counter(answer[1] for answer in browser.answers)
    assert set(statuses) == {302, 503}, statuses
    for label, status, headers, body in browser.answers:
        if status == 503:
            assert headers["retry-after"] == "30", label
            assert [leak for leak in LEAKS if leak in body] == [], (label, body)
    assert set(reads) <= {200, 503} and reads[200] > 0 and reads[503] > 0, reads
    assert "Internal Server Error" not in log and '" 500 ' not in log
    assert log.count("Booting worker") == 2, log[-3000:]  # no worker died or restarted

    # Nothing entered was lost, nothing was stored or delivered twice.
    stored = run_world("report", env, tmp_path / "report.json")
    assert stored["audit_ok"], stored["audit"]
    by_number = stored["cases"]
    for index, case in cases.items():
        row = by_number[case["number"]]
        assert row["contact_notes"] == contact_value(index), (index, row)
        assert row["notes"] == [note_body(index)], (index, row)
        assert row["referral_status"] == "sent" and row["screened"], (index, row)
        assert [(o["key"], o["delivered"]) for o in row["outbox"]] == [
            (f"{case['reference']}.sent.partner", True)], (index, row)
    sends = raw_sends(sink)
    expected = {o["message_id"].strip("<>") for row in by_number.values() for o in row["outbox"]}
    assert set(sends) == expected and len(expected) == CASES
    assert sum(sends.values()) == CASES, sends  # one copy of each notification on the wire
    print(f"\nPostgreSQL restarted with 9 writes in flight, restarted with 9 committed "
          f"before their session refresh, then stopped: "
          f"{statuses[302]} successes, {statuses[503]} clean 503s, 0 errors; page reads "
          f"{dict(reads)}; after the retries every one of {CASES} cases holds its step, its "
          f"note once and its referral sent once, {sum(sends.values())} notifications "
          f"delivered once each; {log.count('Booting worker')} gunicorn workers, none restarted")
