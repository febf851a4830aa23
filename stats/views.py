"""Statistics for admins: the dashboard, export requests, export progress and download.

Every view is for admins only (``ADMIN_ONLY``) and shows aggregates of a ``Release`` — never a
case, a client or a record. An export job and its file belong to the admin who asked for it:
another admin gets 404, as for a job that does not exist.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from northstar.accounts.permissions import ADMIN_ONLY, access
from stats import presentation, selectors, services
from stats.forms import ExportForm, PeriodForm
from stats.models import ExportFormat
from stats.periods import Period

PROGRESS_REFRESH_SECONDS = 2
DOWNLOAD_CSP = "default-src 'none'; sandbox"


@access(ADMIN_ONLY)
@require_http_methods(["GET"])
def dashboard(request):
    """Aggregates of a period (whole quarters); an invalid choice shows the default period
    with the form's errors."""
    form = PeriodForm(request.GET or None)
    period = form.cleaned_data["period"] if form.is_valid() else Period.default()
    if not form.is_bound:
        form = PeriodForm(initial=PeriodForm.initial_for(period))
    release = selectors.dashboard_release(period)
    return render(request, "stats/dashboard.html", {
        "form": form, "release": release, "period": period,
        "sections": presentation.dashboard_sections(release),
        "formats": ExportFormat.choices,
    })


@access(ADMIN_ONLY)
@require_http_methods(["GET", "POST"])
def exports(request):
    """Your recent exports; POST queues a new one and shows its progress."""
    if request.method == "POST":
        form = ExportForm(request.POST)
        if form.is_valid():
            job = services.export_request(
                actor=request.user, period=form.cleaned_data["period"],
                export_format=form.cleaned_data["format"], language=get_language())
            messages.success(request, _("Export requested. This page shows when the file is "
                                        "ready."))
            return redirect("stats:export_job", pk=job.pk)
        messages.error(request, _("The export was not requested: check the period and the "
                                  "format."))
    else:
        form = ExportForm(initial={**PeriodForm.initial_for(Period.default()), "format": "csv"})
    return render(request, "stats/exports.html", {
        "form": form, "jobs": selectors.recent_export_jobs_of(request.user)})


@access(ADMIN_ONLY)
@require_http_methods(["GET"])
def export_job(request, pk):
    """Progress (the page refreshes itself while the file is being prepared), then the link."""
    job = selectors.export_job_of(request.user, pk)
    if job is None:
        raise Http404
    return render(request, "stats/export_job.html", {
        "job": job, "refresh_seconds": PROGRESS_REFRESH_SECONDS if job.is_pending else None})


@access(ADMIN_ONLY)
@require_http_methods(["GET"])
def export_download(request, pk):
    job = selectors.export_job_of(request.user, pk)
    if job is None:
        raise Http404
    if job.is_pending:
        return redirect("stats:export_job", pk=job.pk)
    try:
        opened = services.export_open(actor=request.user, job=job)
    except services.ExportUnavailable:
        services.exports_purge_expired()
        job.refresh_from_db()
        return render(request, "stats/export_job.html", {"job": job, "unavailable": True},
                      status=410)
    response = HttpResponse(opened.content, content_type=opened.content_type)
    response["Content-Disposition"] = content_disposition_header(True, opened.download_name)
    response["Content-Length"] = str(len(opened.content))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    response["Content-Security-Policy"] = DOWNLOAD_CSP
    return response
