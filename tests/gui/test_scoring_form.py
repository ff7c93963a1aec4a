"""The 评分 form on real widgets, built from the packaged application rubric."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from zc_review.core.rubric import Rubric, load_rubric
from zc_review.core.scoring import FieldKind, ScoreSheet, bonus_total, completeness, goal_total, total
from zc_review.gui.scoring_form import ItemCard, ScoreSpinBox, ScoringForm, fmt_points

SEI_FAILURE = "特色战略新兴产业投资占比（2025年 55.00%）"


@pytest.fixture
def rubric() -> Rubric:
    return load_rubric("application")


@pytest.fixture
def form(qtbot: QtBot, rubric: Rubric) -> Iterator[ScoringForm]:
    widget = ScoringForm(rubric)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    widget.activateWindow()
    qtbot.waitExposed(widget)
    yield widget


def spin(form: ScoringForm, item_id: str) -> ScoreSpinBox:
    box = form.cards[item_id].spin
    assert box is not None
    return box


def type_score(qtbot: QtBot, form: ScoringForm, item_id: str, text: str) -> None:
    """Focus the item's score box the way Tab does, then type ``text``."""
    box = spin(form, item_id)
    box.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: box.lineEdit().selectedText() == box.lineEdit().text())
    type_text(qtbot, box, text)


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type ``text`` as a person would: ASCII as key presses, Chinese as input-method commits."""
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(widget, ch)
        else:
            event = QInputMethodEvent()
            event.setCommitString(ch)
            QApplication.sendEvent(widget, event)


def full_sheet(rubric: Rubric) -> ScoreSheet:
    """Every item scored at its 良 band's top, which totals 74 points with this rubric."""
    scores = {i.id: i.anchors[1].max_points for i in rubric.items()}
    return ScoreSheet(scores=scores)


def test_typing_scores_updates_goal_subtotals_and_the_total_as_the_rules_compute_them(
    qtbot: QtBot, form: ScoringForm, rubric: Rubric
) -> None:
    type_score(qtbot, form, "1.1", "4.5")
    type_score(qtbot, form, "1.2", "5")
    type_score(qtbot, form, "2.1", "3")
    bonus = form.cards["B1"].check
    assert bonus is not None
    bonus.click()

    sheet = form.sheet()
    assert sheet.scores == {"1.1": Decimal("4.5"), "1.2": Decimal(5), "2.1": Decimal(3), "B1": Decimal(1)}
    ir = goal_total(rubric, sheet, "innovation_resources")
    assert ir == Decimal("9.5")
    assert form.goal_sections["innovation_resources"].score.text() == "9.5 / 22 分"
    assert form.summary.goal_rows["innovation_resources"].value.text() == "9.5 / 22"
    assert form.goal_sections["entrepreneurship_services"].score.text() == "3 / 22 分"
    assert form.summary.total.text() == fmt_points(total(rubric, sheet)) == "13.5"
    assert form.summary.progress_text.text() == "已评 3/22 项"
    assert form.bonus_section.score.text() == f"+{fmt_points(bonus_total(rubric, sheet))} / 5 分"


def test_bonus_points_count_only_up_to_the_cap(qtbot: QtBot, form: ScoringForm, rubric: Rubric) -> None:
    for item in rubric.bonus.items[:6]:
        check = form.cards[item.id].check
        assert check is not None
        check.click()
    assert sum(form.sheet().scores.values()) == 6
    assert form.bonus_section.score.text() == "+5 / 5 分"
    assert "按上限计" in form.bonus_section.progress.text()
    assert form.summary.total.text() == "5"


def test_the_band_of_the_current_score_is_highlighted(qtbot: QtBot, form: ScoringForm) -> None:
    card = form.cards["1.1"]
    assert card.anchors is not None
    type_score(qtbot, form, "1.1", "4.5")
    assert card.anchors.current == 1  # 良 4–4.5
    assert [bool(r.property("current")) for r in card.anchors.rows] == [False, True, False, False]
    assert card.band_label.text() == "良档"
    type_score(qtbot, form, "1.1", "1")
    assert card.anchors.current == 3  # 差 0–2
    assert card.band_label.text() == "差档"


