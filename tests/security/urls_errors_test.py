"""Test-only URLconf: the project's URLs plus a view that raises (a real 500 through the whole
middleware stack and ``handler500``). Used by ``test_headers_everywhere``; never deployed."""

from django.urls import path

from northstar import urls as project_urls
from northstar.accounts.permissions import PUBLIC, access


@access(PUBLIC)
def raising_view(request):
    raise RuntimeError("test-only failure")


urlpatterns = [path("test-only/raise/", raising_view, name="test_only_raise"),
               *project_urls.urlpatterns]

handler400 = project_urls.handler400
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500
