"""The presenter's journey, run inside the app (see driver.py): the review meeting's slides.

The app is started as ``zc-review demo --workspace W`` on a demo workspace in which a few experts'
paper score sheets have been entered (``zc-review score``), but no one has used this laptop yet:
the first start asks for the profile and the pledge. The presenter then selects an application,
presses F5, starts the meeting on the offered screen with the names setting left as it is, steps
through every slide with the keyboard (→, PgDn and Space in turn), shows the experts' names with
E on the score-spread slide and hides them again, tries the other keys (End, Home, N, P, ←, PgUp,
Backspace), leaves with Esc and quits with Ctrl+Q.

Parameters (ZC_REVIEW_JOURNEY_PARAMS): ``name`` and ``title`` (the presenter's profile).
Facts (``d.note``) say what each slide showed; the test checks them.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

# The app loads this file by path; its sibling driver.py and expert.py come from the same folder.
sys.path.insert(0, str(Path(__file__).resolve().parent))
import driver as dr
import expert

# The keys a presenter turns the slides on with, used in turn (meeting_mode.MeetingWindow).
FORWARD = (Qt.Key.Key_Right, Qt.Key.Key_PageDown, Qt.Key.Key_Space)
RENDER_WAIT_S = 60.0


def meeting_window() -> Any:
    return dr.window_named("MeetingWindow")


def slide_state(meeting: Any) -> dict[str, Any]:
    """What the audience sees now: the slide, the footer, every text of the chart (or why none)."""
    slide = meeting.slides[meeting.index]
    texts = meeting.current_texts()
    return {
        "index": meeting.index,
        "kind": slide.kind,
        "group": slide.group,
        "caption": slide.caption,
        "footer": meeting.footer.text(),
        "texts": list(texts) if texts is not None else None,
        # A slide that could not be drawn shows why instead of a picture.
        "error": meeting.picture.text() if texts is None else "",
        "has_picture": not meeting.picture.pixmap().isNull(),
        "names_shown": meeting.names_shown,
        # The window, which must stay the size of its screen (a projector shows no more).
        "size": [meeting.width(), meeting.height()],
    }


def press_in_meeting(d: dr.Driver, meeting: Any, key: Qt.Key, what: str) -> dr.Journey:
    """A key as the presenter presses it: to whatever has the keyboard focus, which must be the meeting."""
    yield d.wait(
        lambda: meeting.isActiveWindow() and QApplication.focusWidget() is meeting,
        "_the meeting window to have the keyboard focus",
        timeout=10,
    )
    yield d.key(None, key, what=what)


def shown(d: dr.Driver, meeting: Any, index: int, what: str) -> dr.Journey:
    """Wait until slide ``index`` is the one shown and drawn; its state is sent back."""
    yield d.wait(
        lambda: meeting.index == index and meeting.is_ready(),
        f"slide {index + 1} ({what}) drawn",
        timeout=RENDER_WAIT_S,
    )
    return slide_state(meeting)


def names_on_and_off(d: dr.Driver, meeting: Any) -> dr.Journey:
    """On the current slide: E shows the experts' names, E again hides them."""
    i = meeting.index
    yield from press_in_meeting(d, meeting, Qt.Key.Key_E, "E (show the experts' names)")
    yield d.wait(lambda: meeting.names_shown, "the names to be turned on", timeout=5)
    on = yield from shown(d, meeting, i, "names shown")
    d.note("names_shown_slide", on)
    d.snap("names-shown", meeting)
    yield from press_in_meeting(d, meeting, Qt.Key.Key_E, "E (hide the names again)")
    yield d.wait(lambda: not meeting.names_shown, "the names to be turned off", timeout=5)
    off = yield from shown(d, meeting, i, "names hidden again")
    d.note("names_hidden_again_slide", off)
    d.snap("names-hidden-again", meeting)


def open_meeting(d: dr.Driver, window: Any) -> dr.Journey:
    yield from d.press("F5", window)
    dialog = yield d.wait(lambda: dr.window_named("MeetingStartDialog"), "the meeting's start dialog")
    d.note("start_dialog_names_checked", dialog.names_check.isChecked())
    d.note("start_dialog_screens", dialog.screen_combo.count())
    d.snap("start-dialog", dialog)
    yield d.click(dialog.start_button, "开始演示")
    meeting = yield d.wait(meeting_window, "the meeting window")
    yield d.wait(lambda: meeting.isFullScreen(), "the meeting full screen", timeout=10)
    yield d.wait(lambda: dr.window_named("MeetingStartDialog") is None, "the start dialog to close")
    screen = meeting.screen().geometry()
    d.note("meeting_size", [meeting.width(), meeting.height()])
    d.note("screen_size", [screen.width(), screen.height()])
    d.note("slide_count", len(meeting.slides))
    d.note("slide_kinds", [[s.kind, s.group, s.caption] for s in meeting.slides])
    d.note("selected_batch", window.loaded.batch_id)
    return meeting


