"""Journey 3, the presenter: ``zc-review demo`` on a fresh laptop, F5, every slide, names on and off, Esc.

Before the app starts, two experts' paper score sheets are entered with the real ``zc-review
score`` command (as office staff do), so the score-spread slide has experts on it whose names
the meeting must hide until the presenter presses E. The journey itself is presenter.py.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.journeys.runner import JourneyResult, demo_workspace, entry_point, run_journey
from zc_review.core.application import Stage
from zc_review.core.rubric import load_rubric

pytestmark = pytest.mark.journey

PRESENTER = "陈主持"
# Two experts on two demo communities whose hard indicators all pass (a full sheet is submittable).
EXPERTS = {"张三": 0, "李四": 1}  # name -> points below the maximum per item
SCORED = ("南京江北新区智能制造众创社区", "徐州铜山新能源众创社区")
OPINION = (
    "该社区区位条件优越，产业定位清晰，创业服务体系较完整，建设计划可行，建议按程序备案试点并加强统计监测。"
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("presenter-demo")
    ws = demo_workspace(root / "workspace")
    _enter_paper_sheets(ws, root)
    return ws


def _ok(result: JourneyResult) -> JourneyResult:
    problems = result.problems()
    assert not problems, "\n\n".join(problems) + f"\n\nscreenshots: {result.shots}"
    return result


def _sheet(name: str, below: int) -> dict[str, Any]:
    rubric = load_rubric(Stage.APPLICATION)
    return {
        "expert": {"name": name, "title": "教授", "organisation": "东南大学", "field": "城市规划"},
        "pledge_accepted": True,
        "conflict": {"declared": False},
        "formal_acknowledged": True,
        "scores": {i.id: str(i.max_points - below * i.step) for i in rubric.items()},
        "item_comments": {},
        "goal_comments": {g.key: "材料翔实，论证充分，基本符合政策要求。" for g in rubric.goals},
        "overall_opinion": OPINION,
        "recommendation": rubric.recommendations[0].label,
    }


def _enter_paper_sheets(workspace: Path, where: Path) -> None:
    """``zc-review score`` for each expert and community: the panel the meeting shows."""
    for name, below in EXPERTS.items():
        sheet = where / f"{name}.json"
        sheet.write_text(json.dumps(_sheet(name, below), ensure_ascii=False), encoding="utf-8")
        for community in SCORED:
            done = subprocess.run(
                [*entry_point(), "--data-dir", str(workspace), "score", community, "--from", str(sheet)],
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module")
def presented(demo: Path, tmp_path_factory: pytest.TempPathFactory) -> JourneyResult:
    """The journey, run once for this module's tests on its own copy of the demo workspace."""
    tmp = tmp_path_factory.mktemp("presenter")
    workspace = Path(shutil.copytree(demo, tmp / "workspace"))
    return run_journey(
        "presenter",
        tmp / "data",
        tmp,
        {"name": PRESENTER, "title": "研究员"},
        command=["demo", "--workspace", str(workspace)],
        timeout=180,
    )


def _names_in(texts: list[str] | None) -> set[str]:
    return {n for n in EXPERTS if any(n in t for t in texts or [])}


def test_the_presenter_shows_every_slide_with_names_hidden_until_e_and_leaves_with_esc(
    presented: JourneyResult,
) -> None:
    result = _ok(presented)
    facts = result.facts
    assert facts["listed"] == 12

    # F5 asks first; the names are off unless the presenter ticks them.
    assert facts["start_dialog_names_checked"] is False
    assert facts["names_shown_at_start"] is False
    assert facts["meeting_size"] == facts["screen_size"], "the meeting fills the screen"

    # The batch overview (ranking first), then every application's charts: 4 + 12 × 4.
    count = facts["slide_count"]
    kinds = facts["slide_kinds"]
    assert count == len(kinds) == 4 + 12 * 4
    assert kinds[0][:2] == ["ranking", 0]
    assert {k[2] for k in kinds if k[1] > 0} >= set(SCORED)

    # Every slide was reached with the keys, in order, and drawn (no "cannot draw" note).
    seen = facts["slides_seen"]
    assert [s["index"] for s in seen] == list(range(count))
    assert {s.get("key") for s in seen[1:]} == {"Key_Right", "Key_PageDown", "Key_Space"}
    for s in seen:
        assert s["error"] == "" and s["has_picture"] and s["texts"], s
        assert s["footer"].startswith(f"{s['index'] + 1} / {count} · "), s["footer"]
        assert s["caption"] in s["footer"]
        # Hidden by default: no expert's name in any text of any slide, nor in the footer.
        assert not _names_in(s["texts"]), (s["index"], s["kind"], s["texts"])
        assert not _names_in([s["footer"]]) and "显示专家姓名" not in s["footer"]

    # The spread slide: names after E, hidden again after the second E.
    spread = facts["spread_index"]
    assert spread is not None and seen[spread]["kind"] == "spread"
    assert "专家评分分布" in seen[spread]["texts"]
    assert not _names_in(seen[spread]["texts"])
    on = facts["names_shown_slide"]
    assert on["index"] == spread and on["names_shown"] is True
    assert _names_in(on["texts"]) == set(EXPERTS), on["texts"]
    assert PRESENTER not in " ".join(on["texts"]), "the presenter scored nothing"
    assert "显示专家姓名" in on["footer"]
    off = facts["names_hidden_again_slide"]
    assert off["index"] == spread and off["names_shown"] is False
    assert not _names_in(off["texts"]) and "显示专家姓名" not in off["footer"]
    assert off["texts"] == seen[spread]["texts"]

    # The other keys: clamped at both ends, N/↓ and P/↑ by application, back one slide at a time.
    first_app = next(i for i, k in enumerate(kinds) if k[1] == 1)
    assert facts["moves"] == [
        ["Right at the end", count - 1],
        ["Home", 0],
        ["Left at the start", 0],
        ["N", first_app],
        ["Down", first_app + 4],
        ["P", first_app],
        ["Up", 0],
        ["End", count - 1],
        ["PageUp", count - 2],
        ["Backspace", count - 3],
        ["Left", count - 4],
    ]
    assert facts["after_moves"]["texts"] and not facts["after_moves"]["error"]

    # Esc: the meeting window is gone and the main window is back, active.
    assert "MeetingWindow" not in facts["after_esc_meeting_windows"]
    assert facts["after_esc_meeting_windows"] == ["MainWindow"]
    assert facts["after_esc_main_visible"] is True and facts["after_esc_main_active"] is True
    assert facts["after_esc_meeting_attribute"] is False

    shots = sorted(p.name for p in result.shots.glob("*.png"))
    assert any("names-shown" in n for n in shots) and any("names-hidden" in n for n in shots)


def test_the_meeting_window_stays_the_size_of_its_screen_on_every_slide(presented: JourneyResult) -> None:
    facts = _ok(presented).facts
    screen = facts["screen_size"]
    states = [*facts["slides_seen"], facts["names_shown_slide"], facts["names_hidden_again_slide"]]
    wrong = [(s["index"], s["names_shown"], s["size"]) for s in states if s["size"] != screen]
    assert not wrong, f"screen {screen}; (slide, names shown, window size): {wrong}"
