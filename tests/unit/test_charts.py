"""Chart data and drawing: every plotted value equals the store's, labels are Chinese and render.

The store holds four demo applications and three experts' reviews (see :func:`build_store`);
expected values are computed here from the store and the Application, independently of
zc_review.charts.data, then read back from the Figure's artists.
"""

from __future__ import annotations

import io
import logging
import statistics
import warnings
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from PIL import Image
from sqlalchemy import select

from tests.data.bundles import demo_case, import_demo
from zc_review import experts, reviews
from zc_review.charting import application_chart_data, batch_chart_data, chart_data, draw_chart
from zc_review.charts import application_charts, batch_charts, fonts
from zc_review.charts.registry import CHART_KINDS, draw
from zc_review.cli.chart import CHART_KEYS
from zc_review.core.indicators import CheckStatus, evaluate
from zc_review.core.scoring import ScoreSheet, goal_total, total
from zc_review.errors import UserError
from zc_review.experts import ExpertProfile
from zc_review.reviews import ReviewState
from zc_review.store import Store
from zc_review.store import models as m
from zc_review.store.models import ReviewStatus
from zc_review.workspace import list_applications, load_application

CASE_CLEAN, CASE_HIGHTECH_60, CASE_MANY_FAILS, CASE_SEI_FAIL = 0, 2, 7, 8
CASES = (CASE_CLEAN, CASE_HIGHTECH_60, CASE_MANY_FAILS, CASE_SEI_FAIL)
EXPERTS = ("张三", "李四", "王五")
OPINION = (
    "该社区区位条件较好，产业定位清晰，创业服务体系较完整，建设计划基本可行，建议加强统计监测并按程序办理。"
)
GOAL_TEXT = "材料翔实，论证充分，基本符合政策要求。"


# --- the store ----------------------------------------------------------------------------------------


def build_store(root: Path) -> Path:
    """Import the demo cases and enter three experts' reviews; returns the data directory.

    张三 (this workstation's expert) submits everything; 李四 submits all but 盐城
    (CASE_SEI_FAIL), which stays in progress; 王五 recuses from 南京 (CASE_CLEAN).
    """
    data = root / "data"
    import_demo(data, root / "work", CASES)
    with Store.open(data) as store:
        ids = {case: app_id(store, case) for case in CASES}
        for k, name in enumerate(EXPERTS):
            if k == 0:
                eid = experts.save_profile(store, ExpertProfile(name=name, title="研究员"))
            else:
                eid = experts.find_or_create_expert(store, ExpertProfile(name=name))
            experts.accept_pledge(store, eid)
            for n, case in enumerate(CASES):
                state = reviews.open_review(store, eid, ids[case])
                if name == "王五" and case == CASE_CLEAN:
                    reviews.declare_conflict(
                        store, state.review_id, "合作关系", "近三年与申报单位有项目合作。"
                    )
                    continue
                state = reviews.declare_no_conflict(store, state.review_id)
                state = reviews.save_sheet(store, state.review_id, sheet_for(state, k, n))
                if state.missing_materials:
                    reviews.acknowledge_formal_check(store, state.review_id)
                if not (name == "李四" and case == CASE_SEI_FAIL):
                    reviews.submit(store, state.review_id)
    return data


def sheet_for(state: ReviewState, expert: int, app: int) -> ScoreSheet:
    """A complete sheet whose points vary with the expert, the application and the item."""
    rubric = state.rubric
    scores = {}
    for j, item in enumerate(rubric.items()):
        fraction = Decimal((expert * 3 + app * 2 + j) % 5 + 5) / 10  # 50%..90% of the maximum
        scores[item.id] = (item.max_points * fraction / item.step).to_integral_value() * item.step
    return ScoreSheet(
        scores=scores,
        item_comments={i.id: "已核对申报材料和指标核查结果。" for i in rubric.items()},
        goal_comments={g.key: GOAL_TEXT for g in rubric.goals},
        overall_opinion=OPINION,
        recommendation=rubric.recommendations[-1].key,  # 不建议: never blocked by a hard failure
    )


def app_id(store: Store, case: int) -> int:
    name = demo_case(case).app.community_name
    return next(a.id for a in list_applications(store) if a.community_name == name)


def expert_id(store: Store, name: str) -> int:
    found = experts.find_expert_by_name(store, name)
    assert found is not None
    return found.id


