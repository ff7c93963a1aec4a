"""The rules the office collates a batch by: trimming, outlier flags, the line, the majority.

One frozen :class:`CollationRules` per batch; the defaults are the ones the
office uses unless it decides otherwise for a batch, and every one of them is
printed with the result (workbook 说明 sheet, summary PDF), so a reader can redo
the arithmetic by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from zc_review.core.rubric import Recommendation, Rubric
from zc_review.errors import UserError

MAJORITIES = ("more-than-half", "at-least-two-thirds")
MAJORITY_LABELS_ZH = {
    "more-than-half": "过半数（超过一半）",
    "at-least-two-thirds": "三分之二以上（含三分之二）",
}


@dataclass(frozen=True)
class CollationRules:
    """How one batch is collated.

    **Trimmed mean** (去极值平均分): with at least ``trim_when_at_least`` valid
    reviews, the ``trim_each_side`` lowest and highest totals are dropped and the
    rest averaged; with fewer, the trimmed mean is the plain mean (dropping two of
    four reviews would throw away half the panel).

    **Deviation flag** (偏差标记): an expert's *deviation* is their total minus
    the panel's **median** total for that application; it is flagged when its
    absolute value is **greater than** (超过) ``deviation_flag``. The default of
    10 points is justified by the 100-point rubrics themselves:

    - The application rubric's recommendation lines are 20 points apart (60, 80):
      an expert more than 10 points from the panel is closer to a *different*
      line than the panel is, i.e. alone they would put the application into
      another band. That is the disagreement worth a second look at the meeting.
    - Item scales have four anchored bands of 1–2 points each; 10 points is one
      band lower or higher on every item of two goals (about 9 items), which is a
      different reading of the materials, not scoring noise (0.5-point steps).
    - The median, not the mean, is the reference: with a small panel one
      extreme score drags the mean towards itself and makes the *other* experts
      look deviant (totals 85, 85, 40: mean 70, every expert ≥ 15 away; median 85,
      only the 40 is). A multiple of the panel's median absolute deviation was
      rejected for the same reason in reverse: with 5–9 experts the MAD is often
      0 or 0.5 (three identical totals), and then every other expert is "deviant".

    For rubrics with narrower bands (annual: lines 15 apart) the office may lower
    it per batch.

    **Proposed conclusion** (建议结论), over the rubric's recommendation options
    (highest line first; the first is the one positive option):

    1. the positive option when the trimmed mean is at or above ``pass_line``
       (default: the positive option's own line, e.g. 80 以上 including 80), AND no
       hard indicator is reported failed by a majority of the reviews, AND a
       majority of the reviews recommend the positive option;
    2. otherwise the highest non-positive option whose line the trimmed mean
       reaches (e.g. 修改完善后再议 at 60 or above);
    3. otherwise the lowest option (e.g. 不建议).

    **Minimum reviews** (最少评审数): an application with fewer counted reviews
    than ``min_reviews`` gets no proposed conclusion and no rank: it is 评审不足
    (or 未评审 with none), never 不建议. Not reviewed is not rejected. The default
    of 3 is the smallest panel whose result no single expert decides: with one
    review the "panel" is that expert; with two, the median is the mean and one
    disagreeing expert halves any majority; from three on, the median and a
    majority each need two experts to agree. (Bid-evaluation committees under the
    PRC Tendering Law, art. 37, need five or more; the office may raise it per batch.)

    ``majority`` is ``"more-than-half"`` (strictly more than half of the valid
    reviews) or ``"at-least-two-thirds"``. Comparisons use the numbers as shown
    (quantized, see :mod:`zc_review.core.collation`), so anyone can check a
    conclusion from the printed table.
    """

    trim_when_at_least: int = 5
    trim_each_side: int = 1
    deviation_flag: Decimal = Decimal("10")
    pass_line: Decimal | None = None
    majority: str = "more-than-half"
    min_reviews: int = 3

    def __post_init__(self) -> None:
        problems: list[tuple[str, str]] = []
        if self.trim_each_side < 0:
            problems.append(("每侧去掉的个数不能为负数", "trim_each_side must not be negative"))
        if self.trim_when_at_least <= 2 * self.trim_each_side:
            problems.append(
                (
                    "去极值的最少评审数必须大于两侧去掉的总数",
                    "trim_when_at_least must exceed twice trim_each_side",
                )
            )
        if not isinstance(self.deviation_flag, Decimal) or self.deviation_flag < 0:
            problems.append(("偏差标记阈值应为非负的小数", "deviation_flag must be a non-negative Decimal"))
        if self.pass_line is not None and (not isinstance(self.pass_line, Decimal) or self.pass_line < 0):
            problems.append(("分数线应为非负的小数", "pass_line must be a non-negative Decimal"))
        if not isinstance(self.min_reviews, int) or self.min_reviews < 1:
            problems.append(("最少评审数至少为 1", "min_reviews must be at least 1"))
        if self.majority not in MAJORITIES:
            problems.append(
                (f"多数规则“{self.majority}”无效", f"majority must be one of {', '.join(MAJORITIES)}")
            )
        if problems:
            raise UserError(
                "汇总规则设置有误：" + "；".join(z for z, _ in problems) + "。",
                "Invalid collation rules: " + "; ".join(e for _, e in problems) + ".",
            )

    def is_majority(self, count: int, total: int) -> bool:
        """Whether ``count`` of ``total`` reviews is a majority under this batch's rule."""
        if total <= 0:
            return False
        if self.majority == "at-least-two-thirds":
            return 3 * count >= 2 * total
        return 2 * count > total

    def line(self, rubric: Rubric) -> Decimal:
        """The pass line: ``pass_line``, or the rubric's positive option's line."""
        return self.pass_line if self.pass_line is not None else positive_option(rubric).min_total


def positive_option(rubric: Rubric) -> Recommendation:
    """The rubric's one positive recommendation (e.g. 建议备案试点)."""
    return next(r for r in rubric.recommendations if r.positive)
