"""Reads on cases. Every one starts from the user's scope (``cases_visible_to``)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet

from intake.case_numbers import is_case_number, normalize_case_number
from intake.models import Case, CaseEvent, CaseStatus, Client, ClientNameIndex, Urgency
from intake.name_index import client_names, name_index_values
from intake.permissions import cases_visible_to

TIMELINE_LENGTH = 50
# What a row of the case list shows (``intake/partials/_case_rows.html``): only these columns
# are read and decrypted, not the facts of every case on the page.
CASE_LIST_COLUMNS = ("number", "status", "urgency", "created_at", "screening_outcomes",
                     "client__given_name", "client__family_name", "assigned_to__full_name",
                     "assigned_to__email")


def case_list_for(user, *, include_closed: bool = False) -> QuerySet[Case]:
    """The case list: most urgent first, then newest. Constant queries per page (the client
    and the assignee come in the same query); the order is the one of the partial indexes
    ``case_list_active_idx`` and ``case_list_idx``, so a page reads only its own rows."""
    cases = cases_visible_to(user).filter(purged_at__isnull=True)
    if not include_closed:
        cases = cases.exclude(status=CaseStatus.CLOSED)
    return (cases.select_related("client", "assigned_to").only(*CASE_LIST_COLUMNS)
            .order_by("-urgency", "-created_at", "-id"))


def caseload_for(user) -> QuerySet[Case]:
    """The user's own caseload (cases they created or are assigned to, whatever other roles
    they hold), not closed, not purged: most urgent first, then the most recently touched."""
    return (cases_visible_to(user)
            .filter(Q(assigned_to=user) | Q(created_by=user), purged_at__isnull=True)
            .exclude(status=CaseStatus.CLOSED)
            .select_related("client").order_by("-urgency", "-updated_at", "-id"))


def caseload_counts(user) -> dict[str, int]:
    """How many of the user's cases are active (intake complete), drafts to finish, and
    urgent or critical (either). One query, whatever the caseload's size."""
    draft = Q(status=CaseStatus.DRAFT)
    return caseload_for(user).order_by().aggregate(
        active=Count("pk", filter=~draft), drafts=Count("pk", filter=draft),
        urgent=Count("pk", filter=Q(urgency__gte=Urgency.URGENT)))


def case_for(user, number: str) -> Case | None:
    if not is_case_number(number):
        return None
    return cases_visible_to(user).select_related("client", "assigned_to", "created_by").filter(
        number=number).first()


def case_search(user, *, case_number: str = "", full_name: str = "",
                date_of_birth: datetime.date | None = None) -> list[Case]:
    """Exact search: by case number, or by full name (or alias) and birth date through the
    blind index. Nothing fuzzy: search must not become a way to browse clients."""
    scope = cases_visible_to(user).select_related("client", "assigned_to")
    if case_number:
        number = normalize_case_number(case_number)
        return list(scope.filter(number=number)) if number else []
    indexes = name_index_values([full_name], date_of_birth)
    if not indexes:
        return []
    client_ids = ClientNameIndex.objects.filter(value__in=indexes).values("client_id")
    return list(scope.filter(client_id__in=client_ids).order_by("-created_at"))


def possible_duplicates(user, case: Case) -> tuple[list[Case], int]:
    """Other cases whose client has the same name (or alias) and birth date: those the user
    may open, and how many more exist outside their scope."""
    client: Client = case.client
    indexes = name_index_values(client_names(client), client.date_of_birth)
    if not indexes:
        return [], 0
    client_ids = ClientNameIndex.objects.filter(value__in=indexes).exclude(
        client_id=client.pk).values("client_id")
    others = Case.objects.filter(client_id__in=client_ids, purged_at__isnull=True)
    visible = list(cases_visible_to(user).filter(pk__in=others.values("pk")).select_related(
        "client"))
    return visible, others.count() - len(visible)


def case_timeline(case: Case) -> list[CaseEvent]:
    return list(case.events.select_related("actor")[:TIMELINE_LENGTH])
