"""The access matrix's coverage figure: URL patterns × personas × methods.

``python -m tests.security.matrix_coverage`` (with DJANGO_SETTINGS_MODULE set) prints it;
``test_access_matrix.test_matrix_covers_every_pattern_persona_and_method`` checks it.
"""

from __future__ import annotations


def coverage() -> dict:
    from tests.security.matrix_base import OTHER_METHODS, PERSONAS
    from tests.security.test_access_matrix import PATTERNS, row_for

    methods = ("GET", "POST", *OTHER_METHODS)
    return {
        "patterns": len(PATTERNS),
        "patterns_without_row": sorted(name for name, _, _ in PATTERNS if row_for(name) is None),
        "personas": len(PERSONAS),
        "methods": len(methods),
        "requests": len(PATTERNS) * len(PERSONAS) * len(methods),
    }


if __name__ == "__main__":
    import django

    django.setup()
    figure = coverage()
    covered = figure["patterns"] - len(figure["patterns_without_row"])
    print(f"{covered}/{figure['patterns']} URL patterns with a row "
          f"({100 * covered // max(figure['patterns'], 1)} %), {figure['personas']} personas, "
          f"{figure['methods']} methods: {figure['requests']} requests")
