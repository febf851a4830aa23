"""The measurements that run in the benchmark process itself (not over HTTP)."""

from __future__ import annotations

import sys
import time
import uuid
from pathlib import Path

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.runtime import Child, tail

ROOT = Path(__file__).resolve().parent.parent

# The case list's page as hand-written SQL: the same rows, columns and order as the page
# (pages 1-10, as the HTTP run), and the total the paginator shows, the way a hand-written page
# would get them (two statements; a window count over the join would read every active case).
CASE_LIST_SQL = """
SELECT c.number, cl.given_name, cl.family_name, c.urgency, c.status, u.full_name, u.email,
       c.created_at, c.screening_outcomes
FROM intake_case c
JOIN intake_client cl ON cl.id = c.client_id
LEFT JOIN accounts_user u ON u.id = c.assigned_to_id
WHERE c.purged_at IS NULL AND c.status <> 'closed'
ORDER BY c.urgency DESC, c.created_at DESC, c.id DESC
LIMIT 25 OFFSET %s
"""
# The page counts at most a thousand rows (northstar.common.pagination.BoundedPaginator); the
# hand-written page does the same.
CASE_LIST_COUNT_SQL = """
SELECT count(*) FROM (SELECT 1 FROM intake_case c WHERE c.purged_at IS NULL
                      AND c.status <> 'closed' LIMIT 1001) AS bounded
"""


def queries_per_request(user, path: str) -> int:
    """How many SQL queries one GET of ``path`` runs (Django test client, same settings)."""
    from northstar.accounts.mfa import SESSION_KEY

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[SESSION_KEY] = str(user.pk)
    session.save()
    client.get(path)  # warm caches (content types, templates)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path}: HTTP {response.status_code}")
    return len(captured.captured_queries)


