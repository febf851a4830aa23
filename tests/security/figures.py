"""The access section's figures for docs/SECURITY.md, computed from the very tables the tests
walk (each test also asserts its own share of them).

``DJANGO_SETTINGS_MODULE=northstar.settings.test .venv/bin/python -m tests.security.figures``
"""

from __future__ import annotations


def figures() -> dict[str, dict]:
    from tests.security import test_csrf, test_get_is_safe, test_mass_assignment
    from tests.security import test_object_level as object_level
    from tests.security.matrix_coverage import coverage
    from tests.security.targets import TARGETS
    from tests.security.test_access_matrix import PATTERNS

    admin_site = [name for name, _, _ in PATTERNS if name.startswith("admin:")]
    ours = len(PATTERNS) - len(admin_site)
    prepared = sum(1 for name, _, _ in PATTERNS
                   if not name.startswith("admin:") and TARGETS[name].prepare)
    identifiers = object_level.IDENTIFIER_PATTERNS
    return {
        "matrix": coverage(),
        "object_level": {
            "patterns": len(identifiers),
            "admin_site_patterns": sum(1 for name in identifiers if name.startswith("admin:")),
            "attempts": object_level.planned_attempts(),
        },
        "mass_assignment": {
            "post_urls": len(test_mass_assignment.POST_URLS),
            "forms": len(test_mass_assignment.FORMS),
            "attack_fields": len(test_mass_assignment.ATTACK_FIELDS),
        },
        "csrf": {
            "state_changing_patterns": len(test_csrf.STATE_CHANGING),
            "of_the_django_admin": len(test_csrf.STATE_CHANGING) - len(test_csrf.OURS),
            "methods": len(test_csrf.UNSAFE_METHODS),
            "requests_without_token": len(test_csrf.STATE_CHANGING)
            * len(test_csrf.UNSAFE_METHODS),
            "checked_with_token": len(test_csrf.OURS),
        },
        "get": {
            "patterns": len(PATTERNS),
            "requests": ours * len(test_get_is_safe.GET_PERSONAS) + prepared
            + len(admin_site) * len(test_get_is_safe.ADMIN_SITE_PERSONAS),
            "personas": len(test_get_is_safe.GET_PERSONAS),
        },
    }


if __name__ == "__main__":
    import django

    django.setup()
    for part, values in figures().items():
        print(part, values)