def newest_state(store: Store, expert: int, app: int) -> ReviewState:
    with store.session() as s:
        review_id = s.scalars(
            select(m.Review.id).where(m.Review.expert_id == expert, m.Review.application_id == app)
        ).one()
    return reviews.review_state(store, review_id)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """Built once per module; the chart code only reads it."""
    data = build_store(tmp_path_factory.mktemp("charts"))
    with Store.open(data) as s:
        yield s


# --- reading a Figure back ---------------------------------------------------------------------------


def by_gid(fig: Figure, gid: str) -> list[object]:
    return [a for a in fig.findobj() if getattr(a, "get_gid", lambda: None)() == gid]


def one_line(fig: Figure, gid: str) -> Line2D:
    found = [a for a in by_gid(fig, gid) if isinstance(a, Line2D)]
    assert len(found) == 1, (gid, found)
    return found[0]


def bars(fig: Figure, gid: str) -> list[Rectangle]:
    return [a for a in by_gid(fig, gid) if isinstance(a, Rectangle)]


def texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def xs(line: Line2D) -> list[float]:
    return [float(v) for v in np.asarray(line.get_xdata())]


def ys(line: Line2D) -> list[float]:
    return [float(v) for v in np.asarray(line.get_ydata())]


def tick_labels(ax: Any, axis: str) -> list[str]:
    labels = ax.get_xticklabels() if axis == "x" else ax.get_yticklabels()
    return [t.get_text() for t in labels]


def render_problems(fig: Figure, caplog: pytest.LogCaptureFixture) -> list[str]:
    """Warnings (as errors) and matplotlib log warnings while drawing and saving to PNG, SVG and PDF."""
    problems: list[str] = []
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="matplotlib"), warnings.catch_warnings():
        warnings.simplefilter("error")
        for fmt in ("png", "svg", "pdf"):
            try:
                fig.savefig(io.BytesIO(), format=fmt)
            except Warning as w:
                problems.append(f"{fmt}: {w}")
    problems += [f"log: {r.getMessage()}" for r in caplog.records if r.name.startswith("matplotlib")]
    return problems


# --- goals radar ------------------------------------------------------------------------------------


def test_radar_plots_this_experts_goal_points_and_the_panel_mean(store: Store) -> None:
    app = app_id(store, CASE_CLEAN)
    me = expert_id(store, "张三")
    mine = newest_state(store, me, app)
    # 王五 recused from this application: only 张三 and 李四 form the panel.
    panel = [newest_state(store, expert_id(store, n), app) for n in ("张三", "李四")]
    fig = application_charts.goals_radar(application_chart_data(store, app, me))

    rubric = mine.rubric
    want_mine = [float(goal_total(rubric, mine.sheet, g.key) / g.max_points) for g in rubric.goals]
    want_panel = [
        float(statistics.fmean(float(goal_total(rubric, p.sheet, g.key)) for p in panel))
        / float(g.max_points)
        for g in rubric.goals
    ]
    expert_line, panel_line = one_line(fig, "expert"), one_line(fig, "panel")
    assert np.allclose(ys(expert_line)[:5], want_mine)
    assert np.allclose(ys(panel_line)[:5], want_panel)
    assert ys(expert_line)[5] == ys(expert_line)[0]  # the outline is closed
    ax = expert_line.axes
    assert ax is not None
    labels = tick_labels(ax, "x")
    for g in rubric.goals:
        assert any(label.startswith(g.title) for label in labels)
    assert "创新资源富集" in labels[0]
    assert fig.get_suptitle() == "五个目标得分（占各目标满分的比例）"
    assert "专家组平均分（2 位专家）" in texts(fig)


def test_radar_without_any_review_says_so_and_draws_no_score(tmp_path: Path) -> None:
    import_demo(tmp_path / "d", tmp_path / "w", (CASE_CLEAN,))
    with Store.open(tmp_path / "d") as bare:
        fig = application_charts.goals_radar(application_chart_data(bare, app_id(bare, CASE_CLEAN), None))
    assert by_gid(fig, "expert") == [] and by_gid(fig, "panel") == []
    assert "尚未评分" in texts(fig)


def test_a_recused_expert_has_no_points_and_is_not_in_the_panel(store: Store) -> None:
    app = app_id(store, CASE_CLEAN)
    data = application_chart_data(store, app, expert_id(store, "王五"))
    assert all(g.points is None for g in data.goals)
    assert data.panel_size == 2


# --- hard indicators ---------------------------------------------------------------------------------


