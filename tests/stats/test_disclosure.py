"""Disclosure control on small hand-made tables, with the exact published result.

Each expected table is worked out in the docstring of its test; the property tests in
``test_disclosure_properties.py`` check the same promises over random data with an LP.
"""

from __future__ import annotations

import pytest

from stats.disclosure import (
    GEOGRAPHY,
    QUARTER,
    InconsistentTablesError,
    ProtectedTable,
    Table,
    UnsupportedLinkageError,
    small_count_marker,
    suppress,
)

K = 11
SMALL = "<11"
HIDDEN = "x"


def one_way(counts: list[int], *, population: str = "intakes") -> Table:
    labels = [f"d{index}" for index in range(len(counts))]
    return Table.one_way("one-way", population=population, dimension="d",
                         counts=dict(zip(labels, counts, strict=True)), labels=labels)


def two_way(grid: list[list[int]], rows: list[str], columns: list[str], *,
            name: str = "two-way", population: str = "intakes", dimensions=("r", "c")) -> Table:
    counts = {(row, column): grid[i][j] for i, row in enumerate(rows)
              for j, column in enumerate(columns)}
    return Table.two_way(name, population=population, rows=dimensions[0],
                         columns=dimensions[1], counts=counts, row_labels=rows,
                         column_labels=columns)


def published_column(table: ProtectedTable) -> list:
    """A one-way table's values, then its total."""
    return [row[1] for row in table.grid()[1:]]


def test_the_marker_names_k():
    assert small_count_marker(11) == "<11"
    assert small_count_marker(5) == "<5"


def test_a_table_without_small_counts_is_published_as_it_is():
    [published] = suppress([one_way([0, 11, 40])], min_cell=K)

    assert published_column(published) == [0, 11, 40, 51]
    assert published.withheld is False


def test_a_small_count_is_hidden_with_the_smallest_other_count():
    """3 is primary. With the total published it would be 53 − 20 − 30 − 0, so the cheapest
    other non-zero cell, 20, is hidden too; the zero stays (it protects nothing)."""
    [published] = suppress([one_way([3, 20, 30, 0])], min_cell=K)

    assert published_column(published) == [SMALL, HIDDEN, 30, 0, 53]


def test_two_small_counts_protect_each_other():
    """4 + 5 = 39 − 30 = 9 is known, but each of them can be anything from 1 to 8."""
    [published] = suppress([one_way([4, 5, 30])], min_cell=K)

    assert published_column(published) == [SMALL, SMALL, 30, 39]


def test_the_bound_a_hidden_cell_implies_is_taken_into_account():
    """Hiding the smallest other cell would give 1 + x = 23 − 11 = 12. But an "x" is known to be
    ≥ 11 (anything smaller would be "<11"), so "<11" = 12 − x ≤ 1: exactly 1, disclosed. The
    exact test sees it; the total is hidden instead ("<11" + 11 + 11 = x, x ≥ 23)."""
    [published] = suppress([one_way([1, 11, 11])], min_cell=K)

    assert published_column(published) == [SMALL, 11, 11, HIDDEN]


def test_a_small_total_is_hidden_too():
    """3 + 0 = 3: the only cell is the total, both "<11", both anything from 1 to 10."""
    [published] = suppress([one_way([3, 0])], min_cell=K)

    assert published_column(published) == [SMALL, 0, SMALL]


def test_two_way_small_cell_is_hidden_on_the_cheapest_cycle():
    """(A, Q1) = 2 needs a cycle of hidden cells to move along with every margin fixed: the
    cheapest is (A, Q1) (A, Q2) (B, Q2) (B, Q1), costing 30 + 35 + 25."""
    table = two_way([[2, 30, 40], [25, 35, 45], [50, 60, 70]], ["A", "B", "C"],
                    ["Q1", "Q2", "Q3"])

    [published] = suppress([table], min_cell=K)

    assert published.grid() == [
        ["r / c", "Q1", "Q2", "Q3", "Total"],
        ["A", SMALL, HIDDEN, 40, 72],
        ["B", HIDDEN, HIDDEN, 45, 105],
        ["C", 50, 60, 70, 180],
        ["Total", 77, 125, 155, 357],
    ]


def test_two_hidden_cells_per_row_and_column_are_not_enough():
    """Two hidden blocks, (A, B) × (Q1, Q2) and (C, D) × (Q3, Q4), joined by one hidden cell
    (B, Q3): every row and column has at least two "<11", yet (B, Q3) lies on no cycle. With
    the margins, rows A and B hide 7 + 13 = 20, of which columns Q1 and Q2 hold 8 + 10, so
    (B, Q3) = 2. The cheapest cell closing a cycle through it, (A, Q3) = 40, is hidden too."""
    grid = [[3, 4, 40, 45], [5, 6, 2, 50], [60, 65, 7, 8], [70, 75, 9, 4]]
    table = two_way(grid, ["A", "B", "C", "D"], ["Q1", "Q2", "Q3", "Q4"])
    small_per_row = [sum(1 <= count < K for count in row) for row in grid]
    small_per_column = [sum(1 <= row[j] < K for row in grid) for j in range(4)]
    assert min(small_per_row) >= 2 and min(small_per_column) >= 2

    [published] = suppress([table], min_cell=K)

    assert published.grid() == [
        ["r / c", "Q1", "Q2", "Q3", "Q4", "Total"],
        ["A", SMALL, SMALL, HIDDEN, 45, 92],
        ["B", SMALL, SMALL, SMALL, 50, 63],
        ["C", 60, 65, SMALL, SMALL, 140],
        ["D", 70, 75, SMALL, SMALL, 158],
        ["Total", 138, 150, 58, 107, 453],
    ]


