"""The expert's journey, run inside the app (see driver.py): first start to a signed opinion.

Parameters (ZC_REVIEW_JOURNEY_PARAMS): ``phase`` "first" (profile, pledge, import, read, declare,
score, submit with something missing then complete, import the credential with a wrong password
first, sign and export) or "restart" (the same data directory again: all is still there);
``workspace`` (a demo workspace: bundles/ and pki/), ``out_dir``, ``password``, ``name``,
``title``. Text is matched by object names and button roles, so the journey runs in any language.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDoubleSpinBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
)

# The app loads this file by path; its sibling driver.py comes from the same folder.
sys.path.insert(0, str(Path(__file__).resolve().parent))
import driver as dr

COMMENT = "材料翔实，规划与政策要求基本一致，建议进一步细化年度目标。"


def main_window() -> Any:
    return dr.window_named("MainWindow")


def role_button(box: QMessageBox, role: QMessageBox.ButtonRole) -> QAbstractButton:
    for b in box.buttons():
        if box.buttonRole(b) == role:
            return b
    raise dr.JourneyFailed(f"{box.objectName()} has no button of role {role}")


def first_start(d: dr.Driver) -> dr.Journey:
    p = d.params
    profile = yield d.wait(lambda: dr.window_named("ProfileDialog"), "the profile dialog (first start)")
    d.snap("profile")
    yield d.keys(profile.ui.nameEdit, p["name"])
    yield d.keys(profile.ui.titleEdit, p["title"])
    yield d.click(profile.ok_button, "OK on the profile")
    pledge = yield d.wait(lambda: dr.window_named("PledgeDialog"), "the integrity pledge")
    bar = pledge.ui.pledgeText.verticalScrollBar()
    yield d.do(lambda: bar.setValue(bar.maximum()), "read the pledge to its end")
    yield d.wait(lambda: pledge.ui.agreeCheck.isEnabled(), "the pledge's check box to be enabled")
    yield d.click(pledge.ui.agreeCheck, "I agree")
    yield d.click(pledge.accept_button, "accept the pledge")


def import_bundles(d: dr.Driver, window: Any) -> dr.Journey:
    bundles = sorted(Path(d.params["workspace"], "bundles").glob("*.zcb"))
    yield from d.press("Ctrl+O", window)
    dialog = yield d.wait(dr.file_dialog, "the import file dialog")
    yield d.do(lambda: dr.choose_files(dialog, bundles), f"choose {len(bundles)} bundles")
    model = window.app_list.view.model()
    yield d.wait(
        lambda: dr.window_named("ImportReportDialog") or model.rowCount() == len(bundles),
        "the imported applications in the list",
        timeout=180,
    )
    report = dr.window_named("ImportReportDialog")
    if report is not None:
        d.note("import_summary", report.summary.text())
        d.note("import_report", report.as_text())
        yield d.click(report.close_button, "close the import report")
    yield d.wait(lambda: model.rowCount() == len(bundles), "all bundles listed", timeout=120)
    d.note("imported", model.rowCount())


def select_first_application(d: dr.Driver, window: Any) -> dr.Journey:
    view = window.app_list.view
    index = view.model().index(0, 0)
    rect = view.visualRect(index)
    yield d.do(
        lambda: dr.QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center()),
        "click the first application",
    )
    yield d.wait(lambda: window.loaded is not None and window.state is not None, "the application to open")
    d.note("community", window.loaded.app.community_name)


def read_a_pdf(d: dr.Driver, window: Any) -> dr.Journey:
    yield from d.press("Alt+2", window)
    materials = window.materials
    tree = materials.list
    yield d.wait(lambda: tree.topLevelItemCount() > 0, "the materials list")
    pdf_item = None
    for i in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(i)
        if any(item.text(c).lower().endswith(".pdf") for c in range(tree.columnCount())):
            pdf_item = item
            break
    if pdf_item is None:
        raise dr.JourneyFailed("no PDF among the materials")
    rect = tree.visualItemRect(pdf_item)
    yield d.do(
        lambda: dr.QTest.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center()),
        "click a PDF material",
    )
    viewer = materials.pdf_viewer
    yield d.wait(lambda: viewer.isVisible() and viewer.page_count() > 0, "the PDF's pages")
    d.note("pdf_pages", viewer.page_count())
    d.snap("pdf")


def declare_no_conflict(d: dr.Driver, window: Any) -> dr.Journey:
    yield d.click(window.scoring.declare_button, "回避声明")
    dialog = yield d.wait(lambda: dr.window_named("ConflictDialog"), "the conflict declaration")
    yield d.click(dialog.ui.noConflictRadio, "no conflict")
    yield d.click(dialog.ok_button, "confirm the declaration")
    yield d.wait(lambda: dr.window_named("ConflictDialog") is None, "the declaration to close")


def fill(d: dr.Driver, widget: Any) -> dr.Journey:
    """Fill the field a problem jumped to, as a person would with the keyboard."""
    if isinstance(widget, QDoubleSpinBox):
        step = widget.singleStep() or 1
        value = round(widget.maximum() * 0.8 / step) * step
        yield d.key(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier, "select the score")
        yield d.keys(widget, f"{value:g}")
        yield d.key(widget, Qt.Key.Key_Tab, what="Tab")
    elif isinstance(widget, QPlainTextEdit):
        yield d.keys(widget, COMMENT)
    elif isinstance(widget, QRadioButton | QPushButton):
        yield d.click(widget)
    else:
        raise dr.JourneyFailed(f"a problem jumped to {type(widget).__name__}, which the journey cannot fill")


def score_and_submit(d: dr.Driver, window: Any) -> dr.Journey:
    yield from d.press("Alt+4", window)
    form = yield d.wait(lambda: window.current_form(), "the scoring form")
    yield from declare_no_conflict(d, window)
    first = next(card for card in form.cards.values() if card.spin is not None)
    yield d.do(lambda: first.spin.setFocus(), "focus the first score")
    yield from fill(d, first.spin)
    # Submit with most of the form still empty: the panel lists what is missing.
    yield from d.press("Ctrl+Return", window)
    yield d.wait(
        lambda: window.problems_dock.isVisible() and window.problems.count() > 0, "the missing items"
    )
    d.note("missing_at_first_submit", window.problems.count())
    d.snap("missing")
    panel = window.problems
    for _ in range(80):
        if not window.problems_dock.isVisible() or panel.count() == 0:
            break
        item = panel.item(0)
        rect = panel.visualItemRect(item)
        yield d.do(
            lambda r=rect: dr.QTest.mouseClick(panel.viewport(), Qt.MouseButton.LeftButton, pos=r.center()),
            f"jump to: {item.text()}",
        )
        target = yield d.wait(
            lambda: QApplication.focusWidget() not in (None, panel) and QApplication.focusWidget(),
            "the field the problem names",
        )
        if type(target).__name__ == "QPushButton" and target is window.scoring.declare_button:
            yield from declare_no_conflict(d, window)
        else:
            yield from fill(d, target)
        yield from d.press("Ctrl+Return", window)
        yield d.wait(
            lambda: window.problems.count() > 0 or dr.window_named("CalibrationDialog"),
            "the next missing item or the confirmation",
        )
        if dr.window_named("CalibrationDialog"):
            break
    calibration = yield d.wait(lambda: dr.window_named("CalibrationDialog"), "the submit confirmation")
    d.snap("calibration")
    yield d.click(calibration.confirm, "确认提交")


def import_credential(d: dr.Driver, window: Any) -> dr.Journey:
    """Settings ▸ 导入签名证书…: the office's credential (which also makes this laptop trust the office)."""
    p = d.params
    action = dr.action_with_text(window, QCoreApplication.translate("MainWindow", "导入签名证书…(&C)"))
    yield d.do(action.trigger, "Settings ▸ Import signing credential")
    dialog = yield d.wait(dr.file_dialog, "the credential file dialog")
    d.note("credential_dialog_dir", dialog.directory().absolutePath())
    d.note(
        "credential_dialog_labels",
        [label.text() for label in dialog.findChildren(QLabel) if label.isVisible()],
    )
    d.snap("credential-file-dialog")
    p12 = Path(p["workspace"], "pki", "demo-expert.p12")
    yield d.do(lambda: dr.choose_files(dialog, [p12]), "choose the credential")
    pw = yield d.wait(lambda: dr.window_named("PasswordDialog"), "the credential's password")
    yield d.keys(pw.edit, p["password"] + "-wrong", "the password box")
    yield d.click(pw.ok_button, "OK with a wrong password")
    yield d.wait(lambda: pw.error_label.isVisible(), "the wrong-password message in the same dialog")
    d.note("wrong_password_message", pw.error_label.text())
    d.snap("wrong-password")
    yield d.keys(pw.edit, p["password"], "the password box")
    yield d.click(pw.ok_button, "OK with the right password")
    imported = yield d.wait(lambda: dr.message_box("credentialImportedBox"), "the credential imported")
    yield d.click(imported.defaultButton(), "OK")


