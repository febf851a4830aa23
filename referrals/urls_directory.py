"""URLs of the partner directory (included at ``directory/``)."""

from django.urls import path

from referrals import views_directory as views

app_name = "directory"

urlpatterns = [
    path("", views.partner_list, name="partner_list"),
    path("partners/<int:pk>/", views.partner_detail, name="partner_detail"),
    path("my-services/", views.own_services, name="own_services"),
    path("services/<int:pk>/capacity/", views.service_capacity, name="service_capacity"),
]
