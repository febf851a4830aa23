from django.contrib import admin
from django.urls import include, path

from northstar.accounts import languages as language_views
from northstar.accounts import views as account_views
from northstar.common import views as common_views
from northstar.common.views_accessibility import accessibility_statement

# The Django admin is for operators (superusers). Its pages are under the SUPERUSER policy,
# including its login page, so a visitor is sent to allauth's login (with MFA) first.
admin.site.site_header = "Northstar administration"

urlpatterns = [
    path("", account_views.home, name="home"),
    path("healthz", common_views.healthz, name="healthz"),
    path("accessibility/", accessibility_statement, name="accessibility"),
    path("i18n/setlang/", language_views.set_language, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("", include("northstar.accounts.urls")),
    path("", include("intake.urls")),
    path("audit/", include("northstar.audit.urls")),
    path("api/eligibility/", include("eligibility.urls")),
    path("directory/", include("referrals.urls_directory")),
    path("", include("referrals.urls")),
    path("stats/", include("stats.urls")),
    path("django-admin/", admin.site.urls),
]

handler400 = "northstar.common.views.bad_request"
handler403 = "northstar.common.views.permission_denied"
handler404 = "northstar.common.views.page_not_found"
handler500 = "northstar.common.views.server_error"
