"""Response headers that Django and django-csp do not set.

* ``Cache-Control: no-store`` on every response that reaches Django (static files are served
  earlier by WhiteNoise): pages carry confidential data and must not sit in any cache.
* ``Clear-Site-Data`` when a session ends (logout, or expiry detected by
  ``SessionLifetimeMiddleware``, which sets ``request.session_ended``).
* ``Permissions-Policy`` denying powerful features, and ``Cross-Origin-Resource-Policy``.
"""

from django.utils.cache import add_never_cache_headers

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
        add_never_cache_headers(response)
        response["Cache-Control"] = "no-store"
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if session_ended(request, response):
            response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response
