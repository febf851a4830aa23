"""Views of the partner directory.

Network staff (counsellors, coordinators, admins) browse the directory; a partner user reports
capacity and the accepting switch for their own organisation's services only (any other
service is a 404); an admin may do so for any partner.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from northstar.accounts.models import Organisation, Role
from northstar.accounts.permissions import access, roles
from referrals.directory import selectors, services
from referrals.directory.permissions import services_editable_by
from referrals.directory.selectors import DirectoryFilter
from referrals.forms_directory import CapacityForm, DirectoryFilterForm

DIRECTORY_READERS = roles(Role.COORDINATOR, Role.COUNSELLOR, Role.ADMIN)
CAPACITY_EDITORS = roles(Role.PARTNER, Role.ADMIN)
PAGE_SIZE = 25
FILTER_FIELDS = ("service_type", "province", "language", "accepting_only")


@access(DIRECTORY_READERS)
@require_http_methods(["GET"])
def partner_list(request):
    form = DirectoryFilterForm(request.GET or None)
    directory_filter = form.directory_filter() if form.is_bound and form.is_valid() \
        else DirectoryFilter()
    partners = selectors.directory_list_for(request.user, directory_filter)
    page = Paginator(partners, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode([(name, request.GET[name]) for name in FILTER_FIELDS
                       if request.GET.get(name)])
    return render(request, "referrals/directory/partner_list.html",
                  {"form": form, "page": page, "query": query,
                   "filtered": not directory_filter.is_empty})


@access(DIRECTORY_READERS)
@require_http_methods(["GET"])
def partner_detail(request, pk: int):
    try:
        organisation = selectors.directory_partner_for(request.user, pk)
    except Organisation.DoesNotExist as error:
        raise Http404 from error
    return render(request, "referrals/directory/partner_detail.html", {
        "organisation": organisation,
        "profile": organisation.partner_profile,
        "can_edit_capacity": request.user.has_role(Role.ADMIN),
        "agreement": selectors.agreement_in_force(organisation),
    })


@access(roles(Role.PARTNER))
@require_http_methods(["GET"])
def own_services(request):
    organisation = request.user.organisation
    return render(request, "referrals/directory/own_services.html", {
        "organisation": organisation,
        "services": selectors.services_of_organisation(organisation.pk),
    })


@access(CAPACITY_EDITORS)
@require_http_methods(["GET", "POST"])
def service_capacity(request, pk: int):
    service = get_object_or_404(services_editable_by(request.user).select_related(
        "organisation"), pk=pk)
    initial = {"capacity_available": service.capacity_available,
               "capacity_maximum": service.capacity_maximum,
               "accepting_referrals": service.accepting_referrals}
    form = CapacityForm(request.POST if request.method == "POST" else None, initial=initial,
                        unit=service.capacity_unit)
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_service_capacity_update(
                actor=request.user, service=service,
                available=form.cleaned_data["capacity_available"],
                maximum=form.cleaned_data["capacity_maximum"],
                accepting_referrals=form.cleaned_data["accepting_referrals"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Capacity saved."))
            if request.user.has_role(Role.PARTNER):
                return redirect("directory:own_services")
            return redirect("directory:partner_detail", pk=service.organisation_id)
    return render(request, "referrals/directory/service_capacity.html",
                  {"service": service, "form": form})
