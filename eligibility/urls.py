from django.urls import path

from eligibility import views

app_name = "eligibility"

urlpatterns = [path("screen/", views.screen_api, name="screen_api")]
