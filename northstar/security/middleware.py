"""Response headers that Django and django-csp do not set, on every response.

The outermost middleware, so that it sees every response: pages and errors from any inner
layer, WhiteNoise's static files and SecurityMiddleware's redirect to HTTPS (neither passes
through django-csp or XFrameOptionsMiddleware).

* ``Cache-Control: no-store`` on every response but a static file (public, and cacheable as
  WhiteNoise says): pages carry confidential data and must not sit in any cache.
* ``Clear-Site-Data`` when a session ends (logout, or expiry detected by
  ``SessionLifetimeMiddleware``, which sets ``request.session_ended``).
* ``Permissions-Policy`` denying powerful features, and ``Cross-Origin-Resource-Policy``.
* The Content-Security-Policy of the settings (without a nonce: no script of the response
  needs one) and ``X-Frame-Options`` on a response that did not get them further in.
"""

from csp.constants import HEADER as CSP_HEADER
from csp.utils import build_policy
from django.conf import settings
from django.utils.cache import add_never_cache_headers
from whitenoise.middleware import WhiteNoiseFileResponse

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), browsing-topics=()"
)
CLEAR_SITE_DATA = '"cache", "cookies", "storage"'


def session_ended(request, response) -> bool:
    if getattr(request, "session_ended", False):
        return True
    match = getattr(request, "resolver_match", None)
    return (
        match is not None
        and match.url_name == "account_logout"
        and request.method == "POST"
        and response.status_code in (200, 302, 303)
    )


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not isinstance(response, WhiteNoiseFileResponse):
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store"
        if CSP_HEADER not in response:
            response[CSP_HEADER] = build_policy()
        response.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if session_ended(request, response):
            response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response