def test_a_failed_hard_indicator_shows_beside_its_item_and_makes_the_comment_required(
    qtbot: QtBot, form: ScoringForm
) -> None:
    form.set_sheet(ScoreSheet(scores={"3.2": Decimal(5)}), {"sei_investment_share": SEI_FAILURE})
    affected = form.cards["3.2"]
    assert [label.text() for label in affected.fail_labels] == [f"✘ 硬指标不达标：{SEI_FAILURE}"]
    qtbot.waitUntil(affected.fail_labels[0].isVisible)
    assert affected.comment_tag.text() == "必填：相关硬指标不达标"
    other = form.cards["3.1"]
    assert other.fail_labels == []
    assert other.comment_tag.text() == "选填"
    # The positive recommendation cannot be chosen while a hard indicator fails.
    assert not form.rec_buttons["recommend"].isEnabled()
    assert form.rec_buttons["revise"].isEnabled()


def test_a_low_score_makes_the_comment_required_with_the_line(qtbot: QtBot, form: ScoringForm) -> None:
    type_score(qtbot, form, "1.2", "3")
    assert form.cards["1.2"].comment_tag.text() == "必填：得分低于 3.6 分"
    type_score(qtbot, form, "1.2", "4")
    assert form.cards["1.2"].comment_tag.text() == "选填"


def test_the_suggestion_follows_the_total_and_the_hard_indicators(form: ScoringForm, rubric: Rubric) -> None:
    sheet = full_sheet(rubric)
    high = sheet.with_score("1.1", Decimal(6)).with_score("1.2", Decimal(6))
    high = high.with_score("2.1", Decimal(6)).with_score("3.1", Decimal(6))
    for bonus in ("B1", "B2", "B3", "B4"):
        high = high.with_score(bonus, Decimal(1))
    assert total(rubric, high) == Decimal("82.5")
    form.set_sheet(high)
    assert form.rec_suggestion.text() == "按细则：总分 82.5 分，建议备案试点"
    form.set_sheet(high, {"sei_investment_share": SEI_FAILURE})
    assert form.rec_suggestion.text() == "按细则：总分 82.5 分，但有硬指标不达标，修改完善后再议"


def test_undo_and_redo_restore_values_and_are_emitted(qtbot: QtBot, form: ScoringForm) -> None:
    edited: list[ScoreSheet] = []
    form.sheetEdited.connect(edited.append)
    type_score(qtbot, form, "2.2", "4.5")
    assert edited[-1] == form.sheet() and edited[-1].scores["2.2"] == Decimal("4.5")
    comment = form.cards["2.2"].comment
    comment.setFocus()
    type_text(qtbot, comment, "孵化器建成")
    assert form.sheet().item_comments["2.2"] == "孵化器建成"
    assert form.undo_stack.count() == 2

    form.undo_stack.undo()
    assert comment.toPlainText() == ""
    assert edited[-1].item_comments["2.2"] == ""
    assert edited[-1].scores["2.2"] == Decimal("4.5")
    form.undo_stack.undo()
    assert "2.2" not in form.sheet().scores
    assert spin(form, "2.2").text() == "未评分"
    assert edited[-1] == form.sheet()

    form.undo_stack.redo()
    assert spin(form, "2.2").points() == Decimal("4.5")
    assert edited[-1].scores["2.2"] == Decimal("4.5")
    assert form.goal_sections["entrepreneurship_services"].score.text() == "4.5 / 22 分"
    form.undo_stack.redo()
    assert comment.toPlainText() == "孵化器建成"


def test_typing_a_comment_is_one_undo_step_per_box(qtbot: QtBot, form: ScoringForm) -> None:
    first = form.cards["1.3"].comment
    first.setFocus()
    type_text(qtbot, first, "合作协议具体")
    assert form.undo_stack.count() == 1
    second = form.goal_comments["innovation_resources"].edit
    second.setFocus()
    type_text(qtbot, second, "资源富集程度较高")
    assert form.undo_stack.count() == 2
    form.undo_stack.undo()
    assert second.toPlainText() == ""
    assert first.toPlainText() == "合作协议具体"
    form.undo_stack.undo()
    assert form.sheet().item_comments["1.3"] == ""


