"""Dialogs built from the compiled Designer forms: profile, pledge, conflict of interest, settings.

Each dialog keeps its form object in ``self.ui`` and answers ``QEvent.LanguageChange`` by
calling ``retranslateUi`` and re-setting the few texts it sets in code, so switching the
UI language (:func:`zc_review.gui.translation.install_language`) updates open dialogs.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from PySide6.QtCore import QCoreApplication, QEvent, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QMessageBox, QPushButton, QWidget

from zc_review.core.application import POLICY_INDUSTRIES
from zc_review.errors import UserError
from zc_review.experts import FIELD_LIMITS, PLEDGE_TEXT, PLEDGE_VERSION, ExpertProfile, validate_profile
from zc_review.gui.app import TEXT_SCALES, apply_text_scale, text_scale
from zc_review.gui.translation import current_language, install_language

try:
    from zc_review.gui.forms.ui_conflict_dialog import Ui_ConflictDialog
    from zc_review.gui.forms.ui_pledge_dialog import Ui_PledgeDialog
    from zc_review.gui.forms.ui_profile_dialog import Ui_ProfileDialog
    from zc_review.gui.forms.ui_settings_dialog import Ui_SettingsDialog
except ModuleNotFoundError as exc:  # a checkout where the forms were never compiled
    raise ModuleNotFoundError(
        f"{exc.name} is generated from ui/*.ui: run `python packaging/build_qt.py` first"
    ) from exc

# The policy's fields (clause 二(一)) plus the non-industry expertise a review panel needs.
EXPERT_FIELDS: tuple[str, ...] = (*POLICY_INDUSTRIES, "管理", "财务", "规划")

# Stored values of the conflict types, in the order of ConflictDialog's combo box; stored in
# Chinese whatever the UI language, like every other record.
CONFLICT_TYPES: tuple[str, ...] = ("亲属关系", "同一单位或曾在其任职", "合作关系", "经济利益", "其他")

LANGUAGES: tuple[str, ...] = ("zh", "en")  # the order of SettingsDialog's language combo box


def _application() -> QApplication:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    return app


class ConflictDeclaration(NamedTuple):
    """What the expert declared: ``declared`` is True for a conflict (recusal), with its type and reason."""

    declared: bool
    conflict_type: str  # one of CONFLICT_TYPES, "" without a conflict
    reason: str  # "" without a conflict


def _add_buttons(box: QDialogButtonBox) -> tuple[QPushButton, QPushButton]:
    """An accept and a reject button, labelled by the dialog.

    Not standard buttons: QDialogButtonBox resets those to Qt's own words on every
    language change, after the dialog has set its own.
    """
    accept = box.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
    reject = box.addButton("", QDialogButtonBox.ButtonRole.RejectRole)
    accept.setDefault(True)
    return accept, reject


class ProfileDialog(QDialog):
    """The expert's profile, asked at first start and editable later; OK needs a name."""

    def __init__(self, profile: ExpertProfile | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_ProfileDialog()
        self.ui.setupUi(self)
        self.ok_button, self.cancel_button = _add_buttons(self.ui.buttonBox)
        self.ui.nameEdit.setMaxLength(FIELD_LIMITS["name"])
        self.ui.titleEdit.setMaxLength(FIELD_LIMITS["title"])
        self.ui.organisationEdit.setMaxLength(FIELD_LIMITS["organisation"])
        self.ui.fieldCombo.addItems(list(EXPERT_FIELDS))
        line = self.ui.fieldCombo.lineEdit()
        if line is not None:
            line.setMaxLength(FIELD_LIMITS["field"])
        self.ui.fieldCombo.setCurrentIndex(-1)
        if profile is not None:
            self.ui.nameEdit.setText(profile.name)
            self.ui.titleEdit.setText(profile.title)
            self.ui.organisationEdit.setText(profile.organisation)
            self.ui.fieldCombo.setCurrentText(profile.field)
        self.ui.nameEdit.textChanged.connect(self._update_ok)
        self._retranslate()
        self._update_ok()

    def profile(self) -> ExpertProfile:
        """The profile as entered, surrounding spaces removed."""
        return ExpertProfile(
            name=self.ui.nameEdit.text(),
            title=self.ui.titleEdit.text(),
            organisation=self.ui.organisationEdit.text(),
            field=self.ui.fieldCombo.currentText(),
        ).cleaned()

    def accept(self) -> None:
        # OK is only enabled with a name; this catches what the widgets cannot (control characters).
        try:
            validate_profile(self.profile())
        except UserError as exc:
            QMessageBox.warning(self, self.windowTitle(), str(exc))
            return
        super().accept()

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(bool(self.ui.nameEdit.text().strip()))

    def _retranslate(self) -> None:
        self.ui.retranslateUi(self)
        self.ok_button.setText(self.tr("确定"))
        self.cancel_button.setText(self.tr("取消"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)


class PledgeDialog(QDialog):
    """The integrity pledge: 接受 needs the text read to its end and the box ticked; 不接受 rejects.

    The caller ends the application when the pledge is not accepted.
    """

    def __init__(
        self, text: str = PLEDGE_TEXT, version: str = PLEDGE_VERSION, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.version = version
        self._read_to_end = False
        self.ui = Ui_PledgeDialog()
        self.ui.setupUi(self)
        self.accept_button, self.decline_button = _add_buttons(self.ui.buttonBox)
        self.ui.pledgeText.setPlainText(text)
        self.ui.agreeCheck.setEnabled(False)
        bar = self.ui.pledgeText.verticalScrollBar()
        bar.valueChanged.connect(self._check_read)
        bar.rangeChanged.connect(self._check_read)
        self.ui.agreeCheck.toggled.connect(self._update_accept)
        self._retranslate()
        self._update_accept()

    def read_to_end(self) -> bool:
        """Whether the pledge text has been scrolled to its end (or fits without scrolling)."""
        return self._read_to_end

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # The text is laid out after the first show; check once it has been.
        QTimer.singleShot(0, self._check_read)

    def _check_read(self) -> None:
        if self._read_to_end or not self.ui.pledgeText.isVisible():
            return  # before it is shown the scroll range is meaningless
        bar = self.ui.pledgeText.verticalScrollBar()
        if bar.maximum() > 0:
            reached = bar.value() >= bar.maximum()
        else:
            viewer = self.ui.pledgeText
            height = viewer.document().documentLayout().documentSize().height()
            reached = height <= viewer.viewport().height()
        if reached:
            self._read_to_end = True
            self.ui.agreeCheck.setEnabled(True)
            self._retranslate()
            self._update_accept()

    def _update_accept(self) -> None:
        self.accept_button.setEnabled(self._read_to_end and self.ui.agreeCheck.isChecked())

    def _retranslate(self) -> None:
        self.ui.retranslateUi(self)
        self.ui.versionLabel.setText(self.tr("承诺版本：{version}").format(version=self.version))
        if self._read_to_end:
            self.ui.scrollHintLabel.setText(self.tr("已阅读至末尾，请勾选下方承诺。"))
        self.accept_button.setText(self.tr("接受"))
        self.decline_button.setText(self.tr("不接受"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)


class ConflictDialog(QDialog):
    """The conflict-of-interest declaration (回避声明) for one application.

    OK needs a choice; declaring a conflict also needs a reason. :meth:`declaration` gives
    what was chosen.
    """

    def __init__(self, community_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_ConflictDialog()
        self.ui.setupUi(self)
        self.ok_button, self.cancel_button = _add_buttons(self.ui.buttonBox)
        self.ui.communityValue.setText(community_name)
        self.ui.detailsWidget.setEnabled(False)
        self.ui.noConflictRadio.toggled.connect(self._update)
        self.ui.conflictRadio.toggled.connect(self._update)
        self.ui.reasonEdit.textChanged.connect(self._update)
        self._retranslate()
        self._update()

    def declaration(self) -> ConflictDeclaration:
        """The declaration as currently entered."""
        if not self.ui.conflictRadio.isChecked():
            return ConflictDeclaration(False, "", "")
        return ConflictDeclaration(
            True,
            CONFLICT_TYPES[self.ui.typeCombo.currentIndex()],
            self.ui.reasonEdit.toPlainText().strip(),
        )

    def _update(self) -> None:
        conflict = self.ui.conflictRadio.isChecked()
        self.ui.detailsWidget.setEnabled(conflict)
        valid = self.ui.noConflictRadio.isChecked() or (
            conflict and bool(self.ui.reasonEdit.toPlainText().strip())
        )
        self.ok_button.setEnabled(valid)
        # The button says what it will do: a recusal cannot be undone.
        if conflict:
            self.ok_button.setText(self.tr("申请回避"))
        elif self.ui.noConflictRadio.isChecked():
            self.ok_button.setText(self.tr("确认无利益冲突"))
        else:
            self.ok_button.setText(self.tr("确认声明"))

    def _retranslate(self) -> None:
        self.ui.retranslateUi(self)
        self.cancel_button.setText(self.tr("取消"))
        self._update()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)


class SettingsDialog(QDialog):
    """UI language and text size (each applied as soon as it is chosen, undone by Cancel) and
    where the data lives."""

    def __init__(self, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._initial_language = current_language()
        self._initial_scale = text_scale(_application())
        self.ui = Ui_SettingsDialog()
        self.ui.setupUi(self)
        self.ok_button, self.cancel_button = _add_buttons(self.ui.buttonBox)
        self.ui.dataDirEdit.setText(str(data_dir))
        self.ui.dataDirEdit.setCursorPosition(0)
        self.ui.languageCombo.setCurrentIndex(LANGUAGES.index(self._initial_language))
        self.ui.languageCombo.currentIndexChanged.connect(self._language_chosen)
        scales = list(TEXT_SCALES)
        nearest = min(scales, key=lambda s: abs(s - self._initial_scale))
        self.ui.textSizeCombo.setCurrentIndex(scales.index(nearest))
        self.ui.textSizeCombo.currentIndexChanged.connect(self._text_size_chosen)
        self._retranslate()

    def language(self) -> str:
        """The chosen UI language, ``"zh"`` or ``"en"``; the caller saves it for the next start."""
        return LANGUAGES[self.ui.languageCombo.currentIndex()]

    def text_scale(self) -> int:
        """The chosen text size in percent (one of TEXT_SCALES); the caller saves it (TEXT_SCALE_KEY)."""
        return TEXT_SCALES[max(0, self.ui.textSizeCombo.currentIndex())]

    def reject(self) -> None:
        if current_language() != self._initial_language:
            self._install(self._initial_language)
        if text_scale(_application()) != self._initial_scale:
            apply_text_scale(_application(), self._initial_scale)
        super().reject()

    def _text_size_chosen(self) -> None:
        apply_text_scale(_application(), self.text_scale())
        self.adjustSize()

    def _language_chosen(self) -> None:
        self._install(self.language())

    def _install(self, lang: str) -> None:
        app = QCoreApplication.instance()
        assert app is not None
        try:
            install_language(app, lang)
        except UserError as exc:
            QMessageBox.warning(self, self.windowTitle(), str(exc))
            blocker = self.ui.languageCombo.blockSignals(True)
            self.ui.languageCombo.setCurrentIndex(LANGUAGES.index(current_language()))
            self.ui.languageCombo.blockSignals(blocker)

    def _retranslate(self) -> None:
        self.ui.retranslateUi(self)
        self.ok_button.setText(self.tr("确定"))
        self.cancel_button.setText(self.tr("取消"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)
