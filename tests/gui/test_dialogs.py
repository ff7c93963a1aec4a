"""The form-built dialogs: profile, pledge, conflict of interest, settings, and the English switch."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTranslator
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from zc_review import i18n
from zc_review.core.application import POLICY_INDUSTRIES
from zc_review.errors import UserError
from zc_review.experts import ExpertProfile
from zc_review.gui import translation
from zc_review.gui.dialogs import (
    CONFLICT_TYPES,
    ConflictDeclaration,
    ConflictDialog,
    PledgeDialog,
    ProfileDialog,
    SettingsDialog,
)
from zc_review.gui.translation import install_language, translation_file


@pytest.fixture(autouse=True)
def _back_to_chinese(qapp: QApplication) -> Iterator[None]:
    yield
    install_language(qapp, "zh")


# --- profile -------------------------------------------------------------------------------------


# QTest key clicks are ASCII only; Chinese text is committed with insert(), as an input method does.


def test_profile_ok_needs_a_name(qtbot: QtBot) -> None:
    dialog = ProfileDialog()
    qtbot.addWidget(dialog)
    ok = dialog.ok_button
    assert not ok.isEnabled()

    qtbot.keyClicks(dialog.ui.nameEdit, "   ")
    assert not ok.isEnabled()
    dialog.ui.nameEdit.clear()
    dialog.ui.nameEdit.insert("王建国")
    assert ok.isEnabled()


def test_profile_returns_what_was_entered_without_surrounding_spaces(qtbot: QtBot) -> None:
    dialog = ProfileDialog()
    qtbot.addWidget(dialog)
    dialog.ui.nameEdit.insert(" 王建国 ")
    dialog.ui.titleEdit.insert("研究员")
    dialog.ui.organisationEdit.insert("江苏省科学技术情报研究所")
    dialog.ui.fieldCombo.setCurrentText("新材料")

    dialog.ok_button.click()

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.profile() == ExpertProfile("王建国", "研究员", "江苏省科学技术情报研究所", "新材料")


def test_profile_field_offers_the_policy_industries_and_accepts_free_text(qtbot: QtBot) -> None:
    dialog = ProfileDialog()
    qtbot.addWidget(dialog)
    combo = dialog.ui.fieldCombo
    offered = [combo.itemText(i) for i in range(combo.count())]
    assert offered == [*POLICY_INDUSTRIES, "管理", "财务", "规划"]
    assert combo.currentText() == ""  # no field chosen for the expert

    combo.setCurrentText("知识产权")
    assert dialog.profile().field == "知识产权"


def test_profile_edit_starts_from_the_stored_profile(qtbot: QtBot) -> None:
    stored = ExpertProfile("李敏", "教授", "南京大学", "生物技术")
    dialog = ProfileDialog(stored)
    qtbot.addWidget(dialog)
    assert dialog.profile() == stored
    assert dialog.ok_button.isEnabled()


def test_profile_labels_lead_to_their_fields_in_tab_order(qtbot: QtBot) -> None:
    dialog = ProfileDialog()
    qtbot.addWidget(dialog)
    ui = dialog.ui
    assert ui.nameLabel.buddy() is ui.nameEdit
    assert ui.titleLabel.buddy() is ui.titleEdit
    assert ui.organisationLabel.buddy() is ui.organisationEdit
    assert ui.fieldLabel.buddy() is ui.fieldCombo
    assert "&" in ui.nameLabel.text()
    assert _tab_order(ui.nameEdit, 4) == [ui.nameEdit, ui.titleEdit, ui.organisationEdit, ui.fieldCombo]


def _tab_order(start: QWidget, count: int) -> list[QWidget]:
    """The first ``count`` widgets Tab visits from ``start`` (labels and other non-tab widgets skipped)."""
    order = [start]
    widget = start
    while len(order) < count:
        following = widget.nextInFocusChain()
        assert following is not None
        widget = following
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.focusProxy() is None:
            order.append(widget)
    return order


# --- pledge --------------------------------------------------------------------------------------


def _shown_pledge(qtbot: QtBot) -> PledgeDialog:
    dialog = PledgeDialog()
    qtbot.addWidget(dialog)
    dialog.resize(520, 420)  # smaller than the text, so it must be scrolled
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.ui.pledgeText.verticalScrollBar().maximum() > 0)
    return dialog


def test_pledge_cannot_be_accepted_before_the_text_is_read_to_its_end(qtbot: QtBot) -> None:
    dialog = _shown_pledge(qtbot)
    accept = dialog.accept_button
    assert accept.text() == "接受"
    assert not dialog.read_to_end()
    assert not dialog.ui.agreeCheck.isEnabled()
    assert not accept.isEnabled()

    dialog.ui.agreeCheck.click()  # a disabled box cannot be ticked
    assert not dialog.ui.agreeCheck.isChecked()
    assert not accept.isEnabled()


def test_pledge_needs_the_text_scrolled_to_the_end_and_the_box_ticked(qtbot: QtBot) -> None:
    dialog = _shown_pledge(qtbot)
    accept = dialog.accept_button

    # The keyboard reaches the end, as a mouse scroll would.
    qtbot.keyClick(dialog.ui.pledgeText, Qt.Key.Key_End)
    qtbot.waitUntil(dialog.read_to_end)
    assert dialog.ui.agreeCheck.isEnabled()
    assert not accept.isEnabled()

    dialog.ui.agreeCheck.click()
    assert accept.isEnabled()
    dialog.ui.agreeCheck.click()
    assert not accept.isEnabled()

    dialog.ui.agreeCheck.click()
    accept.click()
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_pledge_decline_rejects(qtbot: QtBot) -> None:
    dialog = _shown_pledge(qtbot)
    decline = dialog.decline_button
    assert decline.text() == "不接受"
    decline.click()
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_pledge_shows_its_text_and_version(qtbot: QtBot) -> None:
    dialog = PledgeDialog("一、独立评审。", "2026.9")
    qtbot.addWidget(dialog)
    assert dialog.ui.pledgeText.toPlainText() == "一、独立评审。"
    assert dialog.ui.pledgeText.isReadOnly()
    assert "2026.9" in dialog.ui.versionLabel.text()
    assert dialog.ui.agreeCheck.text().startswith("我已阅读并承诺遵守上述评审纪律")


# --- conflict of interest ------------------------------------------------------------------------


def test_conflict_ok_needs_a_choice(qtbot: QtBot) -> None:
    dialog = ConflictDialog("苏州工业园区独墅湖众创社区")
    qtbot.addWidget(dialog)
    assert dialog.ui.communityValue.text() == "苏州工业园区独墅湖众创社区"
    assert not dialog.ok_button.isEnabled()
    assert dialog.ok_button.text() == "确认声明"
    assert not dialog.ui.detailsWidget.isEnabled()


def test_no_conflict_returns_no_declaration(qtbot: QtBot) -> None:
    dialog = ConflictDialog("某众创社区")
    qtbot.addWidget(dialog)
    dialog.ui.noConflictRadio.click()
    ok = dialog.ok_button
    assert ok.isEnabled()
    assert ok.text() == "确认无利益冲突"

    ok.click()

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.declaration() == ConflictDeclaration(False, "", "")


def test_declaring_a_conflict_needs_a_reason_and_returns_type_and_reason(qtbot: QtBot) -> None:
    dialog = ConflictDialog("某众创社区")
    qtbot.addWidget(dialog)
    ok = dialog.ok_button
    dialog.ui.conflictRadio.click()
    assert dialog.ui.detailsWidget.isEnabled()
    assert ok.text() == "申请回避"
    assert not ok.isEnabled()

    dialog.ui.typeCombo.setCurrentIndex(2)
    qtbot.keyClicks(dialog.ui.reasonEdit, "   ")
    assert not ok.isEnabled()
    dialog.ui.reasonEdit.insertPlainText("近三年与申报单位有横向课题合作")
    assert ok.isEnabled()
    ok.click()

    declared, conflict_type, reason = dialog.declaration()
    assert declared is True
    assert conflict_type == "合作关系"
    assert reason == "近三年与申报单位有横向课题合作"


def test_conflict_types_are_the_five_offered(qtbot: QtBot) -> None:
    dialog = ConflictDialog("某众创社区")
    qtbot.addWidget(dialog)
    combo = dialog.ui.typeCombo
    assert [combo.itemText(i) for i in range(combo.count())] == list(CONFLICT_TYPES)
    assert "锁定" in dialog.ui.warningLabel.text()


def test_switching_back_to_no_conflict_drops_the_details(qtbot: QtBot) -> None:
    dialog = ConflictDialog("某众创社区")
    qtbot.addWidget(dialog)
    dialog.ui.conflictRadio.click()
    dialog.ui.reasonEdit.insertPlainText("亲属在该单位任职")
    dialog.ui.noConflictRadio.click()
    assert dialog.declaration() == ConflictDeclaration(False, "", "")
    assert not dialog.ui.detailsWidget.isEnabled()


# --- language ------------------------------------------------------------------------------------


def test_compiled_qm_translates_a_dialog_string() -> None:
    translator = QTranslator()
    assert translator.load(str(translation_file("en"))), "run python packaging/build_qt.py"
    assert translator.translate("ConflictDialog", "回避声明") == "Conflict of Interest Declaration"
    assert translator.translate("PledgeDialog", "不接受") == "Decline"


def test_choosing_english_in_settings_retranslates_open_dialogs(qtbot: QtBot, tmp_path: Path) -> None:
    conflict = ConflictDialog("某众创社区")
    qtbot.addWidget(conflict)
    conflict.ui.conflictRadio.click()
    settings = SettingsDialog(tmp_path)
    qtbot.addWidget(settings)
    assert settings.windowTitle() == "设置"
    assert settings.ui.dataDirEdit.text() == str(tmp_path)

    settings.ui.languageCombo.setCurrentIndex(1)

    assert settings.language() == "en"
    assert settings.windowTitle() == "Settings"
    assert settings.ui.languageLabel.text() == "&Language:"
    assert settings.ok_button.text() == "OK"
    assert conflict.windowTitle() == "Conflict of Interest Declaration"
    assert conflict.ok_button.text() == "Declare conflict and recuse"
    assert conflict.ui.typeCombo.currentText() == "Family relationship"
    assert i18n.language() == "en"  # core messages follow
    # What is stored stays Chinese whatever the UI language.
    conflict.ui.reasonEdit.insertPlainText("亲属在该单位任职")
    assert conflict.declaration().conflict_type == "亲属关系"

    settings.ok_button.click()
    assert translation.current_language() == "en"


def test_cancelling_settings_restores_the_previous_language(qtbot: QtBot, tmp_path: Path) -> None:
    settings = SettingsDialog(tmp_path)
    qtbot.addWidget(settings)
    settings.ui.languageCombo.setCurrentIndex(1)
    assert settings.windowTitle() == "Settings"

    settings.cancel_button.click()

    assert translation.current_language() == "zh"
    assert i18n.language() == "zh"
    assert settings.windowTitle() == "设置"


def test_settings_start_from_the_installed_language(qtbot: QtBot, qapp: QApplication, tmp_path: Path) -> None:
    install_language(qapp, "en")
    settings = SettingsDialog(tmp_path)
    qtbot.addWidget(settings)
    assert settings.ui.languageCombo.currentIndex() == 1
    assert settings.windowTitle() == "Settings"


def test_english_at_start_up_translates_a_new_dialog(qtbot: QtBot, qapp: QApplication) -> None:
    install_language(qapp, "en")
    dialog = PledgeDialog()
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Reviewer's Pledge"
    assert dialog.accept_button.text() == "Accept"
    assert QCoreApplication.translate("ProfileDialog", "姓名(&N)：") == "&Name:"


def test_missing_english_translation_is_a_user_error_and_keeps_chinese(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(translation, "translation_file", lambda lang: tmp_path / f"zc_review_{lang}.qm")
    with pytest.raises(UserError) as caught:
        install_language(qapp, "en")
    assert caught.value.path is not None and caught.value.path.endswith("zc_review_en.qm")
    assert translation.current_language() == "zh"
    assert QCoreApplication.translate("PledgeDialog", "接受") == "接受"