def sign_and_export(d: dr.Driver, window: Any) -> dr.Journey:
    p = d.params
    offer = yield d.wait(lambda: dr.message_box("signNextBox"), "the offer to sign after submitting")
    d.snap("sign-next")
    yield d.click(role_button(offer, QMessageBox.ButtonRole.AcceptRole), "签署并导出意见表")
    mismatch = yield d.wait(
        lambda: dr.message_box("identityMismatchBox") or dr.message_box("signatureImageBox"),
        "the identity check or the handwritten signature question",
    )
    if mismatch.objectName() == "identityMismatchBox":
        d.note("identity_mismatch", mismatch.text())
        d.snap("identity-mismatch")
        yield d.click(
            role_button(mismatch, QMessageBox.ButtonRole.AcceptRole), "take the certificate's title"
        )
    handwritten = yield d.wait(
        lambda: dr.message_box("signatureImageBox"), "the handwritten signature question"
    )
    yield d.click(
        role_button(handwritten, QMessageBox.ButtonRole.ActionRole), "sign without a handwritten image"
    )
    pw = yield d.wait(lambda: dr.window_named("PasswordDialog"), "the signing password")
    yield d.keys(pw.edit, p["password"], "the password box")
    yield d.click(pw.ok_button, "sign")
    save = yield d.wait(dr.file_dialog, "the save dialog for the signed opinion", timeout=120)
    d.note("suggested_name", save.selectedFiles()[0] if save.selectedFiles() else "")
    out = Path(p["out_dir"]) / Path(save.selectedFiles()[0]).name
    yield d.do(lambda: dr.choose_files(save, [out]), "save the opinion")
    done = yield d.wait(lambda: dr.message_box("opinionSignedBox"), "the signed opinion's report")
    d.note("signed_text", done.text())
    d.note("opinion_path", str(out))
    d.snap("signed")
    yield d.click(done.defaultButton(), "close the report")


