"""The ranking chart of the summary report: labels as the table prints them, flags hatched, unranked said.

The data is the summary report's own (:func:`zc_review.reports.summary_pdf.chart_data`) from a
small collation; the figures are rendered to PNG and read back from their artists and pixels.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Sequence
from decimal import Decimal

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from PIL import Image

from tests.data import opinions as ob
from tests.unit.test_charts import render_problems
from zc_review.charts import batch_charts
from zc_review.charts.data import (
    BatchChartData,
    BatchRow,
    ExpertTotal,
    RecommendationLine,
    lacks_majority,
    score_text,
)
from zc_review.core.collation import Collation, collate
from zc_review.core.collation_rules import CollationRules
from zc_review.core.rubric import Rubric
from zc_review.reports.summary_pdf import chart_data

HARD = ("hightech_output_share",)
A = ob.App("A", "南京江宁科学城众创社区")  # 83.33, nothing to flag
B = ob.App("B", "苏州独墅湖众创社区")  # 87.17, a hard indicator failed by every review
C = ob.App("C", "无锡太湖湾众创社区")  # 81.33, 1 of 3 recommend 备案试点: no majority
F = ob.App("F", "徐州淮海科技城众创社区")  # 67.33 (202/3): the table prints 67.33, not 67.3
D = ob.App("D", "常州天宁众创社区")  # two reviews only
E = ob.App("E", "盐城大数据众创社区")  # no counted review
EXPERTS = ("张伟", "李娜", "王芳")


def batch() -> tuple[Collation, Rubric]:
    ops = [ob.opinion(x, A, t) for x, t in zip(EXPERTS, ("85", "82", "83"), strict=True)]
    ops += [ob.opinion(x, B, t, hard_fail=HARD) for x, t in zip(EXPERTS, ("88", "86.5", "87"), strict=True)]
    ops += [
        ob.opinion(x, C, t, recommendation=rec)
        for x, t, rec in zip(EXPERTS, ("81", "82", "81"), ("recommend", "revise", "revise"), strict=True)
    ]
    ops += [ob.opinion(x, F, t) for x, t in zip(EXPERTS, ("66", "68.5", "67.5"), strict=True)]
    ops += [ob.opinion(x, D, t) for x, t in zip(EXPERTS[:2], ("90", "91"), strict=True)]
    rubric = ob.rubric()
    return collate(ops, rubric, applications={E.key: E.community}), rubric


def flagged(collation: Collation, rubric: Rubric) -> BatchChartData:
    """The report's ranking data, with the no-majority flag the report does not set (yet)."""
    data = chart_data(collation, rubric, ranked=True)
    apps = {a.community_name: a for a in collation.apps}
    rows = tuple(
        dataclasses.replace(r, no_majority=lacks_majority(apps[r.name], collation, rubric)) for r in data.rows
    )
    return dataclasses.replace(data, rows=rows)


def row_id(data: BatchChartData, app: ob.App) -> int:
    return next(r.app_id for r in data.rows if r.name == app.community)


def by_gid(fig: Figure, gid: str) -> list[object]:
    return [a for a in fig.findobj() if getattr(a, "get_gid", lambda: None)() == gid]


def rects(fig: Figure, gid: str) -> list[Rectangle]:
    return [a for a in by_gid(fig, gid) if isinstance(a, Rectangle)]


def label(fig: Figure, gid: str) -> str:
    (text,) = [a for a in by_gid(fig, gid) if isinstance(a, Text)]
    return text.get_text()


def rows_top_first(fig: Figure) -> list[str]:
    ax = fig.axes[0]
    return [
        t
        for _y, t in sorted(
            zip(ax.get_yticks(), (t.get_text() for t in ax.get_yticklabels()), strict=True),
            key=lambda yt: -yt[0],
        )
    ]


def png(fig: Figure) -> np.ndarray:
    fig.canvas.draw()  # fixes the layout, so artists' extents match the saved image
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=fig.dpi)
    return np.asarray(Image.open(buf).convert("RGB"), dtype=int)


def pixels(fig: Figure, image: np.ndarray, bar: Rectangle) -> np.ndarray:
    """The pixels inside ``bar`` (a little in from its edges), as rows of RGB."""
    box = bar.get_window_extent()
    height = image.shape[0]
    x0, x1 = int(box.x0) + 3, int(box.x1) - 3
    y0, y1 = height - int(box.y1) + 3, height - int(box.y0) - 3
    return image[y0:y1, x0:x1].reshape(-1, 3)


def share_of(colour: str, found: np.ndarray, tolerance: int = 40) -> float:
    rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])
    return float((np.abs(found - rgb).sum(axis=1) < tolerance).mean())


