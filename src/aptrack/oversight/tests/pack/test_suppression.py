from decimal import Decimal

import pytest

from aptrack.oversight.measures.periods import Period
from aptrack.oversight.pack import suppression
from aptrack.oversight.pack.formatting import format_change, format_value
from aptrack.oversight.tests.pack_samples import sample_dashboard

AUTUMN = Period.term(2026, 0)


@pytest.mark.parametrize(
    ("count", "shown"),
    [(0, 0), (1, "c"), (2, "c"), (3, "c"), (4, "c"), (5, 5), (6, 6), (None, None)],
)
def test_counts_of_one_to_four_children_are_shown_as_c(count: int | None, shown: object) -> None:
    assert suppression.suppress_count(count) == shown


def test_a_rate_resting_on_fewer_than_five_children_is_suppressed() -> None:
    assert suppression.suppress(Decimal("75.0"), 4) == "c"
    assert suppression.suppress(Decimal("75.0"), 5) == Decimal("75.0")
    assert suppression.suppress(Decimal("0.0"), 0) == Decimal("0.0")


def test_a_percentage_of_fewer_than_five_children_is_suppressed_even_when_none_are_counted() -> (
    None
):
    from aptrack.oversight.measures.catalogue import Figure

    none_of_three = Figure("sixth_day_compliance", "S", Decimal("0.0"), "percent", 0, None, of=3)
    thirty_of_forty = Figure("ehcp_share", "E", Decimal("75.0"), "percent", 30, None, of=40)
    assert suppression.suppress_figure(none_of_three).value == "c"
    assert suppression.suppress_figure(thirty_of_forty).value == Decimal("75.0")
    # A count with a denominator is judged on its own count.
    persistent = Figure("persistent_absence", "P", 12, "count", 12, None, of=3)
    assert suppression.suppress_figure(persistent).value == 12


def test_figures_with_no_count_are_left_alone() -> None:
    assert suppression.suppress(Decimal("12.5"), None) == Decimal("12.5")


def test_the_threshold_can_be_changed() -> None:
    assert suppression.suppress(9, 9, threshold=10) == "c"
    assert suppression.suppress(10, 10, threshold=10) == 10


def test_publication_copy_of_a_dashboard_suppresses_small_figures_and_rows_only() -> None:
    original = sample_dashboard("Dorset", AUTUMN)
    published = suppression.suppress_dashboard(original)

    assert published.figure("children_in_ap").value == 40
    assert published.figure("looked_after_in_ap").value == "c"
    assert published.figure("sixth_day_compliance").value == "c"  # 75% of 4 children
    assert published.figure("ehcp_share").value == Decimal("80.0")
    assert published.figure("open_ended").value == 0
    assert published.figure("attendance_rate").value is None
    tiers = [row.value for row in published.breakdown("by_tier").rows]
    assert tiers == ["c", 30, 8]
    rates = [row.value for row in published.breakdown("attendance_by_provider_type").rows]
    assert rates == [Decimal("61.5"), "c"]
    # The original is untouched.
    assert original.figure("looked_after_in_ap").value == 3
    assert original.breakdown("by_tier").rows[0].value == 2


def test_every_small_number_in_a_publication_copy_is_suppressed() -> None:
    published = suppression.suppress_dashboard(sample_dashboard("Dorset", AUTUMN))
    for section in published.sections:
        for figure in section.figures:
            if figure.count is not None and 0 < figure.count < 5:
                assert figure.value == "c", figure.key
        for breakdown in section.breakdowns:
            for row in breakdown.rows:
                if 0 < row.count < 5:
                    assert row.value == "c", row.label


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (1234, "count", "1,234"),
        (Decimal("57.45"), "percent", "57.5%"),
        (Decimal("123456.78"), "gbp", "£123,457"),
        (Decimal("276.4"), "days", "276.4 days"),
        (Decimal("12.5"), "weeks", "12.5 weeks"),
        ("c", "percent", "c"),
        (None, "count", "No data"),
    ],
)
def test_values_read_in_their_unit(value: object, unit: str, text: str) -> None:
    assert format_value(value, unit) == text


def test_changes_carry_a_sign_and_percentages_change_in_points() -> None:
    assert format_change(3, "count") == "+3"
    assert format_change(-3, "count") == "\u22123"
    assert format_change(Decimal("-2.5"), "percent") == "\u22122.5 points"
    assert format_change(0, "count") == "0"
    assert format_change("c", "count") == "c"
    assert format_change(None, "count") == "–"