def case_list_raw_sql_ms(repeat: int = 30) -> float:
    """Median time of the case list page's data as raw SQL (count and rows), with the
    encrypted names decrypted as the page does (so both sides pay for decryption)."""
    from northstar.security.crypto import decrypt_text

    times = []
    with connection.cursor() as cursor:
        for attempt in range(repeat):
            started = time.perf_counter()
            cursor.execute(CASE_LIST_COUNT_SQL)
            cursor.fetchone()
            cursor.execute(CASE_LIST_SQL, [25 * (attempt % 10)])
            for row in cursor.fetchall():
                decrypt_text(row[1], "intake.client.given_name")
                decrypt_text(row[2], "intake.client.family_name")
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return round(times[len(times) // 2], 2)


# --- statistics --------------------------------------------------------------------------------

STATS_SQL = [
    # intakes by quarter and province
    """SELECT stat_province, EXTRACT(YEAR FROM created_at AT TIME ZONE %(zone)s),
              EXTRACT(QUARTER FROM created_at AT TIME ZONE %(zone)s), count(*)
       FROM intake_case WHERE created_at >= %(start)s AND created_at < %(end)s
         AND close_reason <> 'duplicate' GROUP BY 1, 2, 3""",
    """SELECT stat_age_band, count(*) FROM intake_case
       WHERE created_at >= %(start)s AND created_at < %(end)s AND close_reason <> 'duplicate'
       GROUP BY 1""",
    """SELECT stat_nationality, count(*) FROM intake_case
       WHERE created_at >= %(start)s AND created_at < %(end)s AND close_reason <> 'duplicate'
       GROUP BY 1""",
    # screening outcomes: filled in by ``stats_sql`` (cases grouped by their outcome words)
    None,
    """SELECT service_type, EXTRACT(YEAR FROM sent_at AT TIME ZONE %(zone)s),
              EXTRACT(QUARTER FROM sent_at AT TIME ZONE %(zone)s), count(*)
       FROM referrals_referral WHERE sent_at >= %(start)s AND sent_at < %(end)s
       GROUP BY 1, 2, 3""",
    """SELECT service_type, {answer}, count(*) FROM referrals_referral
       WHERE sent_at >= %(start)s AND sent_at < %(end)s GROUP BY 1, 2""",
    """SELECT o.name, {answer}, count(*) FROM referrals_referral r
       JOIN accounts_organisation o ON o.id = r.partner_id
       WHERE sent_at >= %(start)s AND sent_at < %(end)s GROUP BY 1, 2""",
    "SELECT name FROM accounts_organisation WHERE kind = 'partner'",
    """SELECT stat_province, count(*) FROM referrals_referral
       WHERE sent_at >= %(start)s AND sent_at < %(end)s GROUP BY 1""",
    """SELECT service_type, count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY
              answered_at - sent_at) FROM referrals_referral
       WHERE sent_at >= %(start)s AND sent_at < %(end)s AND {accepted} GROUP BY 1""",
    """SELECT o.name, count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY
              answered_at - sent_at) FROM referrals_referral r
       JOIN accounts_organisation o ON o.id = r.partner_id
       WHERE sent_at >= %(start)s AND sent_at < %(end)s AND {accepted} GROUP BY 1""",
    """SELECT count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY answered_at - sent_at)
       FROM referrals_referral
       WHERE sent_at >= %(start)s AND sent_at < %(end)s AND {accepted}""",
]
ANSWER_SQL = """CASE WHEN status = 'declined' THEN 'declined'
    WHEN status IN ('accepted', 'in_progress', 'completed', 'handed_back')
         OR answered_at IS NOT NULL THEN 'accepted'
    WHEN status = 'expired' THEN 'expired' WHEN status = 'withdrawn' THEN 'withdrawn'
    ELSE 'waiting' END"""
ACCEPTED_SQL = (f"({ANSWER_SQL}) = 'accepted' AND answered_at IS NOT NULL "
                "AND answered_at >= sent_at")


def stats_sql() -> list[str]:
    from eligibility.engine import PATHWAYS

    words = ", ".join(f"screening_outcomes ->> '{pathway}'" for pathway in PATHWAYS)
    screening = (f"SELECT {words}, count(*) FROM intake_case "  # noqa: S608 — constants only
                 "WHERE created_at >= %(start)s AND created_at < %(end)s "
                 f"AND close_reason <> 'duplicate' GROUP BY {words}")
    return [screening if sql is None else
            sql.format(answer=ANSWER_SQL, accepted=ACCEPTED_SQL) for sql in STATS_SQL]


def stats_raw_sql_s(period) -> float:
    """The same aggregates as the export, as hand-written SQL in one snapshot."""
    from django.conf import settings

    params = {"zone": settings.TIME_ZONE, "start": period.start, "end": period.end}
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        for sql in stats_sql():
            cursor.execute(sql, params)
            cursor.fetchall()
    return time.perf_counter() - started


def stats_export_s(admin, period, export_format: str = "xlsx") -> float:
    """A full statistics export, end to end in this process: request (audited), build every
    table, protect, render, encrypt and store the file."""
    from stats.models import ExportStatus
    from stats.services import export_build, export_request

    started = time.perf_counter()
    with transaction.atomic():
        job = export_request(actor=admin, period=period, export_format=export_format,
                             language="en")
        # The Celery task is queued on commit; build here so the time is the build's own.
        job_id = str(job.pk)
    built = export_build(job_id=job_id)
    elapsed = time.perf_counter() - started
    if built is None or built.status != ExportStatus.READY:
        raise RuntimeError(f"statistics export did not finish: {built and built.status}")
    return elapsed


# --- re-screen through Celery ------------------------------------------------------------------


class Worker:
    """A real Celery worker process on a queue of its own (bench settings, bench database),
    in a process group of its own, output in ``log_path``."""

    def __init__(self, env: dict[str, str], log_path: Path, *, concurrency: int = 2,
                 ready_timeout: float = 90):
        self.queue = env["CELERY_QUEUE"]
        self.child = Child(
            "celery worker",
            [sys.executable, "-m", "celery", "-A", "northstar", "worker", "-Q", self.queue,
             f"--concurrency={concurrency}", "--loglevel=INFO", "--without-gossip",
             "--without-mingle", "--without-heartbeat", "-n",
             f"bench-{uuid.uuid4().hex[:6]}@%h"],
            env=env, cwd=ROOT, log_path=log_path)
        self.ready_timeout = ready_timeout

    def __enter__(self) -> Worker:
        self.child.start()
        try:
            self.wait_ready()
        except BaseException:
            self.child.stop()
            raise
        return self

    def wait_ready(self) -> None:
        """The worker logs "ready." once it consumes; a broadcast ping (short timeout, no
        retries) is the fallback. Both are bounded by ``ready_timeout``."""
        from northstar.celery import app

        deadline = time.monotonic() + self.ready_timeout
        while time.monotonic() < deadline:
            self.child.check_alive()
            if " ready." in tail(self.child.log_path, 20_000):
                return
            try:
                with app.connection_for_write() as conn:
                    conn.ensure_connection(max_retries=1, timeout=2)
                    if app.control.ping(timeout=1.0, connection=conn):
                        return
            except Exception:  # noqa: S110 — broker hiccup: retried until the deadline
                pass
            time.sleep(0.5)
        raise RuntimeError(f"the Celery worker was not ready within {self.ready_timeout:.0f} s; "
                           f"end of {self.child.log_path}:\n{tail(self.child.log_path)}")

    def __exit__(self, *exc) -> None:
        self.child.stop(grace=30)


def rescreen_all_s(timeout: float, worker: Worker, log) -> tuple[float, int]:
    """Start the re-screen of every open case (the rules version differs from the one the
    cases were screened under) and wait until the worker has finished every chunk."""
    from eligibility.models import RescreenRun
    from eligibility.services import rescreen_start

    started = time.perf_counter()
    run = rescreen_start()
    if run is None:
        raise RuntimeError("a re-screen for this rules version already exists")
    log(f"  {run.cases_total} open cases in {run.chunks_total} chunks queued "
        f"({time.perf_counter() - started:.1f} s)")
    reported = time.perf_counter()
    while True:
        run = RescreenRun.objects.get(pk=run.pk)
        if run.finished_at is not None:
            return time.perf_counter() - started, run.cases_total
        worker.child.check_alive()
        now = time.perf_counter()
        if now - started > timeout:
            raise RuntimeError(f"re-screen not finished after {timeout:.0f} s "
                               f"({len(run.chunks_finished)}/{run.chunks_total} chunks)")
        if now - reported >= 10:
            log(f"  {len(run.chunks_finished)}/{run.chunks_total} chunks done "
                f"({now - started:.0f} s)")
            reported = now
        time.sleep(0.5)


def audit_verify_events_per_s() -> tuple[float, int]:
    from northstar.audit.selectors import audit_chain_verify
    from northstar.audit.services import seal_pending

    seal_pending()
    started = time.perf_counter()
    result = audit_chain_verify()
    elapsed = time.perf_counter() - started
    if not result.ok:
        raise RuntimeError(f"audit chain does not verify: {result.problem} at {result.broken_at}")
    return result.checked / elapsed, result.checked
