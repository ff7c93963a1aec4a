"""Legal comparison words and exact growth arithmetic (Civil Code art. 1259; DESIGN.md)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from zc_review.core.thresholds import (
    Comparison,
    cagr,
    compare,
    compare_growth,
    format_number,
    format_percent,
    share,
)

D = Decimal

# (word, result below the threshold, at it, above it)
WORDS = [
    (Comparison.AT_LEAST, False, True, True),
    (Comparison.NOT_BELOW, False, True, True),
    (Comparison.OVER, False, False, True),
    (Comparison.AT_MOST, True, True, False),
    (Comparison.WITHIN, True, True, False),
    (Comparison.NOT_OVER, True, True, False),
    (Comparison.UNDER, True, False, False),
    (Comparison.BELOW, True, False, False),
]


@pytest.mark.parametrize(("word", "below", "at", "above"), WORDS)
def test_each_word_at_below_and_above_its_threshold(
    word: Comparison, below: bool, at: bool, above: bool
) -> None:
    assert compare(D("69.99"), D(70), word) is below
    assert compare(D("70.00"), D(70), word) is at
    assert compare(D("70.01"), D(70), word) is above


def test_inclusive_words_are_exactly_those_of_civil_code_1259() -> None:
    inclusive = {w.value for w in Comparison if w.inclusive}
    assert inclusive == {"以上", "以下", "以内", "不低于", "不超过"}
    assert {w.value for w in Comparison if not w.inclusive} == {"超过", "不满", "低于"}


def test_members_are_the_chinese_words() -> None:
    assert Comparison("不低于") is Comparison.NOT_BELOW
    assert Comparison("超过") is Comparison.OVER


def test_compare_mixes_decimal_and_fraction_exactly() -> None:
    assert compare(Fraction(7, 10), D("0.7"), Comparison.NOT_BELOW)
    assert not compare(Fraction(7, 10), D("0.7"), Comparison.OVER)
    # One third is below 0.3333333333 3333333333 3333333334 however many digits Decimal keeps.
    assert compare(Fraction(1, 3), D("0.3333333333333333333333333334"), Comparison.BELOW)


def test_floats_are_refused_because_their_binary_value_is_not_what_was_typed() -> None:
    with pytest.raises(TypeError):
        compare(0.7, D("0.7"), Comparison.NOT_BELOW)  # type: ignore[arg-type]


def test_share_is_exact_and_undefined_for_zero_total() -> None:
    assert share(D(70), D(100)) == Fraction(7, 10)
    assert share(D("72.5"), D(100)) == Fraction(29, 40)
    assert share(D(1), D(0)) is None


@pytest.mark.parametrize(
    ("first", "last", "years", "expected"),
    [
        (1000, 1331, 3, True),  # exactly 10% a year: 以上 includes it
        (1000, 1330, 3, False),  # just below
        (1000, 1332, 3, True),  # just above
        (100, 121, 2, True),
        (100, 120, 2, False),
        (10**10, 11**10, 10, True),  # 1.1 ** 10 exactly, where floats go astray
        (10**10, 11**10 - 1, 10, False),
        (D("1.00"), D("1.10"), 1, True),
    ],
)
def test_growth_of_exactly_ten_percent_passes(first: int, last: int, years: int, expected: bool) -> None:
    assert compare_growth(first, last, years, D("0.1"), Comparison.AT_LEAST) is expected


def test_float_arithmetic_would_get_the_boundary_wrong_but_compare_growth_does_not() -> None:
    # The reason for exact arithmetic: 1.1 ** 3 in floats is 1.3310000000000004 > 1.331.
    assert 1000 * 1.1**3 > 1331
    assert compare_growth(1000, 1331, 3, D("0.1"), Comparison.AT_LEAST) is True


@pytest.mark.parametrize(
    ("first", "last", "years"),
    [(0, 10, 2), (-5, 10, 2), (10, -1, 2), (10, 20, 0)],
)
def test_growth_is_undefined_without_a_positive_start_or_a_period(first: int, last: int, years: int) -> None:
    assert compare_growth(first, last, years, D("0.1"), Comparison.AT_LEAST) is None
    assert cagr(first, last, years) is None


def test_cagr_returns_exact_roots_exactly() -> None:
    assert cagr(1000, 1331, 3) == D("0.1")
    assert cagr(100, 121, 2) == D("0.1")
    assert cagr(10**10, 11**10, 10) == D("0.1")
    assert cagr(100, 100, 5) == 0
    assert cagr(100, 50, 1) == D("-0.5")
    assert cagr(5, 0, 2) == -1


def test_cagr_just_below_ten_percent_stays_below() -> None:
    rate = cagr(1000, 1330, 3)
    assert rate is not None
    assert D("0.0997") < rate < D("0.1")


def test_format_percent_never_rounds_a_failing_value_onto_the_boundary() -> None:
    assert format_percent(Fraction(29, 40)) == "72.50%"
    assert format_percent(Fraction(7, 10), boundary=D("0.7")) == "70.00%"
    assert format_percent(Fraction(69996, 100000), boundary=D("0.7")) == "69.996%"
    assert format_percent(Fraction(69996, 100000)) == "70.00%"  # without a boundary, plain rounding
    assert format_percent(D("0.7"), places=0) == "70%"


def test_format_number_has_no_exponent_or_trailing_zeros() -> None:
    assert format_number(D("200000")) == "200000"
    assert format_number(D("3.20")) == "3.2"
    assert format_number(7) == "7"
