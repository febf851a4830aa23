"""Screening a case and re-screening every open case when the rules change."""

from __future__ import annotations

import datetime
import json
import logging
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from eligibility.engine import InvalidFacts, rules_version, screen
from eligibility.models import Assessment, RescreenRun
from eligibility.selectors import current_assessment, facts_fingerprint, facts_for_case
from intake.models import Case, CaseEvent, CaseStatus
from northstar.audit.services import audit_record, audit_record_many

logger = logging.getLogger(__name__)
RESCREEN_CHUNK = 500
SCREENING_COLUMNS = ["screening_outcomes", "screened_at", "screening_rules_version"]
RESCREEN_TRANSACTION = 100  # cases locked and written together (short row locks, few commits)


@dataclass
class Screening:
    """What screening one case decided: the new assessment (None when nothing changed), the
    outcomes and which pathways moved."""

    case: Case
    assessment: Assessment | None
    changed: dict


def screen_locked_case(case: Case, previous: Assessment | None, trigger: str,
                       ) -> Screening | None:
    """Screen a case already locked by the caller; build (do not save) the assessment when
    anything changed (facts, rules or the date). None when the facts are invalid."""
    facts = facts_for_case(case)
    try:
        result = screen(facts)
    except InvalidFacts as error:
        logger.warning("case %s: facts invalid for screening (%d errors)", case.pk,
                       len(error.errors))
        return None
    fingerprint = facts_fingerprint(facts)
    if previous is not None and previous.facts_fingerprint == fingerprint \
            and previous.rules_version == result["rules_version"] \
            and previous.screening_date.isoformat() == result["screening_date"]:
        return Screening(case, None, {})
    outcomes = {name: pathway["outcome"] for name, pathway in result["pathways"].items()}
    outcomes["stca_applies"] = result["stca"]["applies"]
    old = previous.outcomes if previous else {}
    changed = {name: [old.get(name), value] for name, value in outcomes.items()
               if previous is not None and old.get(name) != value}
    assessment = Assessment(
        case=case, trigger=trigger, rules_version=result["rules_version"],
        screening_date=result["screening_date"], facts_fingerprint=fingerprint,
        outcomes=outcomes, changed=changed, result=result)
    return Screening(case, assessment, changed)


def store_screenings(screenings: list[Screening], trigger: str) -> None:
    """Write what ``screen_locked_case`` decided, for any number of cases, in a constant
    number of statements: new assessments, the cases' current outcomes, timeline events for
    changed outcomes, and one audit event per screened case."""
    now = timezone.now()
    unchanged = [item.case.pk for item in screenings if item.assessment is None]
    if unchanged:
        # Nothing changed; note that the case was looked at, so the sweeper leaves it alone.
        Case.objects.filter(pk__in=unchanged).update(screened_at=now)
    fresh = [item for item in screenings if item.assessment is not None]
    if not fresh:
        return
    for item in fresh:
        item.assessment.created_at = now
    Assessment.objects.bulk_create([item.assessment for item in fresh])
    for item in fresh:
        item.case.screening_outcomes = item.assessment.outcomes
        item.case.screened_at = now
        item.case.screening_rules_version = item.assessment.rules_version
    cases_set_screening([item.case for item in fresh])
    CaseEvent.objects.bulk_create([
        CaseEvent(case=item.case, kind=CaseEvent.Kind.SCREENED,
                  details={"changed": item.changed, "trigger": trigger})
        for item in fresh if item.changed])
    audit_record_many("case.screened", [
        (item.case, {"trigger": trigger, "rules_version": item.assessment.rules_version,
                     "changed": sorted(item.changed)}) for item in fresh])


def cases_set_screening(cases: list[Case]) -> None:
    """Store the cases' current screening (outcomes, time, rules version) in one statement.
    On PostgreSQL an UPDATE ... FROM (VALUES ...): ``bulk_update``'s CASE expressions cost
    more to build and to run than the screening itself."""
    if connection.vendor != "postgresql":
        Case.objects.bulk_update(cases, SCREENING_COLUMNS, batch_size=200)
        return
    rows = ", ".join(["(%s::bigint, %s::jsonb, %s::timestamptz, %s)"] * len(cases))
    params = []
    for case in cases:
        params += [case.pk, json.dumps(case.screening_outcomes), case.screened_at,
                   case.screening_rules_version]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Case._meta.db_table} AS c SET screening_outcomes = v.outcomes, "  # noqa: S608
            "screened_at = v.screened_at, screening_rules_version = v.version "
            f"FROM (VALUES {rows}) AS v(id, outcomes, screened_at, version) WHERE c.id = v.id",
            params)


