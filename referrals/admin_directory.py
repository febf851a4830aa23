"""The partner directory in the Django admin (operators, i.e. superusers, only).

Read-only: directory content changes through the audited services (the HSDS import, the
capacity views). The one exception is recording a data-sharing agreement, which goes through
``data_sharing_agreement_record`` so that it is audited too. Contact people's names, phones
and e-mails are not shown here at all.
"""

from django.contrib import admin

from referrals.directory.services import data_sharing_agreement_record
from referrals.models import (
    DataSharingAgreement,
    PartnerContact,
    PartnerLocation,
    PartnerProfile,
    PartnerService,
    PartnerServiceLanguage,
    PartnerServiceProvince,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LanguageInline(admin.TabularInline):
    model = PartnerServiceLanguage
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ProvinceInline(LanguageInline):
    model = PartnerServiceProvince


@admin.register(PartnerProfile)
class PartnerProfileAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "hsds_id", "updated_at"]
    search_fields = ["organisation__name", "hsds_id"]


@admin.register(PartnerService)
class PartnerServiceAdmin(ReadOnlyAdmin):
    list_display = ["name", "organisation", "service_type", "status", "accepting_referrals",
                    "capacity_available", "capacity_maximum", "capacity_updated_at"]
    list_filter = ["service_type", "status", "accepting_referrals"]
    search_fields = ["name", "organisation__name", "hsds_id"]
    inlines = [LanguageInline, ProvinceInline]


@admin.register(PartnerLocation)
class PartnerLocationAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "name", "city", "province"]
    list_filter = ["province"]


@admin.register(PartnerContact)
class PartnerContactAdmin(ReadOnlyAdmin):
    list_display = ["pk", "organisation", "title", "service"]
    exclude = ["name", "phone", "email"]


@admin.register(DataSharingAgreement)
class DataSharingAgreementAdmin(admin.ModelAdmin):
    list_display = ["organisation", "signed_on", "expires_on", "document_reference"]
    list_filter = ["organisation"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        agreement = data_sharing_agreement_record(
            actor=request.user, organisation=obj.organisation, signed_on=obj.signed_on,
            expires_on=obj.expires_on, document_reference=obj.document_reference)
        obj.pk, obj.created_at = agreement.pk, agreement.created_at
