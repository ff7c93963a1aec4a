"""Threshold comparisons as PRC legal texts mean them, in exact arithmetic.

Civil Code art. 1259: 以上、以下、以内、不低于、不超过 include the number itself;
超过、不满、低于 exclude it. So a share of exactly 70% is 不低于70%, a share of
exactly 60% is not 超过60%, and growth of exactly 10% a year is 年均增长10%以上.

Every comparison here is done on ``Fraction`` values so that no float or
Decimal rounding can move a value across a boundary.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext
from enum import StrEnum
from fractions import Fraction

Number = Decimal | Fraction | int


class Comparison(StrEnum):
    """A legal comparison word; the value is the Chinese word itself."""

    AT_LEAST = "以上"  # >= (includes the number)
    AT_MOST = "以下"  # <= (includes the number)
    WITHIN = "以内"  # <= (includes the number)
    NOT_BELOW = "不低于"  # >=
    NOT_OVER = "不超过"  # <=
    OVER = "超过"  # >  (excludes the number)
    UNDER = "不满"  # <  (excludes the number)
    BELOW = "低于"  # <  (excludes the number)

    @property
    def inclusive(self) -> bool:
        """Whether the threshold itself satisfies the comparison."""
        return self in _INCLUSIVE

    @property
    def upward(self) -> bool:
        """Whether the comparison asks for values at or above the threshold."""
        return self in _UPWARD

    @property
    def label_en(self) -> str:
        """The English rendering used in bilingual messages."""
        return _ENGLISH[self]


_INCLUSIVE = frozenset(
    {Comparison.AT_LEAST, Comparison.AT_MOST, Comparison.WITHIN, Comparison.NOT_BELOW, Comparison.NOT_OVER}
)
_UPWARD = frozenset({Comparison.AT_LEAST, Comparison.NOT_BELOW, Comparison.OVER})
_ENGLISH = {
    Comparison.AT_LEAST: "at least",
    Comparison.AT_MOST: "at most",
    Comparison.WITHIN: "within",
    Comparison.NOT_BELOW: "not below",
    Comparison.NOT_OVER: "not over",
    Comparison.OVER: "more than",
    Comparison.UNDER: "less than",
    Comparison.BELOW: "below",
}


def _exact(value: Number) -> Fraction:
    # Fraction(Decimal) is exact; refuse floats, whose binary value is not what was typed.
    if isinstance(value, float):
        raise TypeError("thresholds are compared exactly; pass Decimal, Fraction or int, not float")
    return Fraction(value)


def compare(value: Number, threshold: Number, word: Comparison) -> bool:
    """Whether ``value`` satisfies "``word`` ``threshold``" (e.g. 不低于 70) in exact arithmetic."""
    v, t = _exact(value), _exact(threshold)
    if word.upward:
        return v >= t if word.inclusive else v > t
    return v <= t if word.inclusive else v < t


def share(part: Number, whole: Number) -> Fraction | None:
    """``part / whole`` as an exact fraction (0.7 for 70%), or None when ``whole`` is not positive."""
    w = _exact(whole)
    if w <= 0:
        return None
    return _exact(part) / w


def compare_growth(first: Number, last: Number, years: int, rate: Number, word: Comparison) -> bool | None:
    """Whether the compound annual growth from ``first`` to ``last`` over ``years`` satisfies
    "年均增长 ``word`` ``rate``" (``rate`` as a fraction: 0.1 for 10%).

    Compares ``last / first`` with ``(1 + rate) ** years`` exactly instead of taking a root,
    which is equivalent because x -> x ** (1/years) is increasing. None when growth is undefined
    (fewer than one year, a first value that is not positive, a negative last value).
    """
    f, la, r = _exact(first), _exact(last), _exact(rate)
    if years <= 0 or f <= 0 or la < 0 or r <= -1:
        return None
    return compare(la / f, (1 + r) ** years, word)


def cagr(first: Number, last: Number, years: int) -> Decimal | None:
    """The compound annual growth rate from ``first`` to ``last`` over ``years`` (0.1 for 10%).

    Exact roots come back exact (1000 -> 1331 over 3 years gives ``Decimal("0.1")``); other
    values carry 28 significant digits. For deciding a threshold use :func:`compare_growth`,
    which never rounds. None when growth is undefined (see :func:`compare_growth`).
    """
    f, la = _exact(first), _exact(last)
    if years <= 0 or f <= 0 or la < 0:
        return None
    ratio = la / f
    with localcontext() as ctx:
        ctx.prec = 50
        root = (Decimal(ratio.numerator) / Decimal(ratio.denominator)) ** (Decimal(1) / Decimal(years))
        rate = root - 1
        # The 50-digit root of an exact power such as 1.331 may end in ...9999; snap it to the
        # short decimal when that decimal really is the exact root.
        short = rate.quantize(Decimal("1e-12"), rounding=ROUND_HALF_UP)
        if (1 + Fraction(short)) ** years == ratio:
            return short.normalize() if short != 0 else Decimal(0)
    with localcontext() as ctx:
        ctx.prec = 28
        return +rate


def format_percent(fraction: Number, boundary: Number | None = None, places: int = 2) -> str:
    """``fraction`` as a percentage string ("72.50%").

    When rounding to ``places`` would make a value that is not on the ``boundary`` (a fraction
    such as 0.7) look as if it were, more places are shown (69.996% is not shown as "70.00%").
    """
    exact = _exact(fraction) * 100
    edge = _exact(boundary) * 100 if boundary is not None else None
    for digits in range(places, places + 10):
        shown = _round(exact, digits)
        if edge is None or exact == edge or Fraction(shown) != edge:
            return f"{shown}%"
    return f"{_round(exact, places + 10)}%"


def format_number(value: Number) -> str:
    """A plain decimal string without exponent or trailing zeros ("200000", "3.2")."""
    if isinstance(value, int):
        return str(value)
    d = value if isinstance(value, Decimal) else Decimal(value.numerator) / Decimal(value.denominator)
    text = f"{d.normalize():f}"
    return text


def _round(value: Fraction, places: int) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 60
        d = Decimal(value.numerator) / Decimal(value.denominator)
        return d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
