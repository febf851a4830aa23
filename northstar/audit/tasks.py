from celery import shared_task

from northstar.audit.services import seal_pending


@shared_task(name="audit.seal_pending")
def seal_pending_task() -> int:
    """Beat: chain any event the after-commit sealer missed."""
    return seal_pending()
