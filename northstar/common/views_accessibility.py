"""The accessibility statement (``/accessibility/``), linked from every page's footer."""

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from northstar.accounts.permissions import PUBLIC, access


@access(PUBLIC)
@require_http_methods(["GET"])
def accessibility_statement(request):
    return render(request, "accessibility.html")
