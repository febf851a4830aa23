"""Celery adapters for screening (ids only)."""

from celery import shared_task

from eligibility import services


@shared_task(name="eligibility.screen_case", acks_late=True)
def screen_case(case_id: int) -> None:
    services.case_screen(case_id=case_id)


@shared_task(name="eligibility.rescreen_chunk", acks_late=True)
def rescreen_chunk(run_id: int, first_id: int, last_id: int) -> None:
    services.rescreen_range(run_id=run_id, first_id=first_id, last_id=last_id)


@shared_task(name="eligibility.rescreen_if_rules_changed")
def rescreen_if_rules_changed() -> None:
    """Beat: after a deploy that changes the rules version, re-screen every open case once."""
    services.rescreen_start()


@shared_task(name="eligibility.screen_pending")
def screen_pending() -> int:
    """Beat: screen the cases whose screening could not be queued when they were saved."""
    return services.cases_screen_pending()