def test_ctrl_z_in_a_comment_box_undoes_through_the_form(qtbot: QtBot, form: ScoringForm) -> None:
    comment = form.opinion.edit
    comment.setFocus()
    type_text(qtbot, comment, "方案可行")
    qtbot.keyClick(comment, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert form.sheet().overall_opinion == ""
    assert comment.toPlainText() == ""
    qtbot.keyClick(comment, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert form.sheet().overall_opinion == "方案可行"


def test_set_sheet_emits_nothing_and_clears_undo(qtbot: QtBot, form: ScoringForm, rubric: Rubric) -> None:
    type_score(qtbot, form, "1.1", "5")
    assert form.undo_stack.count() == 1
    sheet = ScoreSheet(
        scores={"1.1": Decimal(3)},
        item_comments={"1.1": "载体清单不具体"},
        goal_comments={"living_environment": "配套较完善，但数字化管理尚未覆盖。"},
        overall_opinion="总体可行。",
        recommendation="revise",
    )
    with qtbot.assertNotEmitted(form.sheetEdited):
        form.set_sheet(sheet)
    assert form.undo_stack.count() == 0
    assert form.sheet() == sheet
    assert spin(form, "1.1").text() == "3"
    assert form.cards["1.1"].comment.toPlainText() == "载体清单不具体"
    assert (
        form.goal_comments["living_environment"].edit.toPlainText()
        == sheet.goal_comments["living_environment"]
    )
    assert form.opinion.edit.toPlainText() == "总体可行。"
    assert form.rec_buttons["revise"].isChecked()


def test_not_scored_and_zero_are_different_and_round_trip(qtbot: QtBot, form: ScoringForm) -> None:
    form.set_sheet(ScoreSheet(scores={"1.1": Decimal(0)}))
    assert spin(form, "1.1").text() == "0"
    assert spin(form, "1.2").text() == "未评分"
    assert form.sheet().scores == {"1.1": Decimal(0)}

    type_score(qtbot, form, "1.2", "0")
    assert form.sheet().scores["1.2"] == Decimal(0)
    # Emptying the box means "not scored" again.
    qtbot.keyClick(spin(form, "1.2"), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(spin(form, "1.2"), Qt.Key.Key_Backspace)
    assert "1.2" not in form.sheet().scores
    # So does the clear button.
    clear = form.cards["1.1"].clear_button
    assert clear is not None and clear.isVisible()
    clear.click()
    assert form.sheet().scores == {}
    assert spin(form, "1.1").text() == "未评分"


def test_a_score_off_the_step_grid_is_snapped_when_the_box_is_left(qtbot: QtBot, form: ScoringForm) -> None:
    type_score(qtbot, form, "1.1", "4.3")
    qtbot.keyClick(spin(form, "1.1"), Qt.Key.Key_Return)
    assert form.sheet().scores["1.1"] == Decimal("4.5")


def test_chinese_keyboard_punctuation_is_accepted(qtbot: QtBot, form: ScoringForm) -> None:
    type_score(qtbot, form, "1.1", "４。５")
    assert form.sheet().scores["1.1"] == Decimal("4.5")


def test_read_only_locks_every_input(qtbot: QtBot, form: ScoringForm) -> None:
    sheet = ScoreSheet(scores={"1.1": Decimal(5)}, recommendation="revise")
    form.set_sheet(sheet, read_only=True)
    assert spin(form, "1.1").isReadOnly()
    assert form.cards["1.1"].comment.isReadOnly()
    assert form.goal_comments["innovation_resources"].edit.isReadOnly()
    assert form.opinion.edit.isReadOnly()
    assert not any(b.isEnabled() for b in form.rec_buttons.values())
    bonus = form.cards["B1"].check
    assert bonus is not None and not bonus.isEnabled()
    assert form.read_only_banner.isVisible()
    with qtbot.assertNotEmitted(form.sheetEdited):
        type_score(qtbot, form, "1.1", "2")
    assert form.sheet() == sheet

    form.set_read_only(False)
    assert not spin(form, "1.1").isReadOnly()
    assert form.rec_buttons["recommend"].isEnabled()


FOCUS_CASES = [
    (FieldKind.SCORE, "2.3", lambda f: f.cards["2.3"].spin),
    (FieldKind.SCORE, "B3", lambda f: f.cards["B3"].check),
    (FieldKind.ITEM_COMMENT, "4.2", lambda f: f.cards["4.2"].comment),
    (FieldKind.GOAL_COMMENT, "management_system", lambda f: f.goal_comments["management_system"].edit),
    (FieldKind.OVERALL_OPINION, None, lambda f: f.opinion.edit),
    (FieldKind.RECOMMENDATION, None, lambda f: f.rec_buttons["recommend"]),
]


@pytest.mark.parametrize(("kind", "key", "expected"), FOCUS_CASES)
def test_focus_field_focuses_and_shows_the_field_of_a_problem(
    qtbot: QtBot, form: ScoringForm, kind: FieldKind, key: str | None, expected: object
) -> None:
    target = expected(form)  # type: ignore[operator]
    assert isinstance(target, QWidget)
    assert form.focus_field(kind, key) is True
    qtbot.waitUntil(
        lambda: QApplication.focusWidget() in (target, getattr(target, "lineEdit", lambda: None)())
    )
    # In view: the field's top lies within the scroll area's viewport.
    top = target.mapTo(form.scroll_area.viewport(), target.rect().topLeft()).y()
    assert 0 <= top < form.scroll_area.viewport().height()


def test_focus_field_flashes_the_field(qtbot: QtBot, form: ScoringForm) -> None:
    form.focus_field(FieldKind.ITEM_COMMENT, "5.1")
    assert form.cards["5.1"].comment.property("flash") is True
    qtbot.waitUntil(lambda: not form.cards["5.1"].comment.property("flash"), timeout=3000)


def test_focus_field_declines_what_the_form_does_not_hold(form: ScoringForm) -> None:
    assert form.focus_field(FieldKind.DECLARATION, None) is False
    assert form.focus_field(FieldKind.SCORE, "9.9") is False


def test_problems_stay_marked_until_fixed(qtbot: QtBot, form: ScoringForm, rubric: Rubric) -> None:
    problems = completeness(rubric, form.sheet(), declared_no_conflict=True)
    form.show_problems(problems)
    frame = form.cards["1.1"].score_mark
    assert frame.property("problem") is True
    assert "尚未评分" in spin(form, "1.1").toolTip()
    assert form.opinion.edit.property("problem") is True

    type_score(qtbot, form, "1.1", "5")
    assert not frame.property("problem")
    assert "尚未评分" not in spin(form, "1.1").toolTip()
    assert form.cards["1.2"].score_mark.property("problem") is True  # others are still marked
    remaining = {(p.kind, p.key) for p in form.marked_problems()}
    assert (FieldKind.SCORE, "1.1") not in remaining and (FieldKind.SCORE, "1.2") in remaining


def test_keyboard_moves_from_item_to_item(qtbot: QtBot, form: ScoringForm) -> None:
    def focused(item_id: str) -> bool:
        return QApplication.focusWidget() in (spin(form, item_id), spin(form, item_id).lineEdit())

    type_score(qtbot, form, "1.1", "5")
    qtbot.keyClick(spin(form, "1.1"), Qt.Key.Key_Return)  # Enter: the next item's score
    assert focused("1.2")
    qtbot.keyClick(spin(form, "1.2"), Qt.Key.Key_Tab)  # Tab: this item's comment
    assert QApplication.focusWidget() is form.cards["1.2"].comment
    qtbot.keyClick(form.cards["1.2"].comment, Qt.Key.Key_Tab)  # Tab again: the next item's score
    assert focused("1.3")
    qtbot.keyClick(spin(form, "1.3"), Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert focused("1.4")
    qtbot.keyClick(spin(form, "1.4"), Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert focused("1.3")
    # The last item of a goal is followed by the goal's comment, then the next goal.
    last = form.cards["1.4"].comment
    last.setFocus()
    qtbot.keyClick(last, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is form.goal_comments["innovation_resources"].edit
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert focused("2.1")
    qtbot.keyClick(spin(form, "2.1"), Qt.Key.Key_PageDown, Qt.KeyboardModifier.AltModifier)
    assert focused("3.1")


def test_every_item_has_a_card_with_its_bands(form: ScoringForm, rubric: Rubric) -> None:
    for item in rubric.items(include_bonus=True):
        card = form.cards[item.id]
        assert isinstance(card, ItemCard)
        if item.anchors:
            assert card.anchors is not None and len(card.anchors.rows) == len(item.anchors)
        box = card.spin
        if box is not None:
            assert box.maximum() == float(item.max_points)
            assert box.singleStep() == float(item.step)


def test_problem_marks_do_not_outlive_the_sheet_they_were_for(qtbot: QtBot) -> None:
    from zc_review.core.rubric import load_rubric
    from zc_review.core.scoring import FieldKind, Problem, ScoreSheet
    from zc_review.gui.scoring_form import ScoringForm

    form = ScoringForm(load_rubric("application"))
    qtbot.addWidget(form)
    form.set_sheet(ScoreSheet())
    form.show_problems([Problem(FieldKind.OVERALL_OPINION, None, "请填写总体评审意见", "Write the opinion")])
    assert form.marked_problems()
    assert form.opinion.edit.property("problem") is True  # the red border
    form.set_sheet(ScoreSheet(overall_opinion=""), read_only=True)  # another application, or a reload
    assert not form.marked_problems()
    assert not form.opinion.edit.property("problem")
    assert "请填写总体评审意见" not in form.opinion.edit.toolTip()


def test_a_score_above_the_maximum_or_off_the_step_is_said_at_the_field(
    qtbot: QtBot, form: ScoringForm
) -> None:
    card = form.cards["1.1"]
    maximum = fmt_points(card.item.max_points)
    type_score(qtbot, form, "1.1", "7")  # the box refuses the keystroke: it says why instead of nothing
    qtbot.waitUntil(card.hint.isVisible)
    assert f"本项满分 {maximum} 分" in card.hint.text() and "1.1" not in form.sheet().scores
    type_score(qtbot, form, "1.1", "4.3")
    qtbot.keyClick(spin(form, "1.1"), Qt.Key.Key_Return)
    assert form.sheet().scores["1.1"] == Decimal("4.5")
    qtbot.waitUntil(lambda: "4.3 已改为 4.5" in card.hint.text())
    assert card.hint.isVisible() and "步长 0.5 分" in card.hint.text()
    type_score(qtbot, form, "1.1", "3")  # a new, valid score: the hint goes
    qtbot.waitUntil(lambda: not card.hint.isVisible())


def test_typing_into_the_locked_form_is_said_not_ignored(qtbot: QtBot, form: ScoringForm) -> None:
    form.set_sheet(ScoreSheet(), read_only=True)
    with qtbot.waitSignal(form.lockedInput, timeout=2000):
        type_score(qtbot, form, "1.1", "5")
    assert form.sheet().scores == {}


def test_no_suggestion_before_anything_is_scored(qtbot: QtBot, form: ScoringForm) -> None:
    form.set_sheet(ScoreSheet())
    assert form.rec_suggestion.text() == "尚未评分：评分后按细则给出参考建议。"
    assert form.summary.suggestion.text() == "—"
    assert not any("细则建议" in b.text() for b in form.rec_buttons.values())
    type_score(qtbot, form, "1.1", "5")
    assert form.rec_suggestion.text().startswith("按细则：总分 5 分")
    assert any("细则建议" in b.text() for b in form.rec_buttons.values())


def test_tab_goes_score_to_comment_whether_or_not_the_item_is_scored(qtbot: QtBot, form: ScoringForm) -> None:
    type_score(qtbot, form, "1.1", "5")  # scored: its clear button (×) is shown, but is no Tab stop
    clear = form.cards["1.1"].clear_button
    assert clear is not None and clear.isVisible()
    qtbot.keyClick(spin(form, "1.1"), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is form.cards["1.1"].comment
    spin(form, "1.2").setFocus(Qt.FocusReason.TabFocusReason)  # not scored
    qtbot.keyClick(spin(form, "1.2"), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is form.cards["1.2"].comment