def test_hard_indicator_bars_are_the_applications_values_over_the_policy_thresholds(store: Store) -> None:
    app = load_application(store, app_id(store, CASE_MANY_FAILS)).app
    fig = application_charts.hard_indicators(
        application_chart_data(store, app_id(store, CASE_MANY_FAILS), None)
    )
    years = sorted(app.years, key=lambda y: y.year)
    sei = min(y.sei_investment / y.total_investment for y in years)  # type: ignore[operator]
    hightech = min(y.hightech_output / y.total_output for y in years)  # type: ignore[operator]
    first, last = years[0], years[-1]
    span = last.year - first.year
    want = {
        "carrier_floor_area": float(app.carrier_floor_area_m2) / 200_000,  # type: ignore[arg-type]
        "sei_investment_share": float(sei) / 0.70,
        "hightech_output_share": float(hightech) / 0.60,
        "startup_growth": ((last.new_startups / first.new_startups) ** (1 / span) - 1) / 0.10,  # type: ignore[operator]
        "employee_growth": ((last.new_employees / first.new_employees) ** (1 / span) - 1) / 0.10,  # type: ignore[operator]
        "wifi_coverage": float(app.wifi_coverage_pct) / 100,  # type: ignore[arg-type]
        "digital_management": float(app.digital_mgmt_coverage_pct) / 100,  # type: ignore[arg-type]
    }
    status = {c.key: c.status for c in evaluate(app)}
    for key, ratio in want.items():
        (bar,) = bars(fig, f"indicator:{key}")
        assert bar.get_width() == pytest.approx(ratio, rel=1e-9), key
        threshold = one_line(fig, f"threshold:{key}")
        assert xs(threshold) == [1, 1], key
        # Fail is hatched and pass is not: the verdict is not told by colour alone.
        assert bool(bar.get_hatch()) == (status[key] is CheckStatus.FAIL), key
    shown = texts(fig)
    for wording in ("不低于20万平方米", "不低于70%", "超过60%", "年均增长10%以上", "全覆盖（100%）"):
        assert any(wording in t for t in shown), wording
    assert sum("✘ 不达标" in t for t in shown) >= 5 and any("✔ 达标" in t for t in shown)
    ax = one_line(fig, "threshold:carrier_floor_area").axes
    assert ax is not None
    assert tick_labels(ax, "y")[0] == "服务载体建筑面积"
    assert "政策门槛" in ax.get_xlabel()


def test_a_share_exactly_on_an_exclusive_threshold_is_drawn_at_100_percent_and_failing(store: Store) -> None:
    # 无锡惠山: 高新技术产业产值占比 is exactly 60% in 2025, and 超过60% excludes 60%.
    fig = application_charts.hard_indicators(
        application_chart_data(store, app_id(store, CASE_HIGHTECH_60), None)
    )
    (bar,) = bars(fig, "indicator:hightech_output_share")
    assert bar.get_width() == pytest.approx(1.0)
    assert bar.get_hatch() == "xx"
    assert any(t.startswith("60.00%") and "✘ 不达标" in t for t in texts(fig))


# --- growth and investment ---------------------------------------------------------------------------


def test_growth_plots_the_reported_years_and_the_ten_percent_path_from_the_first(store: Store) -> None:
    app = load_application(store, app_id(store, CASE_SEI_FAIL)).app
    years = sorted(app.years, key=lambda y: y.year)
    fig = application_charts.growth(application_chart_data(store, app_id(store, CASE_SEI_FAIL), None))
    actual = [a for a in by_gid(fig, "actual") if isinstance(a, Line2D)]
    reference = [a for a in by_gid(fig, "reference") if isinstance(a, Line2D)]
    assert len(actual) == len(reference) == 2
    for line, ref, field in zip(actual, reference, ("new_startups", "new_employees"), strict=True):
        values = [getattr(y, field) for y in years]
        assert xs(line) == [y.year for y in years]
        assert ys(line) == values
        assert np.allclose(ys(ref), [values[0] * 1.1**k for k in range(len(years))])
        assert ref.get_label() == "年均增长10%参考线"
    shown = texts(fig)
    assert "年均增长10%参考线" in shown
    # 盐城's growth fails; the panel titles say so in words.
    assert sum("✘ 不达标" in t for t in shown) == 2
    assert any(t.startswith("新登记注册初创企业数（家）") for t in shown)


