"""URLs of referrals (included at the root): the network's pages under ``referrals/`` and
``cases/<number>/referrals/``, the partner portal under ``portal/``. Referrals are named by
their random reference (``RF-XXXX-XXXX``), never by a case number, in portal URLs."""

from django.urls import path, register_converter

from referrals import views, views_portal


class ReferenceConverter:
    regex = r"RF-[0-9A-Z]{4}-[0-9A-Z]{4}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ReferenceConverter, "reference")

app_name = "referrals"

urlpatterns = [
    path("referrals/", views.dashboard, name="dashboard"),
    path("cases/<str:number>/referrals/new/", views.referral_new, name="referral_new"),
    path("referrals/<reference:reference>/", views.referral_detail, name="referral_detail"),
    path("referrals/<reference:reference>/fields/", views.referral_fields,
         name="referral_fields"),
    path("referrals/<reference:reference>/preview/", views.referral_preview,
         name="referral_preview"),
    path("referrals/<reference:reference>/send/", views.referral_send, name="referral_send"),
    path("referrals/<reference:reference>/withdraw/", views.referral_withdraw,
         name="referral_withdraw"),
    path("referrals/<reference:reference>/discard/", views.referral_discard,
         name="referral_discard"),
    path("referrals/<reference:reference>/messages/", views.referral_message,
         name="referral_message"),
    path("portal/", views_portal.portal_queue, name="portal_queue"),
    path("portal/referrals/<reference:reference>/", views_portal.portal_referral,
         name="portal_referral"),
    path("portal/referrals/<reference:reference>/accept/", views_portal.portal_accept,
         name="portal_accept"),
    path("portal/referrals/<reference:reference>/decline/", views_portal.portal_decline,
         name="portal_decline"),
    path("portal/referrals/<reference:reference>/start/", views_portal.portal_start,
         name="portal_start"),
    path("portal/referrals/<reference:reference>/complete/", views_portal.portal_complete,
         name="portal_complete"),
    path("portal/referrals/<reference:reference>/hand-back/", views_portal.portal_hand_back,
         name="portal_hand_back"),
    path("portal/referrals/<reference:reference>/messages/", views_portal.portal_message,
         name="portal_message"),
]