def step_through(d: dr.Driver, meeting: Any) -> dr.Journey:
    """Every slide from the first to the last, one forward key at a time; names on and off on the spread."""
    count = len(meeting.slides)
    first = yield from shown(d, meeting, 0, "the first slide")
    seen = [first]
    d.snap("slide-01", meeting)
    spread = next((i for i, s in enumerate(meeting.slides) if s.kind == "spread" and s.app_id is None), None)
    d.note("spread_index", spread)
    if spread == 0:
        yield from names_on_and_off(d, meeting)
    for i in range(1, count):
        key = FORWARD[(i - 1) % len(FORWARD)]
        yield from press_in_meeting(d, meeting, key, f"{key.name} (slide {i + 1})")
        state = yield from shown(d, meeting, i, meeting.slides[i].kind)
        state["key"] = key.name
        seen.append(state)
        slide = meeting.slides[i]
        # The batch's overview, the first application's charts and the last slide, to look at.
        if slide.group <= 1 or i == count - 1:
            d.snap(f"slide-{i + 1:02d}-{slide.kind}", meeting)
        if i == spread:
            yield from names_on_and_off(d, meeting)
    d.note("slides_seen", seen)


def other_keys(d: dr.Driver, meeting: Any) -> dr.Journey:
    """Past the end, back to the start, by application, and back one slide."""
    K = Qt.Key
    count = len(meeting.slides)
    moves: list[tuple[str, int]] = []

    def record(label: str) -> None:
        moves.append((label, meeting.index))

    yield from press_in_meeting(d, meeting, K.Key_Right, "→ on the last slide")
    yield d.wait(lambda: meeting.is_ready(), "_the slide drawn")
    record("Right at the end")
    yield from press_in_meeting(d, meeting, K.Key_Home, "Home")
    yield d.wait(lambda: meeting.index == 0, "Home to go to the first slide", timeout=5)
    record("Home")
    yield from press_in_meeting(d, meeting, K.Key_Left, "← on the first slide")
    record("Left at the start")
    for key, label in ((K.Key_N, "N"), (K.Key_Down, "Down"), (K.Key_P, "P"), (K.Key_Up, "Up")):
        yield from press_in_meeting(d, meeting, key, label)
        record(label)
    yield from press_in_meeting(d, meeting, K.Key_End, "End")
    yield d.wait(lambda: meeting.index == count - 1, "End to go to the last slide", timeout=5)
    record("End")
    for key, label in ((K.Key_PageUp, "PageUp"), (K.Key_Backspace, "Backspace"), (K.Key_Left, "Left")):
        yield from press_in_meeting(d, meeting, key, label)
        record(label)
    yield d.wait(lambda: meeting.is_ready(), "the slide three before the last drawn", timeout=RENDER_WAIT_S)
    d.note("moves", moves)
    d.note("after_moves", slide_state(meeting))


def leave_meeting(d: dr.Driver, window: Any, meeting: Any) -> dr.Journey:
    yield from press_in_meeting(d, meeting, Qt.Key.Key_Escape, "Esc (leave the meeting)")
    yield d.wait(lambda: meeting_window() is None, "the meeting window to close", timeout=10)
    yield d.wait(
        lambda: window.isActiveWindow() or QApplication.activeWindow() is window,
        "the main window active again",
        timeout=10,
    )
    d.note("after_esc_meeting_windows", [type(w).__name__ for w in dr.visible()])
    d.note("after_esc_main_visible", window.isVisible())
    d.note("after_esc_main_active", window.isActiveWindow())
    d.note("after_esc_meeting_attribute", window._meeting is not None)
    d.snap("back-in-the-window", window)


def journey(d: dr.Driver) -> dr.Journey:
    yield from expert.first_start(d)
    window = yield d.wait(expert.main_window, "the main window")
    yield d.wait(
        lambda: window.isActiveWindow() or QApplication.activeWindow() is window, "the window to be active"
    )
    model = window.app_list.view.model()
    yield d.wait(lambda: model.rowCount() > 0, "the demo applications in the list")
    d.note("listed", model.rowCount())
    yield from expert.select_first_application(d, window)
    meeting = yield from open_meeting(d, window)
    d.note("names_shown_at_start", meeting.names_shown)
    yield from step_through(d, meeting)
    yield from other_keys(d, meeting)
    yield from leave_meeting(d, window, meeting)
    yield from d.press("Ctrl+Q", window)


def start(app: QApplication) -> None:
    dr.install(app, journey)