def test_investment_bars_stack_to_the_total_and_the_share_line_meets_the_70_percent_line(
    store: Store,
) -> None:
    app = load_application(store, app_id(store, CASE_SEI_FAIL)).app
    years = sorted(app.years, key=lambda y: y.year)
    fig = application_charts.investment(application_chart_data(store, app_id(store, CASE_SEI_FAIL), None))
    sei, other = bars(fig, "sei"), bars(fig, "other")
    assert [b.get_height() for b in sei] == [float(y.sei_investment) for y in years]  # type: ignore[arg-type]
    assert [b.get_y() + b.get_height() for b in other] == pytest.approx(
        [float(y.total_investment) for y in years]  # type: ignore[arg-type]
    )
    share = one_line(fig, "share")
    assert np.allclose(ys(share), [float(y.sei_investment / y.total_investment) for y in years])  # type: ignore[operator]
    assert ys(one_line(fig, "share-line")) == [0.7, 0.7]
    # 2025 (62%) and 2026 (68%) fail: marked with a second marker, not colour alone.
    assert xs(one_line(fig, "share-fail")) == [2025, 2026]
    assert "不低于70%" in texts(fig)
    ax = sei[0].axes
    assert ax is not None and ax.get_ylabel() == "建设项目投资（万元）"


# --- batch charts ------------------------------------------------------------------------------------


def test_ranking_orders_this_experts_totals_with_the_recommendation_lines(store: Store) -> None:
    me = expert_id(store, "张三")
    want = {a: float(t) for a, t in reviews.review_totals(store, me).items()}
    fig = batch_charts.ranking(batch_chart_data(store, None, me))
    drawn = {a: bars(fig, f"total:{a}")[0] for a in want}
    assert {a: b.get_width() for a, b in drawn.items()} == want
    order = sorted(drawn, key=lambda a: -drawn[a].get_y())  # top row first
    assert [want[a] for a in order] == sorted(want.values(), reverse=True)
    assert xs(one_line(fig, "line:80")) == [80, 80]
    assert xs(one_line(fig, "line:60")) == [60, 60]
    shown = texts(fig)
    assert any(t.strip() == "80 分 建议备案试点" for t in shown)
    assert fig.get_suptitle() == "申报总分排序（本专家评分）"


def test_ranking_without_an_expert_uses_the_panel_mean(store: Store) -> None:
    app = app_id(store, CASE_SEI_FAIL)
    submitted = [
        newest_state(store, expert_id(store, n), app) for n in ("张三", "王五")
    ]  # 李四's review is in progress
    fig = batch_charts.ranking(batch_chart_data(store, None, None))
    (bar,) = bars(fig, f"total:{app}")
    assert bar.get_width() == pytest.approx(
        statistics.fmean(float(total(s.rubric, s.sheet)) for s in submitted)
    )
    assert "专家组平均分" in fig.get_suptitle()


def test_spread_shows_each_submitted_total_and_never_a_recused_experts(store: Store) -> None:
    data = batch_chart_data(store, None, expert_id(store, "张三"))
    fig = batch_charts.spread(data)
    for case, names in ((CASE_CLEAN, ("张三", "李四")), (CASE_SEI_FAIL, ("张三", "王五"))):
        app = app_id(store, case)
        (points,) = [a for a in by_gid(fig, f"experts:{app}") if isinstance(a, PathCollection)]
        want = sorted(float(newest_state(store, expert_id(store, n), app).total) for n in names)
        assert sorted(np.asarray(points.get_offsets())[:, 0].tolist()) == want
        assert xs(one_line(fig, f"mean:{app}"))[0] == pytest.approx(statistics.fmean(want))
    shown = texts(fig)
    assert not any(name in t for t in shown for name in EXPERTS)  # names hidden by default
    named = texts(batch_charts.spread(data, show_names=True))
    assert named.count("王五") == 3  # three applications; recused from 南京
    assert named.count("李四") == 3  # in progress on 盐城: not a submitted score


def test_counts_by_city_and_by_industry_are_the_applications_in_the_store(store: Store) -> None:
    apps = list_applications(store)
    data = batch_chart_data(store, None, None)
    fig = batch_charts.by_city(data)
    for city in {a.city for a in apps}:
        (bar,) = bars(fig, f"count:{city}")
        assert bar.get_height() == sum(a.city == city for a in apps)
    (empty,) = bars(fig, "count:宿迁市")
    assert empty.get_height() == 0  # every city is shown, in the province's order
    ax = empty.axes
    assert ax is not None and tick_labels(ax, "x")[:2] == ["南京市", "无锡市"]
    fig = batch_charts.by_industry(data)
    for industry in {a.industry for a in apps}:
        (bar,) = bars(fig, f"count:{industry}")
        assert bar.get_width() == sum(a.industry == industry for a in apps)
    assert fig.get_suptitle() == "各主导产业申报数"


