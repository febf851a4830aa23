from django.urls import path

from northstar.accounts import views, views_session

app_name = "accounts"

urlpatterns = [
    path("invitations/accept/", views.invitation_accept, name="invitation_accept"),
    path("invitations/<str:token>/", views.invitation_open, name="invitation_open"),
    path("session/keep-alive/", views_session.session_keep_alive, name="session_keep_alive"),
    path("session/end/", views_session.session_end, name="session_end"),
    path("manage/users/", views.user_list, name="user_list"),
    path("manage/users/<int:pk>/", views.user_edit, name="user_edit"),
    path("manage/users/<int:pk>/active/", views.user_set_active, name="user_set_active"),
    path("manage/invitations/new/", views.invitation_create, name="invitation_create"),
    path("manage/invitations/<int:pk>/revoke/", views.invitation_revoke,
         name="invitation_revoke"),
]
