"""Reads on accounts."""

from django.db.models import QuerySet

from northstar.accounts.models import Invitation, User


def users_for_admin() -> QuerySet[User]:
    return User.objects.select_related("organisation").order_by("organisation__name", "email")


def pending_invitations() -> QuerySet[Invitation]:
    return (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(accepted_at__isnull=True, revoked_at__isnull=True)
        .order_by("-created_at")
    )