# --- registry ----------------------------------------------------------------------------------------


def test_the_registry_has_every_kind_and_draws_each_from_the_store(store: Store) -> None:
    assert tuple(CHART_KINDS) == CHART_KEYS == (
        "radar", "hard-indicators", "growth", "investment", "ranking", "spread", "by-city", "by-industry",
    )  # fmt: skip
    app = app_id(store, CASE_CLEAN)
    for key, kind in CHART_KINDS.items():
        fig = draw_chart(store, key, app, expert_id(store, "张三"), figsize=(6, 4), dpi=80)
        assert isinstance(fig, Figure)
        assert tuple(fig.get_size_inches()) == (6, 4) and fig.dpi == 80
        assert kind.title_zh and kind.title_en and kind.scope in ("application", "batch")


def test_an_application_chart_needs_an_application(store: Store) -> None:
    with pytest.raises(UserError, match="单个申报"):
        draw_chart(store, "radar", None, None)
    with pytest.raises(UserError, match="没有“pie”这种图表"):
        draw_chart(store, "pie", None, None)
    with pytest.raises(TypeError):
        draw("ranking", chart_data(store, "radar", app_id(store, CASE_CLEAN), None))


def test_batch_data_of_an_unknown_batch_is_refused(store: Store) -> None:
    with pytest.raises(UserError, match="没有编号为 no-such 的批次"):
        batch_chart_data(store, "no-such", None)


def test_type_grows_with_the_figure_for_the_meeting_screen(store: Store) -> None:
    data = application_chart_data(store, app_id(store, CASE_CLEAN), None)
    small = application_charts.hard_indicators(data, figsize=(8, 5))
    large = application_charts.hard_indicators(data, figsize=(19.2, 10.8))

    def wording_size(fig: Figure) -> float:
        (label,) = [t for t in fig.findobj(Text) if t.get_text().strip() == "不低于70%"]
        return float(label.get_fontsize())

    # 19.2×10.8 in is 2.16 times as tall as 8×5: the type scales with the smaller ratio.
    assert wording_size(large) == pytest.approx(wording_size(small) * 2.16)
    assert large.get_suptitle() == small.get_suptitle()


def drawn_texts(fig: Figure) -> list[Text]:
    """The texts a draw of ``fig`` shows: tick labels only of the ticks inside the axis limits."""
    tick_labels: set[Text] = set()
    shown: list[Text] = []
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            slack = (high - low) * 1e-9
            for tick in axis.get_major_ticks():
                tick_labels.update((tick.label1, tick.label2))
                if axis.get_visible() and low - slack <= tick.get_loc() <= high + slack:
                    shown += [label for label in (tick.label1, tick.label2) if label.get_visible()]
    shown += [t for t in fig.findobj(Text) if t not in tick_labels and t.get_visible()]
    return [t for t in shown if isinstance(t, Text) and t.get_text()]


@pytest.mark.parametrize("size", [(6.4, 3.6), (19.2, 10.8)], ids=["small", "meeting"])
def test_every_text_fits_in_the_figure_clear_of_the_title_lines(
    store: Store, size: tuple[float, float]
) -> None:
    # The layout makes room for every label: nothing is cut off at the figure's edge, and no
    # plot runs into the title or the subtitle, on a small pane or with the meeting's large type.
    app = app_id(store, CASE_MANY_FAILS)
    for key in CHART_KINDS:
        fig = draw_chart(store, key, app, expert_id(store, "张三"), figsize=size, show_names=True)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        page = fig.bbox.padded(0.5)
        texts = drawn_texts(fig)
        boxes = {t: t.get_window_extent(renderer) for t in texts}
        outside = [t.get_text() for t, box in boxes.items() if not page.contains(box.x0, box.y0)
                   or not page.contains(box.x1, box.y1)]  # fmt: skip
        assert outside == [], key
        heads = [t for t in texts if t.get_text() in (fig.get_suptitle(), fig.get_supxlabel())]
        assert len(heads) == 2, key
        for head in heads:
            hit = [
                t.get_text() for t in texts if t is not head and boxes[head].padded(-0.5).overlaps(boxes[t])
            ]
            assert hit == [], (key, head.get_text())