PROVINCES = ["ON", "QC", "BC", "PE"]
QUARTERS = ["2026-Q1", "2026-Q2"]


def province_tables() -> tuple[Table, Table]:
    by_province_and_quarter = two_way(
        [[30, 25], [13, 13], [11, 16], [3, 2]], PROVINCES, QUARTERS,
        name="Intakes by province and quarter", dimensions=(GEOGRAPHY, QUARTER))
    by_province = Table.one_way("Intakes by province", population="intakes",
                                dimension=GEOGRAPHY,
                                counts=by_province_and_quarter.margin(GEOGRAPHY),
                                labels=PROVINCES)
    return by_province, by_province_and_quarter


def test_linked_tables_hide_the_same_margins():
    """"By province" is the row total of "by province and quarter": one pattern for both."""
    by_province, by_province_and_quarter = province_tables()

    one_way_table, two_way_table = suppress([by_province, by_province_and_quarter], min_cell=K)

    assert published_column(one_way_table) == [55, 26, HIDDEN, SMALL, 113]
    assert two_way_table.grid() == [
        ["geography / quarter", "2026-Q1", "2026-Q2", "Total"],
        ["ON", 30, 25, 55],
        ["QC", 13, 13, 26],
        ["BC", HIDDEN, HIDDEN, HIDDEN],
        ["PE", SMALL, SMALL, SMALL],
        ["Total", 57, 56, 113],
    ]


def test_protecting_linked_tables_one_by_one_would_give_a_small_count_away():
    """Alone, "by province" hides QC (26, its smallest) and "by province and quarter" hides BC
    (27 + 11 is its cheapest cycle). Side by side they publish ON, QC, BC and the total, so
    PE = 113 − 55 − 26 − 27 = 5. Protected together, they cannot."""
    by_province, by_province_and_quarter = province_tables()

    [alone_one_way] = suppress([by_province], min_cell=K)
    [alone_two_way] = suppress([by_province_and_quarter], min_cell=K)

    assert [alone_one_way.value(label) for label in PROVINCES] == [55, HIDDEN, 27, SMALL]
    assert [alone_two_way.row_totals[label] for label in PROVINCES] == [55, 26, HIDDEN, SMALL]
    assert alone_one_way.total == alone_two_way.total == 113
    assert by_province.count("PE") == 113 - 55 - 26 - 27


def test_a_table_shown_again_transposed_hides_the_same_cells():
    table = two_way([[2, 30, 40], [25, 35, 45], [50, 60, 70]], ["A", "B", "C"],
                    ["Q1", "Q2", "Q3"])
    transposed = Table.two_way("transposed", population="intakes", rows="c", columns="r",
                               counts={(column, row): count
                                       for (row, column), count in table.counts.items()},
                               row_labels=["Q1", "Q2", "Q3"], column_labels=["A", "B", "C"])

    published, published_transposed = suppress([table, transposed], min_cell=K)

    assert all(published.value(row, column) == published_transposed.value(column, row)
               for row in "ABC" for column in ("Q1", "Q2", "Q3"))
    assert published.value("A", "Q1") == SMALL


def test_a_one_way_table_reads_as_label_and_count_rows():
    [published] = suppress([one_way([3, 20, 30, 0])], min_cell=K)

    assert published.grid() == [["d", "Count"], ["d0", SMALL], ["d1", HIDDEN], ["d2", 30],
                                ["d3", 0], ["Total", 53]]
    assert published.row_totals == {} and published.column_totals == {}


def test_unrelated_populations_do_not_affect_each_other():
    intakes = one_way([3, 20, 30, 0], population="intakes")
    referrals = one_way([12, 30], population="referrals")

    protected_intakes, protected_referrals = suppress([intakes, referrals], min_cell=K)

    assert published_column(protected_intakes) == [SMALL, HIDDEN, 30, 0, 53]
    assert published_column(protected_referrals) == [12, 30, 42]


def test_zeros_that_place_every_person_withhold_the_population():
    """Ten people in ten different province × quarter cells, total 10. The zeros are exact:
    ten cells of at least 1 summing to at most 10 are all exactly 1, even with every non-zero
    number hidden. Nothing non-zero is left to hide, so the whole population is withheld."""
    labels = [str(index) for index in range(10)]
    grid = [[int(i == j) for j in range(10)] for i in range(10)]

    [published] = suppress([two_way(grid, labels, labels)], min_cell=K)

    assert published.withheld is True
    assert {value for row in published.grid()[1:] for value in row[1:]} == {HIDDEN}