# --- labels ---------------------------------------------------------------------------------------


def test_bar_labels_show_the_digits_of_the_collated_table(caplog: pytest.LogCaptureFixture) -> None:
    collation, rubric = batch()
    data = chart_data(collation, rubric, ranked=True)
    fig = batch_charts.ranking(data)
    assert render_problems(fig, caplog) == []  # the Chinese and ✘ have their glyphs
    ids = {r.name: r.app_id for r in data.rows}
    ranked = [a for a in collation.apps if a.rank is not None and a.n_reviews]
    assert len(ranked) >= 4
    for app in ranked:
        text = label(fig, f"label:{ids[app.community_name]}")
        # The summary table prints each trimmed mean with 2 decimals (f"{value:.2f}" of the Decimal).
        assert text.split()[0] == f"{app.trimmed_mean:.2f}", text
    assert label(fig, f"label:{ids[F.community]}") == "67.33  未获多数建议"  # 建议备案试点 lacks a majority
    assert label(fig, f"label:{ids[B.community]}") == "87.17  ✘ 硬指标不达标  未获多数建议"


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (67.33 - 4e-9, 2, "67.33"),  # the report's tie-break nudge does not show
        (80.125, 2, "80.13"),  # half up, as the table (a float would print 80.12)
        (80.025, 2, "80.03"),  # not exact in binary: still the decimal's rounding
        (202 / 3, 2, "67.33"),
        (86.5, 1, "86.5"),  # an expert's own total: the rubric's precision
        (70.0, 2, "70.00"),
    ],
)
def test_score_text_rounds_like_the_collation(value: float, places: int, text: str) -> None:
    assert score_text(value, places) == text


def test_an_experts_own_totals_have_one_decimal_fewer() -> None:
    rows = (BatchRow(1, "甲", "", "", 86.5, (), 0), BatchRow(2, "乙", "", "", 72.0, (), 0))
    data = BatchChartData("b", "批次", 7, rows, (RecommendationLine(80, "建议备案试点", True),), 100)
    fig = batch_charts.ranking(data)
    assert [label(fig, "label:1"), label(fig, "label:2")] == ["86.5", "72.0"]


# --- flags: hatched, said, explained --------------------------------------------------------------


def test_hard_failure_and_no_majority_are_hatched_and_in_the_legend() -> None:
    collation, rubric = batch()
    data = flagged(collation, rubric)
    fig = batch_charts.ranking(data)
    image = png(fig)
    a, b, c = (row_id(data, x) for x in (A, B, C))

    (hard,) = rects(fig, f"hard:{b}")
    assert hard.get_hatch() == "xx" and hard.get_facecolor()[3] == 0  # over the bar, see-through
    (total_b,) = rects(fig, f"total:{b}")
    assert hard.get_width() == total_b.get_width() and hard.get_y() == total_b.get_y()
    assert {r.get_gid() for r in fig.findobj(Rectangle) if (r.get_gid() or "").startswith("hard:")} == {
        f"hard:{b}"
    }
    (no_majority,) = rects(fig, f"no-majority:{c}")
    assert no_majority.get_hatch() == "---"
    assert not rects(fig, f"hard:{a}") and not rects(fig, f"no-majority:{a}")

    assert label(fig, f"label:{b}") == "87.17  ✘ 硬指标不达标  未获多数建议"  # B's panel said 修改完善后再议
    assert label(fig, f"label:{c}") == "81.33  未获多数建议"
    assert label(fig, f"label:{a}") == "83.33"
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend[-2:] == ["硬指标不达标", "未获多数建议（选“建议备案试点”的专家未达多数）"]

    # Drawn: the hatch's vermillion fills the failing bar; a clean one of its band shows only the
    # vermillion 80-point line crossing it.
    (total_a,) = rects(fig, f"total:{a}")
    assert share_of("#D55E00", pixels(fig, image, total_b)) > 0.05
    assert share_of("#D55E00", pixels(fig, image, total_a)) < 0.01
    assert share_of("#0072B2", pixels(fig, image, total_a)) > 0.95
    assert share_of("#0072B2", pixels(fig, image, rects(fig, f"total:{c}")[0])) < 0.9  # striped

    # A batch without either: no overlay, and the legend explains only the score bands.
    clean = dataclasses.replace(collation, apps=[x for x in collation.apps if x.application_key == "A"])
    fig = batch_charts.ranking(flagged(clean, rubric))
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == [
        "80 分以上",
        "60 分以上",
        "不满 60 分",
    ]
    assert not [
        r for r in fig.findobj(Rectangle) if (r.get_gid() or "").startswith(("hard:", "no-majority:"))
    ]


