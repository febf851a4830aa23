"""Pagination whose cost does not grow with the table.

Django's ``Paginator`` counts every matching row to number the pages; on the case list of a
network with 75 000 active cases that count is a scan of all of them (90 ms once autovacuum
lags behind a re-screen), for a total nobody reads past "a lot". ``BoundedPaginator`` counts at
most ``limit`` rows (``SELECT COUNT(*) FROM (… LIMIT limit + 1)``, which stops at the limit) and
pages through those; beyond it the page says "more than N" and asks for a filter, as the Django
admin does with ``show_full_result_count = False``. The exact figures belong to the statistics.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property

DEFAULT_LIMIT = 1000


class BoundedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, limit: int = DEFAULT_LIMIT, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.limit = limit

    @cached_property
    def bounded_count(self) -> int:
        """How many rows match, counted up to ``limit + 1`` (one more tells "more")."""
        return self.object_list[: self.limit + 1].count()

    @cached_property
    def count(self) -> int:
        """The rows that can be paged through: all of them, or the first ``limit``."""
        return min(self.bounded_count, self.limit)

    @property
    def has_more(self) -> bool:
        """Whether more rows match than are paged through (the count shown is "N+")."""
        return self.bounded_count > self.limit