def test_a_hidden_total_can_save_a_sparse_table():
    """Twelve people on a diagonal, total 12: with the total published each "<11" is exactly 1.
    Hiding the total (known only to be ≥ 11) leaves room, and the zeros stay published."""
    labels = [chr(ord("A") + index) for index in range(12)]
    grid = [[int(i == j) for j in range(12)] for i in range(12)]

    [published] = suppress([two_way(grid, labels, labels)], min_cell=K)

    assert published.withheld is False
    assert published.total == HIDDEN
    assert published.value("A", "A") == SMALL and published.value("A", "B") == 0
    assert set(published.row_totals.values()) == set(published.column_totals.values()) == {SMALL}


def test_the_same_tables_always_give_the_same_pattern():
    by_province, by_province_and_quarter = province_tables()

    first = suppress([by_province, by_province_and_quarter], min_cell=K)
    second = suppress([by_province, by_province_and_quarter], min_cell=K)

    assert first == second


def test_k_must_leave_a_small_count_uncertain():
    """"<2" would say "exactly 1"."""
    with pytest.raises(ValueError, match="at least 3"):
        suppress([one_way([1, 20])], min_cell=2)


def test_linked_tables_must_use_the_same_labels():
    _, by_province_and_quarter = province_tables()
    fewer_labels = Table.one_way("Intakes by province", population="intakes",
                                 dimension=GEOGRAPHY, counts={"ON": 55, "QC": 26, "BC": 32})

    with pytest.raises(InconsistentTablesError, match="same labels"):
        suppress([fewer_labels, by_province_and_quarter], min_cell=K)


def test_linked_tables_must_agree_on_their_margins():
    _, by_province_and_quarter = province_tables()
    wrong = Table.one_way("Intakes by province", population="intakes", dimension=GEOGRAPHY,
                          counts={"ON": 55, "QC": 26, "BC": 27, "PE": 6})

    with pytest.raises(InconsistentTablesError):
        suppress([wrong, by_province_and_quarter], min_cell=K)


def test_one_way_tables_of_a_population_must_agree_on_the_total():
    first = Table.one_way("by d", population="intakes", dimension="d", counts={"a": 5})
    second = Table.one_way("by e", population="intakes", dimension="e", counts={"b": 6})

    with pytest.raises(InconsistentTablesError):
        suppress([first, second], min_cell=K)


def single_cell_table(rows: str, columns: str) -> Table:
    """12 intakes in one category of each dimension (labelled like the dimension)."""
    return two_way([[12]], [rows], [columns], name=f"{rows}×{columns}",
                   dimensions=(rows, columns))


def test_three_two_way_tables_around_one_dimension_are_refused():
    tables = [single_cell_table("r", other) for other in ("c", "d", "e")]

    with pytest.raises(UnsupportedLinkageError, match="more than two"):
        suppress(tables, min_cell=K)


def test_two_way_tables_in_a_cycle_are_refused():
    tables = [single_cell_table(*pair) for pair in (("r", "c"), ("c", "d"), ("d", "r"))]

    with pytest.raises(UnsupportedLinkageError, match="cycle"):
        suppress(tables, min_cell=K)


def test_a_path_of_two_way_tables_is_accepted():
    tables = [single_cell_table(*pair) for pair in (("r", "c"), ("c", "d"))]

    assert [table.total for table in suppress(tables, min_cell=K)] == [12, 12]


@pytest.mark.parametrize(("dimension", "label"), [
    (GEOGRAPHY, "Toronto"),
    (GEOGRAPHY, "US-TX"),
    (QUARTER, "2026-03"),
    (QUARTER, "2026-03-14"),
    ("age_band", "23"),
])
def test_labels_finer_than_the_published_categories_are_refused(dimension, label):
    with pytest.raises(ValueError, match="not a published category"):
        Table.one_way("t", population="intakes", dimension=dimension, counts={label: 12})


@pytest.mark.parametrize("count", [-1, 1.5, True])
def test_counts_must_be_non_negative_integers(count):
    with pytest.raises(ValueError, match="non-negative integers"):
        Table.one_way("t", population="intakes", dimension="d", counts={"a": count})


def test_counts_must_use_the_given_labels():
    with pytest.raises(ValueError, match="not a combination"):
        Table.one_way("t", population="intakes", dimension="d", counts={"b": 1}, labels=["a"])


def test_records_are_counted_into_a_table():
    table = Table.from_records(
        "t", population="intakes", dimensions=(GEOGRAPHY, QUARTER),
        records=[("ON", "2026-Q1"), ("ON", "2026-Q1"), ("QC", "2026-Q2")],
        labels=[["ON", "QC", "PE"], ["2026-Q1", "2026-Q2"]])

    assert table.count("ON", "2026-Q1") == 2
    assert table.count("PE", "2026-Q2") == 0
    assert table.margin(GEOGRAPHY) == {"ON": 2, "QC": 1, "PE": 0}
    assert table.total == 3
