from django.urls import path

from northstar.accounts import views

app_name = "accounts"

urlpatterns = [
    path("invitations/accept/", views.invitation_accept, name="invitation_accept"),
    path("invitations/<str:token>/", views.invitation_open, name="invitation_open"),
    path("manage/users/", views.user_list, name="user_list"),
    path("manage/users/<int:pk>/", views.user_edit, name="user_edit"),
    path("manage/users/<int:pk>/active/", views.user_set_active, name="user_set_active"),
    path("manage/invitations/new/", views.invitation_create, name="invitation_create"),
    path("manage/invitations/<int:pk>/revoke/", views.invitation_revoke,
         name="invitation_revoke"),
]
