"""The partner directory, shaped after Open Referral HSDS 3.x.

An HSDS *organization* is a partner ``northstar.accounts.models.Organisation`` (kind
``partner``) plus its ``PartnerProfile`` (HSDS id and public description). Each organisation
offers ``PartnerService`` rows (one service type from a fixed taxonomy each), has
``PartnerLocation`` addresses, ``PartnerContact`` people and ``DataSharingAgreement`` records.

Directory data is organisational, so it is stored in clear, with one exception: a contact
person's name, phone and e-mail are personal data and are encrypted.

Languages and provinces served are small related tables (one row per code) rather than JSON
lists, so that the suggestions can filter on them in the database on SQLite and PostgreSQL
alike, with a constant number of queries.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from northstar.accounts.models import Organisation
from northstar.security.fields import EncryptedTextField
from referrals.directory.languages import language_name, validate_language_code

MAXIMUM_AGE = 130
PARTNER_ONLY = {"kind": Organisation.Kind.PARTNER}


def new_hsds_id() -> str:
    return str(uuid.uuid4())


class ServiceType(models.TextChoices):
    """The network's fixed service taxonomy (the HSDS taxonomy ``northstar-service-types``)."""

    SHELTER = "shelter", _("Shelter")
    LEGAL_AID = "legal_aid", _("Legal aid")
    WORK_PERMIT = "work_permit", _("Work permit help")
    MEDICAL = "medical", _("Medical care")
    SETTLEMENT = "settlement", _("Settlement services")
    INTERPRETATION = "interpretation", _("Interpretation")
    MENTAL_HEALTH = "mental_health", _("Mental health support")


class Province(models.TextChoices):
    """Canadian provinces and territories (Canada Post two-letter codes)."""

    AB = "AB", _("Alberta")
    BC = "BC", _("British Columbia")
    MB = "MB", _("Manitoba")
    NB = "NB", _("New Brunswick")
    NL = "NL", _("Newfoundland and Labrador")
    NS = "NS", _("Nova Scotia")
    NT = "NT", _("Northwest Territories")
    NU = "NU", _("Nunavut")
    ON = "ON", _("Ontario")
    PE = "PE", _("Prince Edward Island")
    QC = "QC", _("Quebec")
    SK = "SK", _("Saskatchewan")
    YT = "YT", _("Yukon")


class ServiceStatus(models.TextChoices):
    """HSDS ``service.status``. Only active services are suggested."""

    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    DEFUNCT = "defunct", _("Defunct")
    TEMPORARILY_CLOSED = "temporarily closed", _("Temporarily closed")


class PartnerProfile(models.Model):
    """The HSDS organization record of a partner organisation: being in the directory."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="partner_profile",
        limit_choices_to=PARTNER_ONLY, verbose_name=_("organisation"))
    hsds_id = models.CharField(_("HSDS id"), max_length=100, unique=True, default=new_hsds_id)
    alternate_name = models.CharField(_("other name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    email = models.EmailField(_("organisation e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("partner profile")

    def __str__(self) -> str:
        return str(self.organisation)


class PartnerService(models.Model):
    """One service a partner offers, with its eligibility, reach, capacity and the switch
    that says whether it takes referrals now."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="partner_services",
        limit_choices_to=PARTNER_ONLY, verbose_name=_("organisation"))
    hsds_id = models.CharField(_("HSDS id"), max_length=100, unique=True, default=new_hsds_id)
    service_type = models.CharField(_("service type"), max_length=32, choices=ServiceType.choices)
    name = models.CharField(_("name"), max_length=200)
    status = models.CharField(_("status"), max_length=20, choices=ServiceStatus.choices,
                              default=ServiceStatus.ACTIVE)
    description = models.TextField(_("description"), blank=True)
    eligibility_notes = models.TextField(_("eligibility notes"), blank=True)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    fees = models.TextField(_("fees"), blank=True)
    accepting_referrals = models.BooleanField(_("accepting referrals"), default=True)
    capacity_available = models.PositiveIntegerField(_("places available"), null=True,
                                                     blank=True)
    capacity_maximum = models.PositiveIntegerField(_("places in all"), null=True, blank=True)
    capacity_unit = models.CharField(_("unit of capacity"), max_length=50, blank=True,
                                     default="places",
                                     help_text=_("What is counted, e.g. beds or appointments."))
    capacity_updated_at = models.DateTimeField(_("capacity updated at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        ordering = ["organisation__name", "name", "pk"]
        verbose_name = _("partner service")
        indexes = [models.Index(fields=["service_type", "status"], name="partner_service_type_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(service_type__in=ServiceType.values),
                                   name="partner_service_type_known"),
            models.CheckConstraint(condition=Q(status__in=ServiceStatus.values),
                                   name="partner_service_status_known"),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True) | Q(max_age__isnull=True)
                | Q(min_age__lte=F("max_age")),
                name="partner_service_min_age_not_above_max"),
            models.CheckConstraint(
                condition=(Q(min_age__isnull=True) | Q(min_age__lte=MAXIMUM_AGE))
                & (Q(max_age__isnull=True) | Q(max_age__lte=MAXIMUM_AGE)),
                name="partner_service_ages_plausible"),
            # Both capacity numbers (with the time they were reported) or neither. The explicit
            # IS NOT NULL tests matter: a CHECK whose comparison meets a NULL passes.
            models.CheckConstraint(
                condition=Q(capacity_available__isnull=True, capacity_maximum__isnull=True)
                | Q(capacity_available__isnull=False, capacity_maximum__isnull=False,
                    capacity_updated_at__isnull=False, capacity_available__gte=0,
                    capacity_available__lte=F("capacity_maximum")),
                name="partner_service_capacity_within_maximum"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"

    @property
    def language_codes(self) -> list[str]:
        """Sorted ISO 639-1 codes (uses the prefetched ``languages`` when present)."""
        return sorted(row.code for row in self.languages.all())

    @property
    def province_codes(self) -> list[str]:
        """Sorted province codes (uses the prefetched ``provinces_served`` when present)."""
        return sorted(row.province for row in self.provinces_served.all())

    @property
    def has_capacity_figures(self) -> bool:
        return self.capacity_available is not None and self.capacity_maximum is not None


class PartnerServiceLanguage(models.Model):
    """A language the service is delivered in, without an interpreter (HSDS ``language``)."""

    service = models.ForeignKey(PartnerService, on_delete=models.CASCADE,
                                related_name="languages")
    code = models.CharField(_("language"), max_length=2, validators=[validate_language_code])

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["service", "code"],
                                    name="partner_service_language_once"),
        ]
        indexes = [models.Index(fields=["code", "service"], name="partner_language_code_idx")]

    def __str__(self) -> str:
        return self.code

    @property
    def name(self) -> str:
        return language_name(self.code)


