"""Document URLs, without a prefix: the project includes them as
``path("cases/<str:number>/documents/", include(("intake.urls_documents", "documents")))``
inside the ``intake`` namespace, so every view receives the case ``number``."""

from django.urls import path

from intake import views_documents

urlpatterns = [
    path("new/", views_documents.upload, name="upload"),
    path("<int:pk>/download/", views_documents.download, name="download"),
    path("<int:pk>/remove/", views_documents.remove, name="remove"),
]