def test_lacks_majority_follows_the_batch_rule() -> None:
    collation, rubric = batch()
    apps = {a.application_key: a for a in collation.apps}
    assert [lacks_majority(apps[k], collation, rubric) for k in "ABCF"] == [False, True, True, True]
    assert not lacks_majority(apps["E"], collation, rubric)  # nobody reviewed it: nothing to lack
    strict = dataclasses.replace(collation, rules=CollationRules(majority="at-least-two-thirds"))
    three_of_five = dataclasses.replace(
        apps["A"], n_reviews=5, recommendations={"recommend": 3, "revise": 2, "reject": 0}
    )
    assert not lacks_majority(three_of_five, collation, rubric)  # more than half
    assert lacks_majority(three_of_five, strict, rubric)  # but not two thirds
    half = dataclasses.replace(
        apps["A"], n_reviews=4, recommendations={"recommend": 2, "revise": 2, "reject": 0}
    )
    assert lacks_majority(half, collation, rubric)  # exactly half is no majority


def test_a_long_flagged_label_stays_inside_the_plot() -> None:
    collation, rubric = batch()
    data = flagged(collation, rubric)
    b = row_id(data, B)
    # The top score with both flags, on a small pane and on the meeting screen.
    rows = tuple(dataclasses.replace(r, score=99.5) if r.app_id == b else r for r in data.rows)
    for size in ((6.4, 3.6), (19.2, 10.8)):
        fig = batch_charts.ranking(dataclasses.replace(data, rows=rows), figsize=size)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        ax = fig.axes[0]
        (text,) = [t for t in by_gid(fig, f"label:{b}") if isinstance(t, Text)]
        assert text.get_text().startswith("99.50")
        assert text.get_window_extent(renderer).x1 <= ax.get_window_extent(renderer).x1, size
        assert ax.get_xlim()[1] > 100 * 1.12  # widened for it


# --- applications the collation did not rank ------------------------------------------------------


class _Ranked(BatchRow):
    """A row as the summary report makes it: the trimmed mean, or None when not ranked."""

    def __init__(self, app_id: int, name: str, totals: Sequence[float], score: float | None) -> None:
        experts = tuple(ExpertTotal(i, f"专家{i}", t) for i, t in enumerate(totals))
        super().__init__(app_id, name, "", "", None, experts, 0)
        object.__setattr__(self, "score", score)

    @property
    def panel_mean(self) -> float | None:
        return self.score  # type: ignore[attr-defined, no-any-return]


def test_unranked_applications_are_left_out_and_counted_under_the_chart() -> None:
    rows = (
        _Ranked(1, "甲社区", (85, 82, 83), 83.33),
        _Ranked(2, "乙社区", (70, 71, 69), 70.0),
        _Ranked(3, "丙社区", (90, 91), None),  # rank None: counted reviews, too few to rank
        _Ranked(4, "丁社区", (), None),  # nobody reviewed it
    )
    data = BatchChartData("b", "批次 b", None, rows, (RecommendationLine(80, "建议备案试点", True),), 100)
    fig = batch_charts.ranking(data)
    png(fig)
    assert rects(fig, "total:1") and rects(fig, "total:2")
    assert not rects(fig, "total:3") and not rects(fig, "total:4")
    assert rows_top_first(fig) == ["1. 甲社区", "2. 乙社区"]
    note = fig.get_supxlabel()
    assert "另有 1 个申报评审不足，未排名" in note and "另有 1 个申报尚未评分" in note


def test_the_summary_reports_rows_follow_the_collations_ranks() -> None:
    # Whether the collation ranks an application with too few reviews (rank set) or not (rank None),
    # the chart draws exactly the ranked ones, numbered as the table, and counts the others.
    collation, rubric = batch()
    data = chart_data(collation, rubric, ranked=True)
    fig = batch_charts.ranking(data)
    ranked = [a for a in collation.apps if a.rank is not None and a.n_reviews]
    assert rows_top_first(fig) == [
        f"{a.rank}. {a.community_name}" for a in sorted(ranked, key=lambda a: a.rank or 0)
    ]
    unranked = sum(a.rank is None and a.n_reviews > 0 for a in collation.apps)
    note = fig.get_supxlabel()
    assert ("评审不足，未排名" in note) == bool(unranked)
    if unranked:
        assert f"另有 {unranked} 个申报评审不足，未排名" in note
    assert not rects(fig, f"total:{row_id(data, E)}")
    assert Decimal(label(fig, f"label:{row_id(data, A)}")) == next(
        a.trimmed_mean for a in collation.apps if a.application_key == "A"
    )