class PartnerServiceProvince(models.Model):
    """A province or territory the service serves (HSDS ``service_area``)."""

    service = models.ForeignKey(PartnerService, on_delete=models.CASCADE,
                                related_name="provinces_served")
    province = models.CharField(_("province"), max_length=2, choices=Province.choices)

    class Meta:
        ordering = ["province"]
        constraints = [
            models.UniqueConstraint(fields=["service", "province"],
                                    name="partner_service_province_once"),
            models.CheckConstraint(condition=Q(province__in=Province.values),
                                   name="partner_service_province_known"),
        ]
        indexes = [models.Index(fields=["province", "service"], name="partner_province_idx")]

    def __str__(self) -> str:
        return self.province


class PartnerLocation(models.Model):
    """Where a partner works: one street or postal address (HSDS ``location`` + ``address``).
    Organisational data, stored in clear."""

    class LocationType(models.TextChoices):
        PHYSICAL = "physical", _("Physical")
        POSTAL = "postal", _("Postal")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="partner_locations",
        limit_choices_to=PARTNER_ONLY, verbose_name=_("organisation"))
    hsds_id = models.CharField(_("HSDS id"), max_length=100, unique=True, default=new_hsds_id)
    name = models.CharField(_("name"), max_length=200, blank=True)
    location_type = models.CharField(_("type"), max_length=10, choices=LocationType.choices,
                                     default=LocationType.PHYSICAL)
    address_1 = models.CharField(_("address line 1"), max_length=200)
    address_2 = models.CharField(_("address line 2"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100)
    province = models.CharField(_("province"), max_length=2, choices=Province.choices)
    postal_code = models.CharField(_("postal code"), max_length=7)

    class Meta:
        ordering = ["organisation__name", "city", "name", "pk"]
        verbose_name = _("partner location")
        constraints = [
            models.CheckConstraint(condition=Q(province__in=Province.values),
                                   name="partner_location_province_known"),
        ]

    def __str__(self) -> str:
        return f"{self.name or self.address_1}, {self.city} {self.province}"


class PartnerContact(models.Model):
    """A named person at a partner (HSDS ``contact``). Name, phone and e-mail are personal
    data and encrypted; the job title is not. Never exported by default."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="partner_contacts",
        limit_choices_to=PARTNER_ONLY, verbose_name=_("organisation"))
    service = models.ForeignKey(PartnerService, on_delete=models.CASCADE, null=True,
                                blank=True, related_name="contacts",
                                verbose_name=_("service"))
    hsds_id = models.CharField(_("HSDS id"), max_length=100, unique=True, default=new_hsds_id)
    name = EncryptedTextField(_("name"), max_length=150, blank=True, default="")
    title = models.CharField(_("job title"), max_length=150, blank=True)
    phone = EncryptedTextField(_("phone"), max_length=40, blank=True, default="")
    email = EncryptedTextField(_("e-mail"), max_length=254, blank=True, default="")

    class Meta:
        ordering = ["organisation__name", "title", "pk"]
        verbose_name = _("partner contact")

    def __str__(self) -> str:
        # No personal data in __str__: it ends up in logs and admin messages.
        return f"Contact #{self.pk} ({self.title or 'no title'})"


class DataSharingAgreement(models.Model):
    """A signed agreement that lets the network share client data with a partner. Referrals
    that carry personal data need one valid on the day (``selectors.has_valid_agreement``)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="data_sharing_agreements",
        limit_choices_to=PARTNER_ONLY, verbose_name=_("organisation"))
    signed_on = models.DateField(_("signed on"))
    expires_on = models.DateField(_("expires on"))
    document_reference = models.CharField(
        _("document reference"), max_length=200,
        help_text=_("Where the signed document is kept, e.g. a file number."))
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["organisation__name", "-expires_on"]
        verbose_name = _("data-sharing agreement")
        constraints = [
            models.CheckConstraint(condition=Q(expires_on__gte=F("signed_on")),
                                   name="agreement_expires_after_signature"),
        ]
        indexes = [models.Index(fields=["organisation", "expires_on"],
                                name="agreement_org_expiry_idx")]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.signed_on} – {self.expires_on}"

    def is_valid_on(self, day) -> bool:
        return self.signed_on <= day <= self.expires_on
