"""Who sees which case. The only place case scope is decided.

Counsellors see the cases they created or are assigned to; coordinators see every case;
partner users and admins see none unless they also hold a case role. Everything else (views,
selectors) starts from ``cases_visible_to`` and answers 404 outside it.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from intake.models import Case


def cases_visible_to(user) -> QuerySet[Case]:
    if not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    if user.is_coordinator:
        return Case.objects.all()
    if user.is_counsellor:
        return Case.objects.filter(Q(assigned_to=user) | Q(created_by=user))
    return Case.objects.none()


def can_edit_case(user, case: Case) -> bool:
    """Closed or purged cases are read-only; scope is already checked by the caller."""
    return case.purged_at is None and not case.is_closed


def can_request_erasure(user) -> bool:
    return user.is_coordinator


def can_confirm_erasure(user) -> bool:
    return user.is_network_admin
