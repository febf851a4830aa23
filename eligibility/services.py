"""Screening a case and re-screening every open case when the rules change."""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from eligibility.engine import InvalidFacts, rules_version, screen
from eligibility.models import Assessment, RescreenRun
from eligibility.selectors import current_assessment, facts_fingerprint, facts_for_case
from intake.models import Case, CaseEvent, CaseStatus
from northstar.audit.services import audit_record

logger = logging.getLogger(__name__)
RESCREEN_CHUNK = 500


@transaction.atomic
def case_screen(*, case_id: int, trigger: str = Assessment.Trigger.INTAKE) -> Assessment | None:
    """Screen one case and store the assessment when anything changed (facts, rules or the
    date). Records which pathways changed outcome on the case timeline."""
    case = Case.objects.select_for_update().select_related("client").filter(
        pk=case_id, purged_at__isnull=True).first()
    if case is None:
        return None
    facts = facts_for_case(case)
    try:
        result = screen(facts)
    except InvalidFacts as error:
        logger.warning("case %s: facts invalid for screening (%d errors)", case.pk,
                       len(error.errors))
        return None
    fingerprint = facts_fingerprint(facts)
    previous = current_assessment(case)
    if previous is not None and previous.facts_fingerprint == fingerprint \
            and previous.rules_version == result["rules_version"] \
            and previous.screening_date.isoformat() == result["screening_date"]:
        # Nothing changed; note that the case was looked at, so the sweeper leaves it alone.
        Case.objects.filter(pk=case.pk).update(screened_at=timezone.now())
        return previous
    outcomes = {name: pathway["outcome"] for name, pathway in result["pathways"].items()}
    outcomes["stca_applies"] = result["stca"]["applies"]
    old = previous.outcomes if previous else {}
    changed = {name: [old.get(name), value] for name, value in outcomes.items()
               if previous is not None and old.get(name) != value}
    assessment = Assessment.objects.create(
        case=case, trigger=trigger, rules_version=result["rules_version"],
        screening_date=result["screening_date"], facts_fingerprint=fingerprint,
        outcomes=outcomes, changed=changed, result=result)
    case.screening_outcomes = outcomes
    case.screened_at = assessment.created_at
    case.screening_rules_version = result["rules_version"]
    case.save(update_fields=["screening_outcomes", "screened_at", "screening_rules_version"])
    if changed:
        CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.SCREENED,
                                 details={"changed": changed, "trigger": trigger})
    audit_record("case.screened", target=case,
                 details={"trigger": trigger, "rules_version": result["rules_version"],
                          "changed": sorted(changed)})
    return assessment


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
    """Re-screen the open cases with ids in [first_id, last_id]. Idempotent, so a redelivered
    chunk (worker killed mid-way) neither screens twice nor counts twice: ``case_screen``
    skips cases already screened under this version, and the run's counters are recomputed
    from the stored assessments."""
    for case_id in open_case_ids().filter(pk__gte=first_id, pk__lte=last_id):
        case_screen(case_id=case_id, trigger=Assessment.Trigger.RULES_CHANGE)
    with transaction.atomic():
        run = RescreenRun.objects.select_for_update().get(pk=run_id)
        if first_id not in run.chunks_finished:
            run.chunks_finished = [*run.chunks_finished, first_id]
        run.cases_changed = Assessment.objects.filter(
            trigger=Assessment.Trigger.RULES_CHANGE, rules_version=run.rules_version,
        ).exclude(changed={}).values("case").distinct().count()
        if len(run.chunks_finished) >= run.chunks_total and run.finished_at is None:
            run.finished_at = timezone.now()
        run.save()