# --- fonts: no missing glyphs ------------------------------------------------------------------------


def test_every_chart_renders_its_chinese_without_a_missing_glyph(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    app = app_id(store, CASE_MANY_FAILS)
    for key in CHART_KINDS:
        fig = draw_chart(store, key, app, expert_id(store, "张三"), show_names=True)
        assert render_problems(fig, caplog) == [], key


def test_the_glyph_check_fails_when_the_font_lacks_chinese(
    store: Store, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = application_chart_data(store, app_id(store, CASE_CLEAN), None)
    monkeypatch.setattr(fonts, "cjk_family", lambda: "DejaVu Sans")
    problems = render_problems(application_charts.hard_indicators(data), caplog)
    assert problems and "missing from font" in problems[0]


def test_the_log_check_fails_when_the_font_is_not_registered(
    store: Store, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A family matplotlib cannot find is only logged ("findfont: ... not found"), not warned.
    monkeypatch.setattr(fonts, "cjk_family", lambda: "ZC Review Missing Font 7f3a")
    with caplog.at_level(logging.WARNING, logger="matplotlib"):
        fig = application_charts.growth(application_chart_data(store, app_id(store, CASE_CLEAN), None))
    problems = render_problems(fig, caplog) + [r.getMessage() for r in caplog.records]
    assert any("not found" in p for p in problems)


# --- greyscale ---------------------------------------------------------------------------------------


def test_pass_and_fail_bars_differ_in_greyscale(store: Store) -> None:
    data = application_chart_data(store, app_id(store, CASE_MANY_FAILS), None)
    statuses = {c.key: c.status for c in data.checks}
    fig = application_charts.hard_indicators(data)
    fig.canvas.draw()  # fixes the constrained layout, so extents match the saved image
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=fig.dpi)
    grey = np.asarray(Image.open(buf).convert("L"), dtype=float)
    height = grey.shape[0]

    def luminance(key: str) -> float:
        (bar,) = bars(fig, f"indicator:{key}")
        box = bar.get_window_extent()
        x0, x1 = int(box.x0) + 3, int(box.x1) - 3
        y0, y1 = height - int(box.y1) + 3, height - int(box.y0) - 3
        return float(grey[y0:y1, x0:x1].mean())

    passing = [luminance(k) for k, s in statuses.items() if s is CheckStatus.PASS]
    failing = [luminance(k) for k, s in statuses.items() if s is CheckStatus.FAIL]
    assert passing and failing
    assert min(passing) - max(failing) > 40, (passing, failing)


def test_data_matches_the_store_rules_for_in_progress_reviews(store: Store) -> None:
    # 李四's review of 盐城 is in progress: it is his total, but not a panel score.
    li = expert_id(store, "李四")
    app = app_id(store, CASE_SEI_FAIL)
    row = next(r for r in batch_chart_data(store, None, li).rows if r.app_id == app)
    assert row.total == float(newest_state(store, li, app).total)
    assert li not in [e.expert_id for e in row.expert_totals]
    assert newest_state(store, li, app).status is ReviewStatus.IN_PROGRESS


@pytest.mark.parametrize("size", [(6.4, 3.6), (8, 5), (19.2, 10.8)], ids=["small", "pane", "meeting"])
def test_the_radar_goal_labels_stand_clear_of_its_outer_ring(store: Store, size: tuple[float, float]) -> None:
    # The wide side labels (管理体制科学, 创业服务完善) were centred on their angle and ran over
    # the outer ring: every goal label's drawn box must miss every point of the ring.
    app = app_id(store, CASE_MANY_FAILS)
    for expert in (None, expert_id(store, "张三")):  # unscored (one line) and scored (two lines)
        fig = draw_chart(store, "radar", app, expert, figsize=size)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        (ax,) = [a for a in fig.axes if a.name == "polar"]
        ring = ax.transData.transform(np.column_stack([np.linspace(0, 2 * np.pi, 1440), np.ones(1440)]))
        labels = [t for t in ax.get_xticklabels() if t.get_text()]
        assert len(labels) == 5
        crossed = []
        for label in labels:
            box = label.get_window_extent(renderer)
            inside = (
                (ring[:, 0] > box.x0) & (ring[:, 0] < box.x1) & (ring[:, 1] > box.y0) & (ring[:, 1] < box.y1)
            )
            if inside.any():
                crossed.append(label.get_text().split("\n")[0])
        assert crossed == [], (size, expert)
