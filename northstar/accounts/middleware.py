"""Deny-by-default access, MFA enforcement and the absolute session lifetime."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from northstar.accounts.mfa import session_is_mfa_verified, user_has_mfa
from northstar.accounts.permissions import policy_for
from northstar.accounts.receivers import LOGIN_AT_KEY
from northstar.audit.services import audit_record
from northstar.common.views import permission_denied

logger = logging.getLogger(__name__)


API_PREFIX = "/api/"


def is_api_request(request) -> bool:
    """Whether the request is for a JSON endpoint (a view whose policy says ``api``, or any
    path under /api/): those answer 401/403 in JSON, never with a redirect to a page."""
    if request.path_info.startswith(API_PREFIX):
        return True
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return False
    policy = policy_for(match)
    return policy is not None and policy.api


class SessionLifetimeMiddleware:
    """End a session 12 hours after login however active it is (idle expiry is the session
    backend's: SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST, after which
    ``AccessPolicyMiddleware`` sees an anonymous user). A JSON endpoint gets 401 in JSON, a
    page the redirect to the login page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.setdefault(LOGIN_AT_KEY, time.time())
            if time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                audit_record("auth.session_expired", actor=user, target=user)
                logout(request)
                request.session_ended = True
                if is_api_request(request):
                    return JsonResponse({"errors": [{"message": "session expired"}]},
                                        status=401)
                messages.info(request, _("Your session has ended. Please sign in again."))
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class AccessPolicyMiddleware:
    """Enforce each view's declared policy (``northstar.accounts.permissions``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        policy = policy_for(request.resolver_match)
        if policy is None:
            logger.warning("view without access policy: %s", request.resolver_match.view_name)
            return permission_denied(request)
        if policy.anonymous:
            return None
        user = request.user
        if not user.is_authenticated:
            if policy.api:
                return JsonResponse({"errors": [{"message": "authentication required"}]},
                                    status=401)
            return redirect_to_login(request.get_full_path())
        if not session_is_mfa_verified(request):
            if policy.before_mfa:
                return None
            return self.require_mfa(request, policy)
        if not policy.allows(user):
            if policy.api:
                return JsonResponse({"errors": [{"message": "forbidden"}]}, status=403)
            return permission_denied(request)
        return None

    def require_mfa(self, request, policy):
        if policy.api:
            return JsonResponse({"errors": [{"message": "two-factor authentication required"}]},
                                status=403)
        if user_has_mfa(request.user):
            # A session that skipped the second factor it has: start the login again.
            logout(request)
            request.session_ended = True
            return redirect_to_login(request.get_full_path())
        messages.info(request, _("Set up two-factor authentication to continue."))
        return redirect("mfa_activate_totp")
