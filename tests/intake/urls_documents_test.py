"""The project's URLs with the document URLs inside the ``intake`` namespace, for the tests
to run before the lead wires ``intake.urls_documents`` into ``intake/urls.py``:

    path("cases/<str:number>/documents/",
         include(("intake.urls_documents", "documents"), namespace="documents")),

Once that line is there, this module is the project's URLconf unchanged.
"""

from django.urls import URLResolver, include, path

from intake import urls as intake_urls
from northstar import urls as project_urls

DOCUMENTS = path("cases/<str:number>/documents/",
                 include(("intake.urls_documents", "documents"), namespace="documents"))


def wired(patterns) -> bool:
    return any(isinstance(p, URLResolver) and p.namespace == "documents" for p in patterns)


def with_documents(pattern):
    if isinstance(pattern, URLResolver) and pattern.namespace == "intake":
        return path("", include(([DOCUMENTS, *intake_urls.urlpatterns], "intake"),
                                namespace="intake"))
    return pattern


if wired(intake_urls.urlpatterns):
    urlpatterns = list(project_urls.urlpatterns)
else:
    urlpatterns = [with_documents(pattern) for pattern in project_urls.urlpatterns]

handler400 = project_urls.handler400
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500
