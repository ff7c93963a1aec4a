"""演示模式 on real widgets: full screen, keys, expert names, recusal, and slide switching that never waits."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import matplotlib
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from tests.data.bundles import demo_case, import_demo
from tests.gui.test_main_window import when_dialog
from tests.unit.test_review_payload import realistic_sheet
from zc_review import experts, reviews
from zc_review.charts.fonts import cjk_family
from zc_review.core.scoring import ScoreSheet
from zc_review.experts import ExpertProfile
from zc_review.gui.app import open_settings
from zc_review.gui.main_window import MainWindow
from zc_review.gui.meeting_mode import MeetingStartDialog, MeetingWindow, hide_names
from zc_review.reviews import ReviewState
from zc_review.store.store import Store
from zc_review.workspace import list_applications

PRESENTER = ExpertProfile("王立新", "研究员", "江苏省科学技术情报研究所", "电子信息")
SECOND = ExpertProfile("李敏", "教授", "南京大学", "产业经济")
RECUSED_CASE = 0  # the second expert recused from the first demo case


def lower_sheet(state: ReviewState) -> ScoreSheet:
    """A complete sheet one step lower on every item than ``realistic_sheet``: a different total."""
    base = realistic_sheet(state)
    items = {i.id: i for i in state.rubric.items()}
    scores = {k: (max(v - items[k].step, 0 * v) if k in items else v) for k, v in base.scores.items()}
    comments = dict(base.item_comments)
    for item in state.rubric.items(include_bonus=True):
        if item.id in scores and item.comment_required(scores[item.id], state.failed_checks):
            comments.setdefault(item.id, "该项材料支撑不足，酌情扣分，已逐项核对申报材料。")
    return ScoreSheet(
        scores=scores,
        item_comments=comments,
        goal_comments=base.goal_comments,
        overall_opinion=base.overall_opinion,
        recommendation=base.recommendation,
    )


def _submit(store: Store, expert_id: int, app_id: int, lower: bool) -> None:
    state = reviews.open_review(store, expert_id, app_id)
    state = reviews.declare_no_conflict(store, state.review_id)
    if state.missing_materials:
        state = reviews.acknowledge_formal_check(store, state.review_id)
    sheet = lower_sheet(state) if lower else realistic_sheet(state)
    state = reviews.save_sheet(store, state.review_id, sheet)
    reviews.submit(store, state.review_id)


def build_panel_store(data_dir: Path, work: Path, cases: tuple[int, ...] = (0, 1, 2)) -> tuple[int, int]:
    """Import demo ``cases``; the presenter and a second expert submit all, except that the
    second recused from case :data:`RECUSED_CASE`. Returns (presenter id, second expert id)."""
    import_demo(data_dir, work, cases)
    with Store.open(data_dir) as store:
        first = experts.save_profile(store, PRESENTER)
        experts.accept_pledge(store, first)
        second = experts.find_or_create_expert(store, SECOND)
        experts.accept_pledge(store, second)
        apps = list_applications(store)
        recused_name = demo_case(RECUSED_CASE).app.community_name
        for app in apps:
            _submit(store, first, app.id, lower=False)
            if app.community_name == recused_name:
                state = reviews.open_review(store, second, app.id)
                reviews.declare_conflict(
                    store, state.review_id, reviews.CONFLICT_TYPES[1], "曾在该园区管委会任职。"
                )
            else:
                _submit(store, second, app.id, lower=True)
        return first, second


# --- the tests ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def panel(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, int]:
    root = tmp_path_factory.mktemp("meeting")
    first, second = build_panel_store(root / "data", root / "work")
    return root / "data", first, second


@pytest.fixture
def window(qtbot: QtBot, panel: tuple[Path, int, int], tmp_path: Path) -> Iterator[MainWindow]:
    source, first, _second = panel
    data = tmp_path / "data"
    shutil.copytree(source, data)
    store = Store.open(data)
    win = MainWindow(store, first, open_settings(data))
    qtbot.addWidget(win)
    win.show()
    yield win
    if win._meeting is not None:
        win._meeting.close()
    store.close()


def open_meeting(qtbot: QtBot, window: MainWindow, names: bool = False) -> MeetingWindow:
    seen: list[bool] = []

    def start(dialog: QWidget) -> None:
        assert isinstance(dialog, MeetingStartDialog)
        seen.append(dialog.names_check.isChecked())
        dialog.names_check.setChecked(names)
        dialog.start_button.click()

    when_dialog(MeetingStartDialog, start)
    window.meeting_action.trigger()
    assert seen == [False]  # names are hidden unless the presenter turns them on
    meeting = window._meeting
    assert meeting is not None
    qtbot.waitUntil(meeting.isFullScreen, timeout=5000)
    return meeting


def press(qtbot: QtBot, meeting: MeetingWindow, key: Qt.Key) -> None:
    qtbot.keyClick(meeting, key)


def wait_ready(qtbot: QtBot, meeting: MeetingWindow) -> tuple[str, ...]:
    qtbot.waitUntil(meeting.is_ready, timeout=20000)
    texts = meeting.current_texts()
    assert texts is not None
    return texts


def app_slide(meeting: MeetingWindow, name: str, kind: str) -> int:
    return next(i for i, s in enumerate(meeting.slides) if s.caption == name and s.kind == kind)


def test_the_meeting_opens_full_screen_and_the_keys_move_through_slides_and_applications(
    qtbot: QtBot, window: MainWindow
) -> None:
    meeting = open_meeting(qtbot, window)
    apps = list_applications(window.store)
    per_app = 4
    assert len(meeting.slides) == 4 + per_app * len(apps)
    # The batch overview comes first, the ranking before the rest.
    assert meeting.slides[0].kind == "ranking" and meeting.slides[0].app_id is None
    assert meeting.footer.text().startswith(f"1 / {len(meeting.slides)} · ")
    texts = wait_ready(qtbot, meeting)
    assert any("申报总分排序" in t for t in texts)

    press(qtbot, meeting, Qt.Key.Key_Right)
    assert meeting.index == 1
    press(qtbot, meeting, Qt.Key.Key_Space)
    press(qtbot, meeting, Qt.Key.Key_PageDown)
    assert meeting.index == 3
    press(qtbot, meeting, Qt.Key.Key_Left)
    press(qtbot, meeting, Qt.Key.Key_PageUp)
    assert meeting.index == 1
    press(qtbot, meeting, Qt.Key.Key_Down)  # the first application's first slide
    assert meeting.index == 4 and meeting.slides[4].app_id == apps[0].id
    assert meeting.footer.text() == f"5 / {len(meeting.slides)} · {apps[0].community_name}"
    press(qtbot, meeting, Qt.Key.Key_Right)
    press(qtbot, meeting, Qt.Key.Key_N)  # from mid-application to the next one's first slide
    assert meeting.slides[meeting.index].app_id == apps[1].id and meeting.index == 4 + per_app
    press(qtbot, meeting, Qt.Key.Key_P)
    press(qtbot, meeting, Qt.Key.Key_Up)  # back to the batch overview
    assert meeting.index == 0
    press(qtbot, meeting, Qt.Key.Key_End)
    assert meeting.index == len(meeting.slides) - 1
    press(qtbot, meeting, Qt.Key.Key_Right)  # no further than the last
    assert meeting.index == len(meeting.slides) - 1
    press(qtbot, meeting, Qt.Key.Key_Home)
    assert meeting.index == 0

    press(qtbot, meeting, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window._meeting is None, timeout=5000)
    assert not meeting.isVisible()


def test_expert_names_are_hidden_by_default_and_shown_after_e(qtbot: QtBot, window: MainWindow) -> None:
    meeting = open_meeting(qtbot, window)
    press(qtbot, meeting, Qt.Key.Key_Right)
    assert meeting.slides[meeting.index].kind == "spread"
    hidden = " ".join(wait_ready(qtbot, meeting))
    assert "专家评分分布" in hidden
    assert PRESENTER.name not in hidden and SECOND.name not in hidden
    assert "显示专家姓名" not in meeting.footer.text()

    press(qtbot, meeting, Qt.Key.Key_E)
    shown = " ".join(wait_ready(qtbot, meeting))
    assert PRESENTER.name in shown and SECOND.name in shown
    assert "显示专家姓名" in meeting.footer.text()

    press(qtbot, meeting, Qt.Key.Key_E)
    again = " ".join(wait_ready(qtbot, meeting))
    assert SECOND.name not in again


def test_a_recused_experts_score_is_never_on_that_applications_slides(
    qtbot: QtBot, window: MainWindow
) -> None:
    meeting = open_meeting(qtbot, window, names=True)
    recused = demo_case(RECUSED_CASE).app.community_name
    other = next(a.community_name for a in list_applications(window.store) if a.community_name != recused)

    # The panel on the recused application is the presenter alone; on the others both experts.
    meeting.go(app_slide(meeting, recused, "radar"))
    radar = " ".join(wait_ready(qtbot, meeting))
    assert "（1 位专家）" in radar, radar
    meeting.go(app_slide(meeting, other, "radar"))
    assert "（2 位专家）" in " ".join(wait_ready(qtbot, meeting))

    # With names on, the second expert appears on no slide of the application they recused from.
    start = app_slide(meeting, recused, "radar")
    for i in range(start, start + 4):
        meeting.go(i)
        assert SECOND.name not in " ".join(wait_ready(qtbot, meeting))


def test_turning_a_slide_never_waits_once_the_slides_ahead_are_drawn(
    qtbot: QtBot, window: MainWindow
) -> None:
    meeting = open_meeting(qtbot, window)
    timings = []
    for _ in range(6):
        # Warm-up: the slides around the current one are drawn in the background.
        qtbot.waitUntil(meeting.is_idle, timeout=30000)
        before = meeting.index
        started = time.perf_counter()
        press(qtbot, meeting, Qt.Key.Key_Right)
        timings.append(time.perf_counter() - started)
        assert meeting.index == before + 1
        assert meeting.is_ready()  # the picture was there already: nothing drawn on the key press
    assert max(timings) < 0.1, timings


def test_hidden_names_are_replaced_in_every_text_of_a_figure() -> None:
    with matplotlib.rc_context({"font.family": [cjk_family()]}):
        figure = Figure(figsize=(6, 4))
        FigureCanvasAgg(figure)
        ax = figure.add_subplot()
        ax.bar(["王立新", "李敏"], [90, 80], label="王立新的评分")
        ax.legend()
        figure.suptitle("李敏与王立新")
        hide_names(figure, {"王立新": "专家A", "李敏": "专家B"})
        figure.canvas.draw()
    texts = " ".join(t.get_text() for t in figure.findobj(Text))
    assert "王立新" not in texts and "李敏" not in texts
    assert "专家A" in texts and "专家B" in texts
    assert [t.get_text() for t in ax.get_xticklabels()] == ["专家A", "专家B"]
