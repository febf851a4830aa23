"""Disclosure control for the anonymised statistics: no published number may single out anyone.

Pure Python, no Django: the caller passes k (``settings.STATS_MIN_CELL``) in.

Use
---
Build every table of one export from coarse categories (``coarsening``: province, quarter, age
band), with the same label list for a dimension in every table, hand them all to ``suppress``
at once, and publish what comes back::

    pairs = [(coarsen_geography(p), quarter_of(d)) for p, d in rows]  # from a selector
    tables = [
        Table.from_records("Intakes by province and quarter", population="intakes",
                           dimensions=(GEOGRAPHY, QUARTER), records=pairs,
                           labels=(GEOGRAPHY_LABELS, quarters)),
        Table.from_records("Intakes by province", population="intakes",
                           dimensions=(GEOGRAPHY,), records=[(p,) for p, _ in pairs],
                           labels=(GEOGRAPHY_LABELS,)),
    ]
    for protected in suppress(tables, min_cell=settings.STATS_MIN_CELL):
        write_csv(protected.name, protected.grid())  # ints and "<11" / "x" markers

What is published
-----------------
- Counts only, never a row per person, over categories no finer than province and quarter.
- Primary suppression: a count from 1 to k−1 is shown as ``"<k"`` (``"<11"``), wherever it is:
  an interior cell, a row or column total, the grand total.
- Complementary suppression: more counts, each ≥ k, are shown as ``"x"`` so that no ``"<k"``
  can be worked out from the others. They are not shown as ``"<k"``, which would be false.
- Zeros are published as 0. A zero says that nobody is in a category; it singles out no one. It
  matters only as one more exact equation an outsider can combine with margins (in a row whose
  other cells are all zero, a hidden cell equals the row total). The check below treats every
  published number, zeros included, as known, so a derivation that goes through zeros is found
  and blocked like any other. Zeros are never hidden as complements: that would make ``"x"``
  mean "zero or at least k" and weaken what the markers guarantee. When the zeros themselves
  give the people away and no non-zero number can help (ten people in ten different
  province × quarter cells, total ten: every "<11" must be 1), the population is *withheld*:
  every number of its tables, zeros and totals included, becomes ``"x"`` and
  ``ProtectedTable.withheld`` is true.

Who we protect against
----------------------
An outsider who knows this method and sees every table of the export: all published numbers,
every sum linking them — within a table, and across tables of the same population that share a
margin or the grand total (``"intakes by province"`` is the row total of ``"intakes by province
× quarter"``) — that counts are non-negative integers, and what each marker implies: ``"<k"``
is 1..k−1; ``"x"`` is ≥ k (every smaller non-zero count is already ``"<k"``), or ≥ 0 in a
withheld population.

Guarantee
---------
Every hidden number — cell, margin or total, in any table — can take at least two integer
values consistent with all of that. So no hidden number can be derived exactly: its exact range
has width ≥ 1, and is at least as wide under the weaker "non-negative only" reading of the
markers. ``tests/stats/test_disclosure_properties.py`` checks this with an LP over random data.

How
---
The linked tables of a population form one circulation network (``network``): each number is
an arc, each "sums to" is conservation at a node. For network matrices (totally unimodular)
a number can change, keeping everything published fixed and every bound, exactly when it lies on
a cycle of the residual graph, and then by a whole unit. That is a graph search: exact, no
floating point, no LP solver at run time.

1. Mark the primary cells (1..k−1).
2. For each primary cell in table order that cannot move, hide the cheapest set of published
   non-zero numbers that closes a residual cycle through it — Cox's network heuristic for
   complementary suppression; cost = the sum of the values hidden, then the number of cells,
   so small cells are hidden before large margins and totals. Every number on that cycle can
   then move by one, new ``"x"`` included. Hiding more only adds room to move, so a number once
   protected stays protected and one pass suffices.
3. If no set of published non-zero numbers can protect some cell, withhold the population.
4. Re-check every hidden number with the exact test; a failure raises instead of publishing.

The familiar rule "at least two hidden cells per row and column" is necessary but not
sufficient (two hidden blocks joined by one hidden cell, a bridge, satisfy it and still give that
cell away; a ``"<k"`` next to an ``"x"`` that can only be ≥ k may be pinned by the bound), which
is why the test is the exact cycle test rather than a count of hidden cells.

Deterministic: the same tables give the same pattern. Arcs are created, and primaries visited,
in the order the tables and their labels are given; among equally cheap protections the one
found first wins.

Supported links and known limits
--------------------------------
- Per population, one- and two-way tables whose two-way tables form paths (A×B and B×C is fine;
  A×B, A×C and A×D, or A×B, B×C and C×A, are refused with ``UnsupportedLinkageError``: their
  constraints are no longer a network, the cycle test stops being exact, and a non-empty real
  range need not hold two integers).
- Withholding a whole population is a blunt fallback. In random tests it happens when the total
  is below k, or with a very small k (3) when nearly every number is small.
- Different populations are assumed unrelated. If one count is a part of another (accepted
  referrals within referrals), put both in one population with a status dimension.
- Protection is at least one unit, not a percentage: a ``"<11"`` may be narrowed to "1 or 2".
- An outsider who re-runs the heuristic to reason about *why* a cell was chosen ("this ``x`` was
  the cheapest, so it is at most …") is not modelled, as in standard cell-suppression practice.
- Releases are protected one at a time. Two exports of overlapping data (another table set,
  a later date with revised counts) can be differenced; publish one fixed table set per period.
- Group attribute disclosure (all of a group in one category) is not addressed.
- The pattern is a good heuristic, not the minimum number of hidden cells.
"""

from stats.disclosure.coarsening import (
    AGE_BAND,
    AGE_BAND_LABELS,
    GEOGRAPHY,
    GEOGRAPHY_LABELS,
    OTHER_OR_UNKNOWN,
    PROVINCES_AND_TERRITORIES,
    QUARTER,
    UNKNOWN_AGE,
    age_band,
    age_band_on,
    age_on,
    check_coarse_labels,
    coarsen_geography,
    quarter_of,
)
from stats.disclosure.protection import DisclosureControlError
from stats.disclosure.publication import DEFAULT_MIN_CELL, suppress
from stats.disclosure.tables import (
    HIDDEN_MARKER,
    TOTAL_LABEL,
    InconsistentTablesError,
    ProtectedTable,
    Published,
    Table,
    UnsupportedLinkageError,
    small_count_marker,
)

__all__ = [
    "AGE_BAND",
    "AGE_BAND_LABELS",
    "DEFAULT_MIN_CELL",
    "GEOGRAPHY",
    "GEOGRAPHY_LABELS",
    "HIDDEN_MARKER",
    "OTHER_OR_UNKNOWN",
    "PROVINCES_AND_TERRITORIES",
    "QUARTER",
    "TOTAL_LABEL",
    "UNKNOWN_AGE",
    "DisclosureControlError",
    "InconsistentTablesError",
    "ProtectedTable",
    "Published",
    "Table",
    "UnsupportedLinkageError",
    "age_band",
    "age_band_on",
    "age_on",
    "check_coarse_labels",
    "coarsen_geography",
    "quarter_of",
    "small_count_marker",
    "suppress",
]
