from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from northstar.accounts.permissions import ADMIN_ONLY, access
from northstar.audit.forms import AuditFilterForm
from northstar.audit.selectors import audit_events_for_admin
from northstar.common.pagination import BoundedPaginator

PAGE_SIZE = 50


@access(ADMIN_ONLY)
@require_http_methods(["GET"])
def audit_log(request):
    """The audit log for admins. Filters are ids, action names and dates: nothing personal is
    ever in this page's URL. The log holds millions of events: the pages go through the
    newest thousand that match, and the filters reach any other."""
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = audit_events_for_admin(filters=filters)
    page = BoundedPaginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/log.html",
                  {"form": form, "page": page, "query": query.urlencode()})
