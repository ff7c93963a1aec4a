"""The expert's whole journey on real widgets, from first start to a submitted review, and back after a restart."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from tests.data.bundles import county_zip
from zc_review import reviews
from zc_review.bundles.seal import seal_county_zip
from zc_review.core.scoring import FieldKind, Problem, goal_total, total
from zc_review.demo import demo_applications
from zc_review.experts import current_expert, has_accepted_pledge
from zc_review.gui.app import ensure_expert, open_settings, open_workstation
from zc_review.gui.dialogs import ConflictDialog, PledgeDialog, ProfileDialog
from zc_review.gui.import_flow import ImportReportDialog
from zc_review.gui.main_window import TAB_MATERIALS, TAB_OVERVIEW, TAB_SCORING, CalibrationDialog, MainWindow
from zc_review.gui.scoring_form import ScoringForm, fmt_points
from zc_review.store.models import ReviewStatus
from zc_review.store.store import Store
from zc_review.workspace import list_applications

# Demo cases: a clean application, one with several failed hard indicators and missing materials, and one more.
CASES = ("nj-jiangbei", "sq-sucheng", "sz-sip")


@pytest.fixture(scope="module")
def bundles(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    tmp = tmp_path_factory.mktemp("journey")
    keys = [c.key for c in demo_applications()]
    out = []
    for key in CASES:
        sealed = seal_county_zip(county_zip(tmp / "zips", keys.index(key)), tmp / "bundles")
        assert sealed.bundle is not None
        out.append(sealed.bundle)
    return out


def when_dialog(kind: type[QWidget], act: Callable[[QWidget], None], tries: int = 200) -> None:
    """Answer the next modal dialog of ``kind`` (dialogs run their own event loop)."""

    def poll(left: int = tries) -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, kind):
            act(widget)
        elif left:
            QTimer.singleShot(25, lambda: poll(left - 1))

    QTimer.singleShot(0, poll)


def fill_profile(dialog: QWidget) -> None:
    assert isinstance(dialog, ProfileDialog)
    dialog.ui.nameEdit.setText("王立新")
    dialog.ui.titleEdit.setText("研究员")
    dialog.ui.organisationEdit.setText("江苏省科学技术情报研究所")
    dialog.ok_button.click()


def accept_pledge(dialog: QWidget) -> None:
    assert isinstance(dialog, PledgeDialog)
    assert not dialog.accept_button.isEnabled()  # not before reading and agreeing
    bar = dialog.ui.pledgeText.verticalScrollBar()
    bar.setValue(bar.maximum())
    dialog.ui.agreeCheck.setChecked(True)
    dialog.accept_button.click()


def no_conflict(dialog: QWidget) -> None:
    assert isinstance(dialog, ConflictDialog)
    dialog.ui.noConflictRadio.setChecked(True)
    dialog.ok_button.click()


def recuse(dialog: QWidget) -> None:
    assert isinstance(dialog, ConflictDialog)
    dialog.ui.conflictRadio.setChecked(True)
    dialog.ui.typeCombo.setCurrentIndex(1)
    dialog.ui.reasonEdit.insertPlainText("本人曾在申报单位的园区管委会任职至2024年。")
    dialog.ok_button.click()


def confirm_submit(dialog: QWidget) -> None:
    assert isinstance(dialog, CalibrationDialog)
    assert dialog.table.rowCount() == 5
    dialog.confirm.click()


def open_window(qtbot: QtBot, data_dir: Path) -> tuple[MainWindow, Store]:
    store = Store.open(data_dir)
    expert = current_expert(store)
    assert expert is not None
    window = MainWindow(store, expert.id, open_settings(data_dir))
    qtbot.addWidget(window)
    window.show()
    return window, store


def select(window: MainWindow, name_part: str) -> None:
    for app in list_applications(window.store):
        if name_part in app.community_name:
            assert window.app_list.select_application(app.id)
            return
    raise AssertionError(name_part)


def form_of(window: MainWindow) -> ScoringForm:
    form = window.ensure_form()
    assert form is not None
    return form


def score_everything(form: ScoringForm, fraction: Decimal) -> None:
    """Type a score for every required item through its spin box, as a person would."""
    for item in form.rubric.items():
        card = form.cards[item.id]
        assert card.spin is not None
        points = (item.max_points * fraction / item.step).quantize(Decimal(1)) * item.step
        card.spin.setFocus()
        card.spin.setValue(float(points))


def test_first_start_import_score_submit_restart_and_recuse(
    qtbot: QtBot, data_dir: Path, bundles: list[Path]
) -> None:
    # First start: profile, then the pledge.
    store = Store.open(data_dir)
    when_dialog(ProfileDialog, fill_profile)
    when_dialog(PledgeDialog, accept_pledge)
    expert_id = ensure_expert(store)
    assert expert_id is not None
    assert has_accepted_pledge(store, expert_id)
    store.close()

    window, store = open_window(qtbot, data_dir)
    assert "王立新" in window.expert_label.text()
    assert "还没有申报" in window.header.text()

    # Import the batch on the worker, then read the report.
    window.import_paths(bundles)
    qtbot.waitUntil(lambda: window.findChild(ImportReportDialog) is not None, timeout=30000)
    report = window.findChild(ImportReportDialog)
    assert report is not None
    assert "导入 3 个" in report.summary.text()
    report.close()
    assert window.app_list.visible_count() == 3

    # The weak application: its PDF opens in the materials tab.
    select(window, "宿迁")
    assert window.loaded is not None and "宿迁" in window.loaded.app.community_name
    window.tabs.setCurrentIndex(TAB_MATERIALS)
    pdfs = [e for e in window.materials.entries() if e.media_type == "application/pdf"]
    assert pdfs
    assert window.materials.select_material(pdfs[0].name)
    viewer = window.materials.pdf_viewer
    # Generous timeouts: PDF layout and paging run on Qt's own schedule, slower on a loaded machine.
    qtbot.waitUntil(lambda: viewer.page_count() > 0, timeout=20000)
    if viewer.page_count() > 1:
        qtbot.waitUntil(viewer.isVisible)

        def turned() -> bool:
            # A jump made while the view is still laying out the new document can be undone
            # by that layout; turn again until the page sticks, as a person pressing PgDn would.
            if viewer.current_page() == 0:
                viewer.next_page()
            return viewer.current_page() == 1

        qtbot.waitUntil(turned, timeout=20000)

    # Scoring is locked until no conflict is declared.
    window.tabs.setCurrentIndex(TAB_SCORING)
    form = form_of(window)
    assert form.is_read_only()
    assert window.scoring.gate.isVisible()
    # A score typed before the declaration is not dropped in silence: the window says why and
    # offers the declaration, which then unlocks the form.

    def declare_from_box(box: QWidget) -> None:
        assert isinstance(box, QMessageBox) and "回避声明" in box.text()
        when_dialog(ConflictDialog, no_conflict)
        next(b for b in box.buttons() if b.text() == "回避声明…").click()

    when_dialog(QMessageBox, declare_from_box)
    first = next(c for c in form.cards.values() if c.spin is not None)
    assert first.spin is not None
    first.spin.setFocus()
    qtbot.keyClicks(first.spin, "5")
    qtbot.waitUntil(lambda: window.state is not None and window.state.declared_no_conflict)
    assert form.sheet().scores == {}  # what was typed while locked did not count
    assert not form.is_read_only()

    # Failed hard indicators are shown beside the items they affect.
    failed = window.state.failed_checks
    assert failed
    affected = [i for i in form.rubric.items() if set(i.checks) & set(failed)]
    assert affected
    notes = [lbl.text() for lbl in form.cards[affected[0].id].findChildren(QLabel)]
    assert any("硬指标不达标" in t for t in notes), notes

    # Score every item; the totals follow.
    score_everything(form, Decimal("0.5"))
    sheet = form.sheet()
    assert len(sheet.scores) == len(form.rubric.items())
    expected = total(form.rubric, sheet)
    assert Decimal(form.summary.total.text()) == expected
    assert all(goal_total(form.rubric, sheet, g.key) > 0 for g in form.rubric.goals)

    # Saved within about a second, by another connection's reckoning (what survives a crash).
    qtbot.waitUntil(lambda: not window.autosaver.dirty, timeout=3000)
    assert "已保存" in window.save_label.text()
    other = Store.open(data_dir)
    try:
        saved = reviews.review_state(other, window.state.review_id)
    finally:
        other.close()
    assert dict(saved.sheet.scores) == dict(sheet.scores)
    assert saved.status is ReviewStatus.IN_PROGRESS
    # The list follows: status, progress and total of this row.
    row = window.app_list.view.currentIndex().row()
    cells = [window.app_list.proxy.index(row, c).data() for c in (4, 5, 6)]
    assert cells == ["评审中", f"{len(sheet.scores)}/{len(sheet.scores)}", fmt_points(expected)]

    # Undo through the window's Edit menu restores the previous score, and it is saved again.
    last = form.rubric.items()[-1]
    before_undo = sheet.scores[last.id]
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # focus changes (new typing sessions) need an active window
    form.cards[form.rubric.items()[0].id].spin.setFocus()
    form.cards[last.id].spin.setFocus()
    form.cards[last.id].spin.setValue(0.0)
    assert form.sheet().scores[last.id] == 0
    edit_actions = window.edit_menu.actions()
    edit_actions[0].trigger()
    assert form.sheet().scores[last.id] == before_undo
    qtbot.waitUntil(lambda: not window.autosaver.dirty, timeout=3000)

    # Submit with comments missing: the list names them and an entry jumps to its field.
    window.submit()
    assert window.problems_dock.isVisible()
    assert window.problems.count() > 0
    texts = [window.problems.item(i).text() for i in range(window.problems.count())]
    assert any("总体评审意见" in t for t in texts)
    opinion_row = next(i for i, t in enumerate(texts) if "总体评审意见" in t)
    window.problems.itemClicked.emit(window.problems.item(opinion_row))
    assert window.tabs.currentIndex() == TAB_SCORING
    assert window.focusWidget() is form.opinion.edit

    # Complete every comment the rules ask for, choose a recommendation, submit.
    problems = [
        window.problems.item(i).data(Qt.ItemDataRole.UserRole) for i in range(window.problems.count())
    ]
    assert problems[0].kind is FieldKind.FORMAL_CHECK  # 宿迁 lacks two required materials
    window.problems.itemClicked.emit(window.problems.item(0))
    assert window.tabs.currentIndex() == TAB_OVERVIEW
    window.overview.ack_button.click()
    assert window.state is not None and window.state.formal_acknowledged
    for problem in problems[1:]:
        fill(form, problem)
    choose_allowed_recommendation(form)
    when_dialog(CalibrationDialog, confirm_submit)
    window.submit()
    qtbot.waitUntil(lambda: window.state is not None and window.state.status is ReviewStatus.SUBMITTED)
    assert form.is_read_only()
    # The next step has the focus: signing (after 稍后 on the offer to sign now), else the list.
    box = getattr(window, "sign_next_box", None)
    if box is not None and box.isVisible():
        next(b for b in box.buttons() if box.buttonRole(b) is QMessageBox.ButtonRole.RejectRole).click()
    expected = window.scoring.sign_button if window.scoring.sign_button.isVisible() else window.app_list.view
    qtbot.waitUntil(lambda: window.focusWidget() is expected)
    submitted_scores = dict(window.state.sheet.scores)
    submitted_total = window.state.total

    # Recusal locks another application.
    select(window, "苏州")
    when_dialog(ConflictDialog, recuse)
    window.declare_conflict()
    assert window.state.status is ReviewStatus.RECUSED
    assert window.current_form() is None  # no form at all, only the recusal
    assert window.scoring.forms.currentWidget() is window.scoring.recused
    assert "回避" in window.scoring.recused.text()
    assert not window.submit_action.isEnabled()
    window.close()
    store.close()

    # Restart through the program's own start: everything is as it was, the last
    # selection (苏州) included; its tabs fill in once the store has opened behind the window.
    qapp = QApplication.instance()
    assert isinstance(qapp, QApplication)
    window2, store2 = open_workstation(qapp, data_dir)
    assert window2 is not None and store2 is not None
    qtbot.addWidget(window2)
    assert window2.app_list.visible_count() == 3
    qtbot.waitUntil(lambda: window2.loaded is not None, timeout=30000)
    assert window2.loaded is not None and "苏州" in window2.loaded.app.community_name
    assert window2.state is not None and window2.state.status is ReviewStatus.RECUSED
    select(window2, "宿迁")
    assert window2.state is not None
    assert window2.state.status is ReviewStatus.SUBMITTED
    assert dict(window2.state.sheet.scores) == submitted_scores
    assert window2.state.total == submitted_total
    assert form_of(window2).is_read_only()
    select(window2, "苏州")
    assert window2.state.status is ReviewStatus.RECUSED
    window2.close()
    store2.close()


def fill(form: ScoringForm, problem: Problem) -> None:
    """Write what a Problem asks for into its field, through the widget."""
    kind, key = problem.kind, problem.key
    text = "经核查申报材料，本项基本符合要求，但载体清单与投资计划仍需细化，建议补充具体楼宇与时序安排。"
    if kind is FieldKind.ITEM_COMMENT:
        assert key is not None
        form.cards[key].comment.setFocus()
        form.cards[key].comment.insertPlainText(text)
    elif kind is FieldKind.GOAL_COMMENT:
        assert key is not None
        form.goal_comments[key].edit.setFocus()
        form.goal_comments[key].edit.insertPlainText(text)
    elif kind is FieldKind.OVERALL_OPINION:
        form.opinion.edit.setFocus()
        form.opinion.edit.insertPlainText(text * 2)
    elif kind is FieldKind.RECOMMENDATION:
        choose_allowed_recommendation(form)
    else:
        raise AssertionError(f"unexpected problem {problem}")


def choose_allowed_recommendation(form: ScoringForm) -> None:
    enabled = [b for b in form.rec_buttons.values() if b.isEnabled()]
    assert enabled
    enabled[-1].click()


def test_settings_live_in_the_data_dir(data_dir: Path) -> None:
    settings = open_settings(data_dir)
    settings.setValue("ui/language", "en")
    settings.sync()
    assert (data_dir / "settings.ini").is_file()
    assert QSettings(str(data_dir / "settings.ini"), QSettings.Format.IniFormat).value("ui/language") == "en"
