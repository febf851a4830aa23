from django.urls import include, path, re_path

from intake import views, views_consent, views_help, views_lifecycle

app_name = "intake"

urlpatterns = [
    path("cases/", views.case_list, name="case_list"),
    path("cases/search/", views.case_search, name="case_search"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/<str:number>/", views.case_detail, name="case_detail"),
    path("cases/<str:number>/intake/", views.intake_resume, name="intake_resume"),
    path("cases/<str:number>/intake/<slug:step>/", views.intake_step, name="step"),
    path("cases/<str:number>/screening/", views.screening_partial, name="screening"),
    path("cases/<str:number>/notes/", views.note_add, name="note_add"),
    path("cases/<str:number>/close/", views.case_close, name="close"),
    path("cases/<str:number>/reopen/", views.case_reopen, name="reopen"),
    path("cases/<str:number>/assign/", views.case_assign, name="assign"),
    path("cases/<str:number>/erasure/", views.erasure_request, name="erasure_request"),
    path("cases/<str:number>/documents/",
         include(("intake.urls_documents", "documents"), namespace="documents")),
    path("cases/<str:number>/consents/new/", views_consent.consent_new, name="consent_new"),
    path("cases/<str:number>/consents/<int:pk>/withdraw/", views_consent.consent_withdrawal,
         name="consent_withdraw"),
    path("manage/erasures/", views_lifecycle.erasure_list, name="erasure_list"),
    # The public "get help" form (English at /help/, other client languages under /help/<lang>/)
    # and the counsellors' triage queue of what it receives.
    path("help/", views_help.help_form, name="help_form"),
    path("help/sent/", views_help.help_sent, name="help_sent"),
    re_path(r"^help/(?P<lang>es|fr|ht)/$", views_help.help_form, name="help_form_language"),
    re_path(r"^help/(?P<lang>es|fr|ht)/sent/$", views_help.help_sent,
            name="help_sent_language"),
    path("triage/", views_help.triage_list, name="triage_list"),
    path("triage/<int:pk>/", views_help.triage_detail, name="triage_detail"),
    path("triage/<int:pk>/convert/", views_help.triage_convert, name="triage_convert"),
    path("triage/<int:pk>/dismiss/", views_help.triage_dismiss, name="triage_dismiss"),
    path("manage/erasures/<int:pk>/", views_lifecycle.erasure_decision,
         name="erasure_decision"),
]
