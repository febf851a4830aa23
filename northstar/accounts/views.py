from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from northstar.accounts import selectors, services
from northstar.accounts.forms import AcceptInvitationForm, InvitationForm, RolesForm
from northstar.accounts.home import home_for
from northstar.accounts.models import Invitation, User
from northstar.accounts.permissions import ADMIN_ONLY, PUBLIC, SIGNED_IN, access

PAGE_SIZE = 50


@access(SIGNED_IN)
@require_http_methods(["GET"])
def home(request):
    """One page for everyone: a section per role held (``northstar.accounts.home``)."""
    return render(request, "accounts/home.html", {"home": home_for(request.user),
                                                  "roles": request.user.roles})


INVITATION_SESSION_KEY = "northstar_invitation_token"


@access(PUBLIC)
@require_http_methods(["GET"])
def invitation_open(request, token: str):
    """The e-mailed link. Like Django's password reset, move the token into the session and
    redirect, so it does not stay in the address bar, history or Referer of the form page."""
    try:
        services.invitation_for_token(token)
    except services.InvitationInvalid:
        return render(request, "accounts/invitation_invalid.html", status=404)
    request.session[INVITATION_SESSION_KEY] = token
    return redirect("accounts:invitation_accept")


@access(PUBLIC)
@require_http_methods(["GET", "POST"])
def invitation_accept(request):
    token = request.session.get(INVITATION_SESSION_KEY, "")
    try:
        invitation = services.invitation_for_token(token)
    except services.InvitationInvalid:
        return render(request, "accounts/invitation_invalid.html", status=404)
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                token=token,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except services.InvitationInvalid:
            return render(request, "accounts/invitation_invalid.html", status=404)
        except ValidationError as error:
            form.add_error("password1", error)
        else:
            request.session.pop(INVITATION_SESSION_KEY, None)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Your account is ready. Now set up two-factor "
                                        "authentication."))
            return redirect("mfa_activate_totp")
    return render(request, "accounts/invitation_accept.html",
                  {"form": form, "invitation": invitation})


@access(ADMIN_ONLY)
@require_http_methods(["GET"])
def user_list(request):
    page = Paginator(selectors.users_for_admin(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html",
                  {"page": page, "invitations": selectors.pending_invitations()[:50]})


@access(ADMIN_ONLY)
@require_http_methods(["GET", "POST"])
def invitation_create(request):
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Invitation sent. The link works once, for 72 hours."))
            return redirect("accounts:user_list")
    return render(request, "accounts/invitation_form.html", {"form": form})


@access(ADMIN_ONLY)
@require_http_methods(["POST"])
def invitation_revoke(request, pk: int):
    invitation = get_object_or_404(Invitation, pk=pk)
    services.invitation_revoke(actor=request.user, invitation=invitation)
    messages.success(request, _("Invitation revoked."))
    return redirect("accounts:user_list")


@access(ADMIN_ONLY)
@require_http_methods(["GET", "POST"])
def user_edit(request, pk: int):
    account = get_object_or_404(User.objects.select_related("organisation"), pk=pk)
    form = RolesForm(request.POST or None,
                     initial={"roles": [role.value for role in account.roles]})
    if request.method == "POST" and form.is_valid():
        try:
            services.user_roles_set(actor=request.user, user=account,
                                    roles=form.cleaned_data["roles"],
                                    keep_session_key=request.session.session_key)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Roles saved."))
            return redirect("accounts:user_list")
    return render(request, "accounts/user_edit.html", {"account": account, "form": form})


@access(ADMIN_ONLY)
@require_http_methods(["POST"])
def user_set_active(request, pk: int):
    account = get_object_or_404(User, pk=pk)
    active = request.POST.get("active") == "1"
    try:
        services.user_set_active(actor=request.user, user=account, active=active)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Account activated.") if active
                         else _("Account deactivated."))
    return redirect("accounts:user_list")
