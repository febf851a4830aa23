"""Reads of help requests (the counsellors' triage queue)."""

from __future__ import annotations

from django.db.models import QuerySet

from intake.models import HelpRequest, HelpRequestStatus
from northstar.accounts.models import Role


def help_requests_visible_to(user) -> QuerySet[HelpRequest]:
    """Counsellors triage every request (they are not addressed to anyone); nobody else."""
    if not user.is_authenticated or not user.has_role(Role.COUNSELLOR):
        return HelpRequest.objects.none()
    return HelpRequest.objects.all()


def triage_queue_for(user, status: str = HelpRequestStatus.NEW) -> QuerySet[HelpRequest]:
    """Requests in one status, newest first."""
    return help_requests_visible_to(user).filter(status=status).select_related(
        "handled_by").order_by("-created_at", "-pk")


def help_request_for(user, pk: int) -> HelpRequest | None:
    return help_requests_visible_to(user).select_related("handled_by", "case").filter(
        pk=pk).first()


def new_help_request_count(user) -> int:
    return help_requests_visible_to(user).filter(status=HelpRequestStatus.NEW).count()