@transaction.atomic
def case_screen(*, case_id: int, trigger: str = Assessment.Trigger.INTAKE) -> Assessment | None:
    """Screen one case and store the assessment when anything changed (facts, rules or the
    date). Records which pathways changed outcome on the case timeline."""
    case = Case.objects.select_for_update().select_related("client").filter(
        pk=case_id, purged_at__isnull=True).first()
    if case is None:
        return None
    previous = current_assessment(case)
    screening = screen_locked_case(case, previous, trigger)
    if screening is None:
        return None
    store_screenings([screening], trigger)
    return screening.assessment or previous


@transaction.atomic
def cases_screen(*, case_ids: list[int], trigger: str) -> int:
    """``case_screen`` for many cases in one transaction and a constant number of queries
    (the re-screen of every open case). Returns how many cases were screened."""
    cases = list(Case.objects.select_for_update().select_related("client").filter(
        pk__in=case_ids, purged_at__isnull=True).order_by("pk"))
    latest: dict[int, Assessment] = {}
    for assessment in (Assessment.objects.filter(case_id__in=[case.pk for case in cases])
                       .only("id", "case_id", "created_at", "rules_version", "screening_date",
                             "facts_fingerprint", "outcomes")
                       .order_by("case_id", "-created_at", "-id")):
        latest.setdefault(assessment.case_id, assessment)
    screenings = [screening for case in cases
                  if (screening := screen_locked_case(case, latest.get(case.pk), trigger))]
    store_screenings(screenings, trigger)
    return len(screenings)


SCREEN_PENDING_BATCH = 200
SCREEN_PENDING_DAYS = 7


def cases_screen_pending(*, limit: int = SCREEN_PENDING_BATCH) -> int:
    """Screen the open cases saved since their last screening (their on-commit task could not
    be queued, e.g. while the broker was down, or was lost with a worker). Idempotent, like
    ``case_screen``; a case whose facts stay invalid is retried for SCREEN_PENDING_DAYS.
    Returns how many cases were screened."""
    since = timezone.now() - datetime.timedelta(days=SCREEN_PENDING_DAYS)
    pending = Case.objects.exclude(status=CaseStatus.CLOSED).filter(
        Q(screened_at__isnull=True) | Q(screened_at__lt=F("updated_at")),
        purged_at__isnull=True, updated_at__gte=since).order_by("updated_at")
    ids = list(pending.values_list("pk", flat=True)[:limit])
    for case_id in ids:
        case_screen(case_id=case_id)
    return len(ids)


def open_case_ids():
    return Case.objects.exclude(status=CaseStatus.CLOSED).filter(
        purged_at__isnull=True).order_by("pk").values_list("pk", flat=True)


def rescreen_start(*, chunk_size: int = RESCREEN_CHUNK) -> RescreenRun | None:
    """Start re-screening every open case under the current rules version, once per version.
    Returns the run, or None when this version was already (being) applied."""
    from eligibility.tasks import rescreen_chunk

    version = rules_version()
    with transaction.atomic():
        run, created = RescreenRun.objects.select_for_update().get_or_create(
            rules_version=version)
        if not created:
            return None
        ids = list(open_case_ids())
        chunks = [ids[i:i + chunk_size] for i in range(0, len(ids), chunk_size)]
        run.cases_total, run.chunks_total = len(ids), len(chunks)
        if not chunks:
            run.finished_at = timezone.now()
        run.save()
        audit_record("screening.rescreen_started", target=run,
                     details={"rules_version": version, "cases": len(ids)})
    for chunk in chunks:
        rescreen_chunk.delay(run.pk, chunk[0], chunk[-1])
    return run


def rescreen_range(*, run_id: int, first_id: int, last_id: int) -> None:
    """Re-screen the open cases with ids in [first_id, last_id], RESCREEN_TRANSACTION cases
    a transaction. Idempotent, so a redelivered chunk (worker killed mid-way) neither screens
    twice nor counts twice: screening skips cases already screened under this version, and
    the run's count of changed cases is recomputed from the stored assessments when the last
    chunk finishes."""
    ids = list(open_case_ids().filter(pk__gte=first_id, pk__lte=last_id))
    for start in range(0, len(ids), RESCREEN_TRANSACTION):
        cases_screen(case_ids=ids[start:start + RESCREEN_TRANSACTION],
                     trigger=Assessment.Trigger.RULES_CHANGE)
    with transaction.atomic():
        run = RescreenRun.objects.select_for_update().get(pk=run_id)
        if first_id not in run.chunks_finished:
            run.chunks_finished = [*run.chunks_finished, first_id]
        if len(run.chunks_finished) >= run.chunks_total:
            run.cases_changed = Assessment.objects.filter(
                trigger=Assessment.Trigger.RULES_CHANGE, rules_version=run.rules_version,
            ).exclude(changed={}).values("case").distinct().count()
            if run.finished_at is None:
                run.finished_at = timezone.now()
        run.save()