def first(d: dr.Driver) -> dr.Journey:
    yield from first_start(d)
    window = yield d.wait(main_window, "the main window")
    yield d.wait(
        lambda: window.isActiveWindow() or QApplication.activeWindow() is window, "the window to be active"
    )
    yield from import_credential(d, window)
    yield from import_bundles(d, window)
    yield from select_first_application(d, window)
    yield from read_a_pdf(d, window)
    yield from score_and_submit(d, window)
    yield from sign_and_export(d, window)
    d.note("sign_button_visible", window.scoring.sign_button.isVisible())
    d.note("history_button_visible", window.scoring.history_button.isVisible())
    yield from d.press("Ctrl+Q", window)


def restart(d: dr.Driver) -> dr.Journey:
    window = yield d.wait(main_window, "the main window, straight away (profile and pledge kept)")
    model = window.app_list.view.model()
    yield d.wait(lambda: model.rowCount() > 0, "the list")
    d.note("listed", model.rowCount())
    d.note("first_start_dialogs", dr.window_named("ProfileDialog") is not None)
    yield d.wait(lambda: window.state is not None, "the remembered application")
    d.note("community", window.loaded.app.community_name)
    d.note("status", str(window.state.status))
    yield d.wait(lambda: window.scoring.history_button.isVisible(), "the signed opinion's history button")
    d.note("history_button_visible", True)
    d.note("sign_button_visible", window.scoring.sign_button.isVisible())
    d.snap("restart")
    yield from d.press("Ctrl+Q", window)


def journey(d: dr.Driver) -> dr.Journey:
    yield from (first(d) if d.params["phase"] == "first" else restart(d))


def start(app: QApplication) -> None:
    dr.install(app, journey)
