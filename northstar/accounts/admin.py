from django.contrib import admin

from northstar.accounts.models import Invitation, Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "is_active"]
    list_filter = ["kind", "is_active"]


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    """Operators' view of accounts. Roles change through the app (audited), not here."""

    list_display = ["email", "organisation", "is_active", "is_staff", "is_superuser"]
    list_filter = ["is_active", "organisation"]
    search_fields = ["email"]
    readonly_fields = ["email", "is_counsellor", "is_coordinator", "is_partner",
                       "is_network_admin", "last_login", "date_joined", "password"]
    exclude = ["groups", "user_permissions"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["pk", "organisation", "created_at", "expires_at", "accepted_at", "revoked_at"]
    readonly_fields = [f.name for f in Invitation._meta.fields]

    def has_add_permission(self, request):
        return False
