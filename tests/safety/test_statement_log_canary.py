"""The 200-canary sweep across every sink (issue 8, "Data").

A private PostgreSQL cluster (never the shared server) logs every statement with its bound
parameters (``log_statement=all``, ``log_min_duration_statement=0``,
``log_parameter_max_length=-1``; Django's psycopg 3 backend binds on the client, so values are
inline in each statement) to a file. A private Redis is the broker and the cache, as in
production, and every command it receives is recorded (``redis-cli monitor``: task messages,
cache writes, acknowledgements). A real Celery worker screens the cases, delivers the
notifications and builds the exports. The canary's flows (``tests/safety/canary_flows.py``)
run against them in a separate process.

Then, for 2,230 markers (200 clients × 11 personal fields, 10 get-help requests × 3), each
sink is swept, each with a positive control that proves the sweep sees inside it:

=====================  ==========================================================
sink                   positive control
=====================  ==========================================================
statement log          a marker sent on purpose as a bound parameter and a literal
``pg_dump`` (SQL)      the published organisation name; ciphertext tokens
Redis commands         a cache value and a task argument (task bodies are base64:
                       decoded before the sweep); the real task names
Redis at the end       the cache value and the unconsumed task message
app and worker logs    a line logged on purpose
e-mails                each notification names its referral
media                  a plain control file is read; the uploaded document's text
                       is in its download, not in its (encrypted) file
exports (CSV, XLSX,    the published organisation name in each
JSON, stored files,
HSDS)
packets (printable,    exactly the packet's fields (first name, alias) are shown,
portal)                every other marker of that client is absent
staff pages            the markers are shown to staff
=====================  ==========================================================
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import pytest

from tests.canary import found_markers, redis_text
from tests.helpers import require
from tests.private_services import ROOT, django_env, migrate
from tests.referrals.mail_sink import raw_sends
from tests.referrals.test_outbox import PrivateRedis
from tests.safety.canary_flows import (
    CLIENTS,
    CONTROL_CACHE,
    CONTROL_LITERAL,
    CONTROL_LOG,
    CONTROL_MEDIA,
    CONTROL_PARAMETER,
    CONTROL_QUEUE,
    CONTROL_TASK,
    DOCUMENT_MARKER,
    HELP_REQUESTS,
    PUBLISHED_MARKER,
    REFERRALS,
)

pytestmark = [pytest.mark.fault, pytest.mark.slow]

TASKS = ("eligibility.screen_case", "referrals.deliver_outbox_message", "stats.build_export")


def tree_text(directory) -> str:
    return "\n".join(f"{path}\n{path.read_bytes().decode('latin-1')}"
                     for path in sorted(directory.rglob("*")) if path.is_file())


def task_bodies(monitor: str) -> str:
    """Every task message body in the recording, decoded (kombu base64-encodes them; the
    headers, in clear, repeat the arguments as ``argsrepr``)."""
    bodies = []
    for encoded in re.findall(r'\\?"body\\?": \\?"([A-Za-z0-9+/=]+)\\?"', monitor):
        bodies.append(base64.b64decode(encoded).decode("utf-8", errors="replace"))
    return "\n".join(bodies)


def test_no_marker_in_any_sink(private_postgres, tmp_path):
    require(shutil.which("redis-server") is not None, "needs redis-server on the PATH")
    url = private_postgres.create_database("canary_statements")
    media, sink = tmp_path / "media", tmp_path / "sink"
    media.mkdir()
    sink.mkdir()
    redis = PrivateRedis(tmp_path)
    redis.start()
    env = django_env(url, DJANGO_SETTINGS_MODULE="tests.safety.process_settings",
                     MEDIA_ROOT=str(media), MAIL_SINK_DIR=str(sink), LOG_LEVEL="DEBUG",
                     SAFETY_BROKER="redis", REDIS_URL=redis.url, CELERY_QUEUE="northstar")
    monitor_path, worker_path = tmp_path / "redis-monitor.txt", tmp_path / "worker.log"
    monitor = worker = None
    try:
        migrate(url, env)
        with open(monitor_path, "wb") as monitor_out:
            monitor = subprocess.Popen(["redis-cli", "-p", str(redis.port), "monitor"],
                                       stdout=monitor_out, stderr=subprocess.STDOUT)
        with open(worker_path, "wb") as worker_out:
            worker = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "northstar", "worker", "-Q",
                 "northstar", "--concurrency=2", "--loglevel=DEBUG", "--without-gossip",
                 "--without-mingle", "--without-heartbeat"], cwd=ROOT, env=env,
                stdout=worker_out, stderr=subprocess.STDOUT, start_new_session=True)
        out = tmp_path / "flows" / "result.json"
        out.parent.mkdir()
        with open(tmp_path / "app.log", "wb") as app_log:
            finished = subprocess.run(
                [sys.executable, "-m", "tests.safety.canary_flows", str(out)], cwd=ROOT,
                env=env, stdout=app_log, stderr=subprocess.STDOUT, timeout=1200, check=False)
        app_text = (tmp_path / "app.log").read_text(errors="replace")
        assert finished.returncode == 0, app_text[-4000:]
        time.sleep(1)  # the last acknowledgements reach the recording
        keys = subprocess.run(["redis-cli", "-p", str(redis.port), "--scan"],
                              capture_output=True, text=True, check=True).stdout.split()
        redis_contents = redis_text(redis.url)
        dump = subprocess.run(["pg_dump", url], capture_output=True, text=True, check=True,
                              timeout=300).stdout
    finally:
        if worker is not None and worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=30)
        if monitor is not None and monitor.poll() is None:
            monitor.terminate()
            monitor.wait(timeout=30)
        redis.kill()
    result = json.loads(out.read_text())
    markers = result["markers"]
    assert len(set(markers)) == len(markers) == CLIENTS * 11 + HELP_REQUESTS * 3
    statement_log = private_postgres.log_text()
    worker_text = worker_path.read_text(errors="replace")
    recorded = monitor_path.read_text(errors="replace")
    bodies = task_bodies(recorded)

    # PostgreSQL's statement log: the statements with their parameters, no marker.
    assert f"SELECT '{CONTROL_LITERAL}'" in statement_log
    assert CONTROL_PARAMETER in statement_log
    assert 'INSERT INTO "intake_client"' in statement_log
    assert "ns1:" in statement_log  # the ciphertext reached the log, the plaintext did not
    assert found_markers(statement_log, markers) == []

    # The database dump.
    assert PUBLISHED_MARKER in dump and "ns1:test2:" in dump
    assert found_markers(dump, markers) == []

    # Redis: every command it received (task messages decoded), and what it holds at the end.
    assert CONTROL_CACHE in recorded and CONTROL_TASK in recorded
    assert CONTROL_TASK in bodies  # the bodies are decoded
    for task in TASKS:
        assert task in recorded, task
    assert found_markers(recorded, markers) == []
    assert found_markers(bodies, markers) == []
    assert CONTROL_QUEUE in keys and CONTROL_CACHE in redis_contents
    assert found_markers(redis_contents, markers) == []

    # The logs of the app process and of the worker.
    assert CONTROL_LOG in app_text
    assert "eligibility.screen_case" in worker_text  # the worker logged its work (DEBUG)
    assert found_markers(app_text, markers) == []
    assert found_markers(worker_text, markers) == []

    # E-mails: the notifications, naming their referral, nothing personal.
    mail = tree_text(sink)
    assert len(raw_sends(sink)) == REFERRALS
    for reference in result["packets"]:
        assert reference in mail
    assert found_markers(mail, markers) == []

    # Media: the document and the stored exports, all encrypted; the control file in clear.
    media_text = tree_text(media)
    assert CONTROL_MEDIA in media_text
    assert result["document_readable"]  # its text is in the download, not in its file
    media_files = [path for path in media.rglob("*") if path.is_file()]
    assert DOCUMENT_MARKER.decode() not in media_text
    assert found_markers(media_text, markers) == []

    # Every export format, the stored files, the HSDS export.
    exported = {path.name: path.read_text(errors="replace") for path in out.parent.iterdir()
                if path.name.startswith(("export.", "stored.", "hsds."))}
    assert sorted(exported) == ["export.csv.txt", "export.json.txt", "export.xlsx.txt",
                                "hsds.json", "stored.csv", "stored.json", "stored.xlsx"]
    for name, text in exported.items():
        assert found_markers(text, markers) == [], name
    for name in ("export.csv.txt", "export.json.txt", "export.xlsx.txt", "hsds.json"):
        assert PUBLISHED_MARKER in exported[name], name

    # Packets: the printable copy and the partner's view show the packet's fields, no other.
    assert len(result["packets"]) == REFERRALS
    for reference, packet in result["packets"].items():
        assert packet["printable"] == sorted(packet["expected"]), reference
        assert packet["portal"] == sorted(packet["expected"]), reference

    # The flows really ran: every request answered, the worker did its work, staff saw it.
    assert [r for r in result["responses"] if r[1] >= 400] == []
    assert (result["sent"], result["delivered"], result["helped"]) == (
        REFERRALS, REFERRALS, HELP_REQUESTS)
    assert result["exports"] == {"csv": "ready", "xlsx": "ready", "json": "ready"}
    assert len(result["shown"]) >= 10 * 8 + HELP_REQUESTS
    print(f"\ncanary sweep: {len(markers)} markers, 0 found in the statement log "
          f"({len(statement_log.splitlines())} lines, {statement_log.count('ns1:')} "
          f"ciphertexts), the dump ({len(dump)} characters), {recorded.count(chr(10))} Redis "
          f"commands and {bodies.count(chr(10)) + 1} task bodies, Redis at the end, the app "
          f"and worker logs, "
          f"{len(raw_sends(sink))} e-mails, {len(media_files)} media files, "
          f"{len(exported)} exported files, {REFERRALS} printable and portal packets; "
          f"every positive control found")
