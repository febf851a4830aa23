"""Celery adapters for referrals: ids only, idempotent (see ``referrals.outbox``)."""

from celery import shared_task

from referrals import outbox, sla


@shared_task(name="referrals.deliver_outbox_message", acks_late=True)
def deliver_outbox_message(outbox_id: int) -> str:
    """Deliver one notification; a duplicate run finds it delivered and does nothing."""
    return outbox.outbox_deliver(outbox_id)


@shared_task(name="referrals.sweep_outbox")
def sweep_outbox() -> int:
    """Beat: re-queue notifications not delivered in time (broker was down, worker died)."""
    return outbox.outbox_sweep()


@shared_task(name="referrals.sla_sweep")
def sla_sweep() -> dict:
    """Beat: reminders, escalations and expiry of unanswered referrals."""
    result = sla.referrals_sla_sweep()
    return {"reminded": result.reminded, "escalated": result.escalated,
            "expired": result.expired}
