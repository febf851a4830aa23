"""Who may see and change which part of the partner directory (object scope).

The view policies (``@access``) decide which roles reach a view; these querysets decide which
objects a user may touch there. An object outside the queryset is a 404, like one that does
not exist.
"""

from __future__ import annotations

from django.db.models import QuerySet

from northstar.accounts.models import Organisation, Role
from referrals.models import PartnerService

DIRECTORY_READERS = frozenset({Role.COUNSELLOR, Role.COORDINATOR, Role.ADMIN})


def can_read_directory(user) -> bool:
    return user.is_authenticated and any(user.has_role(role) for role in DIRECTORY_READERS)


def directory_organisations_visible_to(user) -> QuerySet[Organisation]:
    """Partner organisations in the directory that ``user`` may browse (network staff)."""
    partners = Organisation.objects.filter(kind=Organisation.Kind.PARTNER,
                                           partner_profile__isnull=False)
    return partners if can_read_directory(user) else partners.none()


def services_editable_by(user) -> QuerySet[PartnerService]:
    """Services whose capacity and accepting switch ``user`` may change: an admin any, a
    partner user those of their own organisation only, everyone else none."""
    services = PartnerService.objects.all()
    if not user.is_authenticated:
        return services.none()
    if user.has_role(Role.ADMIN):
        return services
    if user.has_role(Role.PARTNER) and user.organisation_id is not None:
        return services.filter(organisation_id=user.organisation_id,
                               organisation__kind=Organisation.Kind.PARTNER)
    return services.none()
