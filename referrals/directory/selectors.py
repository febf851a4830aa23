"""Reads on the partner directory."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from northstar.accounts.models import Organisation
from referrals.directory.permissions import directory_organisations_visible_to
from referrals.models import (
    DataSharingAgreement,
    PartnerContact,
    PartnerLocation,
    PartnerService,
)


def today() -> datetime.date:
    return timezone.localdate()


def valid_agreements_on(on_date: datetime.date | None = None) -> QuerySet[DataSharingAgreement]:
    day = on_date or today()
    return DataSharingAgreement.objects.filter(signed_on__lte=day, expires_on__gte=day)


def has_valid_agreement(organisation: Organisation,
                        on_date: datetime.date | None = None) -> bool:
    """Whether ``organisation`` has a data-sharing agreement in force on ``on_date`` (today by
    default; both the signature and the expiry day count as in force)."""
    return valid_agreements_on(on_date).filter(organisation=organisation).exists()


def valid_agreement_exists(organisation_ref: str = "organisation",
                           on_date: datetime.date | None = None) -> Exists:
    """An ``Exists`` expression for annotating querysets: is there an agreement in force for
    the organisation at ``OuterRef(organisation_ref)``?"""
    return Exists(valid_agreements_on(on_date).filter(organisation=OuterRef(organisation_ref)))


def agreement_in_force(organisation: Organisation,
                       on_date: datetime.date | None = None) -> DataSharingAgreement | None:
    """The in-force agreement expiring last, or None."""
    return valid_agreements_on(on_date).filter(organisation=organisation) \
        .order_by("-expires_on").first()


def services_with_reach() -> QuerySet[PartnerService]:
    """Services with their languages and provinces prefetched (two extra queries in all)."""
    return PartnerService.objects.select_related("organisation").prefetch_related(
        "languages", "provinces_served")


@dataclass(frozen=True)
class DirectoryFilter:
    service_type: str = ""
    province: str = ""
    language: str = ""
    accepting_only: bool = False

    def service_conditions(self, prefix: str = "") -> Q:
        conditions = Q(**{f"{prefix}status": "active"})
        if self.service_type:
            conditions &= Q(**{f"{prefix}service_type": self.service_type})
        if self.province:
            conditions &= Q(**{f"{prefix}provinces_served__province": self.province})
        if self.language:
            conditions &= Q(**{f"{prefix}languages__code": self.language})
        if self.accepting_only:
            conditions &= Q(**{f"{prefix}accepting_referrals": True})
        return conditions

    @property
    def is_empty(self) -> bool:
        return not (self.service_type or self.province or self.language or self.accepting_only)


def directory_list_for(user, directory_filter: DirectoryFilter | None = None
                       ) -> QuerySet[Organisation]:
    """Partner organisations ``user`` may browse, filtered in the database, each with its
    matching active services prefetched as ``listed_services`` (three queries in all)."""
    directory_filter = directory_filter or DirectoryFilter()
    organisations = directory_organisations_visible_to(user).select_related("partner_profile")
    if not directory_filter.is_empty:
        matching = PartnerService.objects.filter(directory_filter.service_conditions())
        organisations = organisations.filter(
            Exists(matching.filter(organisation=OuterRef("pk"))))
    listed = PartnerService.objects.filter(directory_filter.service_conditions()).distinct() \
        .prefetch_related("languages", "provinces_served").order_by("name", "pk")
    return organisations.annotate(
        has_valid_agreement=valid_agreement_exists("pk"),
    ).prefetch_related(
        Prefetch("partner_services", queryset=listed, to_attr="listed_services"),
    ).order_by("name")


def directory_partner_for(user, pk: int) -> Organisation:
    """One partner organisation with everything its directory page shows, or
    ``Organisation.DoesNotExist`` when absent or not visible to ``user``."""
    services = PartnerService.objects.prefetch_related("languages", "provinces_served") \
        .order_by("name", "pk")
    return directory_organisations_visible_to(user).select_related("partner_profile") \
        .annotate(has_valid_agreement=valid_agreement_exists("pk")) \
        .prefetch_related(
            Prefetch("partner_services", queryset=services, to_attr="directory_services"),
            Prefetch("partner_locations", queryset=PartnerLocation.objects.order_by(
                "city", "name", "pk"), to_attr="directory_locations"),
            Prefetch("partner_contacts", queryset=PartnerContact.objects.select_related(
                "service").order_by("title", "pk"), to_attr="directory_contacts"),
            Prefetch("data_sharing_agreements", queryset=DataSharingAgreement.objects.order_by(
                "-expires_on", "-pk"), to_attr="directory_agreements"),
        ).get(pk=pk)


def services_of_organisation(organisation_id: int) -> QuerySet[PartnerService]:
    return services_with_reach().filter(organisation_id=organisation_id).order_by("name", "pk")
