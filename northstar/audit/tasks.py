from celery import shared_task

from northstar.audit.services import sweep_unsealed


@shared_task(name="audit.seal_pending")
def seal_pending_task() -> int:
    """Beat: chain any recent event the after-commit sealer missed."""
    return sweep_unsealed()
